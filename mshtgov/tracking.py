"""Writing a tracked record: every save or delete names who did it and why, for its history.

simple-history reads `_history_user` and `_change_reason` off the instance when it writes the history
row; these two helpers are the only places that set them for services (`docs/CONVENTIONS.md`).

It also holds the write-time check against lost updates: a record edited through a form carries the
version its editor saw (`_seen_version`, set by `AuditedModelForm`), and `TrackedModel.save` locks the row
and refuses (`EditConflict`) when someone else saved it since. Checking in the form's `clean()` alone is
not enough: two editors who submit together both pass it before either has written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

CONFLICT_MESSAGE = (
    "{who} saved this record at {when}, after you opened it. Your changes have not been saved and are "
    "shown below. Check the record's history, then save again if your changes should still be made."
)


class EditConflict(ValidationError):
    """Someone saved the record after this editor opened it. Nothing was saved; `current_version` is the
    version now stored, so the form can let the editor save again once they have been told."""

    def __init__(self, message: str, *, current_version: str):
        super().__init__(message, code="conflict")
        self.current_version = current_version


def version_of(updated_at) -> str:
    """A record's version as a form carries it: its `updated_at`, to the microsecond."""
    return updated_at.isoformat() if updated_at else ""


def conflict_message(who, at) -> str:
    name = (who.get_full_name() or who.username) if who is not None else "Someone else"
    return CONFLICT_MESSAGE.format(who=name, when=timezone.localtime(at).strftime("%-d %B %Y at %H:%M:%S"))


def last_saved_by(obj):
    """Who wrote `obj`'s latest history row (None when nobody is named)."""
    latest = obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    return getattr(latest, "history_user", None)


def check_unchanged_since(obj, seen: str) -> None:
    """Lock `obj`'s row until the surrounding transaction ends and refuse if it is no longer at version
    `seen`. A second writer waits on the lock, then reads the first writer's version and is refused."""
    current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("updated_at", flat=True).first()
    if current is not None and version_of(current) != seen:
        raise EditConflict(conflict_message(last_saved_by(obj), current), current_version=version_of(current))


def save_checking_version(obj, save) -> None:
    """Run `save()` (the model's own) for `obj`, first checking the version its editor saw, if any."""
    seen = getattr(obj, "_seen_version", None)
    if seen is None or obj._state.adding or obj.pk is None:
        save()
        return
    with transaction.atomic(using=obj._state.db):
        check_unchanged_since(obj, seen)
        save()
    # Saved: a second save of the same object in this request (a service that saves twice) is not a conflict.
    obj._seen_version = version_of(obj.updated_at)


def lock_for_update(obj):
    """A fresh copy of `obj`, its row locked until the transaction ends, carrying the version its editor
    saw: a service that re-reads the record before writing it is still refused when someone else saved
    after the editor opened the form (the check happens when the copy is saved)."""
    fresh = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    seen = getattr(obj, "_seen_version", None)
    if seen is not None:
        fresh._seen_version = seen
    return fresh


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
