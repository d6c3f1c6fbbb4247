"""Asking for, building, retrying and sweeping board packs.

The request keeps a `BoardPack` row whatever happens to the queue: if Redis is down the row waits
(`enqueued_at` empty) and the sweeper sends it when the background service is back. A build counts
its attempts on the row, so a render that kills its worker is abandoned with a reason after
CELERY_TASK_MAX_DELIVERIES starts instead of being redelivered forever.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from governance.models import BoardPack, Meeting, PackStatus
from governance.packs.binding import finisher
from governance.packs.compose import compose_pack
from mshtgov import jobs
from mshtgov.audit import log_access
from mshtgov.models import AccessAction
from mshtgov.pdf import html_to_pdf
from mshtgov.queueing import send_or_wait
from mshtgov.tracking import save_tracked

log = logging.getLogger(__name__)


def board_pack_enqueue(*, pack_id: int) -> bool:
    """Send the build job. False (and the row left waiting) when the broker cannot be reached."""
    from governance.tasks import build_board_pack_task

    return send_or_wait(
        build_board_pack_task, queryset=BoardPack.objects.filter(pk=pack_id), what="board pack", record_id=pack_id
    )


# The pack's job lifecycle is the core's (mshtgov.jobs), shared with evidence bundles.
PACK_JOB = jobs.JobKind(
    model=BoardPack,
    label="Board pack",
    queued=PackStatus.QUEUED,
    running=PackStatus.RENDERING,
    failed=PackStatus.FAILED,
    enqueue=lambda pk: board_pack_enqueue(pack_id=pk),  # by name when called: tests replace it
    gave_up=(
        "The pack was abandoned after {n} attempts: each attempt stopped the background service or met an "
        "unavailable database (the pack may be too large). Choose fewer sections and try again, or ask the "
        "service desk."
    ),
    too_slow="Building the pack took longer than {s} seconds and was stopped. Choose fewer sections and try again.",
    no_memory="Building the pack ran out of memory and was stopped. Choose fewer sections and try again.",
    stuck="The background service stopped responding while building this pack. Try again.",
    broke="The pack could not be built",
)
GAVE_UP, TOO_SLOW, NO_MEMORY, STUCK = PACK_JOB.gave_up, PACK_JOB.too_slow, PACK_JOB.no_memory, PACK_JOB.stuck


def _save(pack, reason):
    # The build's steps are the requester's: the worker acts for them.
    jobs.save(PACK_JOB, pack, reason)


def board_pack_request(*, meeting: Meeting, by, sections: list[str]) -> tuple[BoardPack, bool]:
    """Queue a pack for the meeting, or return the one already queued or being built.

    Side effects, in order: locks the meeting row; creates the BoardPack (queued); after commit,
    sends the build job (or leaves the row waiting when the queue is unreachable)."""
    return jobs.request(
        PACK_JOB,
        BoardPack(meeting=meeting, requested_by=by, sections=list(sections), marking=meeting.marking),
        lock=Meeting.objects.filter(pk=meeting.pk),
        in_flight=lambda: BoardPack.objects.in_flight().filter(meeting=meeting),
    )


def board_pack_build(*, pack_id: int) -> BoardPack | None:
    """Build the pack's PDF. Idempotent: a ready or failed pack is left alone.

    Side effects, in order: counts the attempt (failing the pack past the cap); composes and renders;
    stores the file under a name fixed by the pack's id; marks it ready with checksum, pages and
    marking; writes one COMBINE row to the access log naming the records it brought together."""
    pack = jobs.start(PACK_JOB, pack_id)
    if pack is None:
        return BoardPack.objects.filter(pk=pack_id).first()

    def make():
        composed = compose_pack(pack)
        return composed, html_to_pdf(composed.html, finisher=finisher(composed.appendices))

    made, failed = jobs.build(PACK_JOB, pack, make)
    if failed is not None:
        return failed
    composed, rendered = made

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
    return jobs.retry(
        PACK_JOB, pack, by=by, twins=lambda pack: BoardPack.objects.in_flight().filter(meeting_id=pack.meeting_id)
    )


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
    return jobs.sweep(PACK_JOB, now=now)
