"""Self-assessment: the framework, starting from the previous assessment, submit, sign-off locks it,
comparison, and gaps raising actions in the one action log."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import Action, ActionSource
from mshtgov.glossary import plain_words
from mshtgov.reference import GuidanceTheme
from strategy.models import AssessmentStatus, Requirement, RequirementStatus
from strategy.selectors.assessments import compare
from strategy.services import assessment_sign_off, assessment_submit
from tests.strategy.factories import answer_all, framework, start_assessment

pytestmark = pytest.mark.django_db


def test_framework_covers_every_theme_and_cites_a_heading():
    requirements = Requirement.objects.filter(framework=framework())
    assert requirements.count() >= 40
    assert {r.theme for r in requirements} == set(GuidanceTheme.values)
    assert all(r.heading and r.text for r in requirements)
    assert set(requirements.exclude(theme="strategy").values_list("heading", flat=True)) == {
        "Governance",
        "Safeguarding",
        "Intelligence and risk management",
        "Learning",
        "Partnerships",
    }


def test_new_assessment_has_every_requirement_not_assessed(users):
    assessment = start_assessment(users["leader"])
    assert assessment.answers.count() == Requirement.objects.filter(framework=assessment.framework).count()
    assert set(assessment.answers.values_list("status", flat=True)) == {RequirementStatus.NOT_ASSESSED}


def test_starting_from_the_previous_assessment_copies_answers(users):
    first = start_assessment(users["leader"], title="First")
    answer = first.answers.get(requirement__reference="STR-06")
    answer.status, answer.evidence, answer.owner = RequirementStatus.MET, "Control strategy 2026", users["analyst"]
    answer.save()
    second = start_assessment(users["leader"], title="Second", previous=first)
    copied = second.answers.get(requirement__reference="STR-06")
    assert (copied.status, copied.evidence, copied.owner) == (
        RequirementStatus.MET,
        "Control strategy 2026",
        users["analyst"],
    )
    assert copied.pk != answer.pk


def test_submit_needs_every_requirement_answered(users):
    assessment = start_assessment(users["leader"])
    with pytest.raises(ValidationError, match="still not assessed"):
        assessment_submit(assessment=assessment, by=users["analyst"])
    answer_all(assessment)
    assessment_submit(assessment=assessment, by=users["analyst"])
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("role", ["analyst", "pcc", "secretary", "coordinator"])
def test_only_a_senior_leader_signs_off(users, client_for, role):
    assessment = start_assessment(users["leader"])
    answer_all(assessment)
    assessment_submit(assessment=assessment, by=users["analyst"])
    with pytest.raises(PermissionDenied):
        assessment_sign_off(assessment=assessment, by=users[role])
    assert client_for(role).post(f"/strategy/self-assessment/{assessment.pk}/sign-off/").status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_sign_off_locks_the_answers(users, client_for):
    assessment = start_assessment(users["leader"])
    answer_all(assessment)
    assessment_submit(assessment=assessment, by=users["analyst"])
    response = client_for("leader").post(f"/strategy/self-assessment/{assessment.pk}/sign-off/", follow=True)
    assert "signed off. It is now locked" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF and assessment.signed_off_by == users["leader"]

    answer = assessment.answers.first()
    analyst = client_for("analyst")
    refused = analyst.get(f"/strategy/answers/{answer.pk}/change/", follow=True)
    assert "signed off and is locked" in refused.content.decode()
    posted = analyst.post(
        f"/strategy/answers/{answer.pk}/change/", {"status": "not_met", "marking": "official", "change_reason": "x"}
    )
    assert posted.status_code == 302
    answer.refresh_from_db()
    assert answer.status == RequirementStatus.MET


def test_edit_racing_a_sign_off_is_refused_with_the_users_input_kept(users, client_for):
    assessment = start_assessment(users["leader"])
    answer = assessment.answers.first()
    analyst = client_for("analyst")
    page = analyst.get(f"/strategy/answers/{answer.pk}/change/").content.decode()
    seen = re.search(r'name="seen_version" value="([^"]+)"', page).group(1)
    answer_all(assessment)
    assessment_submit(assessment=assessment, by=users["analyst"])
    assessment_sign_off(assessment=assessment, by=users["leader"])
    # The form was opened before sign-off; its POST must not land.
    from strategy.forms import AnswerForm

    answer.refresh_from_db()
    form = AnswerForm(
        data={
            "status": "not_met",
            "evidence": "late change",
            "marking": "official",
            "change_reason": "late",
            "seen_version": seen,
        },
        instance=answer,
    )
    assert not form.is_valid()
    assert "signed off and is locked" in str(form.non_field_errors())


def test_answer_saved_with_evidence_links_and_history(users, client_for):
    assessment = start_assessment(users["leader"])
    answer = assessment.answers.get(requirement__reference="INT-04")
    page = client_for("analyst").get(f"/strategy/answers/{answer.pk}/change/").content.decode()
    seen = re.search(r'name="seen_version" value="([^"]+)"', page).group(1)
    from strategy.models import Measure

    pnd = Measure.objects.get(code="pnd-victims")
    response = client_for("analyst").post(
        f"/strategy/answers/{answer.pk}/change/",
        {
            "status": "partly_met",
            "evidence": "Victims recorded; suspects lag.",
            "owner": users["analyst"].pk,
            "evidence_measures": [pnd.pk],
            "marking": "official",
            "change_reason": "Quarterly review",
            "seen_version": seen,
        },
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == RequirementStatus.PARTLY_MET
    assert list(answer.evidence_measures.all()) == [pnd]
    history = plain_words(client_for("leader").get(f"/strategy/answers/{answer.pk}/history/").content.decode())
    assert "Quarterly review" in history and "analyst" in history
    # Links are not fields: what changed is written into the reason.
    assert "Measures that evidence it: added PND records submitted: victims" in history


def test_compare_marks_improved_regressed_and_unchanged(users, client_for):
    earlier = start_assessment(users["leader"], title="Earlier")
    later = start_assessment(users["leader"], title="Later", previous=earlier)
    for assessment, statuses in (
        (earlier, {"STR-01": "not_met", "STR-02": "met", "STR-03": "partly_met"}),
        (later, {"STR-01": "met", "STR-02": "partly_met", "STR-03": "partly_met"}),
    ):
        for reference, status in statuses.items():
            answer = assessment.answers.get(requirement__reference=reference)
            answer.status = status
            answer.save()
    changes = {row.requirement.reference: row.change for row in compare(earlier, later)}
    assert (changes["STR-01"], changes["STR-02"], changes["STR-03"]) == ("improved", "regressed", "unchanged")
    page = client_for("pcc").get(f"/strategy/self-assessment/compare/?earlier={earlier.pk}&later={later.pk}")
    body = page.content.decode()
    assert "Improved: 1" in body and "Regressed: 1" in body


def test_gap_raises_an_action_in_the_governance_log(users, client_for):
    assessment = start_assessment(users["leader"])
    answer = assessment.answers.get(requirement__reference="PAR-04")
    answer.status = RequirementStatus.NOT_MET
    answer.save()
    response = client_for("analyst").post(
        f"/strategy/answers/{answer.pk}/raise-action/",
        {
            "title": "Get GAIN access agreed",
            "owner": users["leader"].pk,
            "due_date": "2026-12-31",
        },
    )
    assert response.status_code == 302
    action = Action.objects.for_source(answer).get()
    assert action.source_kind == ActionSource.SELF_ASSESSMENT
    assert action.title == "Get GAIN access agreed" and action.owner == users["leader"]
    page = client_for("pcc").get(f"/strategy/answers/{answer.pk}/").content.decode()
    assert "Get GAIN access agreed" in page
    detail = client_for("pcc").get(f"/strategy/self-assessment/{assessment.pk}/").content.decode()
    assert "PAR-04" in detail


def test_no_action_for_a_requirement_that_is_met(users, client_for):
    assessment = start_assessment(users["leader"])
    answer = assessment.answers.first()
    answer.status = RequirementStatus.MET
    answer.save()
    client_for("leader").post(
        f"/strategy/answers/{answer.pk}/raise-action/",
        {"title": "Not needed", "owner": users["leader"].pk, "due_date": "2026-12-31"},
    )
    assert not Action.objects.exists()


def test_compliance_leaves_out_requirements_not_assessed_and_not_applicable():
    from strategy.selectors.assessments import compliance_percent

    statuses = {"met": 2, "partly_met": 2, "not_met": 0, "not_applicable": 1, "not_assessed": 5}
    assert compliance_percent(statuses) == 75  # (2 + 2 x 0.5) of the 4 assessed as applying
    assert compliance_percent({"not_assessed": 3, "not_applicable": 1}) is None


def test_assessment_page_shows_compliance_and_what_is_left_to_assess(users, client_for):
    assessment = start_assessment(users["leader"])
    for reference, status in (("SAF-01", "met"), ("SAF-02", "not_met")):
        answer = assessment.answers.get(requirement__reference=reference)
        answer.status = status
        answer.save()
    body = client_for("secretary").get(f"/strategy/self-assessment/{assessment.pk}/").content.decode()
    assert "compliant, of the 2 requirements assessed; " in body and " not yet assessed (incomplete)" in body
    assert 'data-figure-value="50"' in body
