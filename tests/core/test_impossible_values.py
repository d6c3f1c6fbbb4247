"""Nothing impossible (issue 10, items 3 and 4): no threat assessment, notification or referral dated in the
future, no "Met" without evidence, and statuses that follow from dates derived rather than left stale."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AgreementStatus, InformationSharingAgreement
from strategy.models import RequirementStatus
from tests.strategy.factories import ThreatFactory, start_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _assess(client, threat, on):
    return client.post(
        f"/strategy/threats/{threat.pk}/assess/",
        {
            "assessed_on": on.isoformat(),
            "harm": "5",
            "likelihood": "4",
            "confidence": "2",
            "capacity": "3",
            "capability": "2",
            "marking": "official",
        },
    )


def test_a_threat_assessment_dated_in_the_future_is_refused(client_for):
    threat = ThreatFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _assess(client_for("analyst"), threat, tomorrow)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The date assessed must be today or in the past." in html and "govuk-error-summary" in html
    assert not threat.assessments.exists()
    assert _assess(client_for("analyst"), threat, timezone.localdate()).status_code == 302


def _answer(client, answer, **data):
    page = client.get(f"/strategy/answers/{answer.pk}/change/").content.decode()
    seen = re.search(r'name="seen_version" value="([^"]+)"', page).group(1)
    base = {"owner": "", "marking": "official", "change_reason": "Review", "seen_version": seen, "evidence": ""}
    return client.post(f"/strategy/answers/{answer.pk}/change/", {**base, **data})


@pytest.mark.parametrize("status", [RequirementStatus.MET, RequirementStatus.PARTLY_MET])
def test_met_or_partly_met_needs_evidence(users, client_for, status):
    assessment = start_assessment(users["leader"])
    answer = assessment.answers.get(requirement__reference="INT-04")
    client = client_for("analyst")
    response = _answer(client, answer, status=status)
    assert response.status_code == 200
    assert "Enter the evidence that the requirement is met, or link a record that shows it" in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == RequirementStatus.NOT_ASSESSED
    # Written evidence, or a linked record, is enough.
    assert _answer(client, answer, status=status, evidence="Seen in the board papers of May.").status_code == 302
    from strategy.models import Measure

    other = assessment.answers.get(requirement__reference="SAF-01")
    measure = Measure.objects.first()
    assert _answer(client, other, status=status, evidence_measures=[measure.pk]).status_code == 302
    # "Not met" needs none.
    third = assessment.answers.get(requirement__reference="SAF-02")
    assert _answer(client, third, status=RequirementStatus.NOT_MET).status_code == 302


def test_a_notification_dated_in_the_future_is_refused(client_for):
    from partnerships.models import SafeguardingNotification

    today = timezone.localdate()
    response = client_for("coordinator").post(
        reverse("partnerships:notification-create"),
        {
            "incident_reference": "CRIME-2026-000123",
            "incident_recorded_on": (today + timedelta(days=3)).isoformat(),
            "body": "mash",
            "marking": "official",
        },
    )
    assert response.status_code == 200
    assert "must be today or in the past" in response.content.decode()
    assert not SafeguardingNotification.objects.exists()


def test_an_active_agreement_past_its_end_date_shows_expired(users, client_for):
    from tests.partnerships.factories import make_agreement, two_partnerships

    w = two_partnerships(users)
    ended = make_agreement(w.p1, by=users["coordinator"], title="Ended in March", parties=[], end_in_days=-20)
    live = make_agreement(w.p1, by=users["coordinator"], title="Still running", parties=[])
    assert ended.status == AgreementStatus.ACTIVE  # as stored
    assert ended.current_status == "Expired"
    assert live.current_status == "Active"
    leader = client_for("leader")
    detail = leader.get(reverse("partnerships:agreement-detail", args=[ended.pk])).content.decode()
    assert "Expired" in detail
    active = leader.get(reverse("partnerships:agreement-list") + "?status=active").content.decode()
    assert "Still running" in active and "Ended in March" not in active
    expired = leader.get(reverse("partnerships:agreement-list") + "?status=expired").content.decode()
    assert "Ended in March" in expired and "Still running" not in expired


def test_an_agreement_past_its_review_date_says_review_overdue(users):
    from tests.partnerships.factories import make_agreement, two_partnerships

    w = two_partnerships(users)
    agreement = make_agreement(w.p1, by=users["coordinator"], title="Review me", parties=[])
    agreement.review_date = timezone.localdate() - timedelta(days=1)
    assert agreement.current_status == "Active, review overdue"


def test_the_demo_has_no_active_agreement_past_its_end_date(db):
    from django.core.management import call_command

    call_command("seed_demo", password="a-demo-password-2026", verbosity=0)
    today = timezone.localdate()
    assert InformationSharingAgreement.objects.exists()
    stale = InformationSharingAgreement.objects.filter(status=AgreementStatus.ACTIVE, end_date__lt=today)
    assert not stale.exists()
    from strategy.models import MeasureValue, ThreatAssessment

    assert not ThreatAssessment.objects.filter(assessed_on__gt=today).exists()
    # Actions are not all "raised today": the pack's "opened since the last meeting" stays believable.
    from governance.models import Action

    raised = [(timezone.localdate(a.created_at), a.completed_on) for a in Action.objects.all()]
    assert raised and sum(1 for day, _ in raised if day == today) < len(raised) / 4
    assert all(done is None or day <= done for day, done in raised)
    assert not MeasureValue.objects.filter(period_start__gt=today).exists()
