"""The disruption log: logging a disruption on an operation, the list and review queue, the review."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from mshtgov.access import get_visible_or_404, require
from mshtgov.audit import LoggedFilters, consult_to_log, log_access, log_consult_if_sensitive
from mshtgov.history import render_scoped_history
from mshtgov.marking import highest, mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import cached_edit_page
from mshtgov.paging import counted_page
from mshtgov.records import url_for_pk
from operations.forms import DisruptionFilterForm, DisruptionForm, ReviewForm
from operations.models import Disruption, Operation, ReviewStatus
from operations.selectors import disruption_list
from operations.services.disruptions import disruption_create, disruption_review, disruption_update, may_review
from operations.views import cached
from operations.views.rows import DISRUPTION_COLUMNS, disruption_rows

PAGE_SIZE = 25


def _crumbs(*extra):
    return [("Operations", reverse("operations:operation-list")), *extra]


def _operation_url(operation) -> str:
    return reverse("operations:operation-detail", args=[operation.pk])


def _disruption(request, pk):
    return get_visible_or_404(
        Disruption.objects.visible_to(request.user).select_related("operation", "assessed_by", "reviewed_by"), pk
    )


@require(perms=("operations.add_disruption",))
def disruption_create_view(request, pk):
    # The blank form, per reader, operation and day, from the page cache (mshtgov.pages.cached_edit_page): an
    # operation the reader may not open answers 404 and nothing is kept.
    def page():
        operation = get_visible_or_404(Operation.objects.visible_to(request.user), pk)
        mark_page(request, operation)
        form = DisruptionForm(
            request.POST or None,
            instance=Disruption(operation=operation, assessed_by=request.user),
            initial={"assessed_by": request.user.pk},
        )
        fields = ("disrupted_on", "level", "pillar", "tactic_group", "lead_agency", "partner_agencies", "justification")
        return form, {
            "save": lambda f: disruption_create(
                operation=operation,
                by=request.user,
                assessed_by=f.cleaned_data["assessed_by"],
                reported_to_nca_on=f.cleaned_data["reported_to_nca_on"],
                marking=f.cleaned_data["marking"],
                **{name: f.cleaned_data[name] for name in fields},
            ),
            "success_url": _operation_url(operation),
            "success_message": "Disruption logged. It counts once a reviewer other than its assessor accepts it.",
            "title": f"Log a disruption of {operation.reference}",
            "breadcrumbs": _crumbs((operation.reference, _operation_url(operation)), ("Log a disruption", "")),
            "intro": "Graded on the NCA's national disruption scale. Someone other than the assessor reviews it.",
            "record": operation,
            "submit": "Log disruption",
        }

    return cached_edit_page(request, f"operations:disruption-add:{int(pk)}", page)


@require(perms=("operations.change_disruption",))
def disruption_edit(request, pk):
    # As `disruption_create_view`; a reviewed disruption sends the editor back every time, never kept.
    def page():
        disruption = _disruption(request, pk)
        mark_page(request, disruption)
        operation = disruption.operation
        if disruption.review_status not in (ReviewStatus.PENDING, ReviewStatus.CHALLENGED):
            messages.error(request, "A reviewed disruption can no longer be changed.")
            return redirect(_operation_url(operation))
        form = DisruptionForm(request.POST or None, instance=disruption)
        challenged = disruption.review_status == ReviewStatus.CHALLENGED
        return form, {
            "save": lambda f: disruption_update(
                disruption=f.instance, by=request.user, reason=f.cleaned_data["change_reason"]
            ),
            "success_url": _operation_url(operation),
            "success_message": "Disruption saved and sent for review.",
            "title": f"Change a disruption of {operation.reference}",
            "breadcrumbs": _crumbs((operation.reference, _operation_url(operation)), ("Change a disruption", "")),
            "intro": f"Challenged: {disruption.review_reason}" if challenged else "",
            "record": disruption,
        }

    return cached_edit_page(request, f"operations:disruption:{int(pk)}", page)


def _list_page(request, *, title: str, queue: bool):
    # Built once per reader, query string and day, then served from the cache (operations.views.cached).
    entry = cached.listing(request, "review-queue" if queue else "disruptions", lambda: _listing(request, queue))
    mark_page(request, *entry["markings"])
    log_access(
        request,
        AccessAction.CONSULT,
        object_type="operations.disruption",
        object_repr=f"{title}: {entry['count']} found",
        detail={"filters": LoggedFilters(entry["filters"]), "ids": entry["ids"]},
        marking=highest(*entry["markings"]) if entry["ids"] else "",
    )
    return render(
        request,
        "operations/disruption_list.html",
        {
            "filter_form": entry.get("form") or cached.DrawnForm(entry["form_html"]),
            "page": cached.page_of(entry, PAGE_SIZE),
            "disruptions": entry["ids"],
            "rows_html": mark_safe(entry["rows_html"]),  # noqa: S308 - written out escaped (operations.views.rows)
            "queue": queue,
            "title": title,
            "breadcrumbs": _crumbs((title, "")),
        },
    )


def _listing(request, queue: bool) -> dict:
    """What the list shows and logs, as plain values (kept in the cache when the filters were accepted)."""
    form = DisruptionFilterForm(request.GET or None)
    criteria = dict(form.criteria())
    if queue:
        criteria["review"] = ReviewStatus.PENDING
    # Only the columns the rows show (issue 12): not the reviewer, nor the whole operation and assessor.
    disruptions = (
        disruption_list(request.user, criteria).select_related(None).select_related("operation", "assessed_by")
    ).only(*DISRUPTION_COLUMNS, "operation", "assessed_by")
    page = counted_page(disruptions, request.GET.get("page"), size=PAGE_SIZE)  # rows and count: one query
    shown = list(page)
    operation_url, review_url = url_for_pk("operations:operation-detail"), url_for_pk("operations:disruption-review")
    for disruption in shown:
        disruption.may_review = queue and may_review(request.user, disruption)
        disruption.operation_url = operation_url(disruption.operation_id)
        disruption.review_url = review_url(disruption.pk) if disruption.may_review else ""
    entry = {
        "form_html": str(form),
        "count": page.paginator.count,
        "number": page.number,
        "rows_html": str(disruption_rows(shown, queue=queue)),
        "ids": [d.pk for d in shown],
        "shown": [(d.pk, d.operation.reference) for d in shown],
        "markings": [d.marking for d in shown],
        "filters": dict(form.summary()),
        "cacheable": not form.errors,
    }
    if form.errors:
        entry["form"] = form  # the error summary lists the refused filters (never kept)
    return entry


@require(perms=("operations.view_disruption",))
def disruption_list_view(request):
    return _list_page(request, title="Disruptions", queue=False)


@require(perms=("operations.review_disruption",))
def review_queue(request):
    return _list_page(request, title="Disruptions to review", queue=True)


@require(perms=("operations.review_disruption",))
def disruption_review_view(request, pk):
    # The review form before any input, per reader and day, from the page cache (mshtgov.pages.cached_edit_page):
    # a disruption the reader may not open answers 404 and nothing is kept; one they may not review (their own)
    # or not awaiting review sends them back every time, never kept; a sensitive one is logged on every view.
    def page():
        disruption = _disruption(request, pk)
        mark_page(request, disruption)
        operation = disruption.operation
        if not may_review(request.user, disruption):
            log_consult_if_sensitive(request, disruption)
            messages.error(request, "You assessed this disruption: someone else must review it.")
            return redirect("operations:review-queue")
        if disruption.review_status != ReviewStatus.PENDING:
            log_consult_if_sensitive(request, disruption)
            messages.error(request, "This disruption is not awaiting review.")
            return redirect(_operation_url(operation))
        form = ReviewForm(request.POST or None)
        intro = (
            f"{disruption.get_level_display()} disruption on {disruption.disrupted_on:%-d %B %Y} "
            f"({disruption.get_tactic_group_display()}, {disruption.get_pillar_display()}), assessed by "
            f"{disruption.assessed_by.get_full_name() or disruption.assessed_by.get_username()}. "
            f"Justification: {disruption.justification}"
        )
        return form, {
            "save": lambda f: disruption_review(
                disruption=disruption,
                decision=f.cleaned_data["decision"],
                reason=f.cleaned_data["reason"],
                new_level=f.cleaned_data["new_level"],
                by=request.user,
            ),
            "success_url": reverse("operations:review-queue"),
            "success_message": f"Review of the {operation.reference} disruption saved.",
            "consulted": consult_to_log(disruption),
            "title": f"Review a disruption of {operation.reference}",
            "breadcrumbs": _crumbs(
                ("Disruptions to review", reverse("operations:review-queue")), (f"Review: {operation.reference}", "")
            ),
            "intro": intro,
            "record": disruption,
            "submit": "Save review",
        }

    return cached_edit_page(request, f"operations:disruption-review:{int(pk)}", page)


@require(perms=("operations.view_disruption",))
def disruption_history(request, pk):
    def crumbs_of(disruption):
        back = _operation_url(disruption.operation)
        return back, _crumbs((disruption.operation.reference, back), ("Disruption history", ""))

    # The access check inside the cached build, as an operation's history (issue 15).
    return render_scoped_history(
        request, f"operations:disruption:{int(pk)}", lambda: _disruption(request, pk), crumbs_of
    )
