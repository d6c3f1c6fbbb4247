from django.db import transaction


@transaction.atomic
def form_save(*, form, by, reason: str | None = None):
    """Save a validated AuditedModelForm as `by`, with its reason in the record's history."""
    instance = form.instance
    instance._history_user = by
    if reason:
        form.cleaned_data["change_reason"] = reason
    saved = form.save()
    return saved
