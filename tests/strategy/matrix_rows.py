"""Who may use each strategy page. Readers: every internal role. Writers: see StrategyConfig grants.
External partners hold nothing in this app (403 everywhere)."""

from datetime import date

from strategy.models import AssessmentStatus, RequirementStatus, StrategyStatus
from tests.matrix import INTERNAL, Row, allow
from tests.strategy.factories import (
    ForceStrategyFactory,
    MeasureFactory,
    MeasureValueFactory,
    ObjectiveFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
    start_assessment,
)

LEADERS = ("leader", "admin")
ANALYSTS = ("leader", "analyst", "admin")
MISSING = 999999


def build(world):
    leader = world.users["leader"]
    world.approved = ForceStrategyFactory(status=StrategyStatus.APPROVED, version=1)
    world.draft = ForceStrategyFactory(status=StrategyStatus.DRAFT, version=2)
    world.objective = ObjectiveFactory(strategy=world.approved)
    world.threat = ThreatFactory()
    ThreatAssessmentFactory(threat=world.threat, assessed_by=leader)
    world.measure = MeasureFactory(frequency="monthly")
    world.value = MeasureValueFactory(measure=world.measure, entered_by=leader)
    world.assessment = start_assessment(leader, title="Draft assessment")
    world.answer = world.assessment.answers.first()
    world.answer.status = RequirementStatus.NOT_MET
    world.answer.save()
    world.submitted = start_assessment(
        leader, title="Submitted assessment", start=date(2025, 4, 1), end=date(2026, 3, 31)
    )
    world.submitted.status = AssessmentStatus.SUBMITTED
    world.submitted.save()
    world.framework = world.assessment.framework


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


READ = allow(*INTERNAL)
READ_MISSING = allow(*INTERNAL, ok=404)

ROWS = [
    Row("strategy:index", READ),
    Row("strategy:alignment", READ),
    Row("strategy:strategy-alignment", READ, kwargs=_pk("approved")),
    Row("strategy:strategy-list", READ),
    Row("strategy:strategy-create", allow(*LEADERS)),
    Row("strategy:strategy-create", allow(*LEADERS), method="post", id="invalid", data=lambda w: {"title": ""}),
    Row("strategy:strategy-detail", READ, kwargs=_pk("approved")),
    Row("strategy:strategy-detail", READ_MISSING, kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:strategy-edit", allow(*LEADERS), kwargs=_pk("draft")),
    Row("strategy:strategy-approve", allow(*LEADERS), kwargs=_pk("draft")),
    Row("strategy:strategy-approve", allow(*LEADERS, ok=302), kwargs=_pk("draft"), method="post", id="do"),
    Row("strategy:strategy-approve", allow(*LEADERS, ok=404), kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:strategy-new-version", allow(*LEADERS), kwargs=_pk("approved")),
    Row("strategy:strategy-history", READ, kwargs=_pk("approved")),
    Row("strategy:objective-create", allow(*LEADERS), kwargs=lambda w: {"strategy_pk": w.draft.pk}),
    Row("strategy:national-list", READ),
    Row("strategy:national-create", allow(*LEADERS)),
    Row("strategy:national-edit", allow(*LEADERS), kwargs=lambda w: {"pk": 1}),
    Row("strategy:objective-detail", READ, kwargs=_pk("objective")),
    Row("strategy:objective-detail", READ_MISSING, kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:objective-edit", allow(*LEADERS), kwargs=_pk("objective")),
    Row("strategy:objective-history", READ, kwargs=_pk("objective")),
    Row("strategy:threat-list", READ),
    Row("strategy:threat-matrix", READ),
    Row("strategy:threat-export", READ, kwargs=lambda w: {"fmt": "xlsx"}),
    Row("strategy:measure-export", READ, kwargs=lambda w: {"fmt": "csv"}),
    Row("strategy:assessment-export", READ, kwargs=lambda w: {"pk": w.assessment.pk, "fmt": "csv"}),
    Row("strategy:threat-create", allow(*ANALYSTS)),
    Row("strategy:threat-detail", READ, kwargs=_pk("threat")),
    Row("strategy:threat-detail", READ_MISSING, kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:threat-edit", allow(*ANALYSTS), kwargs=_pk("threat")),
    Row("strategy:threat-assess", allow(*ANALYSTS), kwargs=_pk("threat")),
    Row(
        "strategy:threat-assess",
        allow(*ANALYSTS, ok=302),
        kwargs=_pk("threat"),
        method="post",
        id="do",
        data=lambda w: {
            "assessed_on": "2026-06-01",
            "harm": "4",
            "likelihood": "4",
            "confidence": "2",
            "capacity": "3",
            "capability": "3",
            "rationale": "",
            "marking": "official",
        },
    ),
    Row("strategy:threat-history", READ, kwargs=_pk("threat")),
    Row("strategy:measure-list", READ),
    Row("strategy:measure-create", allow(*LEADERS)),
    Row("strategy:measure-upload", allow(*ANALYSTS)),
    Row("strategy:measure-upload-confirm", allow(*ANALYSTS, ok=302), method="post", data=lambda w: {"token": "x"}),
    Row("strategy:measure-detail", READ, kwargs=_pk("measure")),
    Row("strategy:measure-detail", READ_MISSING, kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:measure-edit", allow(*LEADERS), kwargs=_pk("measure")),
    Row("strategy:measure-history", READ, kwargs=_pk("measure")),
    Row("strategy:value-create", allow(*ANALYSTS), kwargs=_pk("measure")),
    Row("strategy:value-edit", allow(*ANALYSTS), kwargs=_pk("value")),
    Row("strategy:value-edit", allow(*ANALYSTS, ok=404), kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:value-history", READ, kwargs=_pk("value")),
    Row("strategy:assessment-list", READ),
    Row("strategy:assessment-start", allow(*LEADERS)),
    Row("strategy:assessment-compare", READ),
    Row("strategy:framework-detail", READ, kwargs=_pk("framework")),
    Row("strategy:assessment-detail", READ, kwargs=_pk("assessment")),
    Row("strategy:assessment-detail", READ_MISSING, kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:assessment-submit", allow(*ANALYSTS), kwargs=_pk("assessment")),
    Row("strategy:assessment-sign-off", allow(*LEADERS), kwargs=_pk("submitted")),
    Row("strategy:assessment-sign-off", allow(*LEADERS, ok=302), kwargs=_pk("submitted"), method="post", id="do"),
    Row("strategy:assessment-history", READ, kwargs=_pk("assessment")),
    Row("strategy:answer-detail", READ, kwargs=_pk("answer")),
    Row("strategy:answer-detail", READ_MISSING, kwargs=lambda w: {"pk": MISSING}, id="missing"),
    Row("strategy:answer-edit", allow(*ANALYSTS), kwargs=_pk("answer")),
    Row("strategy:answer-raise-action", allow(*ANALYSTS), kwargs=_pk("answer")),
    Row("strategy:answer-history", READ, kwargs=_pk("answer")),
    Row("strategy:answer-cite", allow(*ANALYSTS), kwargs=_pk("answer")),
    Row(
        "strategy:answer-uncite",
        allow(*ANALYSTS, ok=302),
        kwargs=lambda w: {"pk": w.answer.pk, "citation_pk": MISSING},
        method="post",
    ),
]
