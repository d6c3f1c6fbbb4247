"""Evidence bundles: a self-assessment's bundles and the one-click request, a bundle's state (polled while it
builds), its downloads (a disclosure, written to the access log) and the retry of a failed one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from governance.views.papers import attachment_response
from inspection.access import get_bundle_for_user
from inspection.forms import BundleRequestForm
from inspection.models import BundleStatus, EvidenceBundle
from inspection.services.bundles import bundle_request, bundle_retry, withheld_from
from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.audit import log_access
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.paging import paginate
from strategy.models import Assessment

WAITING_MESSAGE = (
    "The background service that builds bundles is not available at the moment. Your request has been kept "
    "and the bundle will be built when the service is back: check this page later."
)


def _crumbs(assessment, *more):
    return [
        ("Self-assessment", reverse("strategy:assessment-list")),
        (assessment.title, reverse("strategy:assessment-detail", args=[assessment.pk])),
        *more,
    ]


def _announce(request, bundle, created):
    if bundle.waiting_for_background_service:
        messages.warning(request, WAITING_MESSAGE)
    elif not created:
        messages.info(request, "A bundle of this scope is already being built: this is it.")
    elif bundle.status == BundleStatus.READY:
        messages.success(request, "The evidence bundle is ready to download.")
    elif bundle.status == BundleStatus.FAILED:
        messages.error(request, "The evidence bundle could not be built. The reason is below.")
    else:
        messages.success(request, "The evidence bundle has been queued. This page shows when it is ready.")


@require(perms=("inspection.view_evidencebundle",))
def assessment_bundles(request, pk):
    assessment = get_visible_or_404(Assessment.objects.visible_to(request.user).select_related("framework"), pk)
    # Every rebuild is a bundle: paged like any list that grows (issue 13).
    page = paginate(
        request,
        EvidenceBundle.objects.visible_to(request.user).filter(assessment=assessment).select_related("requested_by"),
    )
    bundles = list(page.object_list)
    if not bundles and not user_may(request.user, perms=("inspection.add_evidencebundle",)):
        raise Http404  # a PCC liaison knows of bundles only once an assessment is signed off and bundled
    may_build = user_may(request.user, perms=("inspection.add_evidencebundle",))
    form = BundleRequestForm(request.POST or None) if may_build else None
    if request.method == "POST":
        if not may_build:
            return render(request, "403.html", status=403)
        if form.is_valid():
            bundle, created = bundle_request(assessment=assessment, theme=form.cleaned_data["theme"], by=request.user)
            _announce(request, bundle, created)
            return redirect(bundle.get_absolute_url())
    mark_page(request, assessment, *bundles)
    return render(
        request,
        "inspection/assessment_bundles.html",
        {
            "assessment": assessment,
            "bundles": bundles,
            "page": page,
            "form": form,
            "breadcrumbs": _crumbs(assessment, ("Evidence bundles", "")),
        },
    )


@require(perms=("inspection.view_evidencebundle",))
def bundle_detail(request, pk):
    """The bundle's state. With htmx, only the state fragment is returned (polled while it builds)."""
    bundle = get_bundle_for_user(request.user, pk)
    mark_page(request, bundle, bundle.assessment)
    withheld = withheld_from(bundle, request.user) if bundle.status == BundleStatus.READY else 0
    context = {
        "bundle": bundle,
        "assessment": bundle.assessment,
        "withheld": withheld,
        "may_build": user_may(request.user, perms=("inspection.add_evidencebundle",)),
        "breadcrumbs": _crumbs(
            bundle.assessment,
            ("Evidence bundles", reverse("inspection:assessment-bundles", args=[bundle.assessment_id])),
            (f"Bundle {bundle.pk}", ""),
        ),
    }
    if request.htmx:
        return TemplateResponse(request, "inspection/includes/bundle_status.html", context)
    return render(request, "inspection/bundle_detail.html", context)


@require(perms=("inspection.view_evidencebundle",))
def bundle_download(request, pk, part):
    bundle = get_bundle_for_user(request.user, pk)
    field = {"pdf": bundle.pdf_file, "zip": bundle.zip_file}.get(part)
    if field is None or bundle.status != BundleStatus.READY or not field or not field.storage.exists(field.name):
        raise Http404
    if withheld_from(bundle, request.user):
        # The PDF names every record it holds: a reader who may not open one of them does not get it.
        messages.error(request, "This bundle holds records you may not open, so it cannot be given to you.")
        return redirect(bundle.get_absolute_url())
    log_access(
        request,
        AccessAction.DISCLOSE,
        bundle,
        recipients=request.user.get_username(),
        detail={"part": part, "assessment": bundle.assessment_id, "sha256": bundle.sha256, "contents": bundle.manifest},
    )
    content_type = "application/pdf" if part == "pdf" else "application/zip"
    return attachment_response(field, filename=bundle.download_name(part), content_type=content_type)


@require_POST
@require(perms=("inspection.add_evidencebundle",))
def bundle_retry_view(request, pk):
    bundle = get_bundle_for_user(request.user, pk)
    bundle, sent = bundle_retry(bundle=bundle, by=request.user)
    if not sent:
        messages.info(request, "This bundle is not waiting for a retry.")
    else:
        _announce(request, bundle, True)
    return redirect(bundle.get_absolute_url())
