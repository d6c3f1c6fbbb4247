"""Strategy records for tests. No randomness: tests say what they depend on."""

from datetime import date

import factory

from strategy.models import (
    Assessment,
    ForceStrategy,
    Framework,
    Measure,
    MeasureValue,
    Objective,
    Requirement,
    RequirementAssessment,
    StrategyStatus,
    Threat,
    ThreatAssessment,
    ThreatCategory,
    ThreatLevel,
)
from tests.factories import UserFactory


class ForceStrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForceStrategy

    title = "Test force MSHT strategy"
    version = factory.Sequence(lambda n: n + 1)
    period_start = date(2026, 4, 1)
    period_end = date(2027, 3, 31)
    status = StrategyStatus.DRAFT


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    strategy = factory.SubFactory(ForceStrategyFactory)
    pillar = "pursue"
    title = factory.Sequence(lambda n: f"Objective {n}")


class ThreatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Threat

    title = factory.Sequence(lambda n: f"Threat {n}")
    category = ThreatCategory.MSHT
    level = ThreatLevel.TACTICAL


class ThreatAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThreatAssessment

    threat = factory.SubFactory(ThreatFactory)
    assessed_on = factory.Sequence(lambda n: date(2026, 1, 1).replace(day=1 + n % 28))
    harm = 3
    likelihood = 3
    confidence = 2
    capacity = 2
    capability = 2
    assessed_by = factory.SubFactory(UserFactory)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    code = factory.Sequence(lambda n: f"test-measure-{n}")
    name = factory.Sequence(lambda n: f"Test measure {n}")
    definition = "Counted for tests."
    pillar = "pursue"
    data_source = "Tests"
    target = 10


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    period_start = date(2026, 1, 1)
    period_end = date(2026, 1, 31)
    value = 5
    entered_by = factory.SubFactory(UserFactory)


def framework():
    """The framework the data migration ships."""
    return Framework.objects.order_by("id").first()


def start_assessment(user, *, title="Assessment 2026", previous=None, start=date(2026, 4, 1), end=date(2027, 3, 31)):
    from strategy.services import assessment_start

    return assessment_start(
        framework=framework(), title=title, period_start=start, period_end=end, previous=previous, by=user
    )


def answer_all(assessment, status="met"):
    """Set every answer's status (a shortcut for tests; the app itself saves answers one by one)."""
    from mshtgov.summaries import bump

    RequirementAssessment.objects.filter(assessment=assessment).update(status=status)
    bump(RequirementAssessment)


__all__ = ["Assessment", "Requirement"]
