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

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from inspection.bundles.compose import compose_bundle
from inspection.models import BundleStatus, EvidenceBundle
from mshtgov import records
from mshtgov.audit import log_access
from mshtgov.exports import table_bytes
from mshtgov.marking import Marking
from mshtgov.models import AccessAction
from mshtgov.pdf import html_to_pdf
from mshtgov.queueing import heartbeat, resend_before, send_or_wait, stalled
from mshtgov.tracking import save_tracked
from strategy.models import Assessment

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (DatabaseOperationalError, InterfaceError)
GAVE_UP = (
    "The bundle was abandoned after {n} attempts: each attempt stopped the background service or met an "
    "unavailable database (the bundle may be too large). Build one theme at a time, or ask the service desk."
)
TOO_SLOW = "Building the bundle took longer than {s} seconds and was stopped. Build one theme at a time and try again."
NO_MEMORY = "Building the bundle ran out of memory and was stopped. Build one theme at a time and try again."
STUCK = "The background service stopped responding while building this bundle. Try again."
PAPER_UNREADABLE = "Board paper “{title}” could not be read from storage and is not in the ZIP."


def _save(bundle: EvidenceBundle, reason: str, by=None) -> None:
    """Bookkeeping of the build's state, no validation: named as the requester unless someone else acted."""
    save_tracked(bundle, by=by or bundle.requested_by, reason=reason, clean=False)


def bundle_request(*, assessment: Assessment, theme: str, by) -> tuple[EvidenceBundle, bool]:
    """Queue a bundle, or return the one for the same assessment and theme already queued or being built.

    Side effects, in order: locks the assessment row; creates the bundle (queued); after commit, sends the
    build job (or leaves the row waiting when the queue is unreachable)."""
    if not by.has_perm("inspection.add_evidencebundle"):
        raise PermissionDenied
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        existing = EvidenceBundle.objects.in_flight().filter(assessment=assessment, theme=theme).first()
        if existing:
            return existing, False
        bundle = EvidenceBundle(assessment=assessment, theme=theme, requested_by=by, marking=assessment.marking)
        bundle.full_clean()
        try:
            with transaction.atomic():
                _save(bundle, "Evidence bundle requested")
        except IntegrityError:
            return EvidenceBundle.objects.in_flight().get(assessment=assessment, theme=theme), False
        transaction.on_commit(lambda: bundle_enqueue(bundle_id=bundle.pk))
    bundle.refresh_from_db()
    return bundle, True


def bundle_enqueue(*, bundle_id: int) -> bool:
    from inspection.tasks import build_evidence_bundle_task

    return send_or_wait(
        build_evidence_bundle_task,
        queryset=EvidenceBundle.objects.filter(pk=bundle_id),
        what="evidence bundle",
        record_id=bundle_id,
    )


def _fail(bundle: EvidenceBundle, reason: str) -> EvidenceBundle:
    bundle.status = BundleStatus.FAILED
    bundle.failure_reason = reason
    bundle.finished_at = timezone.now()
    _save(bundle, "Evidence bundle failed")
    return bundle


def _start(bundle_id: int) -> EvidenceBundle | None:
    with transaction.atomic():
        bundle = EvidenceBundle.objects.select_for_update().filter(pk=bundle_id).first()
        if bundle is None or not bundle.in_flight:
            return None
        bundle.attempts += 1
        if bundle.attempts > settings.CELERY_TASK_MAX_DELIVERIES:
            _fail(bundle, GAVE_UP.format(n=bundle.attempts - 1))
            return None
        bundle.status = BundleStatus.BUILDING
        bundle.started_at = bundle.heartbeat_at = timezone.now()
        _save(bundle, f"Evidence bundle build started (attempt {bundle.attempts})")
        return bundle


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
    bundle = _start(bundle_id)
    if bundle is None:
        return EvidenceBundle.objects.filter(pk=bundle_id).first()
    try:
        with heartbeat(EvidenceBundle.objects.filter(pk=bundle.pk, status=BundleStatus.BUILDING)):
            composed = compose_bundle(bundle)
            rendered = html_to_pdf(composed.html)
            pdf_name = bundle.download_name("pdf")
            archive, manifest, warnings = _zip(composed, rendered.content, pdf_name)
    except SoftTimeLimitExceeded:
        return _fail(bundle, TOO_SLOW.format(s=settings.CELERY_TASK_SOFT_TIME_LIMIT))
    except MemoryError:
        return _fail(bundle, NO_MEMORY)
    except TRANSIENT_ERRORS:
        raise  # the task retries with backoff; the attempt count still caps it
    except Exception as exc:  # noqa: BLE001 - whatever broke, the requester sees a reason and a retry button
        log.exception("evidence bundle build failed", extra={"bundle_id": bundle_id})
        return _fail(bundle, f"The bundle could not be built: {type(exc).__name__}: {str(exc)[:300]}")

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
    with transaction.atomic():
        bundle = EvidenceBundle.objects.select_for_update().get(pk=bundle.pk)
        if bundle.status == BundleStatus.FAILED:
            twin = EvidenceBundle.objects.in_flight().filter(assessment_id=bundle.assessment_id, theme=bundle.theme)
            if twin.exists():
                return twin.get(), False
            bundle.status = BundleStatus.QUEUED
            bundle.attempts = 0
            bundle.failure_reason = ""
            bundle.enqueued_at = None
            bundle.started_at = bundle.finished_at = bundle.heartbeat_at = None
            _save(bundle, "Evidence bundle retried", by=by)
        elif not bundle.waiting_for_background_service:
            return bundle, False
        transaction.on_commit(lambda: bundle_enqueue(bundle_id=bundle.pk))
    bundle.refresh_from_db()
    return bundle, True


def bundle_sweep(*, now=None) -> dict:
    """Fail bundles whose worker died (`mshtgov.queueing.stalled`); resend bundles the queue never took."""
    now = now or timezone.now()
    failed = 0
    stuck = EvidenceBundle.objects.filter(stalled(now), status=BundleStatus.BUILDING)
    for bundle_id in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            bundle = EvidenceBundle.objects.select_for_update().filter(stalled(now), pk=bundle_id).first()
            if bundle is not None and bundle.status == BundleStatus.BUILDING:
                _fail(bundle, STUCK)
                failed += 1
    waiting = (
        EvidenceBundle.objects.filter(status=BundleStatus.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=resend_before(now)))
        .values_list("pk", flat=True)
    )
    sent = sum(1 for bundle_id in list(waiting) if bundle_enqueue(bundle_id=bundle_id))
    return {"failed": failed, "resent": sent}


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
