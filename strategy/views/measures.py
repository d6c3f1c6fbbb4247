"""Performance measures: list with the latest value against target, detail with the trend, values."""

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from mshtgov import measure_sources, records
from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.history import render_history
from mshtgov.pages import apply_service_errors, form_page
from mshtgov.periods import period_from_query
from mshtgov.summaries import cached_summary
from strategy import charts
from strategy.forms import MeasureForm, MeasureValueForm
from strategy.models import Measure, MeasureValue, Rag
from strategy.models.common import RAG_COLOURS
from strategy.models.measures import derived_refusal
from strategy.selectors.measures import (
    cached_measures_against_target,
    derived_series,
    listed_statuses,
    measure_figure_key,
    measure_statuses,
    typed_page_values,
)
from strategy.services import measure_value_save
from strategy.views import cached
from strategy.views.common import paginate

TREND_MONTHS = 36


def _crumbs(*more):
    return [("Strategy", reverse("strategy:index")), ("Performance", reverse("strategy:measure-list")), *more]


def _url(measure):
    return reverse("strategy:measure-detail", kwargs={"pk": measure.pk})


@require(perms=("strategy.view_measure", "strategy.view_measurevalue"))
def measure_list(request):
    """Every measure; or, as the dashboard's figures link here, the active measures of one RAG status in a
    period (`?rag=red&start=...&end=...`), the stale ones (`?stale=yes`) or the active ones (`?active=yes`).
    Drawn once per reader, query string and day, and served from the cache until anything it read changes
    (`strategy.views.cached`)."""
    entry = cached.listing_entry(request, "strategy:measures", "strategy/measure_list_body.html", _list_page)
    return cached.render_entry(
        request, entry, title="Performance measures", breadcrumbs=_crumbs()[:1] + [("Performance", "")]
    )


def _list_page(drawing) -> tuple[dict, dict]:
    """The measure list's body as its template draws it."""
    request = drawing.request
    today = timezone.localdate()
    filters = {k: request.GET.get(k, "") for k in ("rag", "stale", "active")}
    filtered = filters["rag"] in Rag.values or filters["stale"] == "yes" or filters["active"] == "yes"
    period = period_from_query(request.GET, today)
    if filtered:
        rows = cached_measures_against_target(start=period.start, end=period.end, today=today)
        if filters["rag"] in Rag.values:
            rows = [r for r in rows if r["rag"] == filters["rag"]]
        if filters["stale"] == "yes":
            rows = [r for r in rows if r["stale_period"]]
        measures = sorted((r["measure"] for r in rows), key=lambda m: (m.pillar, m.name))
    else:
        measures = Measure.objects.visible_to(request.user).order_by("-active", "pillar", "name")
    page = paginate(request, measures)
    statuses = listed_statuses(page.object_list, today)
    for measure in page.object_list:
        status = statuses[measure.pk]
        rag = Rag(status.rag)
        measure.status, measure.rag_label, measure.rag_colour = status, rag.label, RAG_COLOURS[rag]
    context = {
        "page": page,
        "filtered": filtered,
        "filter_text": _filter_text(filters, period),
        "stale": sum(1 for s in statuses.values() if s.stale),
        "may_add": user_may(request.user, perms=("strategy.add_measure",)),
        "may_upload": user_may(request.user, perms=("strategy.add_measurevalue",)),
    }
    return context, {}


def _filter_text(filters, period) -> str:
    if filters["stale"] == "yes":
        return "Active measures with no value for their last complete period."
    if filters["rag"] in Rag.values:
        return (
            f"Active measures rated {Rag(filters['rag']).label.lower()} on their latest value "
            f"from {period.start:%-d %B %Y} to {period.end:%-d %B %Y}."
        )
    if filters["active"] == "yes":
        return "Active measures."
    return ""


@require(perms=("strategy.view_measure", "strategy.view_measurevalue"))
def measure_detail(request, pk):
    # Drawn once per reader and day, served from the cache until anything it read changes; a measure the
    # reader may not open answers 404 and is never kept.
    entry = cached.record_entry(
        request, f"strategy:measure:{int(pk)}", "strategy/measure_detail_body.html", lambda d: _detail_page(d, pk)
    )
    return cached.render_entry(request, entry, title=entry["title"], breadcrumbs=_crumbs((entry["title"], "")))


def _detail_page(drawing, pk) -> tuple[dict, dict]:
    """A measure's body as its template draws it, and its name (the title and the breadcrumbs)."""
    request = drawing.request
    measure = get_visible_or_404(Measure.objects.visible_to(request.user), pk)
    today = timezone.localdate()
    since = today.replace(day=1) - relativedelta(months=TREND_MONTHS)
    source = measure_sources.get(measure.code)
    if source is not None:
        values = derived_series(measure, start=since, end=today, today=today)
        status = measure_statuses([measure], today)[measure.pk]
    else:
        values, status = typed_page_values(measure, since, today)
    edit_url, history_url = records.url_for_pk("strategy:value-edit"), records.url_for_pk("strategy:value-history")
    for value in values:
        value.measure = measure
        value.figure_key = measure_figure_key(measure, value.period_start)
        rag = Rag(value.rag)
        value.rag_label, value.rag_colour = rag.label, RAG_COLOURS[rag]
        if source is None:  # typed values: each row links to its change form and history
            value.edit_url, value.history_url = edit_url(value.pk), history_url(value.pk)
    context = {
        "measure": measure,
        "source": source,
        "status": status,
        "status_key": measure_figure_key(measure, status.latest.period_start) if status.latest else "",
        "values": list(reversed(values)),
        # pygal takes longer to draw the chart than the page takes to query: keep it until data changes.
        "chart": cached_summary(
            f"strategy:measure-trend:{measure.pk}:{since.isoformat()}:{today.isoformat() if source else ''}",
            lambda: charts.measure_trend_chart(measure, values),
            models=[Measure, MeasureValue, *(source.model_classes() if source else [])],
        )[0]
        if values
        else None,
        "trend_headers": ["Period", "Value", "Target", "RAG"],
        "trend_rows": [
            [v.period_label, v.value, measure.target if measure.target is not None else "–", v.rag_label]
            for v in values
        ],
        "objectives": measure.objectives.select_related("strategy"),
        "may_edit": user_may(request.user, perms=("strategy.change_measure",)),
        "may_add_value": source is None and user_may(request.user, perms=("strategy.add_measurevalue",)),
        "may_change_value": user_may(request.user, perms=("strategy.change_measurevalue",)),
    }
    return context, {"title": measure.name}


@require(perms=("strategy.add_measure",))
def measure_create(request):
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        messages.success(request, f"Measure “{measure}” added.")
        return redirect("strategy:measure-detail", pk=measure.pk)
    return form_page(request, form, title="Add a measure", breadcrumbs=_crumbs(("Add", "")))


@require(perms=("strategy.change_measure",))
def measure_edit(request, pk):
    measure = get_visible_or_404(Measure.objects.visible_to(request.user), pk)
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:  # saved by someone else meanwhile
            apply_service_errors(form, error)
        else:
            messages.success(request, "Measure saved.")
            return redirect("strategy:measure-detail", pk=pk)
    return form_page(
        request,
        form,
        title=f"Change {measure}",
        record=measure,
        breadcrumbs=_crumbs((measure.name, _url(measure)), ("Change", "")),
    )


@require(perms=("strategy.view_measure",))
def measure_history(request, pk):
    measure = get_visible_or_404(Measure.objects.visible_to(request.user), pk)
    return render_history(
        request, measure, back_url=_url(measure), breadcrumbs=_crumbs((measure.name, _url(measure)), ("History", ""))
    )


@require(perms=("strategy.add_measurevalue",))
def value_create(request, pk):
    measure = get_visible_or_404(Measure.objects.visible_to(request.user), pk)
    if measure_sources.is_derived(measure.code):
        messages.error(request, derived_refusal(measure))
        return redirect("strategy:measure-detail", pk=pk)
    form = MeasureValueForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        value = measure_value_save(value=form.instance, by=request.user)
        messages.success(request, f"{measure} for {value.period_label}: {value.value} saved.")
        return redirect("strategy:measure-detail", pk=pk)
    return form_page(
        request,
        form,
        title=f"Add a value: {measure}",
        breadcrumbs=_crumbs((measure.name, _url(measure)), ("Add a value", "")),
    )


@require(perms=("strategy.change_measurevalue",))
def value_edit(request, pk):
    value = get_visible_or_404(
        MeasureValue.objects.visible_to(request.user).select_related("measure", "entered_by"), pk
    )
    measure = value.measure
    form = MeasureValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        try:
            measure_value_save(value=form.instance, by=request.user, reason=form.cleaned_data["change_reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{measure} for {value.period_label} saved.")
            return redirect("strategy:measure-detail", pk=measure.pk)
    return form_page(
        request,
        form,
        title=f"Change {measure} for {value.period_label}",
        record=value,
        breadcrumbs=_crumbs((measure.name, _url(measure)), ("Change a value", "")),
    )


@require(perms=("strategy.view_measurevalue",))
def value_history(request, pk):
    value = get_visible_or_404(
        MeasureValue.objects.visible_to(request.user).select_related("measure", "entered_by"), pk
    )
    return render_history(
        request,
        value,
        back_url=_url(value.measure),
        breadcrumbs=_crumbs((value.measure.name, _url(value.measure)), ("History", "")),
    )
