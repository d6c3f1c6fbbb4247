"""Training imports: upload, preview, apply (in the background), retry, undo, discard, and the list of batches."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from learning.forms.training import TrainingImportForm
from learning.models import ImportBatch, ImportStatus
from learning.services.training_csv import COLUMNS, ImportFileError
from learning.services.training_import import (
    ImportRefused,
    training_import_discard,
    training_import_stage,
    training_import_undo,
)
from learning.services.training_import_queue import training_import_confirm, training_import_retry
from mshtgov.access import get_visible_or_404, require

WAITING_MESSAGE = (
    "The background service that applies imports is not available at the moment. Your import has been "
    "kept and will be applied when the service is back: check this page later."
)
# htmx stops polling when a poll answers 286; the final state it carries is still shown.
STOP_POLLING = 286


def _crumbs(*extra):
    return [("Learning", reverse("learning:index")), ("Training imports", reverse("learning:import-list")), *extra]


@require(perms=("learning.view_importbatch",))
def import_list(request):
    batches = ImportBatch.objects.select_related("uploaded_by", "applied_by", "undone_by")
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    latest_applied = (
        ImportBatch.objects.filter(status=ImportStatus.APPLIED)
        .order_by("-applied_at")
        .values_list("pk", flat=True)
        .first()
    )
    return render(
        request,
        "learning/import_list.html",
        {
            "page": page,
            "latest_applied": latest_applied,
            "may_import": request.user.has_perm("learning.add_importbatch"),
            "breadcrumbs": [("Learning", reverse("learning:index")), ("Training imports", "")],
        },
    )


@require(perms=("learning.add_importbatch",))
def import_create(request):
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = training_import_stage(uploaded=form.cleaned_data["file"], by=request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("learning:import-detail", pk=batch.pk)
    return render(
        request,
        "learning/import_form.html",
        {"form": form, "columns": COLUMNS, "breadcrumbs": _crumbs(("Upload a training export", ""))},
    )


@require(perms=("learning.view_importbatch",))
def import_template(request):
    """A blank file with the right columns, to start from."""
    response = HttpResponse(",".join(COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-import-template.csv"'
    return response


@require(perms=("learning.view_importbatch",))
def import_detail(request, pk):
    """The batch and what it would do or did. With htmx, only its state (polled while it applies)."""
    batch = get_visible_or_404(ImportBatch.objects.select_related("uploaded_by", "applied_by", "undone_by"), pk)
    duplicate_of = None
    if batch.status == ImportStatus.STAGED:
        duplicate_of = (
            ImportBatch.objects.filter(sha256=batch.sha256, status=ImportStatus.APPLIED)
            .exclude(pk=batch.pk)
            .values_list("pk", flat=True)
            .first()
        )
    later_applied = None
    if batch.status == ImportStatus.APPLIED:
        later_applied = (
            ImportBatch.objects.filter(status=ImportStatus.APPLIED, applied_at__gt=batch.applied_at)
            .values_list("pk", flat=True)
            .first()
        )
    may_change = request.user.has_perm("learning.change_importbatch")
    context = {
        "batch": batch,
        "polling": batch.in_flight and not batch.waiting_for_background_service,
        "duplicate_of": duplicate_of,
        "may_apply": may_change and batch.can_apply,
        "may_retry": may_change and batch.can_retry,
        "may_discard": may_change and batch.can_discard,
        "may_undo": may_change and batch.status == ImportStatus.APPLIED and not later_applied,
        "later_applied": later_applied,
        "breadcrumbs": _crumbs((f"Import #{batch.pk}", "")),
    }
    if request.htmx:
        status = 200 if context["polling"] else STOP_POLLING
        return TemplateResponse(request, "learning/includes/import_status.html", context, status=status)
    return render(request, "learning/import_detail.html", context)


def _announce(request, batch):
    """Say what confirming did: applied already (no broker), queued, waiting for the service, or failed."""
    if batch.waiting_for_background_service:
        messages.warning(request, WAITING_MESSAGE)
    elif batch.status == ImportStatus.APPLIED:
        messages.success(
            request, f"Import #{batch.pk} applied: {batch.to_add} records added and {batch.to_update} updated."
        )
    elif batch.status == ImportStatus.FAILED:
        messages.error(request, f"Import #{batch.pk} could not be applied. The reason is below.")
    else:
        messages.success(request, f"Import #{batch.pk} is being applied. This page shows when it is done.")


def _act(request, pk, service, announce):
    """Run a batch service; show its refusal, or let `announce(request, batch)` say what it did."""
    batch = get_visible_or_404(ImportBatch.objects.all(), pk)
    try:
        batch = service(batch=batch, by=request.user)
    except ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        announce(request, batch)
    return redirect("learning:import-detail", pk=batch.pk)


def _say(template: str):
    return lambda request, batch: messages.success(request, template.format(pk=batch.pk))


@require_POST
@require(perms=("learning.change_importbatch",))
def import_apply(request, pk):
    return _act(request, pk, training_import_confirm, _announce)


@require_POST
@require(perms=("learning.change_importbatch",))
def import_retry(request, pk):
    """Try a failed import again, or queue again one that is waiting for the background service."""
    batch, sent = training_import_retry(batch=get_visible_or_404(ImportBatch.objects.all(), pk), by=request.user)
    if sent:
        _announce(request, batch)
    else:
        messages.info(request, "This import is not waiting to be tried again.")
    return redirect("learning:import-detail", pk=batch.pk)


@require_POST
@require(perms=("learning.change_importbatch",))
def import_undo(request, pk):
    return _act(request, pk, training_import_undo, _say("Import #{pk} undone: its records are taken back out."))


@require_POST
@require(perms=("learning.change_importbatch",))
def import_discard(request, pk):
    return _act(request, pk, training_import_discard, _say("Import #{pk} discarded: nothing was imported."))
