"""Agreements' bad input, pseudonymous references, the notification measure, support gaps, ICTG and the digest."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mshtgov.glossary import plain_words
from partnerships.models import (
    ICTGReferral,
    InformationSharingAgreement,
    NotifiedBody,
    ReviewDigestLog,
    SafeguardingNotification,
    SupportStage,
)
from partnerships.selectors import notification_measure, support_by_stage
from partnerships.services.digest import review_digest_send
from tests.factories import UserFactory
from tests.partnerships.factories import make_agreement, make_registers, two_partnerships

pytestmark = pytest.mark.django_db


def _agreement_post(w, **overrides):
    today = timezone.localdate()
    data = {
        "title": "New ISA",
        "reference": "ISA-NEW-1",
        "parties": [w.partner_org.pk],
        "purpose": "p",
        "lawful_basis": "public_task",
        "data_shared": "d",
        "mechanism": "gain",
        "status": "draft",
        "start_date": today.isoformat(),
        "end_date": (today - timedelta(days=1)).isoformat(),
        "marking": "official",
    }
    data.update(overrides)
    return data


def test_agreement_ending_before_it_starts_or_with_an_unknown_party_is_refused_and_nothing_saved(users, client_for):
    w = two_partnerships(users)
    client = client_for("coordinator")
    url = reverse("partnerships:agreement-create", args=[w.p1.pk])
    before = InformationSharingAgreement.objects.count()
    response = client.post(url, _agreement_post(w))
    assert "The end date must be on or after the start date." in response.content.decode()
    assert 'value="New ISA"' in response.content.decode()  # the user's input is kept
    # Elsewhere Trust is a member of P2 only: posting its id is refused.
    unknown = client.post(url, _agreement_post(w, end_date="", parties=[w.other.pk]))
    assert "Choose parties from the partnership&#x27;s members" in unknown.content.decode()
    assert InformationSharingAgreement.objects.count() == before
    ok = client.post(url, _agreement_post(w, end_date=""))
    assert ok.status_code == 302
    created = InformationSharingAgreement.objects.get(reference="ISA-NEW-1")
    assert list(created.parties.all()) == [w.partner_org]
    # The party's partner users see it at once.
    assert client_for("partner").get(reverse("partnerships:agreement-detail", args=[created.pk])).status_code == 200


@pytest.mark.parametrize("reference", ["Jane Smith", "12/03/2011", "2011-03-12", "jane"])
def test_names_and_dates_of_birth_are_refused_as_references(users, client_for, reference):
    today = timezone.localdate().isoformat()
    response = client_for("coordinator").post(
        reverse("partnerships:notification-create"),
        {"incident_reference": reference, "incident_recorded_on": today, "body": "mash", "marking": "official"},
    )
    assert response.status_code == 200
    assert not SafeguardingNotification.objects.exists()
    assert "govuk-error-summary" in response.content.decode()


def test_share_of_incidents_notified_within_target_counts_each_incident_once(users, settings):
    settings.SAFEGUARDING_NOTIFICATION_TARGET_DAYS = 2
    today = timezone.localdate()
    day = today - timedelta(days=20)

    def note(ref, delay, body=NotifiedBody.MASH):
        SafeguardingNotification.objects.create(
            incident_reference=ref,
            incident_recorded_on=day,
            body=body,
            notified_on=None if delay is None else day + timedelta(days=delay),
        )

    note("INC-001", 1)
    note("INC-001", 9, NotifiedBody.ADULTS_BOARD)  # told late elsewhere too: still in time once
    note("INC-002", 5)
    note("INC-003", None)
    note("INC-004", 2)
    measure = notification_measure(today - timedelta(days=30), today)
    assert (measure.incidents, measure.in_time, measure.percent) == (4, 2, 50)


def test_support_gaps_by_stage_and_who_sees_them(users, client_for):
    make_registers(users)
    stages = {s.stage: s for s in support_by_stage(timezone.localdate())}
    assert stages[SupportStage.BEFORE_NRM].places == 6 and not stages[SupportStage.BEFORE_NRM].gap
    assert stages[SupportStage.DECLINED_NRM].gap == "No provision"
    for role in ("leader", "pcc"):
        home = plain_words(client_for(role).get("/").content.decode())
        assert "Victim support gaps by stage" in home and "For those who decline NRM" in home
    assert "Victim support gaps by stage" not in client_for("analyst").get("/").content.decode()


def test_overdue_ictg_reviews_appear_to_senior_leaders_and_safeguarding_leads_only(users, client_for):
    reg = make_registers(users)
    home = plain_words(client_for("leader").get("/").content.decode())
    assert "ICTG reviews overdue" in home
    in_full = client_for("leader").get("/dashboard/partnerships-ictg/").content.decode()
    assert reg.ictg.child_reference in in_full
    listed = client_for("leader").get(reverse("partnerships:ictg-list")).content.decode()
    assert "Overdue" in listed and "1 review overdue" in listed
    for role in ("coordinator", "pcc", "analyst", "partner"):
        assert reg.ictg.child_reference not in client_for(role).get("/").content.decode()
        assert client_for(role).get("/dashboard/partnerships-ictg/").status_code == 404
        assert client_for(role).get(reverse("partnerships:ictg-list")).status_code == 403
    lead = UserFactory(username="safeguarding-lead", role="analyst")
    lead.user_permissions.add(Permission.objects.get(codename="view_ictg_referrals"))
    from django.test import Client

    client = Client()
    client.force_login(lead)
    assert reg.ictg.child_reference in client.get(reverse("partnerships:ictg-list")).content.decode()
    assert ICTGReferral.objects.review_overdue(timezone.localdate()).count() == 1


def test_review_digest_goes_once_per_person_per_day(users):
    w = two_partnerships(users)
    make_agreement(w.p1, by=users["coordinator"], title="Expiring ISA", parties=[w.council], end_in_days=10)
    today = timezone.localdate()
    assert review_digest_send(today=today) == 1
    assert len(mail.outbox) == 1
    assert "Expiring ISA" in mail.outbox[0].body
    assert mail.outbox[0].to == [users["coordinator"].email]
    assert review_digest_send(today=today) == 0  # a rerun sends nothing twice
    assert len(mail.outbox) == 1
    assert ReviewDigestLog.objects.filter(user=users["coordinator"], sent_on=today).count() == 1
    assert review_digest_send(today=today + timedelta(days=1)) == 1


def test_review_digest_carries_the_protective_marking(users):
    w = two_partnerships(users)
    agreement = make_agreement(w.p1, by=users["coordinator"], title="Expiring ISA", parties=[w.council], end_in_days=10)
    InformationSharingAgreement.objects.filter(pk=agreement.pk).update(marking="official-sensitive")
    assert review_digest_send(today=timezone.localdate()) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("[OFFICIAL-SENSITIVE]")
    assert message.body.startswith("OFFICIAL-SENSITIVE") and message.body.rstrip().endswith("OFFICIAL-SENSITIVE")
    html = message.alternatives[0][0]
    assert html.count("OFFICIAL-SENSITIVE") == 2


def test_reviews_due_page_lists_the_coordinators_items(users, client_for):
    w = two_partnerships(users)
    make_agreement(w.p1, by=users["coordinator"], title="Expiring ISA", parties=[w.council], end_in_days=10)
    page = client_for("coordinator").get(reverse("partnerships:reviews")).content.decode()
    assert "Expiring ISA" in page
    assert "Partnership reviews due" in client_for("coordinator").get("/").content.decode()


def test_the_reviews_page_is_kept_per_reader_and_a_new_item_shows_at_once(users, client_for, stored):
    """Served from the page cache (issue 15): the coordinator's own items are theirs, the leader's page its own."""
    w = two_partnerships(users)
    make_agreement(w.p1, by=users["coordinator"], title="Expiring ISA", parties=[w.council], end_in_days=10)
    coordinator, leader = client_for("coordinator"), client_for("leader")
    url = reverse("partnerships:reviews")
    for _ in range(2):
        assert "Expiring ISA" in coordinator.get(url).content.decode()
        assert "Expiring ISA" in leader.get(url).content.decode()
    assert len([key for key in stored if "partnerships:reviews" in key]) == 2
    make_agreement(w.p1, by=users["coordinator"], title="Second ISA", parties=[w.council], end_in_days=5)
    assert "Second ISA" in coordinator.get(url).content.decode()
    assert client_for("partner").get(url).status_code == 403


@pytest.mark.parametrize(
    "url", ["/partnerships/notifications/0/edit/", "/partnerships/support/0/edit/", "/partnerships/ictg/0/edit/"]
)
def test_an_edit_address_with_id_zero_is_not_a_back_door_to_adding(client_for, url):
    """Id 0 once read as "no record": the edit page became an add form that skipped the permission checks."""
    for role in ("pcc", "partner", "analyst"):
        assert client_for(role).get(url).status_code in (403, 404), role
    assert client_for("coordinator").get(url).status_code in (403, 404)
