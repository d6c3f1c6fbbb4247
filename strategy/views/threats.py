"""The threat register: list (filterable), heat map, detail with trend, create, edit, assess, history."""

from django import forms
from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from mshtgov import page_cache, scoring
from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.audit import consult_to_log
from mshtgov.figures import VALUE, Figure
from mshtgov.forms import DateInput, GovukForm
from mshtgov.history import render_history
from mshtgov.marking import mark_page
from mshtgov.pages import cached_edit_page, form_page
from mshtgov.summaries import cached_summary
from strategy import charts
from strategy.forms import ThreatAssessmentForm, ThreatForm
from strategy.models import Threat, ThreatAssessment, ThreatCategory, ThreatLevel
from strategy.selectors.threats import heat_map_counts, latest_scored, rose_since, threat_score_key
from strategy.services import threat_assessment_create
from strategy.views import cached
from strategy.views.common import PAGE_SIZE, paginate


class ThreatFilterForm(GovukForm):
    category = forms.ChoiceField(choices=[("", "All categories"), *ThreatCategory.choices], required=False)
    level = forms.ChoiceField(choices=[("", "All levels"), *ThreatLevel.choices], required=False)
    band = forms.ChoiceField(choices=[("", "All bands"), *scoring.BAND_CHOICES], required=False, label="Priority band")
    # A heat-map cell's drill-down: active threats whose latest assessment on or before `as_of` scored
    # this harm and likelihood (the rule of `heat_map_counts`).
    harm = forms.TypedChoiceField(
        choices=[("", "Any harm"), *scoring.SCALES["harm"]], coerce=int, required=False, empty_value=None
    )
    likelihood = forms.TypedChoiceField(
        choices=[("", "Any likelihood"), *scoring.SCALES["likelihood"]], coerce=int, required=False, empty_value=None
    )
    as_of = forms.DateField(
        required=False,
        label="Assessed as of",
        help_text="Active threats, by their latest assessment on or before this day.",
        widget=DateInput(),
    )
    rose_since = forms.DateField(
        required=False,
        label="Priority rose since",
        help_text="Active threats scored higher now than on this day (the dashboard's attention list links here).",
        widget=DateInput(),
    )

    def apply(self, threats):
        data = self.cleaned_data
        if data.get("harm"):
            threats = threats.filter(latest_harm=data["harm"])
        if data.get("likelihood"):
            threats = threats.filter(latest_likelihood=data["likelihood"])
        if data.get("rose_since"):
            threats = threats.filter(pk__in=rose_since(data["rose_since"]).values("pk"))
        if data.get("category"):
            threats = threats.filter(category=data["category"])
        if data.get("level"):
            threats = threats.filter(level=data["level"])
        if data.get("band"):
            threats = threats.filter(latest_band=data["band"])
        return threats


def _crumbs(*more):
    return [("Strategy", reverse("strategy:index")), ("Threats", reverse("strategy:threat-list")), *more]


def _url(threat):
    return reverse("strategy:threat-detail", kwargs={"pk": threat.pk})


@require(perms=("strategy.view_threat",))
def threat_list(request):
    # Built once per reader, query string and day, then served from the cache until anything it read changes
    # (mshtgov.page_cache); refused filters are built afresh every time, never kept.
    entry = page_cache.listing(request, "strategy:threats", lambda: _list_page(request))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "strategy/threat_list.html",
        {
            "page": page_cache.page_of(entry, PAGE_SIZE),
            "filter_form": entry.get("form") or page_cache.DrawnForm(""),  # its errors, for the error summary
            "filters_html": mark_safe(entry["filters_html"]),  # noqa: S308 - drawn by strategy/threat_filters.html
            "rows_html": mark_safe(entry["rows_html"]),  # noqa: S308 - drawn by strategy/threat_rows.html
            "may_add": user_may(request.user, perms=("strategy.add_threat",)),
            "breadcrumbs": _crumbs()[:1] + [("Threats", "")],
        },
    )


def _list_page(request) -> dict:
    """What the register's page shows, as plain values (kept when the filters were accepted)."""
    form = ThreatFilterForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    threats = (
        latest_scored(as_of, Threat.objects.visible_to(request.user))
        .select_related("owner")
        .order_by("-active", F("latest_score").desc(nulls_last=True), "title")
    )
    if form.is_valid():
        threats = form.apply(threats)
    page = paginate(request, threats)
    shown = list(page.object_list)
    entry = {
        "filters_html": str(render_to_string("strategy/threat_filters.html", {"filter_form": form})),
        "count": page.paginator.count,
        "number": page.number,
        "rows_html": str(render_to_string("strategy/threat_rows.html", {"threats": shown})),
        "shown": [(t.pk, t.title) for t in shown],
        "markings": [t.marking for t in shown],
        "cacheable": not form.errors,
    }
    if form.errors:
        entry["form"] = form  # the error summary lists the refused filters (never kept)
    return entry


@require(perms=("strategy.view_threat", "strategy.view_threatassessment"))
def threat_matrix(request):
    # Drawn once per reader and day and served from the cache until a threat or an assessment changes
    # (strategy.views.cached): the heat map's table and lists cost several times the page around them.
    entry = cached.record_entry(request, "strategy:threat-matrix", "strategy/threat_matrix_body.html", _matrix_page)
    title = "Threats by harm and likelihood"
    return cached.render_entry(request, entry, title=title, breadcrumbs=_crumbs(("Harm and likelihood", "")))


def _matrix_page(drawing) -> tuple[dict, dict]:
    def compute():
        cells = heat_map_counts()
        return cells, charts.heat_map(cells)

    (cells, chart), as_of = cached_summary("strategy:heat-map:latest", compute, models=[Threat, ThreatAssessment])
    headers, rows = charts.heat_map_table(cells)
    listed = sorted(
        ((harm, likelihood, threats) for (harm, likelihood), threats in cells.items()),
        key=lambda c: (-c[0] * c[1], -c[0]),
    )
    mark_page(drawing.request, Threat.objects.active())
    context = {
        "chart": chart,
        "as_of": as_of,
        "headers": headers,
        "rows": rows,
        "listed": listed,
        "scheme_name": scoring.SCHEME_NAME,
        "scales": [(scoring.DIMENSION_LABELS[name], scoring.SCALES[name]) for name in scoring.SCALES],
        "bands": scoring.BANDS,
    }
    return context, {}


@require(perms=("strategy.view_threat", "strategy.view_threatassessment"))
def threat_detail(request, pk):
    # Drawn once per reader and day, served from the cache until anything it read changes; a threat the reader
    # may not open answers 404 and nothing is kept; a sensitive one is logged on every view, hit or miss.
    entry = cached.record_entry(
        request, f"strategy:threat:{int(pk)}", "strategy/threat_detail_body.html", lambda d: _detail_page(d, pk)
    )
    return cached.render_entry(request, entry, title=entry["title"], breadcrumbs=_crumbs((entry["title"], "")))


def _detail_page(drawing, pk) -> tuple[dict, dict]:
    request = drawing.request
    threat = get_visible_or_404(Threat.objects.visible_to(request.user).select_related("owner"), pk)
    drawing.show(threat)
    assessments = list(threat.assessments.select_related("assessed_by").order_by("-assessed_on", "-id"))
    mark_page(request, *assessments)
    latest = assessments[0] if assessments else None
    chart = None
    if len(assessments) > 1:
        chart, _as_of = cached_summary(
            f"strategy:threat-trend:{threat.pk}",
            lambda: charts.threat_trend_chart(threat, assessments),
            models=[Threat, ThreatAssessment],
        )
    context = {
        "threat": threat,
        "assessments": assessments,
        "latest": latest,
        "chart": chart,
        "trend_headers": [
            "Assessed on",
            "Harm",
            "Likelihood",
            "Confidence",
            "Capacity",
            "Capability",
            "Priority score",
            "Band",
        ],
        "trend_rows": [
            [
                f"{a.assessed_on:%-d %B %Y}",
                a.harm,
                a.likelihood,
                a.confidence,
                a.capacity,
                a.capability,
                Figure(key=threat_score_key(threat.pk, a.assessed_on), value=a.priority_score, kind=VALUE),
                a.get_band_display(),
            ]
            for a in assessments
        ],
        "objectives": list(threat.objectives.select_related("strategy")),
        "may_edit": user_may(request.user, perms=("strategy.change_threat",)),
        "may_assess": user_may(request.user, perms=("strategy.add_threatassessment",)),
    }
    return context, {"title": str(threat)}


@require(perms=("strategy.add_threat",))
def threat_create(request):
    form = ThreatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        threat = form.save()
        messages.success(request, f"Threat “{threat}” added. Assess it to give it a priority.")
        return redirect("strategy:threat-detail", pk=threat.pk)
    return form_page(request, form, title="Add a threat", breadcrumbs=_crumbs(("Add", "")))


@require(perms=("strategy.change_threat",))
def threat_edit(request, pk):
    # The form before any input, per reader and day, from the page cache (mshtgov.pages.cached_edit_page): a
    # threat the reader may not open answers 404 and nothing is kept; a sensitive one is logged on every view.
    def page():
        threat = get_visible_or_404(Threat.objects.visible_to(request.user).select_related("owner"), pk)
        mark_page(request, threat)
        form = ThreatForm(request.POST or None, instance=threat)
        return form, {
            "save": lambda f: f.save(),  # a ValidationError: saved by someone else meanwhile
            "success_url": _url(threat),
            "success_message": "Threat saved.",
            "consulted": consult_to_log(threat),
            "title": f"Change {threat}",
            "record": threat,
            "breadcrumbs": _crumbs((threat.title, _url(threat)), ("Change", "")),
        }

    return cached_edit_page(request, f"strategy:threat:{int(pk)}", page)


@require(perms=("strategy.add_threatassessment",))
def threat_assess(request, pk):
    # As `threat_edit`: the blank assessment form from the reader's page cache, one entry per threat and day.
    def page():
        threat = get_visible_or_404(Threat.objects.visible_to(request.user).select_related("owner"), pk)
        mark_page(request, threat)
        form = ThreatAssessmentForm(request.POST or None, threat=threat)
        return form, {
            "save": lambda f: _assess(request, threat, f.cleaned_data),
            "success_url": _url(threat),
            "success_message": lambda assessment: (
                f"Assessment saved: priority score {assessment.priority_score} ({assessment.get_band_display()})."
            ),
            "consulted": consult_to_log(threat),
            "title": f"Assess {threat}",
            "intro": scoring.SCHEME_NAME,
            "breadcrumbs": _crumbs((threat.title, _url(threat)), ("Assess", "")),
        }

    return cached_edit_page(request, f"strategy:threat-assess:{int(pk)}", page)


def _assess(request, threat, data):
    return threat_assessment_create(
        threat=threat,
        by=request.user,
        assessed_on=data["assessed_on"],
        harm=data["harm"],
        likelihood=data["likelihood"],
        confidence=data["confidence"],
        capacity=data["capacity"],
        capability=data["capability"],
        rationale=data["rationale"],
        marking=data["marking"],
    )


@require(perms=("strategy.view_threat",))
def threat_history(request, pk):
    threat = get_visible_or_404(Threat.objects.visible_to(request.user).select_related("owner"), pk)
    return render_history(
        request, threat, back_url=_url(threat), breadcrumbs=_crumbs((threat.title, _url(threat)), ("History", ""))
    )
