"""Applying a confirmed training import in the background, so a large file never holds up a request.

Confirming marks the batch applying (with history) and, once that commits, sends a job
(`learning.tasks.apply_training_import_task`) that calls `training_import_apply`, which still writes the
whole batch or nothing. Without a broker (CELERY_BROKER_URL unset) the job runs eagerly, inside the
request, as before. If the broker cannot be reached the batch is kept waiting (`enqueued_at` empty) and
the sweeper sends it when the background service is back, as board packs do (`governance.services.packs`).

The job is safe to deliver twice (acks_late): it claims the batch under a row lock and leaves alone a
batch that is no longer applying. It counts its starts, so a job that kills its worker is abandoned with a
reason after CELERY_TASK_MAX_DELIVERIES starts instead of being redelivered forever.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import Q
from django.utils import timezone

from learning.models import ImportBatch, ImportStatus
from learning.services.training_import import ImportRefused, refuse_unless_applicable, training_import_apply
from mshtgov.queueing import heartbeat, resend_before, send_or_wait, stalled
from mshtgov.tracking import save_tracked

log = logging.getLogger(__name__)

# The job retries these with backoff (the attempt count still caps it); anything else fails the batch.
TRANSIENT_ERRORS = (DatabaseOperationalError, InterfaceError)
NOTHING = "Nothing was imported."
GAVE_UP = (
    "The import was abandoned after {n} attempts: each attempt stopped the background service or met an "
    f"unavailable database. {NOTHING} Try again, or ask the service desk."
)
TOO_SLOW = f"Importing took longer than {{s}} seconds and was stopped. {NOTHING} Split the file and try again."
STUCK = f"The background service stopped responding while importing. {NOTHING} Try again."
BROKE = (
    f"Something went wrong while importing ({{error}}). {NOTHING} Try again; if it fails again, ask the service desk."
)


def _lock(batch_id: int) -> ImportBatch | None:
    return ImportBatch.objects.select_for_update().filter(pk=batch_id).first()


def _queue(batch: ImportBatch, *, by, reason: str) -> None:
    """Mark a locked batch applying and send the job once the transaction commits."""
    batch.status = ImportStatus.APPLYING
    batch.applied_by = by
    batch.confirmed_at = timezone.now()
    batch.enqueued_at = batch.started_at = batch.heartbeat_at = None
    batch.attempts = 0
    batch.failure_reason = ""
    save_tracked(batch, by=by, reason=reason, clean=False)
    batch_id = batch.pk
    transaction.on_commit(lambda: training_import_enqueue(batch_id=batch_id))


def training_import_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """Queue a staged batch to be applied in the background.

    Side effects, in order: locks the batch; marks it applying, confirmed by `by` (history); after
    commit, sends the job (which runs at once without a broker, or is left waiting when the broker is
    unreachable). Raises ImportRefused when the batch cannot be applied, a second confirmation included."""
    with transaction.atomic():
        batch = _lock(batch.pk)
        if batch.status == ImportStatus.APPLYING:
            raise ImportRefused("This import is already being applied: this page shows when it is done.")
        refuse_unless_applicable(batch, statuses=(ImportStatus.STAGED,), to_add=batch.to_add, to_update=batch.to_update)
        _queue(batch, by=by, reason="Import confirmed: applying in the background")
    batch.refresh_from_db()
    return batch


def training_import_retry(*, batch: ImportBatch, by) -> tuple[ImportBatch, bool]:
    """Try a failed batch again, or resend one still waiting for the broker. Returns (batch, sent)."""
    with transaction.atomic():
        batch = _lock(batch.pk)
        if batch.status == ImportStatus.FAILED:
            _queue(batch, by=by, reason="Import tried again")
        elif batch.waiting_for_background_service:
            batch_id = batch.pk
            transaction.on_commit(lambda: training_import_enqueue(batch_id=batch_id))
        else:
            return batch, False
    batch.refresh_from_db()
    return batch, True


def training_import_enqueue(*, batch_id: int) -> bool:
    """Send the job. False (and the batch left waiting) when the broker cannot be reached."""
    from learning.tasks import apply_training_import_task

    return send_or_wait(
        apply_training_import_task,
        queryset=ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.APPLYING),
        what="training import",
        record_id=batch_id,
    )


def _fail(batch_id: int, reason: str) -> ImportBatch | None:
    """Mark the batch failed, unless another delivery of the job has finished it meanwhile."""
    with transaction.atomic():
        batch = _lock(batch_id)
        if batch is None or batch.status != ImportStatus.APPLYING:
            return batch
        batch.status = ImportStatus.FAILED
        batch.failure_reason = reason
        save_tracked(batch, by=batch.applied_by, reason="Import failed", clean=False)
        return batch


def _start(batch_id: int) -> ImportBatch | None:
    """Claim the batch for this attempt, or say there is nothing to do (applied, failed, discarded, gone).

    The attempt is committed before applying starts, so it still counts if the worker is killed."""
    with transaction.atomic():
        batch = _lock(batch_id)
        if batch is None or batch.status != ImportStatus.APPLYING:
            return None
        attempts = batch.attempts + 1
        if attempts > settings.CELERY_TASK_MAX_DELIVERIES:
            _fail(batch_id, GAVE_UP.format(n=attempts - 1))
            return None
        now = timezone.now()
        ImportBatch.objects.filter(pk=batch_id).update(attempts=attempts, started_at=now, heartbeat_at=now)
        return batch


def training_import_run(*, batch_id: int) -> ImportBatch | None:
    """What the job does: apply a confirmed batch, or mark it failed with a reason the analyst can read.

    Idempotent: a batch already applied, failed or discarded (or gone) is left alone. A failure rolls
    the whole apply back (it is one transaction), so a failed batch has nothing half-written."""
    batch = _start(batch_id)
    if batch is None:
        return ImportBatch.objects.filter(pk=batch_id).first()
    by = batch.applied_by or batch.uploaded_by
    try:
        with heartbeat(ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.APPLYING)):
            return training_import_apply(batch=batch, by=by)
    except ImportRefused as exc:
        return _fail(batch_id, f"{exc} {NOTHING}")
    except SoftTimeLimitExceeded:
        return _fail(batch_id, TOO_SLOW.format(s=settings.CELERY_TASK_SOFT_TIME_LIMIT))
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever broke, the analyst sees a reason and can try again
        log.exception("training import failed", extra={"batch_id": batch_id})
        return _fail(batch_id, BROKE.format(error=f"{type(exc).__name__}: {str(exc)[:300]}"))


def training_import_sweep(*, now=None) -> dict:
    """Fail batches whose worker died (`mshtgov.queueing.stalled`); resend batches the broker never took."""
    now = now or timezone.now()
    failed = 0
    stuck = ImportBatch.objects.filter(stalled(now), status=ImportStatus.APPLYING)
    for batch_id in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            # Re-checked under the lock: a redelivered job may have started it again meanwhile.
            batch = ImportBatch.objects.select_for_update().filter(stalled(now), pk=batch_id).first()
            if batch and batch.status == ImportStatus.APPLYING:
                _fail(batch_id, STUCK)
                failed += 1
    waiting = ImportBatch.objects.filter(status=ImportStatus.APPLYING, started_at__isnull=True).filter(
        # A minute's grace: the confirming request may still be sending it.
        Q(enqueued_at__isnull=True, confirmed_at__lt=now - timedelta(minutes=1)) | Q(enqueued_at__lt=resend_before(now))
    )
    sent = sum(
        1 for batch_id in list(waiting.values_list("pk", flat=True)) if training_import_enqueue(batch_id=batch_id)
    )
    return {"failed": failed, "resent": sent}
