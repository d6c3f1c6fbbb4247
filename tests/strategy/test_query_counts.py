"""Every list and detail page of the app runs the same number of queries with more data."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from strategy.models import RequirementStatus, StrategyStatus
from tests.querycount import assert_constant_queries
from tests.strategy.factories import (
    ForceStrategyFactory,
    MeasureFactory,
    MeasureValueFactory,
    ObjectiveFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
    start_assessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    from types import SimpleNamespace

    # The approved version is the newest: the superseded ones grow() adds are older versions of earlier years,
    # as approval leaves them (a superseded version numbered above the approved one cannot happen, and would be
    # the version in force).
    strategy = ForceStrategyFactory(status=StrategyStatus.APPROVED, version=1000)
    # One of everything from the start: a prefetch over an empty list runs no query at all.
    ObjectiveFactory(strategy=strategy).national_strategies.set([1])
    threat = ThreatFactory()
    measure = MeasureFactory(frequency="monthly")
    assessment = start_assessment(users["leader"])
    previous = start_assessment(users["leader"], title="Earlier", start=date(2025, 4, 1), end=date(2026, 3, 31))
    w = SimpleNamespace(
        strategy=strategy, threat=threat, measure=measure, assessment=assessment, previous=previous, users=users, n=0
    )

    def grow():
        w.n += 1
        for i in range(3):
            objective = ObjectiveFactory(
                strategy=strategy, pillar=("pursue", "prevent", "protect")[i], owner=users["analyst"]
            )
            objective.national_strategies.set([1, 2])
            objective.measures.add(measure)
            objective.threats.add(threat)
            other = ThreatFactory(owner=users["leader"])
            ThreatAssessmentFactory(threat=other, assessed_on=date(2026, 1, 1 + i), assessed_by=users["analyst"])
            ThreatAssessmentFactory(threat=threat, assessed_on=date(2024 + w.n, 2, 1 + i), assessed_by=users["analyst"])
            extra = MeasureFactory()
            start = date(2024, 1, 1) + relativedelta(months=3 * w.n + i)
            MeasureValueFactory(
                measure=extra,
                period_start=start,
                period_end=start + relativedelta(months=1, days=-1),
                entered_by=users["analyst"],
            )
            MeasureValueFactory(
                measure=measure,
                period_start=start,
                period_end=start + relativedelta(months=1, days=-1),
                entered_by=users["leader"],
            )
        for answer in assessment.answers.all()[: 5 * w.n]:
            answer.status = RequirementStatus.NOT_MET
            answer.owner = users["analyst"]
            answer.save()
            answer.evidence_measures.add(measure)
        ForceStrategyFactory(
            status=StrategyStatus.SUPERSEDED,
            version=100 + w.n,
            period_start=date(2010 + w.n, 4, 1),
            period_end=date(2011 + w.n, 3, 31),
        )
        start_assessment(
            users["leader"], title=f"Another {w.n}", start=date(2020 + w.n, 4, 1), end=date(2021 + w.n, 3, 31)
        )

    w.grow = grow
    return w


PAGES = [
    lambda w: "/strategy/",
    lambda w: "/strategy/alignment/",
    lambda w: "/strategy/versions/",
    lambda w: f"/strategy/versions/{w.strategy.pk}/",
    lambda w: f"/strategy/versions/{w.strategy.pk}/history/",
    lambda w: "/strategy/national-strategies/",
    lambda w: "/strategy/threats/",
    lambda w: f"/strategy/threats/{w.threat.pk}/",
    lambda w: "/strategy/measures/",
    lambda w: f"/strategy/measures/{w.measure.pk}/",
    lambda w: "/strategy/self-assessment/",
    lambda w: f"/strategy/self-assessment/{w.assessment.pk}/",
    lambda w: f"/strategy/self-assessment/compare/?earlier={w.previous.pk}&later={w.assessment.pk}",
    lambda w: f"/strategy/answers/{w.assessment.answers.first().pk}/",
    lambda w: f"/strategy/self-assessment/frameworks/{w.assessment.framework_id}/",
]


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_page_runs_constant_queries(client_for, world, page):
    url = PAGES[page](world)
    assert_constant_queries(client_for("leader"), url, world.grow)


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/", "/strategy/threats/matrix/"])
def test_cached_pages_run_constant_queries_cold_and_warm(client_for, world, url):
    """Cold: figures computed (cache empty). Warm: figures read from the cache. Both constant."""
    from django.core.cache import cache

    client = client_for("leader")
    client.get(url)
    cache.clear()
    cold_small = _count(client, url)
    warm_small = _count(client, url)
    world.grow()
    cache.clear()
    cold_large = _count(client, url)
    warm_large = _count(client, url)
    assert cold_small == cold_large
    assert warm_small == warm_large
    assert warm_large < cold_large


def test_objective_detail_runs_constant_queries(client_for, world, users):
    """The objective's national strategies, threats and measures are listed whatever their number."""
    objective = ObjectiveFactory(strategy=world.strategy, owner=users["analyst"])
    objective.national_strategies.set([1])
    objective.threats.add(world.threat)
    objective.measures.add(world.measure)

    def grow():
        objective.national_strategies.add(2, 3)
        for _ in range(3):
            objective.threats.add(ThreatFactory(owner=users["leader"]))
            objective.measures.add(MeasureFactory())

    assert_constant_queries(client_for("leader"), f"/strategy/objectives/{objective.pk}/", grow)
    assert objective.threats.count() == 4 and objective.measures.count() == 4
