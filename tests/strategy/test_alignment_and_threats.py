"""The 4P alignment matrix shows coverage and gaps; the threat register scores, orders and trends."""

from datetime import date

import pytest

from strategy.models import NationalStrategy, StrategyStatus, ThreatAssessment
from strategy.selectors.plans import alignment_matrix
from tests.strategy.factories import (
    ForceStrategyFactory,
    MeasureFactory,
    ObjectiveFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
)

pytestmark = pytest.mark.django_db


def test_alignment_matrix_finds_every_kind_of_gap(users):
    strategy = ForceStrategyFactory(status=StrategyStatus.APPROVED)
    spr = NationalStrategy.objects.get(short_name="SPR")
    owned = ObjectiveFactory(strategy=strategy, pillar="pursue", title="Charge more", owner=users["leader"])
    owned.national_strategies.add(spr)
    owned.measures.add(MeasureFactory())
    ObjectiveFactory(strategy=strategy, pillar="protect", title="Orphan objective")
    matrix = alignment_matrix(strategy)
    assert matrix.empty_pillars == ["Prevent", "Prepare"]
    assert spr not in matrix.unaligned_strategies
    assert {n.short_name for n in matrix.unaligned_strategies} == {"SOC", "NPS", "PRAP", "VAWG"}
    assert [o.title for o in matrix.objectives_without_measure] == ["Orphan objective"]
    assert [o.title for o in matrix.objectives_without_owner] == ["Orphan objective"]


def test_alignment_page_shows_gaps_and_links_objectives(client_for, users):
    strategy = ForceStrategyFactory(status=StrategyStatus.APPROVED)
    objective = ObjectiveFactory(strategy=strategy, pillar="prevent", title="Train frontline staff")
    objective.national_strategies.add(NationalStrategy.objects.get(short_name="VAWG"))
    body = client_for("secretary").get("/strategy/alignment/").content.decode()
    assert f'href="/strategy/objectives/{objective.pk}/"' in body
    assert "Pillars with no objective" in body and "Police Race Action Plan" in body


def test_force_can_add_a_national_strategy_that_then_appears_in_the_matrix(client_for):
    response = client_for("leader").post(
        "/strategy/national-strategies/new/",
        {
            "name": "Regional modern slavery plan",
            "short_name": "RMSP",
            "description": "",
            "order": "60",
            "active": "on",
        },
    )
    assert response.status_code == 302
    ForceStrategyFactory(status=StrategyStatus.APPROVED)
    assert "RMSP" in client_for("leader").get("/strategy/alignment/").content.decode()


def test_threat_list_orders_by_latest_priority(client_for, users):
    low = ThreatFactory(title="Low threat")
    high = ThreatFactory(title="High threat")
    ThreatAssessmentFactory(
        threat=low, assessed_on=date(2026, 1, 1), harm=1, likelihood=1, assessed_by=users["analyst"]
    )
    ThreatAssessmentFactory(
        threat=high, assessed_on=date(2026, 1, 1), harm=1, likelihood=1, assessed_by=users["analyst"]
    )
    ThreatAssessmentFactory(
        threat=high,
        assessed_on=date(2026, 3, 1),
        harm=5,
        likelihood=5,
        capacity=4,
        capability=4,
        assessed_by=users["analyst"],
    )
    body = client_for("pcc").get("/strategy/threats/").content.decode()
    assert body.index("High threat") < body.index("Low threat")
    assert "Very high" in body


def test_analyst_records_a_threat_assessment_and_sees_the_trend(client_for, users):
    threat = ThreatFactory(title="Car wash labour")
    ThreatAssessmentFactory(threat=threat, assessed_on=date(2026, 1, 1), assessed_by=users["analyst"])
    response = client_for("analyst").post(
        f"/strategy/threats/{threat.pk}/assess/",
        {
            "assessed_on": "2026-04-01",
            "harm": "5",
            "likelihood": "4",
            "confidence": "2",
            "capacity": "3",
            "capability": "2",
            "rationale": "New intelligence from partners.",
            "marking": "official",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "priority score 60 (High)" in body
    latest = ThreatAssessment.objects.filter(threat=threat).order_by("-assessed_on").first()
    assert (latest.priority_score, latest.band, latest.assessed_by) == (60, "high", users["analyst"])
    assert "Scores at each assessment" in body  # the trend table beside the chart


def test_two_assessments_on_the_same_day_are_refused(client_for, users):
    threat = ThreatFactory()
    ThreatAssessmentFactory(threat=threat, assessed_on=date(2026, 1, 1), assessed_by=users["analyst"])
    response = client_for("analyst").post(
        f"/strategy/threats/{threat.pk}/assess/",
        {
            "assessed_on": "2026-01-01",
            "harm": "5",
            "likelihood": "4",
            "confidence": "2",
            "capacity": "3",
            "capability": "2",
            "marking": "official",
        },
    )
    assert "already has an assessment on that date" in response.content.decode()
    assert threat.assessments.count() == 1


def test_heat_map_counts_each_threat_at_its_latest_scores(client_for, users):
    threat = ThreatFactory()
    ThreatAssessmentFactory(
        threat=threat, assessed_on=date(2025, 1, 1), harm=1, likelihood=1, assessed_by=users["analyst"]
    )
    ThreatAssessmentFactory(
        threat=threat, assessed_on=date(2026, 1, 1), harm=4, likelihood=2, assessed_by=users["analyst"]
    )
    response = client_for("coordinator").get("/strategy/threats/matrix/")
    rows = {row[0]: [cell.value for cell in row[1:]] for row in response.context["rows"]}
    assert rows["4 Substantial"][1] == 1  # likelihood 2
    assert rows["1 Negligible"][0] == 0  # the earlier assessment no longer counts
    # The cell opens the register filtered to what it counts.
    cell = response.context["rows"][1][2]  # harm 4 (rows run from the highest harm), likelihood 2
    listed = client_for("coordinator").get(cell.url).content.decode()
    assert 'data-result-count="1"' in listed and threat.title in listed
    assert "data:image/svg+xml;base64," in response.content.decode()


def test_sensitive_threat_raises_the_page_marking_and_is_logged(client_for, users):
    from mshtgov.models import AccessLog

    threat = ThreatFactory(marking="official-sensitive")
    body = client_for("pcc").get(f"/strategy/threats/{threat.pk}/").content.decode()
    assert body.count("OFFICIAL-SENSITIVE") >= 2
    assert AccessLog.objects.filter(object_id=str(threat.pk), username="pcc", action="consult").exists()
    listing = client_for("pcc").get("/strategy/threats/").content.decode()
    assert "app-marking--sensitive" in listing


def test_an_unreadable_filter_date_is_named_in_an_error_summary_linking_to_its_box(client_for):
    """GOV.UK: a problem with a filter is listed at the top of the page, linking to the box at fault."""
    response = client_for("analyst").get(
        "/strategy/threats/", {"as_of-day": "31", "as_of-month": "2", "as_of-year": "2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = body[body.index('class="govuk-error-summary"') : body.index("<h1")]
    assert 'href="#id_as_of-day"' in summary
    assert "Assessed as of must be a real date" in summary
