"""Sending a background job without ever letting an unreachable broker break the request.

Board packs and training imports both keep a row that says a job is wanted. The row is saved first; the
job is sent after; when the broker is down the row simply waits (its `enqueued_at` stays empty) and the
app's sweeper sends it again later. Both services call `send_or_wait`.
"""

import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

log = logging.getLogger(__name__)

# Options for a job that works on one record: redelivered if its worker dies (acks_late), and retried
# with backoff when the database blips. Anything else is the job's own to record as a failure.
RECORD_JOB_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseOperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 3,
}


def send_or_wait(task, *, queryset, what: str, record_id: int) -> bool:
    """Send `task(record_id)`. Returns False, leaving the record waiting, when the broker cannot be reached.

    `queryset` selects the record while it still wants the job; its `enqueued_at` is stamped once the job is
    sent. That is bookkeeping, not a governance change, so it has no history row; if it cannot be written
    the job is still queued and a second sending by the sweeper is ignored by the job itself.
    """
    try:
        task.apply_async(args=[record_id])
    except (BrokerOperationalError, OSError) as exc:
        error = type(exc).__name__
        log.warning(f"{what} not queued: broker unreachable", extra={"record_id": record_id, "error": error})
        return False
    try:
        queryset.filter(enqueued_at__isnull=True).update(enqueued_at=timezone.now())
    except DatabaseError:
        log.warning(f"{what} queued but its queue time was not saved", extra={"record_id": record_id})
    return True


def stuck_before(now: datetime) -> datetime:
    """A job started before this has outlived the hard time limit: its worker is gone, so the sweeper fails it."""
    return now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)


# A running job's lease: its worker stamps `heartbeat_at` every third of JOB_LEASE_SECONDS (`heartbeat`),
# so a job not heard of for a whole lease lost its worker (kill -9, the OOM killer, a lost host). The
# sweepers run every minute (mshtgov.schedule): such a job is failed, with a reason and a retry button,
# within a lease and a minute (2.5 minutes), not after the hard time limit and a sweep interval (~17).


def lease_seconds() -> float:
    return float(settings.JOB_LEASE_SECONDS)


@contextmanager
def heartbeat(queryset):
    """While the block runs, a thread stamps `heartbeat_at` on the job's row (`queryset`, which should
    select it only while it is still running) every third of the lease, on its own database connection.

    The thread dies with its process, which is the point: a killed worker stops renewing its lease."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(lease_seconds() / 3):
                try:
                    queryset.update(heartbeat_at=timezone.now())
                except DatabaseError:
                    log.warning("job heartbeat not written", extra={"model": queryset.model._meta.label})
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def stalled(now: datetime) -> Q:
    """Running jobs whose worker is gone: not heard of for a lease (or, as before, past the hard time limit)."""
    cutoff = now - timedelta(seconds=lease_seconds())
    return (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(started_at__lt=stuck_before(now))
    )


def resend_before(now: datetime) -> datetime:
    """A job sent before this and never started was lost with its broker message, so the sweeper sends it again."""
    return now - timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT + 300)
