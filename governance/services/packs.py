"""Asking for, building, retrying and sweeping board packs.

The request keeps a `BoardPack` row whatever happens to the queue: if Redis is down the row waits
(`enqueued_at` empty) and the sweeper sends it when the background service is back. A build counts
its attempts on the row, so a render that kills its worker is abandoned with a reason after
CELERY_TASK_MAX_DELIVERIES starts instead of being redelivered forever.
"""

import hashlib
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import Q
from django.utils import timezone

from governance.models import BoardPack, Meeting, PackStatus
from governance.packs.binding import finisher
from governance.packs.compose import compose_pack
from mshtgov.audit import log_access
from mshtgov.models import AccessAction
from mshtgov.pdf import html_to_pdf
from mshtgov.queueing import heartbeat, resend_before, send_or_wait, stalled
from mshtgov.tracking import save_tracked

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (DatabaseOperationalError, InterfaceError)
GAVE_UP = (
    "The pack was abandoned after {n} attempts: each attempt stopped the background service or met an "
    "unavailable database (the pack may be too large). Choose fewer sections and try again, or ask the "
    "service desk."
)
TOO_SLOW = "Building the pack took longer than {s} seconds and was stopped. Choose fewer sections and try again."
NO_MEMORY = "Building the pack ran out of memory and was stopped. Choose fewer sections and try again."
STUCK = "The background service stopped responding while building this pack. Try again."


def _save(pack, reason):
    # The build's steps are the requester's: the worker acts for them.
    save_tracked(pack, by=pack.requested_by, reason=reason, clean=False)


def board_pack_request(*, meeting: Meeting, by, sections: list[str]) -> tuple[BoardPack, bool]:
    """Queue a pack for the meeting, or return the one already queued or being built.

    Side effects, in order: locks the meeting row; creates the BoardPack (queued); after commit,
    sends the build job (or leaves the row waiting when the queue is unreachable)."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        existing = BoardPack.objects.in_flight().filter(meeting=meeting).first()
        if existing:
            return existing, False
        pack = BoardPack(meeting=meeting, requested_by=by, sections=list(sections), marking=meeting.marking)
        try:
            with transaction.atomic():
                _save(pack, "Board pack requested")
        except IntegrityError:
            # Another request won the race between our check and insert: the constraint kept it to one.
            return BoardPack.objects.in_flight().get(meeting=meeting), False
        transaction.on_commit(lambda: board_pack_enqueue(pack_id=pack.pk))
    pack.refresh_from_db()
    return pack, True


def board_pack_enqueue(*, pack_id: int) -> bool:
    """Send the build job. False (and the row left waiting) when the broker cannot be reached."""
    from governance.tasks import build_board_pack_task

    return send_or_wait(
        build_board_pack_task, queryset=BoardPack.objects.filter(pk=pack_id), what="board pack", record_id=pack_id
    )


def _fail(pack: BoardPack, reason: str) -> BoardPack:
    pack.status = PackStatus.FAILED
    pack.failure_reason = reason
    pack.finished_at = timezone.now()
    _save(pack, "Board pack failed")
    return pack


def _start(pack_id: int) -> BoardPack | None:
    """Claim the pack for this attempt, or say there is nothing to do (already built, failed or gone)."""
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or not pack.in_flight:
            return None
        pack.attempts += 1
        if pack.attempts > settings.CELERY_TASK_MAX_DELIVERIES:
            _fail(pack, GAVE_UP.format(n=pack.attempts - 1))
            return None
        pack.status = PackStatus.RENDERING
        pack.started_at = pack.heartbeat_at = timezone.now()
        _save(pack, f"Board pack build started (attempt {pack.attempts})")
        return pack


def board_pack_build(*, pack_id: int) -> BoardPack | None:
    """Build the pack's PDF. Idempotent: a ready or failed pack is left alone.

    Side effects, in order: counts the attempt (failing the pack past the cap); composes and renders;
    stores the file under a name fixed by the pack's id; marks it ready with checksum, pages and
    marking; writes one COMBINE row to the access log naming the records it brought together."""
    pack = _start(pack_id)
    if pack is None:
        return BoardPack.objects.filter(pk=pack_id).first()
    try:
        with heartbeat(BoardPack.objects.filter(pk=pack.pk, status=PackStatus.RENDERING)):
            composed = compose_pack(pack)
            rendered = html_to_pdf(composed.html, finisher=finisher(composed.appendices))
    except SoftTimeLimitExceeded:
        return _fail(pack, TOO_SLOW.format(s=settings.CELERY_TASK_SOFT_TIME_LIMIT))
    except MemoryError:
        return _fail(pack, NO_MEMORY)
    except TRANSIENT_ERRORS:
        raise  # the task retries with backoff; the attempt count still caps it
    except Exception as exc:  # noqa: BLE001 - whatever broke, the secretary sees a reason and a retry button
        log.exception("board pack render failed", extra={"pack_id": pack_id})
        return _fail(pack, f"The pack could not be built: {type(exc).__name__}: {str(exc)[:300]}")

    name = f"board-packs/pack-{pack.pk}.pdf"
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(rendered.content))
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
        if pack.status != PackStatus.RENDERING:
            return pack  # a parallel copy of this job finished first
        pack.status = PackStatus.READY
        pack.file.name = stored
        pack.sha256 = hashlib.sha256(rendered.content).hexdigest()
        pack.pages = rendered.pages
        pack.size = len(rendered.content)
        pack.marking = composed.marking
        pack.warnings = composed.warnings
        pack.built_for = composed.built_for
        pack.failure_reason = ""
        pack.finished_at = timezone.now()
        _save(pack, f"Board pack built ({rendered.pages} pages)")
        log_access(
            None,
            AccessAction.COMBINE,
            pack,
            user=pack.requested_by,
            detail={"sources": composed.sources, "sections": pack.sections},
        )
    return pack


def board_pack_retry(*, pack: BoardPack, by) -> tuple[BoardPack, bool]:
    """Ask again for a failed pack, or resend one still waiting for the queue. Returns (pack, sent)."""
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
        if pack.status == PackStatus.FAILED:
            if BoardPack.objects.in_flight().filter(meeting_id=pack.meeting_id).exists():
                return BoardPack.objects.in_flight().get(meeting_id=pack.meeting_id), False
            pack.status = PackStatus.QUEUED
            pack.attempts = 0
            pack.failure_reason = ""
            pack.enqueued_at = None
            pack.started_at = pack.finished_at = pack.heartbeat_at = None
            save_tracked(pack, by=by, reason="Board pack retried", clean=False)
        elif not pack.waiting_for_background_service:
            return pack, False
        transaction.on_commit(lambda: board_pack_enqueue(pack_id=pack.pk))
    pack.refresh_from_db()
    return pack, True


def board_packs_built_since(record) -> list[BoardPack]:
    """Built packs that may hold `record`: those finished after it was created (a pack built before a
    record existed cannot hold it). Whether one does is read from its PDF (mshtgov.documents)."""
    packs = BoardPack.objects.filter(status=PackStatus.READY).exclude(file="")
    created = getattr(record, "created_at", None)
    return list(packs.filter(finished_at__gte=created) if created else packs)


def board_pack_withdraw(pack: BoardPack, *, reason: str, by) -> str:
    """Withdraw a built pack that holds text since redacted (or a record since disposed of): its file is
    deleted once the transaction commits and its page says why. A pack for a meeting still to come is
    built again, for the same requester and sections, so the board still gets its papers.

    Registered with `mshtgov.documents` (governance/apps.py); returns what was done, for the log."""
    pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
    name = pack.file.name
    pack.status = PackStatus.WITHDRAWN
    pack.failure_reason = f"Withdrawn on {timezone.localdate():%-d %B %Y}: {reason}"
    pack.file.name = ""
    save_tracked(pack, by=by, reason="Board pack withdrawn (data protection)", clean=False)
    if name:
        transaction.on_commit(lambda: default_storage.delete(name) if default_storage.exists(name) else None)
    rebuild = pack.meeting.date >= timezone.localdate()
    if rebuild:
        meeting, requester, sections = pack.meeting, pack.requested_by, list(pack.sections)
        transaction.on_commit(lambda: board_pack_request(meeting=meeting, by=requester, sections=sections))
    return f"Board pack {pack.pk} withdrawn" + (" and built again" if rebuild else "")


def board_pack_sweep(*, now=None) -> dict:
    """Fail packs whose worker died (`mshtgov.queueing.stalled`); resend packs the queue never took."""
    now = now or timezone.now()
    failed = 0
    stuck = BoardPack.objects.filter(stalled(now), status=PackStatus.RENDERING)
    for pack_id in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            # Re-checked under the lock: a redelivered job may have started it again meanwhile.
            pack = BoardPack.objects.select_for_update().filter(stalled(now), pk=pack_id).first()
            if pack is not None and pack.status == PackStatus.RENDERING:
                _fail(pack, STUCK)
                failed += 1
    waiting = (
        BoardPack.objects.filter(status=PackStatus.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=resend_before(now)))
        .values_list("pk", flat=True)
    )
    sent = sum(1 for pack_id in list(waiting) if board_pack_enqueue(pack_id=pack_id))
    return {"failed": failed, "resent": sent}
