"""The register: the filtered, sorted, paged list of operations and its export."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from mshtgov.access import require
from mshtgov.audit import LoggedFilters, log_access
from mshtgov.exports import check_format, export_response
from mshtgov.marking import highest, mark_page
from mshtgov.models import AccessAction
from mshtgov.paging import counted_page
from mshtgov.records import url_for_pk
from operations.forms import OperationFilterForm
from operations.selectors import operation_list, units
from operations.views import cached
from operations.views.rows import OPERATION_COLUMNS, operation_rows

PAGE_SIZE = 25
EXPORT_LIMIT = 20_000


def _filters(request):
    return OperationFilterForm(request.GET or None, units=units())


@require(perms=("operations.view_operation",))
def operation_list_view(request):
    # Built once per reader, query string and day, then served from the cache (operations.views.cached).
    entry = cached.listing(request, "register", lambda: _register_page(request))
    mark_page(request, *entry["markings"])
    # Every view of the register is logged, hit or miss: who saw which operations, with which filters.
    log_access(
        request,
        AccessAction.SEARCH if entry["search"] else AccessAction.CONSULT,
        object_type="operations.operation",
        object_repr=f"Operations register: {entry['count']} found",
        detail={"filters": LoggedFilters(entry["filters"]), "ids": entry["ids"]},
        marking=highest(*entry["markings"]) if entry["ids"] else "",
    )
    return render(
        request,
        "operations/operation_list.html",
        {
            "filter_form": entry.get("form") or cached.DrawnForm(entry["form_html"]),
            "page": cached.page_of(entry, PAGE_SIZE),
            "rows_html": mark_safe(entry["rows_html"]),  # noqa: S308 - written out escaped (operations.views.rows)
            "may_add": request.user.has_perm("operations.add_operation"),
            "may_export": request.user.has_perm("operations.export_operation"),
            "may_import": request.user.has_perm("operations.import_operation"),
            "breadcrumbs": [("Operations", "")],
        },
    )


def _register_page(request) -> dict:
    """What the register's page shows and logs, as plain values (kept in the cache when the filters were
    accepted and nothing was typed)."""
    form = _filters(request)
    today = timezone.localdate()
    # Only the columns the rows show (issue 12), not the officer in charge the export names.
    operations = operation_list(request.user, form.criteria(), today).select_related(None).only(*OPERATION_COLUMNS)
    page = counted_page(operations, request.GET.get("page"), size=PAGE_SIZE)  # rows and count: one query
    shown = list(page.object_list)
    entry = {
        "form_html": str(form),
        "count": page.paginator.count,
        "number": page.number,
        "rows_html": str(operation_rows(shown, url_for_pk("operations:operation-detail"))),
        "ids": [op.pk for op in shown],
        "shown": [(op.pk, op.reference) for op in shown],
        "markings": [op.marking for op in shown],
        "search": bool(form.criteria().get("q")),
        "filters": dict(form.summary()),
        "cacheable": not form.errors,
    }
    if form.errors:
        entry["form"] = form  # the error summary lists the refused filters (never kept)
    return entry


EXPORT_HEADERS = [
    "Reference",
    "Title",
    "Status",
    "Opened",
    "Closed",
    "Lead unit",
    "Officer in charge",
    "PIP level",
    "Exploitation types",
    "County lines",
    "Adult victims",
    "Child victims",
    "Geography",
    "Countries",
    "Linked threats",
    "Agencies",
    "Priority",
    "Priority score",
    "Priority from",
    "Victims identified (adults)",
    "Victims identified (children)",
    "NRM referrals",
    "Duty to Notify",
    "Victims supported",
    "Suspects arrested",
    "Suspects charged",
    "Suspects convicted",
    "Accepted disruptions",
    "Debrief overdue",
    "Marking",
]


def _yes(value) -> str:
    return "Yes" if value else "No"


def _export_row(op) -> list:
    from operations.models import Outcome

    # Every operation gets an outcome row when added; an empty one stands in should one be missing.
    outcome = getattr(op, "outcome", None) or Outcome()
    return [
        op.reference,
        op.title,
        op.get_status_display(),
        op.opened_on,
        op.closed_on or "",
        op.lead_unit,
        op.officer_in_charge.get_full_name() or op.officer_in_charge.get_username(),
        op.get_oic_pip_level_display(),
        ", ".join(op.exploitation_labels),
        _yes(op.county_lines),
        _yes(op.adult_victims),
        _yes(op.child_victims),
        op.get_geography_display(),
        op.countries,
        op.threat_names,
        op.agencies,
        op.band_label,
        op.priority_score if op.priority_score is not None else "",
        op.get_priority_source_display() if op.priority_source else "",
        outcome.victims_adults,
        outcome.victims_children,
        outcome.nrm_referrals,
        outcome.dtn_submissions,
        outcome.victims_supported,
        outcome.suspects_arrested,
        outcome.suspects_charged,
        outcome.suspects_convicted,
        op.counted_disruptions,
        _yes(op.debrief_overdue),
        op.get_marking_display(),
    ]


@require(perms=("operations.view_operation", "operations.export_operation"))
def operation_export(request, fmt):
    from django.db.models import Count, Q

    from operations.models.vocabulary import COUNTED_REVIEWS

    check_format(fmt)
    form = _filters(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Correct the filters before exporting.")
        return redirect(f"{reverse('operations:operation-list')}?{request.GET.urlencode()}")
    operations = list(
        operation_list(request.user, form.criteria(), timezone.localdate())
        .select_related("outcome")
        .annotate(counted_disruptions=Count("disruptions", filter=Q(disruptions__review_status__in=COUNTED_REVIEWS)))[
            :EXPORT_LIMIT
        ]
    )
    return export_response(
        request,
        fmt,
        filename="operations-register",
        title="Operations register",
        headers=EXPORT_HEADERS,
        rows=[_export_row(op) for op in operations],
        marking=[op.marking for op in operations],
        filters=form.summary(),
        object_type="operations.operation",
        ids=[op.pk for op in operations],
    )
