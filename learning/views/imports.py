"""Training imports: upload, preview, apply, undo, discard, and the list of batches."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from learning.access import get_batch_for_user
from learning.forms.training import TrainingImportForm
from learning.models import ImportBatch, ImportStatus
from learning.services.training_csv import COLUMNS, ImportFileError
from learning.services.training_import import (
    ImportRefused,
    training_import_apply,
    training_import_discard,
    training_import_stage,
    training_import_undo,
)
from mshtgov.access import require


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
    batch = get_batch_for_user(request.user, pk)
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
    return render(
        request,
        "learning/import_detail.html",
        {
            "batch": batch,
            "duplicate_of": duplicate_of,
            "may_apply": may_change and batch.can_apply,
            "may_discard": may_change and batch.status == ImportStatus.STAGED,
            "may_undo": may_change and batch.status == ImportStatus.APPLIED and not later_applied,
            "later_applied": later_applied,
            "breadcrumbs": _crumbs((f"Import #{batch.pk}", "")),
        },
    )


def _act(request, pk, service, done_message):
    batch = get_batch_for_user(request.user, pk)
    try:
        batch = service(batch=batch, by=request.user)
    except ImportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message(batch))
    return redirect("learning:import-detail", pk=batch.pk)


@require_POST
@require(perms=("learning.change_importbatch",))
def import_apply(request, pk):
    return _act(
        request,
        pk,
        training_import_apply,
        lambda b: f"Import #{b.pk} applied: {b.to_add} records added and {b.to_update} updated.",
    )


@require_POST
@require(perms=("learning.change_importbatch",))
def import_undo(request, pk):
    return _act(request, pk, training_import_undo, lambda b: f"Import #{b.pk} undone: its records are taken back out.")


@require_POST
@require(perms=("learning.change_importbatch",))
def import_discard(request, pk):
    return _act(request, pk, training_import_discard, lambda b: f"Import #{b.pk} discarded: nothing was imported.")
