"""Redaction: personal data that slipped through is removed from a record and from every version of it.

One transaction rewrites the live field and each historical version (and any change reason quoting
the words) to "[redacted on DATE by ROLE: REASON]", saves a history entry saying a redaction happened,
and writes the redaction to the access log (who, when, why, which record and field; never the words).
Cached figures are invalidated by the save; built documents that held the words (board packs, bundles)
are withdrawn or rebuilt through `mshtgov.documents`.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from mshtgov import documents
from mshtgov.audit import log_access, record_label
from mshtgov.models import AccessAction, TrackedModel
from mshtgov.summaries import bump
from mshtgov.tracking import save_tracked

DPO_PERMISSION = "mshtgov.act_as_data_protection_officer"
DPO_ROLE_LABEL = "data protection officer"
NOT_FOUND = "These words are not in this field or any earlier version of it. Copy them exactly from the record."


def is_tracked(model) -> bool:
    return issubclass(model, TrackedModel) and hasattr(model, "history")


def redactable_fields(model) -> list[models.Field]:
    """Fields of free text: text and character fields that are not fixed choices."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name != "marking"
    ]


def redaction_marker(*, on, reason: str, max_length: int | None) -> str:
    """The text that replaces what was removed, shortened to fit short fields (a reference of 40 characters)."""
    reason = " ".join(reason.split())
    for text in (
        f"[redacted on {on:%-d %B %Y} by {DPO_ROLE_LABEL}: {reason}]",
        f"[redacted on {on:%-d %B %Y} by {DPO_ROLE_LABEL}]",
        f"[redacted on {on:%Y-%m-%d}]",
        "[redacted]",
    ):
        if max_length is None or len(text) <= max_length:
            return text
    return ""


def _passage_pattern(passage: str) -> re.Pattern:
    # The words as typed, in any case, with any white space between them (a line break in the minutes).
    return re.compile(r"\s+".join(re.escape(word) for word in passage.split()), re.IGNORECASE)


@dataclass
class Redaction:
    record_label: str
    field_label: str
    versions: int
    documents: list[str]


def redact(*, record: models.Model, field_name: str, reason: str, by, passage: str = "", request=None) -> Redaction:
    """Remove `passage` (or, when blank, the whole value) from `field_name` of `record` and of every
    historical version. Side effects, in order: locks the record; rewrites history rows; saves the
    record with a history entry "Redacted ..."; withdraws built documents that held the words;
    writes one REDACT row to the access log. Raises ValidationError when the words are not found."""
    model = type(record)
    if not is_tracked(model):
        raise ValidationError("Only records whose history is kept can be redacted here.")
    field = next((f for f in redactable_fields(model) if f.name == field_name), None)
    if field is None:
        raise ValidationError({"field": "Choose a field of free text."})
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the text is being redacted."})
    today = timezone.localdate()
    marker = redaction_marker(on=today, reason=reason, max_length=field.max_length)
    pattern = _passage_pattern(passage) if passage.strip() else None

    def rewrite(value):
        if not value or value == marker:
            return value
        if pattern is None:
            return marker
        return pattern.sub(marker, value)

    with transaction.atomic():
        record = model._default_manager.select_for_update().get(pk=record.pk)
        history = list(record.history.all())
        old_values = [getattr(record, field.attname)] + [getattr(v, field.attname) for v in history]
        if pattern is not None:
            removed = {m.group() for value in old_values if value for m in pattern.finditer(value)}
            removed |= {
                m.group() for v in history if v.history_change_reason for m in pattern.finditer(v.history_change_reason)
            }
            if not removed:
                raise ValidationError({"passage": NOT_FOUND})
        else:
            removed = {value for value in old_values if value and value != marker}
            if not removed:
                raise ValidationError({"field": "This field is empty in the record and in every earlier version."})

        # Built documents are searched while the words still exist, then withdrawn after the rewrite.
        held = documents.documents_holding(record, removed)

        changed_versions = []
        for version in history:
            before = (getattr(version, field.attname), version.history_change_reason)
            setattr(version, field.attname, rewrite(before[0]))
            if pattern is not None and before[1]:
                version.history_change_reason = pattern.sub(marker, before[1])
            if (getattr(version, field.attname), version.history_change_reason) != before:
                changed_versions.append(version)
        if changed_versions:
            type(history[0]).objects.bulk_update(changed_versions, [field.attname, "history_change_reason"])

        setattr(record, field.attname, rewrite(getattr(record, field.attname)))
        # A new version (already redacted), and a new updated_at so an editor with the old text open is stopped.
        # Not validated: the marker may not pass a field's own validator (a reference's shape).
        save_tracked(record, by=by, reason=f"Redacted {field.verbose_name} ({DPO_ROLE_LABEL}): {reason}", clean=False)
        bump(model)

        done = documents.withdraw_all(held, reason=f"it held text since redacted from {record_label(record)}.", by=by)
        log_access(
            request,
            AccessAction.REDACT,
            record,
            user=by,
            detail={
                "field": field.name,
                "field_label": str(field.verbose_name),
                "scope": "words" if pattern is not None else "whole field",
                "reason": reason,
                "versions_rewritten": len(changed_versions),
                "documents": done,
            },
        )
    return Redaction(record_label(record), str(field.verbose_name), len(changed_versions), done)
