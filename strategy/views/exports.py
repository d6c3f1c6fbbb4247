"""Exports of the strategy registers through the core exporter: the threat register with each threat's
latest assessment, the measures with every value, and one self-assessment's answers. Every internal role
that holds the view permissions reads every row of these registers, so each may export them."""

from django.db.models import F

from mshtgov.access import get_visible_or_404, require
from mshtgov.exports import check_format, export_response
from strategy.models import Assessment, Measure, MeasureValue, Threat
from strategy.views.threats import ThreatFilterForm


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


THREAT_HEADERS = [
    "Threat",
    "Category",
    "Level",
    "Owner",
    "Review date",
    "Active",
    "Latest assessment on",
    "Harm",
    "Likelihood",
    "Priority score",
    "Priority band",
    "Marking",
    "Description",
]


@require(perms=("strategy.view_threat", "strategy.view_threatassessment"))
def threat_export(request, fmt):
    check_format(fmt)
    form = ThreatFilterForm(request.GET or None)
    threats = (
        Threat.objects.visible_to(request.user)
        .with_latest()
        .select_related("owner")
        .order_by("-active", F("latest_score").desc(nulls_last=True), "title")
    )
    if form.is_valid():
        threats = form.apply(threats)
    threats = list(threats)
    rows = [
        [
            t.title,
            t.get_category_display(),
            t.get_level_display(),
            _name(t.owner),
            t.review_date or "",
            t.active,
            t.latest_on or "",
            t.latest_harm if t.latest_harm is not None else "",
            t.latest_likelihood if t.latest_likelihood is not None else "",
            t.latest_score if t.latest_score is not None else "",
            t.latest_band or "",
            t.get_marking_display(),
            t.description,
        ]
        for t in threats
    ]
    return export_response(
        request,
        fmt,
        filename="threat-register",
        title="Threat register",
        headers=THREAT_HEADERS,
        rows=rows,
        marking=[t.marking for t in threats],
        filters={k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {},
        object_type="strategy.threat",
        ids=[t.pk for t in threats],
    )


MEASURE_HEADERS = [
    "Measure code",
    "Measure",
    "Pillar",
    "Unit",
    "Direction",
    "Target",
    "Frequency",
    "Period start",
    "Period end",
    "Value",
    "Note",
    "Entered by",
    "Data source",
]


@require(perms=("strategy.view_measure", "strategy.view_measurevalue"))
def measure_export(request, fmt):
    """Every value of every measure the user may see, one row a value, oldest period first per measure."""
    check_format(fmt)
    measures = Measure.objects.visible_to(request.user)
    values = list(
        MeasureValue.objects.visible_to(request.user)
        .filter(measure__in=measures)
        .select_related("measure", "entered_by")
        .order_by("measure__pillar", "measure__name", "period_start")
    )
    rows = [
        [
            v.measure.code,
            v.measure.name,
            v.measure.get_pillar_display(),
            v.measure.get_unit_display(),
            v.measure.get_direction_display(),
            v.measure.target if v.measure.target is not None else "",
            v.measure.get_frequency_display(),
            v.period_start,
            v.period_end,
            v.value,
            v.note,
            _name(v.entered_by),
            v.measure.data_source,
        ]
        for v in values
    ]
    return export_response(
        request,
        fmt,
        filename="measures-and-values",
        title="Measures and values",
        headers=MEASURE_HEADERS,
        rows=rows,
        marking=None,  # measures carry no marking of their own: the file is marked at the site default
        filters={},
        object_type="strategy.measurevalue",
        ids=[v.pk for v in values],
    )


ANSWER_HEADERS = [
    "Theme",
    "Reference",
    "Guidance heading",
    "Requirement",
    "Status",
    "Evidence",
    "Owner",
    "Objectives cited",
    "Measures cited",
    "Threats cited",
    "Marking",
]


@require(perms=("strategy.view_assessment", "strategy.view_requirementassessment"))
def assessment_export(request, pk, fmt):
    check_format(fmt)
    assessment = get_visible_or_404(Assessment.objects.visible_to(request.user).select_related("framework"), pk)
    answers = list(
        assessment.answers.select_related("requirement", "owner")
        .prefetch_related("evidence_objectives", "evidence_measures", "evidence_threats")
        .order_by("requirement__order")
    )
    rows = [
        [
            a.requirement.get_theme_display(),
            a.requirement.reference,
            a.requirement.heading,
            a.requirement.text,
            a.get_status_display(),
            a.evidence,
            _name(a.owner),
            "; ".join(o.title for o in a.evidence_objectives.all()),
            "; ".join(m.name for m in a.evidence_measures.all()),
            "; ".join(t.title for t in a.evidence_threats.all()),
            a.get_marking_display(),
        ]
        for a in answers
    ]
    return export_response(
        request,
        fmt,
        filename=f"self-assessment-{assessment.pk}-answers",
        title="Self-assessment answers",
        headers=ANSWER_HEADERS,
        rows=rows,
        marking=[assessment.marking, *[a.marking for a in answers]],
        filters={"assessment": assessment.pk},
        object_type="strategy.requirementassessment",
        ids=[a.pk for a in answers],
    )
