"""Importing operations or disruptions from a CSV file: upload and check, preview with every problem by
row and column, import whole or not at all, undo whole."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mshtgov.access import get_visible_or_404, require
from mshtgov.forms import GovukForm
from mshtgov.pages import form_page
from operations.models import ImportKind, OperationImport
from operations.services.imports import (
    DISRUPTION_COLUMNS,
    DISRUPTION_REQUIRED,
    OPERATION_COLUMNS,
    OPERATION_REQUIRED,
    ImportFileError,
    import_apply,
    import_discard,
    import_stage,
    import_undo,
    undo_refusal,
)

PERM = "operations.import_operation"


class UploadForm(GovukForm):
    personal_data_exempt_reason = "A file upload: each cell of the file is screened when it is checked."
    kind = forms.ChoiceField(label="What does the file hold?", choices=ImportKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(label="CSV file", help_text="Saved as CSV UTF-8, first row naming the columns.")


def _crumbs(*extra):
    return [
        ("Operations", reverse("operations:operation-list")),
        ("Import", reverse("operations:import-create")),
        *extra,
    ]


def _intro() -> str:
    def columns(all_, required):
        return ", ".join(f"{c}{'' if c in required else ' (optional)'}" for c in all_)

    return (
        f"Operations: {columns(OPERATION_COLUMNS, OPERATION_REQUIRED)}. Disruptions (of operations already in the "
        f"register): {columns(DISRUPTION_COLUMNS, DISRUPTION_REQUIRED)}. Dates as 2025-03-31; users by username; "
        "exploitation types as codes separated by semicolons (labour; sexual; criminal; domestic_servitude; "
        "organ_harvesting; other). Nothing is imported until you have seen the preview, and then every row or none."
    )


@require(perms=(PERM,))
def import_create(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_stage(uploaded=form.cleaned_data["file"], kind=form.cleaned_data["kind"], by=request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("operations:import-detail", pk=batch.pk)
    recent = list(OperationImport.objects.visible_to(request.user).select_related("uploaded_by")[:10])
    return form_page(
        request,
        form,
        template="operations/import_form.html",
        extra={"recent": recent},
        title="Import operations or disruptions",
        breadcrumbs=_crumbs(),
        back_url=reverse("operations:operation-list"),
        intro=_intro(),
        upload=True,
        submit="Check the file",
    )


@require(perms=(PERM,))
def import_detail(request, pk):
    batch = get_visible_or_404(OperationImport.objects.visible_to(request.user), pk)
    return render(
        request,
        "operations/import_detail.html",
        {
            "batch": batch,
            "undo_refusal": undo_refusal(batch) if batch.state == "applied" else "",
            "breadcrumbs": _crumbs((f"Import {batch.pk}", "")),
        },
    )


def _act(request, pk, action, done: str):
    batch = get_visible_or_404(OperationImport.objects.visible_to(request.user), pk)
    try:
        action(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("operations:import-detail", pk=batch.pk)


@require_POST
@require(perms=(PERM,))
def import_apply_view(request, pk):
    return _act(request, pk, import_apply, "Imported: every row was added.")


@require_POST
@require(perms=(PERM,))
def import_undo_view(request, pk):
    return _act(request, pk, import_undo, "Import undone: the records it added are removed (their history is kept).")


@require_POST
@require(perms=(PERM,))
def import_discard_view(request, pk):
    return _act(request, pk, import_discard, "Import discarded: nothing was added.")
