"""Writing a tracked record: every save or delete names who did it and why, for its history.

simple-history reads `_history_user` and `_change_reason` off the instance when it writes the history
row; these two helpers are the only places that set them for services (`docs/CONVENTIONS.md`).
"""


def stamp(obj, *, by, reason: str):
    """Name who changes `obj` and why, for the history row its next save or delete writes."""
    obj._history_user = by
    obj._change_reason = reason
    return obj


def save_tracked(obj, *, by, reason: str, clean: bool = True, exclude=None):
    """Validate (unless `clean=False`: a status change on a record already valid), name who and why, save.

    Returns `obj`, saved."""
    if clean:
        obj.full_clean(exclude=exclude)
    stamp(obj, by=by, reason=reason)
    obj.save()
    return obj


def save_form(form, *, by, reason: str | None = None):
    """Save a validated model form (an `AuditedModelForm` asks for its own reason) as `by`.

    `reason`, when given, replaces the one typed in the form (a service that knows better, e.g. "Created")."""
    form.instance._history_user = by
    if reason:
        form.cleaned_data["change_reason"] = reason
    return form.save()
