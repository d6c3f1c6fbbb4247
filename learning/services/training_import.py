"""Importing training completions in batches: stage with a preview, apply whole, undo whole.

Staging keeps the uploaded file server-side under a generated name and records what applying it would
do. Applying re-reads that file (never anything the browser sends back), checks it again against the
database as it is now, and writes every row in one transaction, or none. A row already recorded
(same staff number, product and completion date) is not added again, so re-importing a file adds nothing.
"""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from learning.models import ImportBatch, ImportStatus, RoleGroup, TrainingProduct, TrainingRecord, Unit
from learning.services.training_csv import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    ParsedFile,
    parse_training_csv,
)
from mshtgov import summaries
from mshtgov.tracking import save_tracked

STORAGE_DIR = "learning-imports"
PREVIEW_SAMPLE = 20
BATCH_SIZE = 2000


class ImportRefused(Exception):
    """Applying, undoing or discarding a batch is not possible now; the message says why."""


@dataclass
class ImportPlan:
    parsed: ParsedFile
    to_add: list = field(default_factory=list)  # ParsedRow
    to_update: list = field(default_factory=list)  # (record id, old role group, old unit, old batch, ParsedRow)
    unchanged: int = 0
    new_units: list[str] = field(default_factory=list)


def _lookups():
    products, role_groups = {}, {}
    for pk, code, name in TrainingProduct.objects.values_list("pk", "code", "name"):
        products[code.lower()] = pk
        products[name.lower()] = pk
    for pk, code, name in RoleGroup.objects.values_list("pk", "code", "name"):
        role_groups[code.lower()] = pk
        role_groups[name.lower()] = pk
    return products, role_groups


def _units() -> dict[str, int]:
    return {name.lower(): pk for pk, name in Unit.objects.values_list("pk", "name")}


def read_upload(uploaded) -> bytes:
    """The upload's bytes, refusing a file over the limit before reading it all."""
    if uploaded.size is not None and uploaded.size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"The file is {uploaded.size / 1048576:.0f} MB: the largest file you can import is "
            f"{MAX_IMPORT_BYTES // 1048576} MB. Split the export into smaller files."
        )
    raw = uploaded.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"The largest file you can import is {MAX_IMPORT_BYTES // 1048576} MB.")
    return raw


def plan_import(raw: bytes) -> ImportPlan:
    """What applying this file would do to the records as they are now. Raises ImportFileError."""
    products, role_groups = _lookups()
    parsed = parse_training_csv(raw, products=products, role_groups=role_groups, today=timezone.localdate())
    plan = ImportPlan(parsed=parsed)
    if not parsed.rows:
        return plan
    units = _units()
    plan.new_units = sorted({r.unit_name for r in parsed.rows if r.unit_name.lower() not in units}, key=str.lower)
    earliest = min(r.completed_on for r in parsed.rows)
    latest = max(r.completed_on for r in parsed.rows)
    existing = {
        (staff, product_id, completed_on): (pk, role_group_id, unit_id, batch_id)
        for pk, staff, product_id, completed_on, role_group_id, unit_id, batch_id in TrainingRecord.objects.filter(
            product_id__in={r.product_id for r in parsed.rows}, completed_on__range=(earliest, latest)
        ).values_list("pk", "staff_number", "product_id", "completed_on", "role_group_id", "unit_id", "batch_id")
    }
    for row in parsed.rows:
        found = existing.get((row.staff_number, row.product_id, row.completed_on))
        if found is None:
            plan.to_add.append(row)
            continue
        pk, role_group_id, unit_id, batch_id = found
        if role_group_id == row.role_group_id and unit_id == units.get(row.unit_name.lower()):
            plan.unchanged += 1
        else:
            plan.to_update.append((pk, role_group_id, unit_id, batch_id, row))
    return plan


def _preview(plan: ImportPlan) -> dict:
    groups = dict(RoleGroup.objects.values_list("pk", "name"))
    products = dict(TrainingProduct.objects.values_list("pk", "name"))

    def show(row):
        return [
            row.row,
            row.staff_number,
            groups[row.role_group_id],
            row.unit_name,
            products[row.product_id],
            row.completed_on.isoformat(),
        ]

    return {
        "add": [show(r) for r in plan.to_add[:PREVIEW_SAMPLE]],
        "update": [show(item[4]) for item in plan.to_update[:PREVIEW_SAMPLE]],
        "new_units": plan.new_units[:100],
    }


@transaction.atomic
def training_import_stage(*, uploaded, by) -> ImportBatch:
    """Keep the upload server-side and record its preview. Raises ImportFileError for an unusable file
    (nothing is kept then). Row errors are recorded on the batch, which cannot be applied until fixed."""
    raw = read_upload(uploaded)
    plan = plan_import(raw)
    stored_name = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}.csv", ContentFile(raw))
    batch = ImportBatch(
        original_name=(getattr(uploaded, "name", "") or "upload.csv")[-200:],
        stored_name=stored_name,
        sha256=hashlib.sha256(raw).hexdigest(),
        size_bytes=len(raw),
        uploaded_by=by,
        rows_total=plan.parsed.rows_total,
        to_add=len(plan.to_add),
        to_update=len(plan.to_update),
        unchanged=plan.unchanged,
        error_count=plan.parsed.error_count,
        errors=[e.as_dict() for e in plan.parsed.errors],
        preview=_preview(plan),
    )
    save_tracked(batch, by=by, reason="Training export uploaded for preview")
    return batch


def _read_stored(batch: ImportBatch) -> bytes:
    try:
        with default_storage.open(batch.stored_name, "rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError as exc:
        raise ImportRefused("The uploaded file is no longer available. Upload it again.") from exc
    if hashlib.sha256(raw).hexdigest() != batch.sha256:
        raise ImportRefused("The uploaded file has changed since its preview. Upload it again.")
    return raw


def _delete_stored(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def _locked(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.select_for_update().get(pk=batch.pk)


def refuse_unless_applicable(batch: ImportBatch, *, statuses, to_add: int = 1, to_update: int = 0) -> None:
    """Raise ImportRefused, saying why, unless a batch in one of `statuses` with no errors has rows to
    write. Confirming checks the preview's counts; applying checks the fresh plan's."""
    if batch.status not in statuses:
        raise ImportRefused(f"This import is {batch.get_status_display().lower()}: it cannot be applied again.")
    if batch.error_count:
        raise ImportRefused("This file has errors. Fix them and upload the file again.")
    if not to_add and not to_update:
        raise ImportRefused("There is nothing to import: every row is already recorded.")


@transaction.atomic
def training_import_apply(*, batch: ImportBatch, by) -> ImportBatch:
    """Write the whole batch, or nothing.

    The background job (`training_import_queue.training_import_run`) calls this for a confirmed batch;
    scripts and benchmarks may call it directly on a staged one.

    Side effects, in order: new units; new records (with history); changed records (with history);
    the batch marked applied with what it replaced; summary caches bumped; the stored file deleted
    once the transaction commits.
    """
    batch = _locked(batch)
    refuse_unless_applicable(batch, statuses=(ImportStatus.STAGED, ImportStatus.APPLYING))
    try:
        plan = plan_import(_read_stored(batch))
    except ImportFileError as exc:
        raise ImportRefused(str(exc)) from exc
    if plan.parsed.error_count:
        raise ImportRefused(
            "The catalogue has changed since the preview and some rows no longer match. Upload the file again."
        )
    refuse_unless_applicable(batch, statuses=(batch.status,), to_add=len(plan.to_add), to_update=len(plan.to_update))
    now = timezone.now()
    reason = f"Imported in training import #{batch.pk}"

    new_units = [Unit(name=name) for name in plan.new_units]
    if new_units:
        bulk_create_with_history(new_units, Unit, default_user=by, default_change_reason=reason, default_date=now)
    units = _units()

    records = [
        TrainingRecord(
            staff_number=row.staff_number,
            role_group_id=row.role_group_id,
            unit_id=units[row.unit_name.lower()],
            product_id=row.product_id,
            completed_on=row.completed_on,
            batch=batch,
        )
        for row in plan.to_add
    ]
    bulk_create_with_history(
        records, TrainingRecord, batch_size=BATCH_SIZE, default_user=by, default_change_reason=reason, default_date=now
    )

    previous = {}
    changed = []
    for pk, role_group_id, unit_id, batch_id, row in plan.to_update:
        previous[str(pk)] = [role_group_id, unit_id, batch_id]
        changed.append(
            TrainingRecord(
                pk=pk,
                role_group_id=row.role_group_id,
                unit_id=units[row.unit_name.lower()],
                batch=batch,
                updated_at=now,
            )
        )
    if changed:
        _bulk_update(changed, by=by, reason=reason, when=now)

    batch.status = ImportStatus.APPLIED
    batch.applied_at = now
    batch.applied_by = by
    batch.to_add, batch.to_update, batch.unchanged = len(records), len(changed), plan.unchanged
    batch.previous_values = previous
    batch.failure_reason = ""
    save_tracked(batch, by=by, reason=reason, clean=False)
    summaries.bump(TrainingRecord, Unit)
    stored = batch.stored_name
    transaction.on_commit(lambda: _delete_stored(stored))
    return batch


def _bulk_update(records, *, by, reason, when) -> None:
    """bulk_update_with_history needs whole objects for the history rows; fetch them once."""
    by_pk = {r.pk: r for r in records}
    full = list(TrainingRecord.objects.filter(pk__in=by_pk))
    for record in full:
        wanted = by_pk[record.pk]
        record.role_group_id, record.unit_id, record.batch_id = wanted.role_group_id, wanted.unit_id, wanted.batch_id
        record.updated_at = when
    bulk_update_with_history(
        full,
        TrainingRecord,
        ["role_group", "unit", "batch", "updated_at"],
        batch_size=BATCH_SIZE,
        default_user=by,
        default_change_reason=reason,
        default_date=when,
    )


@transaction.atomic
def training_import_undo(*, batch: ImportBatch, by) -> ImportBatch:
    """Take a whole applied batch back out: its new records deleted, the records it changed restored.

    Only the latest applied batch can be undone, so a later import's changes are never lost underneath.
    """
    batch = _locked(batch)
    if batch.status == ImportStatus.APPLYING:
        raise ImportRefused("This import is still being applied: wait until it finishes, then undo it.")
    if batch.status != ImportStatus.APPLIED:
        raise ImportRefused("Only an applied import can be undone.")
    # An import applying meanwhile plans against the records as they are: undoing underneath it would
    # leave its "previous values" pointing at records this undo deletes.
    applying = ImportBatch.objects.filter(status=ImportStatus.APPLYING).values_list("pk", flat=True).first()
    if applying:
        raise ImportRefused(f"Training import #{applying} is being applied. Wait until it finishes, then undo.")
    later = (
        ImportBatch.objects.filter(status=ImportStatus.APPLIED, applied_at__gt=batch.applied_at)
        .order_by("applied_at")
        .values_list("pk", flat=True)
        .first()
    )
    if later:
        raise ImportRefused(f"Training import #{later} was applied after this one. Undo it first.")
    now = timezone.now()
    reason = f"Training import #{batch.pk} undone"

    restored = [
        TrainingRecord(pk=int(pk), role_group_id=rg, unit_id=unit, batch_id=old_batch)
        for pk, (rg, unit, old_batch) in batch.previous_values.items()
    ]
    if restored:
        _bulk_update(restored, by=by, reason=reason, when=now)

    created = TrainingRecord.objects.filter(batch=batch)
    history = TrainingRecord.history.model
    gone = [
        history(
            id=record.pk,
            staff_number=record.staff_number,
            role_group_id=record.role_group_id,
            unit_id=record.unit_id,
            product_id=record.product_id,
            completed_on=record.completed_on,
            batch_id=record.batch_id,
            created_at=record.created_at,
            updated_at=record.updated_at,
            history_date=now,
            history_type="-",
            history_user=by,
            history_change_reason=reason,
        )
        for record in created.iterator(chunk_size=BATCH_SIZE)
    ]
    history.objects.bulk_create(gone, batch_size=BATCH_SIZE)
    # A plain delete would fetch every row and write its history one at a time (signals); the history
    # rows are written above in bulk, so delete the rows directly.
    created._raw_delete(created.db)

    batch.status = ImportStatus.UNDONE
    batch.undone_at = now
    batch.undone_by = by
    save_tracked(batch, by=by, reason=reason, clean=False)
    summaries.bump(TrainingRecord)
    return batch


@transaction.atomic
def training_import_discard(*, batch: ImportBatch, by) -> ImportBatch:
    """Drop a staged (or failed) batch without importing it; its stored file is deleted."""
    batch = _locked(batch)
    if batch.status == ImportStatus.APPLYING:
        raise ImportRefused("This import is being applied: it cannot be discarded now.")
    if not batch.can_discard:
        raise ImportRefused("Only an import waiting for confirmation, or one that failed, can be discarded.")
    batch.status = ImportStatus.DISCARDED
    save_tracked(batch, by=by, reason="Discarded before import", clean=False)
    stored = batch.stored_name
    transaction.on_commit(lambda: _delete_stored(stored))
    return batch
