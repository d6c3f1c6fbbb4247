"""The life of a job that builds one document in the background (board packs, evidence bundles): asked for,
queued, claimed by a worker under a heartbeat lease, built, failed with a reason a person can act on, retried,
swept when its worker died or the queue never took it.

The job is a row (`JobKind.model`) with `status`, `attempts`, `enqueued_at`, `started_at`, `heartbeat_at`,
`finished_at`, `failure_reason`, `requested_by` and the properties `in_flight` and
`waiting_for_background_service`. Each step is a tracked save (its history says what happened, named as the
requester unless someone else acted). What the app builds, and what it stores once built, stays in the app:
this module knows no domain model.

Sending the job (`mshtgov.queueing.send_or_wait`) goes through the app's own `enqueue(pk)`, called by name
at the time, so a test replacing the app's enqueue function replaces it here too.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, InterfaceError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import Q
from django.utils import timezone

from mshtgov.queueing import heartbeat, resend_before, stalled
from mshtgov.tracking import save_tracked

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (DatabaseOperationalError, InterfaceError)


@dataclass(frozen=True)
class JobKind:
    model: type
    label: str  # "Board pack": starts every history reason ("Board pack failed")
    queued: str  # the status values
    running: str
    failed: str
    enqueue: Callable[[int], bool]  # sends the job for a row id; False when the broker is unreachable
    # What the requester reads on a failed job, each saying what to do next.
    gave_up: str  # "{n}": attempts made
    too_slow: str  # "{s}": the soft time limit
    no_memory: str
    stuck: str
    broke: str  # "The pack could not be built": followed by the error


def save(kind: JobKind, job, reason: str, by=None) -> None:
    """Bookkeeping of the job's state, no validation: named as the requester unless someone else acted."""
    save_tracked(job, by=by or job.requested_by, reason=reason, clean=False)


def request(kind: JobKind, job, *, lock, in_flight: Callable[[], object], validate: Callable[[], None] | None = None):
    """Queue `job` (an unsaved row), or return the one already queued or being built. Returns (job, created).

    Side effects, in order: locks the row `lock` selects (what the job is built from); returns the first job
    `in_flight()` selects (asked afresh each time) if there is one; else validates (`validate`), saves the
    job (queued) and, after commit, sends it (or leaves it waiting when the queue is unreachable). The
    model's one-in-flight constraint settles a race between two requests."""
    with transaction.atomic():
        lock.select_for_update().first()
        existing = in_flight().first()
        if existing:
            return existing, False
        if validate is not None:
            validate()
        try:
            with transaction.atomic():
                save(kind, job, f"{kind.label} requested")
        except IntegrityError:
            # Another request won the race between our check and insert: the constraint kept it to one.
            return in_flight().get(), False
        transaction.on_commit(lambda: kind.enqueue(job.pk))
    job.refresh_from_db()
    return job, True


def fail(kind: JobKind, job, reason: str):
    job.status = kind.failed
    job.failure_reason = reason
    job.finished_at = timezone.now()
    save(kind, job, f"{kind.label} failed")
    return job


def start(kind: JobKind, pk: int):
    """Claim the job for this attempt, or None when there is nothing to do (built, failed, withdrawn or gone).
    Counts the attempt: past CELERY_TASK_MAX_DELIVERIES the job is failed instead of built again."""
    with transaction.atomic():
        job = kind.model.objects.select_for_update().filter(pk=pk).first()
        if job is None or not job.in_flight:
            return None
        job.attempts += 1
        if job.attempts > settings.CELERY_TASK_MAX_DELIVERIES:
            fail(kind, job, kind.gave_up.format(n=job.attempts - 1))
            return None
        job.status = kind.running
        job.started_at = job.heartbeat_at = timezone.now()
        save(kind, job, f"{kind.label} build started (attempt {job.attempts})")
        return job


def build(kind: JobKind, job, make: Callable[[], object]):
    """Run `make()` under the job's heartbeat lease. Returns (what it made, None), or (None, the job failed
    with a reason) when it ran out of time or memory or broke. A database blip is raised for the task to retry
    with backoff (the attempt count still caps it)."""
    try:
        with heartbeat(kind.model.objects.filter(pk=job.pk, status=kind.running)):
            return make(), None
    except SoftTimeLimitExceeded:
        return None, fail(kind, job, kind.too_slow.format(s=settings.CELERY_TASK_SOFT_TIME_LIMIT))
    except MemoryError:
        return None, fail(kind, job, kind.no_memory)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever broke, the requester sees a reason and a retry button
        log.exception(f"{kind.label.lower()} build failed", extra={"job_id": job.pk})
        return None, fail(kind, job, f"{kind.broke}: {type(exc).__name__}: {str(exc)[:300]}")


def retry(kind: JobKind, job, *, by, twins: Callable[[object], object]):
    """Ask again for a failed job, or resend one still waiting for the queue. Returns (job, sent). `twins(job)`
    selects the in-flight jobs for the same thing: when one is already under way, it is returned instead."""
    with transaction.atomic():
        job = kind.model.objects.select_for_update().get(pk=job.pk)
        if job.status == kind.failed:
            twin = twins(job)
            if twin.exists():
                return twin.get(), False
            job.status = kind.queued
            job.attempts = 0
            job.failure_reason = ""
            job.enqueued_at = None
            job.started_at = job.finished_at = job.heartbeat_at = None
            save(kind, job, f"{kind.label} retried", by=by)
        elif not job.waiting_for_background_service:
            return job, False
        transaction.on_commit(lambda: kind.enqueue(job.pk))
    job.refresh_from_db()
    return job, True


def sweep(kind: JobKind, *, now=None) -> dict:
    """Fail jobs whose worker died (`mshtgov.queueing.stalled`); resend jobs the queue never took."""
    now = now or timezone.now()
    failed = 0
    stuck = kind.model.objects.filter(stalled(now), status=kind.running)
    for pk in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            # Re-checked under the lock: a redelivered job may have started it again meanwhile.
            job = kind.model.objects.select_for_update().filter(stalled(now), pk=pk).first()
            if job is not None and job.status == kind.running:
                fail(kind, job, kind.stuck)
                failed += 1
    waiting = (
        kind.model.objects.filter(status=kind.queued)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=resend_before(now)))
        .values_list("pk", flat=True)
    )
    sent = sum(1 for pk in list(waiting) if kind.enqueue(pk))
    return {"failed": failed, "resent": sent}
