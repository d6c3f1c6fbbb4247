"""Force strategy versions: only a senior leader approves; approving supersedes the old version;
the warnings the dashboard shows; an edit that would overwrite a newer one is refused."""

import pytest
from django.core.exceptions import PermissionDenied

from strategy.models import ForceStrategy, PccSupport, StrategyStatus
from strategy.services import strategy_approve, strategy_new_version
from tests.strategy.factories import ForceStrategyFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def test_leader_approves_a_draft_and_the_old_version_is_superseded_but_readable(client_for):
    old = ForceStrategyFactory(version=1, status=StrategyStatus.APPROVED)
    draft = ForceStrategyFactory(version=2)
    response = client_for("leader").post(f"/strategy/versions/{draft.pk}/approve/")
    assert response.status_code == 302
    draft.refresh_from_db()
    old.refresh_from_db()
    assert draft.status == StrategyStatus.APPROVED and draft.approved_by.username == "leader"
    assert old.status == StrategyStatus.SUPERSEDED
    page = client_for("pcc").get(f"/strategy/versions/{old.pk}/")
    assert page.status_code == 200
    assert "Superseded" in page.content.decode()
    history = client_for("leader").get(f"/strategy/versions/{old.pk}/history/").content.decode()
    assert "Superseded by version 2" in history


@pytest.mark.parametrize("role", ["analyst", "pcc", "secretary", "coordinator", "partner"])
def test_only_a_senior_leader_can_approve(client_for, users, role):
    draft = ForceStrategyFactory(version=1)
    assert client_for(role).post(f"/strategy/versions/{draft.pk}/approve/").status_code == 403
    with pytest.raises(PermissionDenied):
        strategy_approve(strategy=draft, by=users[role])
    draft.refresh_from_db()
    assert draft.status == StrategyStatus.DRAFT


def test_approving_an_approved_version_again_is_refused_with_a_message(client_for):
    approved = ForceStrategyFactory(version=1, status=StrategyStatus.APPROVED)
    response = client_for("leader").post(f"/strategy/versions/{approved.pk}/approve/", follow=True)
    assert "Only a draft can be approved" in response.content.decode()


def test_new_version_copies_objectives_and_their_links(users):
    approved = ForceStrategyFactory(version=1, status=StrategyStatus.APPROVED)
    objective = ObjectiveFactory(strategy=approved, title="Charge more suspects")
    from strategy.models import NationalStrategy

    spr = NationalStrategy.objects.get(short_name="SPR")
    objective.national_strategies.add(spr)
    draft = strategy_new_version(source=approved, by=users["leader"])
    assert draft.version == 2 and draft.status == StrategyStatus.DRAFT
    copied = draft.objectives.get()
    assert copied.title == "Charge more suspects" and copied.pk != objective.pk
    assert list(copied.national_strategies.all()) == [spr]
    assert approved.objectives.count() == 1


def test_warnings_name_the_control_strategy_and_the_pcc():
    strategy = ForceStrategyFactory(
        msht_in_control_strategy=False, pcc_briefed_on=None, pcc_support=PccSupport.NOT_SOUGHT
    )
    warnings = " ".join(strategy.warnings())
    assert "not a priority in the force control strategy" in warnings
    assert "has not been briefed" in warnings
    strategy.msht_in_control_strategy, strategy.control_strategy_rank = True, 2
    strategy.pcc_briefed_on, strategy.pcc_support = strategy.period_start, PccSupport.GIVEN
    assert strategy.warnings() == []


def test_rank_is_required_when_msht_is_in_the_control_strategy(client_for):
    response = client_for("leader").post(
        "/strategy/versions/new/",
        {
            "title": "Strategy",
            "period_start": "2026-04-01",
            "period_end": "2027-03-31",
            "pcc_support": "not_sought",
            "msht_in_control_strategy": "on",
            "control_strategy_rank": "",
            "marking": "official",
        },
    )
    assert response.status_code == 200
    assert "Enter MSHT&#x27;s rank in the control strategy" in response.content.decode()
    assert not ForceStrategy.objects.exists()


def test_period_must_end_after_it_starts_and_values_are_kept(client_for):
    response = client_for("leader").post(
        "/strategy/versions/new/",
        {
            "title": "Backwards strategy",
            "period_start": "2027-04-01",
            "period_end": "2026-03-31",
            "pcc_support": "not_sought",
            "marking": "official",
        },
    )
    body = response.content.decode()
    assert "The period must end after it starts." in body
    assert 'value="Backwards strategy"' in body
    assert body.startswith("<!DOCTYPE html>") and "<title>Error: " in body


def test_second_editor_is_told_and_keeps_their_input(client_for):
    draft = ForceStrategyFactory(version=1, title="Original")
    leader = client_for("leader")
    form_page = leader.get(f"/strategy/versions/{draft.pk}/change/").content.decode()
    import re

    seen = re.search(r'name="seen_version" value="([^"]+)"', form_page).group(1)
    data = {
        "title": "First edit",
        "period_start": "2026-04-01",
        "period_end": "2027-03-31",
        "pcc_support": "not_sought",
        "marking": "official",
        "change_reason": "tidy",
        "seen_version": seen,
    }
    assert leader.post(f"/strategy/versions/{draft.pk}/change/", data).status_code == 302
    second = leader.post(f"/strategy/versions/{draft.pk}/change/", {**data, "title": "Second edit"})
    body = second.content.decode()
    assert second.status_code == 200
    assert "after you opened it" in body
    assert 'value="Second edit"' in body
    draft.refresh_from_db()
    assert draft.title == "First edit"


def test_superseded_version_cannot_be_changed(client_for):
    old = ForceStrategyFactory(version=1, status=StrategyStatus.SUPERSEDED, title="Old")
    response = client_for("leader").get(f"/strategy/versions/{old.pk}/change/", follow=True)
    assert "cannot be changed" in response.content.decode()


def test_approved_version_only_offers_the_facts_that_change_after_approval(client_for):
    approved = ForceStrategyFactory(version=1, status=StrategyStatus.APPROVED)
    body = client_for("leader").get(f"/strategy/versions/{approved.pk}/change/").content.decode()
    assert 'name="pcc_briefed_on-day"' in body  # the GOV.UK date input's day box
    assert 'name="title"' not in body


@pytest.mark.date_sensitive
def test_next_years_approved_version_takes_effect_at_its_period_start(client_for, users):
    """Approved in December for a period starting in April: until April the current version stays in force
    on the dashboard and the alignment matrix, with a notice of the next one (issue 10)."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    today = timezone.localdate()
    this_year = ForceStrategyFactory(
        version=1,
        status=StrategyStatus.APPROVED,
        period_start=today - timedelta(days=200),
        period_end=today + timedelta(days=100),
        pcc_briefed_on=today - timedelta(days=150),
    )
    ObjectiveFactory(strategy=this_year, title="This year's objective")
    next_year = ForceStrategyFactory(
        version=2, period_start=today + timedelta(days=101), period_end=today + timedelta(days=466)
    )
    ObjectiveFactory(strategy=next_year, title="Next year's objective")
    strategy_approve(strategy=next_year, by=users["leader"])
    assert ForceStrategy.objects.current() == this_year
    next_year.refresh_from_db()
    starts = f"{next_year.period_start:%-d %B %Y}"
    assert next_year.current_status == f"Approved, in force from {starts}"
    this_year.refresh_from_db()
    assert this_year.current_status == f"In force until version 2 takes effect on {starts}"
    leader = client_for("leader")
    dashboard = leader.get("/").content.decode()
    assert f"Version 2 has been approved and takes effect on {starts}" in dashboard
    assert "has not been briefed" not in dashboard  # this year's version was briefed
    alignment = leader.get("/strategy/alignment/").content.decode()
    assert "This year&#x27;s objective" in alignment and "Next year&#x27;s objective" not in alignment
    assert "takes effect on" in alignment
    # From its first day, the new version is the one in force.
    with time_machine.travel(timezone.now() + timedelta(days=102), tick=False):
        assert ForceStrategy.objects.current() == next_year
        assert next_year.current_status == "Approved"
