"""Importing operations, or disruptions of operations already in the register, from a CSV file kept in a
records management system: check with a preview (every problem by row and column), apply whole or not at
all, undo whole.

Each row goes through the same model rules and personal-data screen as the forms. Applying re-reads the
text kept server-side at staging and checks it again against the register as it is now."""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mshtgov.personal_data.screening import message_for, screen_text
from mshtgov.tracking import stamp
from operations.models import Disruption, Exploitation, ImportKind, ImportState, Operation, OperationImport

MAX_BYTES = 1_000_000
MAX_ROWS = 2000
PREVIEW_ROWS = 20

OPERATION_COLUMNS = (
    "reference",
    "title",
    "opened_on",
    "closed_on",
    "status",
    "lead_unit",
    "officer_in_charge",
    "oic_pip_level",
    "exploitation_types",
    "county_lines",
    "adult_victims",
    "child_victims",
    "geography",
    "countries",
    "agencies",
    "marking",
)
OPERATION_REQUIRED = ("reference", "title", "opened_on", "status", "lead_unit", "officer_in_charge", "oic_pip_level")
DISRUPTION_COLUMNS = (
    "operation_reference",
    "disrupted_on",
    "level",
    "pillar",
    "tactic_group",
    "lead_agency",
    "partner_agencies",
    "justification",
    "assessed_by",
    "reported_to_nca_on",
    "marking",
)
DISRUPTION_REQUIRED = ("operation_reference", "disrupted_on", "level", "pillar", "tactic_group", "lead_agency")
COLUMNS = {ImportKind.OPERATIONS: OPERATION_COLUMNS, ImportKind.DISRUPTIONS: DISRUPTION_COLUMNS}
REQUIRED = {ImportKind.OPERATIONS: OPERATION_REQUIRED, ImportKind.DISRUPTIONS: DISRUPTION_REQUIRED}
FREE_TEXT = {"title", "lead_unit", "countries", "agencies", "lead_agency", "partner_agencies", "justification"}
DATES = {"opened_on", "closed_on", "disrupted_on", "reported_to_nca_on"}
FLAGS = {"county_lines", "adult_victims", "child_victims"}


class ImportFileError(Exception):
    """The file cannot be read as a CSV of this kind at all (the message says why)."""


@dataclass
class Checked:
    rows: list = field(default_factory=list)  # (row number, unsaved instance, extra)
    problems: list = field(default_factory=list)  # [row, column, message]

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append([row, column, message])


def _text(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ImportFileError(f"The largest file you can import is {MAX_BYTES // 1000} KB.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Save the file as CSV UTF-8 and upload it again.") from exc


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("yes", "y", "true", "1"):
        return True
    if lowered in ("", "no", "n", "false", "0"):
        return False
    raise ValueError


def _reader(text: str, kind: str):
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED[kind] if c not in headers]
    if missing:
        raise ImportFileError(f"The file has no column {', '.join(missing)}. The first row must name the columns.")
    unknown = [h for h in headers if h not in COLUMNS[kind]]
    if unknown:
        raise ImportFileError(f"Unknown column {', '.join(unknown)}: use only the columns listed on this page.")
    reader.fieldnames = headers
    return reader


def check(text: str, kind: str) -> Checked:
    """Every row checked as the forms check it; problems by row (the file's line) and column."""
    result = Checked()
    users = {u.username.lower(): u for u in get_user_model().objects.filter(is_active=True)}
    references = {ref.upper(): pk for pk, ref in Operation.objects.values_list("pk", "reference")}
    seen: dict[str, int] = {}
    operations = {}
    if kind == ImportKind.DISRUPTIONS:
        operations = {op.reference.upper(): op for op in Operation.objects.all()}
    for number, raw in enumerate(_reader(text, kind), start=2):
        if number - 1 > MAX_ROWS:
            result.problem(number, "", f"The file has more than {MAX_ROWS} rows: split it.")
            break
        raw = {k: (v or "").strip() for k, v in raw.items() if k}
        problems_before = len(result.problems)
        values = {}
        for column, value in raw.items():
            if column in FREE_TEXT:
                for finding in screen_text(value)[:1]:
                    result.problem(number, column, message_for(finding))
            if not value:
                if column in REQUIRED[kind]:
                    result.problem(number, column, "This column is empty: fill it in.")
                continue
            try:
                if column in DATES:
                    values[column] = _date(value)
                elif column in FLAGS:
                    values[column] = _flag(value)
                elif column in ("officer_in_charge", "assessed_by"):
                    user = users.get(value.lower())
                    if user is None:
                        result.problem(number, column, f"No active user has the username {value}.")
                    values[column] = user
                elif column == "exploitation_types":
                    codes = [p.strip().lower() for p in value.replace(";", ",").split(",") if p.strip()]
                    # In the vocabulary's order, as the form stores them; unknown codes are left for the model
                    # to refuse.
                    codes.sort(key=lambda c: Exploitation.values.index(c) if c in Exploitation.values else 99)
                    values[column] = ",".join(codes)
                elif column == "oic_pip_level":
                    values[column] = int(value)
                else:
                    values[column] = (
                        value.lower()
                        if column in ("status", "geography", "level", "pillar", "tactic_group", "marking")
                        else value
                    )
            except ValueError:
                kind_of = (
                    "a date written as 2025-03-31"
                    if column in DATES
                    else "yes or no"
                    if column in FLAGS
                    else "a whole number"
                )
                result.problem(number, column, f"“{value[:40]}” is not {kind_of}.")
        if kind == ImportKind.OPERATIONS:
            reference = raw.get("reference", "").upper()
            if reference and reference in references:
                result.problem(number, "reference", f"{raw['reference']} is already in the register.")
            if reference and reference in seen:
                result.problem(number, "reference", f"{raw['reference']} is also on row {seen[reference]}.")
            seen.setdefault(reference, number)
            instance = Operation(**{k: v for k, v in values.items() if v is not None})
            exclude = ["officer_in_charge"] if values.get("officer_in_charge") is None else []
        else:
            operation = operations.get(raw.get("operation_reference", "").upper())
            if raw.get("operation_reference") and operation is None:
                result.problem(number, "operation_reference", f"{raw['operation_reference']} is not in the register.")
            values.pop("operation_reference", None)
            instance = Disruption(operation=operation, **{k: v for k, v in values.items() if v is not None})
            exclude = ["operation"] if operation is None else []
            if values.get("assessed_by") is None:
                exclude.append("assessed_by")
        if len(result.problems) == problems_before:
            try:
                instance.full_clean(exclude=exclude, validate_unique=False)
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    for message in messages:
                        result.problem(number, column if column != "__all__" else "", message)
        if len(result.problems) == problems_before:
            result.rows.append((number, instance))
    if not result.rows and not result.problems:
        result.problem(1, "", "The file has no rows under its column names.")
    return result


def _preview(checked: Checked, kind: str) -> list:
    rows = []
    for number, instance in checked.rows[:PREVIEW_ROWS]:
        if kind == ImportKind.OPERATIONS:
            rows.append(
                [
                    number,
                    instance.reference,
                    instance.title,
                    instance.opened_on.isoformat(),
                    instance.get_status_display(),
                ]
            )
        else:
            rows.append(
                [
                    number,
                    instance.operation.reference,
                    instance.disrupted_on.isoformat(),
                    instance.get_level_display(),
                    instance.get_tactic_group_display(),
                ]
            )
    return rows


def import_stage(*, uploaded, kind: str, by) -> OperationImport:
    """Check an uploaded file and keep it, with its preview and problems, for confirmation."""
    if kind not in ImportKind.values:
        raise ImportFileError("Choose what the file holds.")
    raw = uploaded.read(MAX_BYTES + 1)
    text = _text(raw)
    checked = check(text, kind)
    return OperationImport.objects.create(
        kind=kind,
        original_name=(uploaded.name or "upload.csv")[:200],
        sha256=hashlib.sha256(raw).hexdigest(),
        content=text,
        uploaded_by=by,
        rows_total=len(checked.rows) + len({p[0] for p in checked.problems}),
        errors=checked.problems[:500],
        preview=_preview(checked, kind),
    )


@transaction.atomic
def import_apply(*, batch: OperationImport, by) -> OperationImport:
    """Write every row, or none: the file is checked again against the register as it is now."""
    from operations.services.disruptions import disruption_create
    from operations.services.operations import operation_create

    batch = OperationImport.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportState.STAGED:
        raise ValidationError("This import is no longer waiting to be applied.")
    checked = check(batch.content, batch.kind)
    if checked.problems:
        batch.errors = checked.problems[:500]
        batch.save(update_fields=["errors"])
        raise ValidationError("The file has problems now (see the list): nothing was imported.")
    reason = f"Imported from {batch.original_name} (import {batch.pk})"
    created = []
    for _number, instance in checked.rows:
        if batch.kind == ImportKind.OPERATIONS:
            fields = {
                f.name: getattr(instance, f.name)
                for f in Operation._meta.concrete_fields
                if f.editable and not f.primary_key and f.name not in ("created_at", "updated_at")
            }
            created.append(operation_create(by=by, reason=reason, **fields).pk)
        else:
            fields = {
                name: getattr(instance, name)
                for name in DISRUPTION_COLUMNS
                if name not in ("operation_reference", "assessed_by")
            }
            fields["marking"] = instance.marking
            disruption = disruption_create(
                operation=instance.operation,
                by=by,
                assessed_by=instance.assessed_by_id and instance.assessed_by,
                **fields,
            )
            created.append(disruption.pk)
    batch.state, batch.applied_at, batch.applied_by = ImportState.APPLIED, timezone.now(), by
    batch.created_ids, batch.content = created, ""
    batch.save()
    return batch


def undo_refusal(batch: OperationImport) -> str:
    """Why the import cannot be undone now, or "" if it can: only while nothing was built on its records."""
    if batch.state != ImportState.APPLIED:
        return "Only an applied import can be undone."
    if batch.kind == ImportKind.OPERATIONS:
        records = Operation.objects.filter(pk__in=batch.created_ids)
        if Disruption.objects.filter(operation__in=records).exists():
            return "Disruptions have been logged on operations from this import: it can no longer be undone."
        if records.filter(debrief__isnull=False).exists():
            return "A debrief has been recorded on an operation from this import: it can no longer be undone."
    else:
        records = Disruption.objects.filter(pk__in=batch.created_ids)
        if records.exclude(review_status="pending").exists():
            return "Disruptions from this import have been reviewed: it can no longer be undone."
    if records.filter(updated_at__gt=batch.applied_at).exists():
        return "Records from this import have been changed since: it can no longer be undone."
    return ""


@transaction.atomic
def import_undo(*, batch: OperationImport, by) -> OperationImport:
    """Delete every record the import added (each deletion kept in its history, naming who and why)."""
    batch = OperationImport.objects.select_for_update().get(pk=batch.pk)
    refusal = undo_refusal(batch)
    if refusal:
        raise ValidationError(refusal)
    model = Operation if batch.kind == ImportKind.OPERATIONS else Disruption
    for record in model.objects.filter(pk__in=batch.created_ids):
        if model is Operation:
            outcome = getattr(record, "outcome", None)
            if outcome is not None:
                stamp(outcome, by=by, reason=f"Import {batch.pk} undone")
                outcome.delete()
        stamp(record, by=by, reason=f"Import {batch.pk} undone")
        record.delete()
    batch.state, batch.undone_at = ImportState.UNDONE, timezone.now()
    batch.save(update_fields=["state", "undone_at"])
    return batch


def import_discard(*, batch: OperationImport, by) -> OperationImport:
    if batch.state != ImportState.STAGED:
        raise ValidationError("Only an import not yet applied can be discarded.")
    batch.state, batch.content = ImportState.DISCARDED, ""
    batch.save(update_fields=["state", "content"])
    return batch
