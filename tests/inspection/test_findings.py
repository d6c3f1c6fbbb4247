"""The findings register: recorded, worked, evidence submitted, closed by a senior leader with a note,
reopened; actions in the one action log; bad input told beside the field; who may do what."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.models import Action, ActionSource
from inspection.models import Finding, FindingStatus
from inspection.selectors import overdue_findings
from inspection.services.findings import (
    finding_close,
    finding_raise_action,
    finding_reopen,
    finding_start,
    finding_submit_evidence,
)
from mshtgov.citations import cite
from mshtgov.glossary import plain_words
from tests.drilldown import result_count
from tests.governance.factories import BoardFactory
from tests.inspection.factories import make_finding
from tests.learning.factories import make_lesson
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


def _form(**overrides):
    data = {
        "kind": "recommendation",
        "source": "hmicfrs",
        "source_report": "MSHT force inspection 2026",
        "report_date": "2026-04-01",
        "reference": "Recommendation 5",
        "text": "Give every victim a named point of contact.",
        "theme": "safeguarding",
        "owner": "",
        "board": "",
        "due_date": "2026-12-31",
        "marking": "official",
    }
    data.update(overrides)
    return data


def test_analyst_records_a_finding_through_the_form(client_for, users):
    response = client_for("analyst").post(reverse("inspection:finding-create"), _form(owner=users["leader"].pk))
    finding = Finding.objects.get(reference="Recommendation 5")
    assert response["Location"] == reverse("inspection:finding-detail", args=[finding.pk])
    assert finding.status == FindingStatus.OPEN
    assert finding.history.first().history_user == users["analyst"]


def test_a_target_before_the_report_is_refused_beside_the_field_and_nothing_is_saved(client_for, users):
    response = client_for("analyst").post(
        reverse("inspection:finding-create"), _form(owner=users["leader"].pk, due_date="2026-01-01")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The target date must be on or after the date the report was published." in html
    assert 'href="#id_due_date-day"' in html  # the error summary links to the field's first box
    assert not Finding.objects.exists()


def test_the_same_reference_twice_in_one_report_is_refused(client_for, users):
    make_finding(users["leader"], reference="Recommendation 5")
    response = client_for("analyst").post(reverse("inspection:finding-create"), _form(owner=users["leader"].pk))
    assert response.status_code == 200
    assert Finding.objects.count() == 1


def test_lifecycle_from_open_to_closed_and_reopened(users):
    leader, analyst = users["leader"], users["analyst"]
    finding = make_finding(analyst)
    finding = finding_start(finding=finding, by=analyst)
    assert finding.status == FindingStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as refused:
        finding_submit_evidence(finding=finding, evidence="  ", by=analyst)
    assert "cite a record" in str(refused.value)
    finding = finding_submit_evidence(finding=finding, evidence="NRM referrals audited monthly.", by=analyst)
    assert finding.status == FindingStatus.EVIDENCE_SUBMITTED
    with pytest.raises(PermissionDenied):
        finding_close(finding=finding, note="Done", by=analyst)
    with pytest.raises(ValidationError):
        finding_close(finding=finding, note="", by=leader)
    finding = finding_close(finding=finding, note="The audit shows every referral made.", by=leader)
    assert (finding.status, finding.closed_by, finding.closure_note) == (
        FindingStatus.CLOSED,
        leader,
        "The audit shows every referral made.",
    )
    with pytest.raises(ValidationError):
        finding_raise_action(finding=finding, title="More", owner=analyst, due_date=TODAY, by=analyst)
    finding = finding_reopen(finding=finding, reason="The next audit found gaps.", by=leader)
    assert finding.status == FindingStatus.REOPENED and finding.closed_by is None
    reasons = list(finding.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == [
        "Finding recorded",
        "Work started",
        "Evidence submitted for closure",
        "Closed by a senior leader",
        "Reopened",
    ]


def test_a_cited_record_is_evidence_enough_to_submit(users):
    analyst = users["analyst"]
    finding = make_finding(analyst)
    cite(citing=finding, cited=make_lesson(analyst), by=analyst)
    finding = finding_submit_evidence(finding=finding, evidence="", by=analyst)
    assert finding.status == FindingStatus.EVIDENCE_SUBMITTED


def test_an_action_raised_from_a_finding_is_in_the_one_action_log(client_for, users):
    board = BoardFactory(name="Strategic board")
    finding = make_finding(users["leader"], board=board)
    response = client_for("analyst").post(
        reverse("inspection:finding-raise-action", args=[finding.pk]),
        {"title": "Audit NRM referrals", "owner": users["analyst"].pk, "due_date": "2026-12-01"},
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Audit NRM referrals")
    assert (action.source, action.source_kind, action.board) == (finding, ActionSource.INSPECTION, board)
    log = plain_words(client_for("leader").get(reverse("governance:action-list")).content.decode())
    assert "Audit NRM referrals" in log


def test_closing_through_the_page_needs_a_note_beside_the_field(client_for, users):
    finding = make_finding(users["leader"])
    finding_submit_evidence(finding=finding, evidence="Minutes", by=users["leader"])
    url = reverse("inspection:finding-close", args=[finding.pk])
    response = client_for("leader").post(url, {"note": ""})
    assert response.status_code == 200 and "Error:" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.EVIDENCE_SUBMITTED
    client_for("leader").post(url, {"note": "Answered by the new process."})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_secretary_sees_only_findings_of_boards_they_serve(client_for, users):
    theirs = BoardFactory(name="Tactical group", secretary=users["secretary"])
    make_finding(users["leader"], reference="Rec 1", board=theirs)
    make_finding(users["leader"], reference="Rec 2", board=BoardFactory(name="Other board"))
    make_finding(users["leader"], reference="Rec 3")
    html = client_for("secretary").get(reverse("inspection:finding-list")).content.decode()
    assert "Rec 1</a>" in html and "Rec 2</a>" not in html and "Rec 3</a>" not in html
    assert result_count(html) == 1
    assert result_count(client_for("pcc").get(reverse("inspection:finding-list")).content.decode()) == 3


@time_machine.travel(TODAY, tick=False)
def test_overdue_is_derived_from_the_target_date_and_filtered(client_for, users):
    leader = users["leader"]
    make_finding(leader, reference="Late", due=TODAY - timedelta(days=1))
    make_finding(leader, reference="Due today", due=TODAY)
    closed = make_finding(leader, reference="Late but closed", due=TODAY - timedelta(days=30))
    finding_submit_evidence(finding=closed, evidence="Done", by=leader)
    finding_close(finding=closed, note="Done", by=leader)
    assert [f.reference for f in overdue_findings(leader)] == ["Late"]
    assert [f.reference for f in overdue_findings(users["coordinator"])] == []
    html = client_for("leader").get(reverse("inspection:finding-list") + "?overdue=on").content.decode()
    assert result_count(html) == 1 and "Late</a>" in html


def test_register_runs_constant_queries(client_for, users):
    leader = users["leader"]
    made = []

    def grow():
        for i in range(1, 6):
            finding = make_finding(leader, reference=f"Rec {i}")
            finding_raise_action(finding=finding, title=f"Act {i}", owner=leader, due_date=TODAY, by=leader)
            made.append(finding)

    make_finding(leader, reference="Rec 0")
    assert_constant_queries(client_for("leader"), reverse("inspection:finding-list"), grow)
    assert len(made) == 5


def test_finding_page_runs_constant_queries_however_much_it_links_to(client_for, users):
    leader = users["leader"]
    first = make_finding(leader, reference="Rec 0")
    other = make_finding(leader, reference="Rec 00")
    finding_raise_action(finding=first, title="First action", owner=leader, due_date=TODAY, by=leader)
    cite(citing=first, cited=other, by=leader)
    cite(citing=first, cited=make_lesson(leader, title="Lesson 0"), by=leader)
    made = []

    def grow():
        for i in range(1, 6):
            cite(citing=first, cited=make_finding(leader, reference=f"Rec {i}"), by=leader)
            cite(citing=first, cited=make_lesson(leader, title=f"Lesson {i}"), by=leader)
            made.append(finding_raise_action(finding=first, title=f"Act {i}", owner=leader, due_date=TODAY, by=leader))

    assert_constant_queries(client_for("leader"), reverse("inspection:finding-detail", args=[first.pk]), grow)
    assert len(made) == 5
