"""Objectives through their forms (links to national strategies, threats and measures kept; history
written), and the demo seeder (idempotent, scaled)."""

import re
from datetime import date

import pytest

from strategy.models import (
    Assessment,
    ForceStrategy,
    MeasureValue,
    NationalStrategy,
    Objective,
    StrategyStatus,
    Threat,
    ThreatAssessment,
)
from tests.strategy.factories import ForceStrategyFactory, MeasureFactory, ObjectiveFactory, ThreatFactory

pytestmark = pytest.mark.django_db


def test_leader_adds_an_objective_with_its_links(client_for, users):
    draft = ForceStrategyFactory(version=1)
    threat = ThreatFactory(title="County lines into market towns")
    measure = MeasureFactory(name="Charges")
    spr = NationalStrategy.objects.get(short_name="SPR")
    response = client_for("leader").post(
        f"/strategy/versions/{draft.pk}/objectives/new/",
        {
            "pillar": "pursue",
            "title": "Disrupt county lines",
            "owner": users["analyst"].pk,
            "rag": "amber",
            "status_note": "Two lines closed",
            "status_date": "2026-06-30",
            "due_date": "2027-03-31",
            "national_strategies": [spr.pk],
            "threats": [threat.pk],
            "measures": [measure.pk],
            "marking": "official",
        },
    )
    assert response.status_code == 302
    objective = Objective.objects.get(title="Disrupt county lines")
    assert (objective.strategy, objective.owner, objective.rag) == (draft, users["analyst"], "amber")
    assert list(objective.national_strategies.all()) == [spr]
    assert list(objective.threats.all()) == [threat] and list(objective.measures.all()) == [measure]
    page = client_for("pcc").get(f"/strategy/objectives/{objective.pk}/").content.decode()
    assert "County lines into market towns" in page and "Strategic Policing Requirement" in page


def test_status_note_needs_its_date(client_for):
    draft = ForceStrategyFactory(version=1)
    response = client_for("leader").post(
        f"/strategy/versions/{draft.pk}/objectives/new/",
        {"pillar": "prevent", "title": "Train staff", "rag": "green", "status_note": "On track", "marking": "official"},
    )
    assert "Enter the date the status note describes." in response.content.decode()
    assert not Objective.objects.exists()


def test_rag_change_is_in_the_objectives_history(client_for):
    strategy = ForceStrategyFactory(version=1, status=StrategyStatus.APPROVED)
    objective = ObjectiveFactory(strategy=strategy, title="Train staff", pillar="prevent", rag="green")
    leader = client_for("leader")
    page = leader.get(f"/strategy/objectives/{objective.pk}/change/").content.decode()
    seen = re.search(r'name="seen_version" value="([^"]+)"', page).group(1)
    response = leader.post(
        f"/strategy/objectives/{objective.pk}/change/",
        {
            "pillar": "prevent",
            "title": "Train staff",
            "rag": "red",
            "marking": "official",
            "change_reason": "Course cancelled twice",
            "seen_version": seen,
        },
    )
    assert response.status_code == 302
    history = leader.get(f"/strategy/objectives/{objective.pk}/history/").content.decode()
    assert "Course cancelled twice" in history and "Red" in history and "Green" in history


def test_objectives_cannot_be_added_to_an_approved_version(client_for):
    approved = ForceStrategyFactory(version=1, status=StrategyStatus.APPROVED)
    response = client_for("leader").get(f"/strategy/versions/{approved.pk}/objectives/new/", follow=True)
    assert "Objectives are added to a draft version" in response.content.decode()


def _seed(users, scale):
    from mshtgov.demo import DemoContext
    from strategy.demo import seed

    ctx = DemoContext(scale=scale, users=users, today=date(2026, 11, 28), log=lambda *_: None)
    seed(ctx)
    return ctx


def _counts():
    return (
        ForceStrategy.objects.count(),
        Objective.objects.count(),
        Threat.objects.count(),
        ThreatAssessment.objects.count(),
        MeasureValue.objects.count(),
        Assessment.objects.count(),
    )


def test_demo_seeder_is_idempotent_and_plausible(users):
    _seed(users, 1)
    first = _counts()
    _seed(users, 1)
    assert _counts() == first
    assert ForceStrategy.objects.filter(status=StrategyStatus.APPROVED).count() == 1
    assert ForceStrategy.objects.filter(status=StrategyStatus.DRAFT).count() == 1
    assert Assessment.objects.filter(status="signed_off").count() == 2
    # Three years of quarterly threat assessments.
    assert ThreatAssessment.objects.filter(threat=Threat.objects.first()).count() == 12


def test_demo_seeder_scales(users):
    _seed(users, 1)
    small = _counts()
    _seed(users, 3)
    large = _counts()
    assert large[2] > small[2] and large[3] > small[3] and large[4] > small[4]
