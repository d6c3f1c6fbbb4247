"""The register's rules: pseudonymous references, counts that agree, dates in order, a reviewer who is not
the assessor, and one overdue-debrief action in the action log."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from governance.models import Action
from mshtgov.marking import Marking
from operations.models import Disruption, Operation, OperationStatus, ReviewStatus
from operations.services.debriefs import debrief_record, debriefs_raise_overdue_actions
from operations.services.disruptions import disruption_review, disruption_update
from operations.services.operations import operation_update, outcome_update
from tests.operations.factories import OPENED, make_disruption, make_operation

pytestmark = pytest.mark.django_db


def _errors(exc) -> dict:
    return exc.value.message_dict


def test_an_operation_is_official_sensitive_with_an_empty_outcome(users):
    operation = make_operation(users["analyst"])
    assert operation.marking == Marking.OFFICIAL_SENSITIVE
    assert operation.outcome.victims_identified == 0
    assert operation.history.first().history_user == users["analyst"]


@pytest.mark.parametrize("reference", ["Jane Smith", "SMITH-J-91", "07-12-1999"])
def test_a_reference_that_looks_like_a_person_is_refused(users, reference):
    with pytest.raises(ValidationError) as exc:
        make_operation(users["analyst"], reference=reference)
    assert "reference" in _errors(exc)
    assert not Operation.objects.exists()


def test_ended_operation_needs_a_closed_date_after_opening(users):
    with pytest.raises(ValidationError) as exc:
        make_operation(users["analyst"], status=OperationStatus.CONCLUDED)
    assert "closed_on" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        make_operation(users["analyst"], status=OperationStatus.CONCLUDED, closed_on=OPENED - timedelta(days=1))
    assert "closed_on" in _errors(exc)


def test_own_assessment_sets_priority_through_the_scoring_scheme(users):
    operation = make_operation(users["analyst"], harm=5, likelihood=4, confidence=2, capacity=3, capability=3)
    assert (operation.priority_score, operation.priority_band, operation.priority_source) == (60, "high", "own")
    with pytest.raises(ValidationError) as exc:
        make_operation(users["analyst"], reference="OP-2025-0002", harm=5)
    assert set(_errors(exc)) == {"likelihood", "confidence", "capacity", "capability"}


def test_priority_from_linked_threats_latest_assessment(users):
    from strategy.models import Threat, ThreatAssessment

    threat = Threat.objects.create(title="Labour exploitation in car washes", category="msht", level="tactical")
    ThreatAssessment.objects.create(
        threat=threat,
        assessed_on=date(2025, 1, 1),
        harm=4,
        likelihood=4,
        confidence=2,
        capacity=2,
        capability=2,
        assessed_by=users["analyst"],
    )
    operation = make_operation(users["analyst"], threats=[threat])
    assert (operation.priority_score, operation.priority_band, operation.priority_source) == (32, "medium", "threats")
    assert operation.threat_names == "Labour exploitation in car washes"


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        (
            {"suspects_arrested": 1, "suspects_charged": 2, "charged_s1": 2, "first_charged_on": OPENED},
            "suspects_charged",
        ),
        ({"suspects_convicted": 1}, "suspects_convicted"),
        ({"victims_adults": 1, "nrm_referrals": 2}, "nrm_referrals"),
        ({"victims_children": 2, "dtn_submissions": 1}, "dtn_submissions"),
        ({"stpo_applied": 1, "stpo_granted": 2}, "stpo_granted"),
        ({"pnd_victims": True}, "pnd_victims_on"),
        (
            {"suspects_arrested": 1, "suspects_charged": 1, "charged_s2": 1, "first_charged_on": OPENED - timedelta(1)},
            "first_charged_on",
        ),
    ],
)
def test_contradictory_counts_and_dates_are_refused_naming_the_field(users, counts, field):
    operation = make_operation(users["analyst"])
    outcome = operation.outcome
    for name, value in counts.items():
        setattr(outcome, name, value)
    with pytest.raises(ValidationError) as exc:
        outcome_update(outcome=outcome, by=users["analyst"], reason="Outcomes")
    assert field in _errors(exc)
    outcome.refresh_from_db()
    assert outcome.suspects_charged == 0 and outcome.victims_identified == 0


def test_consistent_outcomes_are_saved(users):
    operation = make_operation(users["analyst"])
    outcome = operation.outcome
    outcome.victims_adults, outcome.nrm_referrals, outcome.dtn_submissions = 3, 2, 1
    outcome.suspects_arrested, outcome.suspects_charged, outcome.charged_s2 = 2, 1, 2
    outcome.first_charged_on = OPENED + timedelta(days=30)
    outcome_update(outcome=outcome, by=users["analyst"], reason="Charged")
    outcome.refresh_from_db()
    assert (outcome.charges, outcome.victims_identified) == (2, 3)


def test_closing_before_a_disruption_is_refused(users):
    operation = make_operation(users["analyst"])
    make_disruption(operation, users["analyst"], on=OPENED + timedelta(days=20))
    operation.status, operation.closed_on = OperationStatus.CONCLUDED, OPENED + timedelta(days=10)
    with pytest.raises(ValidationError) as exc:
        operation_update(operation=operation, by=users["analyst"], reason="Closed")
    assert "closed_on" in _errors(exc)
    operation.refresh_from_db()
    assert operation.closed_on is None


def test_a_disruption_after_closure_is_refused(users):
    operation = make_operation(users["analyst"], status=OperationStatus.CONCLUDED, closed_on=OPENED + timedelta(days=5))
    with pytest.raises(ValidationError) as exc:
        make_disruption(operation, users["analyst"], on=OPENED + timedelta(days=6))
    assert "disrupted_on" in _errors(exc)
    assert not Disruption.objects.exists()


def test_the_assessor_may_not_review_their_own_disruption(users):
    disruption = make_disruption(make_operation(users["analyst"]), users["leader"])
    with pytest.raises(ValidationError, match="someone else"):
        disruption_review(disruption=disruption, decision=ReviewStatus.ACCEPTED, by=users["leader"])
    disruption.refresh_from_db()
    assert disruption.review_status == ReviewStatus.PENDING


def test_an_analyst_without_the_review_permission_may_not_review(users):
    disruption = make_disruption(make_operation(users["analyst"]), users["leader"])
    with pytest.raises(ValidationError, match="may not review"):
        disruption_review(disruption=disruption, decision=ReviewStatus.ACCEPTED, by=users["analyst"])


def test_only_accepted_and_regraded_disruptions_count_at_their_final_level(users):
    operation = make_operation(users["analyst"])
    accepted = make_disruption(operation, users["analyst"], level="major")
    regraded = make_disruption(operation, users["analyst"], level="major")
    challenged = make_disruption(operation, users["analyst"], level="major")
    make_disruption(operation, users["analyst"], level="major")  # awaiting review
    leader = users["leader"]
    disruption_review(disruption=accepted, decision=ReviewStatus.ACCEPTED, by=leader)
    disruption_review(disruption=regraded, decision=ReviewStatus.REGRADED, new_level="minor", reason="Short", by=leader)
    disruption_review(disruption=challenged, decision=ReviewStatus.CHALLENGED, reason="No evidence", by=leader)
    assert list(Disruption.objects.at_level("major")) == [accepted]
    assert list(Disruption.objects.at_level("minor")) == [regraded]
    regraded.refresh_from_db()
    assert (regraded.level, regraded.final_level) == ("major", "minor")
    # A challenge goes back to the assessor; their change sends it for review again.
    challenged.justification = "Two vehicles seized, main site closed."
    disruption_update(disruption=challenged, by=users["analyst"], reason="Evidence added")
    assert challenged.review_status == ReviewStatus.PENDING


def test_regrade_needs_a_new_level_and_reason(users):
    disruption = make_disruption(make_operation(users["analyst"]), users["analyst"])
    with pytest.raises(ValidationError) as exc:
        disruption_review(disruption=disruption, decision=ReviewStatus.REGRADED, by=users["leader"])
    assert set(_errors(exc)) == {"reason", "new_level"}


def _ended(users, closed_on, reference="OP-2025-0009"):
    return make_operation(users["analyst"], reference=reference, status=OperationStatus.CONCLUDED, closed_on=closed_on)


def test_debrief_needs_lessons_or_a_reason(users):
    operation = _ended(users, OPENED + timedelta(days=40))
    with pytest.raises(ValidationError) as exc:
        debrief_record(operation=operation, by=users["analyst"], held_on=OPENED + timedelta(41), no_new_learning=False)
    assert "no_new_learning" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        debrief_record(operation=operation, by=users["analyst"], held_on=OPENED + timedelta(41), no_new_learning=True)
    assert "no_learning_reason" in _errors(exc)
    from tests.learning.factories import make_lesson

    make_lesson(users["analyst"], operation=operation.reference)
    debrief_record(operation=operation, by=users["analyst"], held_on=OPENED + timedelta(41), no_new_learning=False)
    assert operation.debrief.recorded_by == users["analyst"]


def test_overdue_debrief_raises_one_action(users, settings):
    settings.OPERATIONS_DEBRIEF_DUE_DAYS = 10
    closed = OPENED + timedelta(days=30)
    late = _ended(users, closed)
    on_time = _ended(users, closed + timedelta(days=5), reference="OP-2025-0010")
    today = closed + timedelta(days=12)
    assert list(Operation.objects.debrief_overdue(today)) == [late]
    flags = dict(Operation.objects.with_debrief_overdue(today).values_list("reference", "debrief_overdue"))
    assert flags == {late.reference: True, on_time.reference: False}
    raised = debriefs_raise_overdue_actions(today=today)
    assert [a.owner for a in raised] == [users["analyst"]]
    assert debriefs_raise_overdue_actions(today=today + timedelta(days=1)) == []
    assert Action.objects.for_source(late).count() == 1


def test_priority_follows_a_threat_reassessment_on_refresh(users):
    from operations.services.operations import operations_refresh_priorities
    from strategy.models import Threat, ThreatAssessment

    threat = Threat.objects.create(title="Sexual exploitation in pop-up brothels", category="msht", level="tactical")
    scores = {"confidence": 2, "capacity": 2, "capability": 2, "assessed_by": users["analyst"]}
    ThreatAssessment.objects.create(threat=threat, assessed_on=date(2025, 1, 1), harm=2, likelihood=2, **scores)
    operation = make_operation(users["analyst"], threats=[threat])
    assert operation.priority_band == "low"
    ThreatAssessment.objects.create(threat=threat, assessed_on=date(2025, 6, 1), harm=5, likelihood=5, **scores)
    assert operations_refresh_priorities(by=users["leader"]) == 1
    operation.refresh_from_db()
    assert (operation.priority_score, operation.priority_band) == (50, "high")


def test_reassessing_a_threat_moves_its_operations_priority_at_once_with_history(users):
    """No waiting for the nightly refresh: the assessment's transaction updates the linked operations,
    and each operation's history says who and why; operations not linked to the threat are untouched."""
    from strategy.models import Threat
    from strategy.services import threat_assessment_create

    linked = Threat.objects.create(title="Labour exploitation in car washes", category="msht", level="tactical")
    other = Threat.objects.create(title="County lines into coastal towns", category="msht", level="tactical")
    scores = {"confidence": 2, "capacity": 2, "capability": 2}
    threat_assessment_create(
        threat=linked, by=users["analyst"], assessed_on=date(2025, 1, 1), harm=2, likelihood=2, **scores
    )
    threat_assessment_create(
        threat=other, by=users["analyst"], assessed_on=date(2025, 1, 1), harm=2, likelihood=2, **scores
    )
    followed = make_operation(users["analyst"], threats=[linked])
    untouched = make_operation(users["analyst"], threats=[other], reference="OP-2025-0011")
    assert followed.priority_band == untouched.priority_band == "low"

    threat_assessment_create(
        threat=linked, by=users["leader"], assessed_on=date(2025, 6, 1), harm=5, likelihood=5, **scores
    )

    followed.refresh_from_db()
    untouched.refresh_from_db()
    assert (followed.priority_score, followed.priority_band) == (50, "high")
    assert untouched.priority_band == "low"
    latest = followed.history.first()
    assert latest.history_user == users["leader"]
    assert latest.history_change_reason == "Linked threat reassessed on 01 June 2025"
    assert untouched.history.count() == 1
