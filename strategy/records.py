"""What strategy tells the core about its records: how to name them and who may see them (`visible_to`),
so the golden thread, citations and bundles can show them. Objectives, threats and measures are cited
through the answer's own evidence lists, so only answers join the generic citations (as citers)."""

from django.urls import reverse

from mshtgov import records


def _describe_answer(answer):
    return records.Described(
        f"{answer.requirement.reference} in {answer.assessment}",
        answer.get_status_display(),
        answer.assessment.period_end,
        reverse("strategy:answer-detail", args=[answer.pk]),
    )


def _describe_objective(objective):
    return records.Described(
        objective.title,
        f"RAG: {objective.get_rag_display()}",
        objective.status_date,
        reverse("strategy:objective-detail", args=[objective.pk]),
    )


def _describe_threat(threat):
    return records.Described(threat.title, "", None, reverse("strategy:threat-detail", args=[threat.pk]))


def _describe_measure(measure):
    return records.Described(measure.name, "", None, reverse("strategy:measure-detail", args=[measure.pk]))


KINDS = [
    records.RecordKind(
        "strategy.requirementassessment",
        "self-assessment answer",
        "self-assessment answers",
        _describe_answer,
        select_related=("requirement", "assessment"),
        search_fields=("requirement__reference", "requirement__text"),
        citable=False,
        order=60,
        raises_actions=True,
    ),
    records.RecordKind(
        "strategy.objective",
        "objective",
        "objectives",
        _describe_objective,
        citable=False,
        order=70,
        search_fields=("title",),
        linkable_group="Objectives",
        name=lambda objective: objective.title,
    ),
    records.RecordKind(
        "strategy.threat",
        "threat",
        "threats",
        _describe_threat,
        citable=False,
        order=71,
        search_fields=("title",),
        linkable_group="Threats",
        name=lambda threat: threat.title,
    ),
    records.RecordKind(
        "strategy.measure",
        "measure",
        "measures",
        _describe_measure,
        citable=False,
        order=72,
        search_fields=("name",),
        linkable_group="Measures",
        name=lambda measure: measure.name,
    ),
]


def register() -> None:
    for kind in KINDS:
        records.register_kind(kind)
