"""Measures derived from the register equal the counts of the lists they drill down to, refuse typed
values, move when a record changes; the panel's figures agree with their lists and are plain text for
those who may not open the register."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from mshtgov import measure_sources
from mshtgov.periods import Period
from operations import panels
from operations.models import OperationStatus
from operations.services.debriefs import debrief_record
from operations.services.disruptions import disruption_review
from operations.services.operations import outcome_update
from strategy.models import Measure
from tests.drilldown import result_count
from tests.operations.factories import OPENED, make_disruption, make_operation

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

Q1 = (date(2025, 1, 1), date(2025, 3, 31))


@pytest.fixture
def register(users, settings):
    settings.OPERATIONS_DEBRIEF_DUE_DAYS = 14
    analyst, leader = users["analyst"], users["leader"]
    live = make_operation(analyst, reference="OP-2025-0601", oic_pip_level=1, exploitation_types="labour,sexual")
    pip2 = make_operation(analyst, reference="OP-2025-0602", oic_pip_level=3, exploitation_types="criminal")
    ended = make_operation(
        analyst, reference="OP-2025-0603", status=OperationStatus.CONCLUDED, closed_on=date(2025, 2, 1)
    )
    debriefed = make_operation(
        analyst, reference="OP-2025-0604", status=OperationStatus.CLOSED_NFA, closed_on=date(2025, 2, 10)
    )
    debrief_record(
        operation=debriefed, by=analyst, held_on=date(2025, 2, 20), no_new_learning=True, no_learning_reason="Routine"
    )
    outcome = pip2.outcome
    outcome.pnd_operation, outcome.pnd_operation_on = True, date(2025, 2, 1)
    outcome.victims_adults, outcome.nrm_referrals, outcome.dtn_submissions = 4, 2, 1
    outcome.suspects_arrested, outcome.suspects_charged, outcome.charged_s2, outcome.charged_other = 3, 2, 2, 1
    outcome.first_charged_on = date(2025, 3, 1)
    outcome_update(outcome=outcome, by=analyst, reason="Charged")
    for level, decision in (("major", "accepted"), ("major", "regraded"), ("moderate", "accepted"), ("major", None)):
        disruption = make_disruption(live, analyst, level=level, on=OPENED + timedelta(days=20))
        if decision == "accepted":
            disruption_review(disruption=disruption, decision=decision, by=leader)
        elif decision == "regraded":
            disruption_review(disruption=disruption, decision=decision, new_level="minor", reason="Short", by=leader)
    return {"live": live, "pip2": pip2, "ended": ended, "debriefed": debriefed}


@pytest.mark.parametrize(
    ("code", "value", "listed"),
    [
        ("nca-disruptions-major", Decimal(1), 1),
        ("nca-disruptions-minor", Decimal(1), 1),
        ("nca-disruptions-moderate", Decimal(1), 1),
        ("live-operations", Decimal(2), 2),
        ("pip2-led", Decimal("50.0"), 2),
        ("pnd-operations", Decimal("50.0"), 2),
        ("debrief-compliance", Decimal("50.0"), 2),
        ("suspects-charged", Decimal(2), 1),
        ("nrm-referrals", Decimal(3), 4),
        ("charges-msa-s2", Decimal(2), 1),
        ("charges-other", Decimal(1), 1),
    ],
)
def test_derived_measure_equals_its_drilldown(client_for, register, code, value, listed):
    start, end = Q1
    derived = measure_sources.get(code).compute(start, end)
    assert derived.value == value
    assert derived.count == listed
    page = client_for("leader").get(measure_sources.get(code).drilldown_url(start, end))
    assert page.status_code == 200
    assert result_count(page.content.decode()) == listed


def test_every_derived_measure_has_a_measure_row():
    for source in measure_sources.all_sources():
        if source.owner == "Operations register":
            assert Measure.objects.filter(code=source.code).exists(), source.code


def test_a_derived_value_moves_when_a_disruption_is_reviewed(users, register):
    start, end = Q1
    assert measure_sources.derived_value("nca-disruptions-moderate", start, end).value == 1
    disruption = make_disruption(register["pip2"], users["analyst"], level="moderate", on=date(2025, 2, 2))
    assert measure_sources.derived_value("nca-disruptions-moderate", start, end).value == 1
    disruption_review(disruption=disruption, decision="accepted", by=users["leader"])
    assert measure_sources.derived_value("nca-disruptions-moderate", start, end).value == 2


def test_panel_figures_agree_with_their_lists(client_for, users, register):
    period = Period("q1", "Q1", *Q1)
    data = panels.gather(users["leader"], period)
    client = client_for("leader")
    figures = [data["live"], data["overdue"], *[f for _, f in data["by_type"]], *[f for _, f in data["by_level"]]]
    for figure in figures:
        assert figure.url
        assert result_count(client.get(figure.url).content.decode()) == figure.value, figure.key
    assert dict((label, f.value) for label, f in data["by_level"])["Major"] == 1


@pytest.mark.parametrize("role", ["pcc", "secretary"])
def test_summary_roles_see_the_panel_without_links(users, register, role, client_for):
    period = Period("q1", "Q1", *Q1)
    data = panels.gather(users[role], period)
    assert data["live"].value == 2 and data["live"].url == ""
    assert client_for(role).get(reverse("operations:operation-list")).status_code == 403


def test_coordinator_and_partner_do_not_see_the_panel(users):
    from mshtgov.panels import get

    panel = get("operations")
    assert not panel.visible(users["coordinator"]) and not panel.visible(users["partner"])
    assert panel.visible(users["pcc"]) and panel.visible(users["secretary"])


def test_sources_computing_many_periods_at_once_agree_with_each_period(register):
    """Disruptions by level, outcome sums and point-in-time shares compute a year of periods in one query (issue 15)."""
    spans = [(date(2025, m, 1), date(2025, m, 28)) for m in range(1, 13)] + [Q1, (date(2024, 1, 1), date(2026, 1, 1))]
    checked = 0
    for source in measure_sources.all_sources():
        if source.owner != "Operations register" or source.compute_many is None:
            continue
        together = source.compute_many(spans)
        assert together == [source.compute(start, end) for start, end in spans], source.code
        checked += 1
    assert checked >= 13
