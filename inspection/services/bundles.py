"""Asking for, building, retrying, sweeping and handing out evidence bundles (the board-pack pattern).

The request keeps an `EvidenceBundle` row whatever happens to the queue: if the broker is down the row waits
(`enqueued_at` empty) and the sweeper sends it later. A build counts its attempts, so a bundle that kills its
worker is failed with a reason after CELERY_TASK_MAX_DELIVERIES starts. A bundle is never edited: asking
again makes a new one, and a ready bundle's files are never rewritten.
"""

import hashlib
import io
import logging
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from inspection.bundles.compose import compose_bundle
from inspection.models import BundleStatus, EvidenceBundle
from mshtgov import jobs, records
from mshtgov.audit import log_access
from mshtgov.exports import table_bytes
from mshtgov.marking import Marking
from mshtgov.models import AccessAction
from mshtgov.pdf import html_to_pdf
from mshtgov.queueing import send_or_wait
from strategy.models import Assessment

log = logging.getLogger(__name__)

PAPER_UNREADABLE = "Board paper “{title}” could not be read from storage and is not in the ZIP."


def bundle_enqueue(*, bundle_id: int) -> bool:
    from inspection.tasks import build_evidence_bundle_task

    return send_or_wait(
        build_evidence_bundle_task,
        queryset=EvidenceBundle.objects.filter(pk=bundle_id),
        what="evidence bundle",
        record_id=bundle_id,
    )


# The bundle's job lifecycle is the core's (mshtgov.jobs), shared with board packs.
BUNDLE_JOB = jobs.JobKind(
    model=EvidenceBundle,
    label="Evidence bundle",
    queued=BundleStatus.QUEUED,
    running=BundleStatus.BUILDING,
    failed=BundleStatus.FAILED,
    enqueue=lambda pk: bundle_enqueue(bundle_id=pk),  # by name when called: tests replace it
    gave_up=(
        "The bundle was abandoned after {n} attempts: each attempt stopped the background service or met an "
        "unavailable database (the bundle may be too large). Build one theme at a time, or ask the service desk."
    ),
    too_slow=(
        "Building the bundle took longer than {s} seconds and was stopped. Build one theme at a time and try again."
    ),
    no_memory="Building the bundle ran out of memory and was stopped. Build one theme at a time and try again.",
    stuck="The background service stopped responding while building this bundle. Try again.",
    broke="The bundle could not be built",
)
GAVE_UP, TOO_SLOW, NO_MEMORY, STUCK = BUNDLE_JOB.gave_up, BUNDLE_JOB.too_slow, BUNDLE_JOB.no_memory, BUNDLE_JOB.stuck


def _save(bundle: EvidenceBundle, reason: str, by=None) -> None:
    """Bookkeeping of the build's state, no validation: named as the requester unless someone else acted."""
    jobs.save(BUNDLE_JOB, bundle, reason, by=by)


def bundle_request(*, assessment: Assessment, theme: str, by) -> tuple[EvidenceBundle, bool]:
    """Queue a bundle, or return the one for the same assessment and theme already queued or being built.

    Side effects, in order: locks the assessment row; creates the bundle (queued); after commit, sends the
    build job (or leaves the row waiting when the queue is unreachable)."""
    if not by.has_perm("inspection.add_evidencebundle"):
        raise PermissionDenied
    bundle = EvidenceBundle(assessment=assessment, theme=theme, requested_by=by, marking=assessment.marking)
    return jobs.request(
        BUNDLE_JOB,
        bundle,
        lock=Assessment.objects.filter(pk=assessment.pk),
        in_flight=lambda: EvidenceBundle.objects.in_flight().filter(assessment=assessment, theme=theme),
        validate=bundle.full_clean,
    )


def _zip(composed, pdf: bytes, pdf_name: str) -> tuple[bytes, list[dict], list[str]]:
    """The ZIP: the PDF, each table as CSV and Excel, and the cited papers. Returns bytes, manifest, warnings."""
    label = Marking(composed.marking).label
    manifest, warnings = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(pdf_name, pdf)
        manifest.append({"name": pdf_name, "what": "The bundle (PDF)"})
        for table in composed.tables:
            for fmt in ("csv", "xlsx"):
                name = f"tables/{table.name}.{fmt}"
                archive.writestr(
                    name, table_bytes(fmt, label=label, title=table.title, headers=table.headers, rows=table.rows)
                )
                manifest.append({"name": name, "what": f"{table.title}: {len(table.rows)} rows"})
        for paper in composed.papers:
            name = f"papers/{paper.pk}-{slugify(paper.title)[:60] or 'paper'}.pdf"
            try:
                with paper.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except (OSError, ValueError):
                warnings.append(PAPER_UNREADABLE.format(title=paper.title))
                continue
            manifest.append({"name": name, "what": f"Board paper: {paper.title} ({paper.meeting})"})
    return buffer.getvalue(), manifest, warnings


def bundle_build(*, bundle_id: int) -> EvidenceBundle | None:
    """Build the bundle's PDF and ZIP. Idempotent: a ready, failed or withdrawn bundle is left alone.

    Side effects, in order: counts the attempt (failing past the cap); composes and renders; stores both files
    under names fixed by the bundle's id; marks it ready with checksum, pages, contents and marking; writes
    one COMBINE row to the access log naming the records it brought together."""
    bundle = jobs.start(BUNDLE_JOB, bundle_id)
    if bundle is None:
        return EvidenceBundle.objects.filter(pk=bundle_id).first()

    def make():
        composed = compose_bundle(bundle)
        rendered = html_to_pdf(composed.html)
        return composed, rendered, _zip(composed, rendered.content, bundle.download_name("pdf"))

    made, failed = jobs.build(BUNDLE_JOB, bundle, make)
    if failed is not None:
        return failed
    composed, rendered, (archive, manifest, warnings) = made

    stored = {}
    for field, ext, content in (("pdf_file", "pdf", rendered.content), ("zip_file", "zip", archive)):
        name = f"evidence-bundles/bundle-{bundle.pk}.{ext}"
        if default_storage.exists(name):
            default_storage.delete(name)
        stored[field] = default_storage.save(name, ContentFile(content))
    with transaction.atomic():
        bundle = EvidenceBundle.objects.select_for_update().get(pk=bundle.pk)
        if bundle.status != BundleStatus.BUILDING:
            return bundle  # a parallel copy of this job finished first
        bundle.status = BundleStatus.READY
        bundle.pdf_file.name = stored["pdf_file"]
        bundle.zip_file.name = stored["zip_file"]
        bundle.sha256 = hashlib.sha256(archive).hexdigest()
        bundle.pages = rendered.pages
        bundle.size = len(archive)
        bundle.marking = composed.marking
        bundle.manifest = manifest
        bundle.sources = composed.sources
        bundle.counts = {**composed.counts, "warnings": warnings}
        bundle.failure_reason = ""
        bundle.finished_at = timezone.now()
        _save(bundle, f"Evidence bundle built ({rendered.pages} pages)")
        log_access(
            None,
            AccessAction.COMBINE,
            bundle,
            user=bundle.requested_by,
            detail={"sources": composed.sources, "counts": composed.counts},
        )
    return bundle


def bundle_retry(*, bundle: EvidenceBundle, by) -> tuple[EvidenceBundle, bool]:
    """Ask again for a failed bundle, or resend one still waiting for the queue. Returns (bundle, sent)."""
    return jobs.retry(
        BUNDLE_JOB,
        bundle,
        by=by,
        twins=lambda b: EvidenceBundle.objects.in_flight().filter(assessment_id=b.assessment_id, theme=b.theme),
    )


def bundle_sweep(*, now=None) -> dict:
    """Fail bundles whose worker died (`mshtgov.queueing.stalled`); resend bundles the queue never took."""
    return jobs.sweep(BUNDLE_JOB, now=now)


def withheld_from(bundle: EvidenceBundle, user) -> int:
    """How many of the records in the bundle `user` may not open (one query per kind). A reader is given a
    bundle only when this is 0: the PDF names every record it holds."""
    from django.apps import apps

    hidden = 0
    for label, ids in (bundle.sources or {}).items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        every = model._default_manager.filter(pk__in=ids)
        hidden += every.count() - records.visible(user, every).count()
    return hidden


def bundles_built_since(record) -> list[EvidenceBundle]:
    """Ready bundles that may hold `record`: those finished after it was created (one built before cannot)."""
    bundles = EvidenceBundle.objects.filter(status=BundleStatus.READY)
    created = getattr(record, "created_at", None)
    return list(bundles.filter(finished_at__gte=created) if created else bundles)


def bundle_withdraw(bundle: EvidenceBundle, *, reason: str, by) -> str:
    """Withdraw a built bundle (it holds text since redacted, or a record since disposed of): its files are
    deleted once the transaction commits, the row stays and its page says why. Never rebuilt by itself: a
    requester asks for a new one. Returns what was done, for the log."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the bundle is withdrawn."})
    with transaction.atomic():
        bundle = EvidenceBundle.objects.select_for_update().get(pk=bundle.pk)
        names = [f.name for f in (bundle.pdf_file, bundle.zip_file) if f and f.name]
        bundle.pdf_file.name = ""
        bundle.zip_file.name = ""
        bundle.status = BundleStatus.WITHDRAWN
        bundle.withdrawn_reason = f"Withdrawn on {timezone.localdate():%-d %B %Y}: {reason.strip()}"
        _save(bundle, "Evidence bundle withdrawn", by=by)
        for name in names:
            transaction.on_commit(
                lambda name=name: default_storage.delete(name) if default_storage.exists(name) else None
            )
    return f"Evidence bundle {bundle.pk} withdrawn"
