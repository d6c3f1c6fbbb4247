"""Performance measures: list with the latest value against target, detail with the trend, values."""

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.history import render_history
from mshtgov.pages import form_page
from mshtgov.summaries import cached_summary
from strategy import charts
from strategy.forms import MeasureForm, MeasureValueForm
from strategy.models import Measure, MeasureValue, Rag
from strategy.models.common import RAG_COLOURS
from strategy.services import measure_value_save
from strategy.views.common import paginate

TREND_MONTHS = 36


def _crumbs(*more):
    return [("Strategy", reverse("strategy:index")), ("Performance", reverse("strategy:measure-list")), *more]


def _url(measure):
    return reverse("strategy:measure-detail", kwargs={"pk": measure.pk})


@require(perms=("strategy.view_measure", "strategy.view_measurevalue"))
def measure_list(request):
    latest = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("-period_start")
    measures = (
        Measure.objects.visible_to(request.user)
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_start=Subquery(latest.values("period_start")[:1]),
        )
        .order_by("-active", "pillar", "name")
    )
    page = paginate(request, measures)
    for measure in page.object_list:
        rag = Rag(measure.rag_for(measure.latest_value))
        measure.rag_label, measure.rag_colour = rag.label, RAG_COLOURS[rag]
    return render(
        request,
        "strategy/measure_list.html",
        {
            "page": page,
            "may_add": user_may(request.user, perms=("strategy.add_measure",)),
            "may_upload": user_may(request.user, perms=("strategy.add_measurevalue",)),
            "breadcrumbs": _crumbs()[:1] + [("Performance", "")],
        },
    )


@require(perms=("strategy.view_measure", "strategy.view_measurevalue"))
def measure_detail(request, pk):
    measure = get_visible_or_404(Measure.objects.visible_to(request.user), pk)
    since = timezone.localdate().replace(day=1) - relativedelta(months=TREND_MONTHS)
    values = list(measure.values.filter(period_start__gte=since).select_related("entered_by").order_by("period_start"))
    for value in values:
        value.measure = measure
        rag = Rag(value.rag)
        value.rag_label, value.rag_colour = rag.label, RAG_COLOURS[rag]
    return render(
        request,
        "strategy/measure_detail.html",
        {
            "measure": measure,
            "values": list(reversed(values)),
            # pygal takes longer to draw the chart than the page takes to query: keep it until data changes.
            "chart": cached_summary(
                f"strategy:measure-trend:{measure.pk}:{since.isoformat()}",
                lambda: charts.measure_trend_chart(measure, values),
                models=[Measure, MeasureValue],
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
            "may_add_value": user_may(request.user, perms=("strategy.add_measurevalue",)),
            "may_change_value": user_may(request.user, perms=("strategy.change_measurevalue",)),
            "breadcrumbs": _crumbs((measure.name, "")),
        },
    )


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
        form.save()
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
        measure_value_save(value=form.instance, by=request.user, reason=form.cleaned_data["change_reason"])
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
