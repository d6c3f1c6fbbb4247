"""The data protection officer's pages: redaction from a record's history, retention reviews, and an
overview of redactions, disposals and records due for review."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from mshtgov.access import get_visible_or_404, require, safe_next
from mshtgov.audit import record_label
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction, AccessLog
from mshtgov.personal_data import retention
from mshtgov.personal_data.forms import RedactForm, ReviewForm
from mshtgov.personal_data.models import DisposalTombstone
from mshtgov.personal_data.redaction import DPO_PERMISSION, is_tracked, redact
from mshtgov.roles import INTERNAL_ROLES


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _tracked_record(content_type_id: int, pk: int):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or not is_tracked(model):
        raise Http404
    record = model._default_manager.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


@require(perms=(DPO_PERMISSION,))
def redact_view(request, content_type_id, pk):
    record = _tracked_record(content_type_id, pk)
    back = safe_next(request, request.GET.get("next") or request.POST.get("next"), default=reverse("data-protection"))
    form = RedactForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            done = redact(
                record=record,
                field_name=form.cleaned_data["field"],
                passage=form.cleaned_data["passage"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            withdrawn = f" {len(done.documents)} built document(s) withdrawn or rebuilt." if done.documents else ""
            messages.success(
                request,
                f"Redacted from {done.field_label} of {done.record_label} and {done.versions} earlier "
                f"version(s).{withdrawn}",
            )
            return redirect(back)
    mark_page(request, record)
    return render(
        request,
        "personal_data/redact.html",
        {
            "form": form,
            "record": record,
            "record_label": record_label(record),
            "back_url": back,
            "breadcrumbs": [("Data protection", reverse("data-protection")), ("Redact", "")],
        },
    )


@require(roles=tuple(INTERNAL_ROLES))
def review_list(request):
    """Records due for review: all of them for senior leaders and the DPO, one's own for an owner."""
    today = timezone.localdate()
    everyone = retention.may_review(request.user)
    due = retention.due_for_review(today, owner=None if everyone else request.user)
    mark_page(request, *[item.record for item in due])
    return render(
        request,
        "personal_data/review_list.html",
        {
            "due": due,
            "everyone": everyone,
            "today": today,
            "kinds": retention.record_kinds(),
            "breadcrumbs": [("Retention reviews", "")],
        },
    )


@require(roles=tuple(INTERNAL_ROLES))
def review_decide(request, kind, pk):
    """Keep or dispose of one record: senior leaders and the DPO any record, an owner their own."""
    record_kind = retention.kind_for(kind)
    if record_kind is None:
        raise Http404
    record = get_visible_or_404(record_kind.model._default_manager.all(), pk)
    if not retention.may_review(request.user, record_kind, record):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "keep":
                retention.keep(
                    record=record,
                    reason=data["reason"],
                    next_review_on=data["next_review_on"],
                    by=request.user,
                    today=timezone.localdate(),
                )
                messages.success(request, f"{record_label(record)} is kept until {data['next_review_on']:%-d %B %Y}.")
            else:
                tombstone = retention.dispose(record=record, reason=data["reason"], by=request.user, request=request)
                messages.success(request, f"{tombstone.kind_label} {tombstone.object_id} has been disposed of.")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("retention-reviews")
    try:
        also, blocked = retention.disposal_preview(record), ""
    except ValidationError as error:
        also, blocked = [], error.messages[0]
    mark_page(request, record)
    return render(
        request,
        "personal_data/review_decide.html",
        {
            "form": form,
            "kind": record_kind,
            "record": record,
            "record_label": record_label(record),
            "record_url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
            "also": also,
            "blocked": blocked,
            "breadcrumbs": [("Retention reviews", reverse("retention-reviews")), (record_label(record), "")],
        },
    )


@require(perms=(DPO_PERMISSION,))
def overview(request):
    """Redactions, disposals and records due for review, for the data protection officer."""
    today = timezone.localdate()
    redactions = Paginator(AccessLog.objects.filter(action=AccessAction.REDACT).order_by("-at", "-id"), 25).get_page(
        request.GET.get("redactions")
    )
    disposals = Paginator(DisposalTombstone.objects.order_by("-disposed_at", "-id"), 25).get_page(
        request.GET.get("disposals")
    )
    return render(
        request,
        "personal_data/overview.html",
        {
            "redactions": redactions,
            "disposals": disposals,
            "due_counts": retention.due_counts(today),
            "kinds": retention.record_kinds(),
            "today": today,
            "breadcrumbs": [("Data protection", "")],
        },
    )
