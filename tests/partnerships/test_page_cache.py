"""Issue 15: the partnerships lists (ICTG referrals, safeguarding notifications, victim support, agreements) are
served from the cache once built, per reader, query string and day (mshtgov.page_cache). A list must never
show an older truth than the last change, never one reader's page to another; the ICTG list is logged on every
view, served from the cache or not; a search is never kept; external partners are refused as before."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.roles import Role
from partnerships.models import ICTGReferral, SafeguardingNotification, SupportService
from partnerships.services.partnerships import membership_remove
from tests.partnerships.factories import make_agreement, make_registers, two_partnerships

pytestmark = pytest.mark.django_db

ICTG = reverse("partnerships:ictg-list")
NOTIFICATIONS = reverse("partnerships:notification-list")
SUPPORT = reverse("partnerships:support-list")
AGREEMENTS = reverse("partnerships:agreement-list")


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_to_a_listed_record_shows_on_the_next_view(client_for, users):
    reg = make_registers(users)
    leader = client_for("leader")
    for _ in range(2):  # the second view is served from the cache
        assert "CH-2026-0001" in _text(leader.get(ICTG))
        assert "MSHT-2026-0001" in _text(leader.get(NOTIFICATIONS))
        assert "Harbour house" in _text(leader.get(SUPPORT))

    reg.ictg.child_reference = "CH-2026-0099"
    reg.ictg.save()
    reg.notification.incident_reference = "MSHT-2026-0099"
    reg.notification.save()
    reg.support.name = "Lighthouse house"
    reg.support.save()
    assert "CH-2026-0099" in _text(leader.get(ICTG)) and "CH-2026-0001" not in _text(leader.get(ICTG))
    notifications = _text(leader.get(NOTIFICATIONS))
    assert "MSHT-2026-0099" in notifications and "MSHT-2026-0001" not in notifications
    support = _text(leader.get(SUPPORT))
    assert "Lighthouse house" in support and "Harbour house" not in support

    # A new record, and the overdue filter: a review recorded takes the referral off the overdue list.
    today = timezone.localdate()
    assert "CH-2026-0099" in _text(leader.get(ICTG, {"overdue": "1"}))
    ICTGReferral.objects.create(
        child_reference="CH-2026-0100", referred_on=today, ictg_service="ICTG", next_review_on=today - timedelta(days=1)
    )
    assert "CH-2026-0100" in _text(leader.get(ICTG, {"overdue": "1"}))
    reg.ictg.last_review_on, reg.ictg.next_review_on = today, today + timedelta(days=90)
    reg.ictg.save()
    assert "CH-2026-0099" not in _text(leader.get(ICTG, {"overdue": "1"}))
    SafeguardingNotification.objects.filter(pk=reg.notification.pk).delete()
    assert "MSHT-2026-0099" not in _text(leader.get(NOTIFICATIONS))
    SupportService.objects.filter(pk=reg.support.pk).delete()
    assert "Lighthouse house" not in _text(leader.get(SUPPORT))


def test_an_agreement_changed_shows_on_the_next_view(client_for, users):
    w = two_partnerships(users)
    client = client_for("coordinator")
    assert "Alpha sharing ISA" in _text(client.get(AGREEMENTS))
    w.p1_agreement.title = "Alpha renamed ISA"
    w.p1_agreement.save()
    page = _text(client.get(AGREEMENTS))
    assert "Alpha renamed ISA" in page and "Alpha sharing ISA" not in page
    make_agreement(w.p2, by=users["coordinator"], title="Bravo second ISA", parties=[w.other, w.council])
    assert "Bravo second ISA" in _text(client.get(AGREEMENTS))


def test_readers_never_share_an_entry(client_for, users):
    two_partnerships(users)
    for _ in range(2):
        coordinator = _text(client_for("coordinator").get(AGREEMENTS))
        assert "Bravo P2SECRET ISA" in coordinator and "Alpha council-only ISA" in coordinator
        partner = _text(client_for("partner").get(AGREEMENTS))
        assert "Alpha sharing ISA" in partner
        assert "P2SECRET" not in partner and "Alpha council-only ISA" not in partner
    make_registers(users)
    leader = _text(client_for("leader").get(ICTG))
    assert 'href="/partnerships/ictg/' in leader and "Change<span" in leader
    assert client_for("pcc").get(ICTG).status_code == 403


def test_external_partners_are_refused_hit_or_miss(client_for, users):
    make_registers(users)
    for _ in range(2):
        for url in (ICTG, NOTIFICATIONS, SUPPORT):
            assert client_for("leader").get(url).status_code == 200
            assert client_for("partner").get(url).status_code == 403


def test_a_role_or_membership_taken_away_is_not_served_the_old_page(client_for, users):
    make_registers(users)
    client = client_for("coordinator")
    for url in (NOTIFICATIONS, SUPPORT):
        assert client.get(url).status_code == 200
    users["coordinator"].groups.remove(Group.objects.get(name=Role.PARTNERSHIP_COORDINATOR.label))
    for url in (NOTIFICATIONS, SUPPORT, AGREEMENTS):
        assert client.get(url).status_code == 403

    w = two_partnerships(users)
    partner = client_for("partner")
    assert "Alpha sharing ISA" in _text(partner.get(AGREEMENTS))
    membership = w.p1.memberships.get(organisation=w.partner_org)
    membership_remove(membership=membership, by=users["leader"], reason="Left the forum")
    assert "Alpha sharing ISA" not in _text(partner.get(AGREEMENTS))


def test_every_ictg_view_is_logged_with_its_marking_hit_or_miss(client_for, users):
    make_registers(users)
    client = client_for("leader")
    before = AccessLog.objects.filter(object_type="partnerships.ictgreferral").count()
    for _ in range(3):
        assert "OFFICIAL-SENSITIVE" in _text(client.get(ICTG, {"overdue": "1"}))  # the page's marking, cached too
    rows = list(AccessLog.objects.filter(object_type="partnerships.ictgreferral").order_by("-id")[:3])
    assert AccessLog.objects.filter(object_type="partnerships.ictgreferral").count() == before + 3
    assert all(row.username == "leader" and row.object_repr == "ICTG referrals list" for row in rows)


def test_an_agreement_search_is_never_kept(client_for, users, monkeypatch):
    from mshtgov import summaries

    two_partnerships(users)
    stored = []
    original = summaries.store_watched
    monkeypatch.setattr(summaries, "store_watched", lambda entries, **kw: stored.extend(entries) or original(entries))
    client = client_for("coordinator")
    for _ in range(2):
        page = _text(client.get(AGREEMENTS, {"q": "alpha sharing"}))
        assert "Alpha sharing ISA" in page and 'value="alpha sharing"' in page
    assert stored == []
    client.get(AGREEMENTS, {"q": " ", "status": "active"})  # nothing typed: kept
    assert len(stored) == 1


def test_the_page_marking_follows_what_is_shown(client_for, users):
    reg = make_registers(users)
    client = client_for("leader")
    for _ in range(2):
        assert "OFFICIAL-SENSITIVE" not in _text(client.get(NOTIFICATIONS))
    reg.notification.marking = Marking.OFFICIAL_SENSITIVE
    reg.notification.save()
    for _ in range(2):
        assert "OFFICIAL-SENSITIVE" in _text(client.get(NOTIFICATIONS))


def test_the_organisation_list_is_kept_per_query_and_an_organisation_added_shows_at_once(client_for, users, stored):
    from tests.factories import PartnerOrganisationFactory

    url = reverse("partnerships:organisation-list")
    PartnerOrganisationFactory(name="Aldgate Refuge")
    coordinator = client_for("coordinator")
    for _ in range(2):
        assert "Aldgate Refuge" in _text(coordinator.get(url))
    assert len([k for k in stored if "organisation-list" in k]) == 1
    PartnerOrganisationFactory(name="Abbey Night Shelter")
    assert "Abbey Night Shelter" in _text(coordinator.get(url))
    # A search is built afresh and never kept; a partner is refused.
    assert "Aldgate Refuge" in _text(coordinator.get(url, {"q": "Aldgate"}))
    assert "Abbey Night Shelter" not in _text(coordinator.get(url, {"q": "Aldgate"}))
    assert len([k for k in stored if "organisation-list" in k]) == 2
    assert client_for("partner").get(url).status_code in (403, 404)


def test_a_terms_page_is_drawn_once_a_change_shows_at_once_and_its_form_posts_with_the_readers_token(
    client_for, users, stored
):
    import re

    from django.middleware.csrf import _unmask_cipher_token

    w = two_partnerships(users)
    url = reverse("partnerships:terms-detail", args=[w.p1.pk, w.p1_terms.pk])
    coordinator = client_for("coordinator")
    for _ in range(2):
        text = _text(coordinator.get(url))
        assert "P1 purpose text" in text
        token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', text)[1]
        assert _unmask_cipher_token(token) == coordinator.cookies["csrftoken"].value
    assert len([k for k in stored if ":terms:" in k]) == 1
    w.p1_terms.purpose = "P1 purpose, as amended"
    w.p1_terms._history_user = users["coordinator"]
    w.p1_terms.save()
    assert "P1 purpose, as amended" in _text(coordinator.get(url))


def test_another_partnerships_terms_are_404_to_a_partner_and_nothing_is_kept(client_for, users, stored):
    w = two_partnerships(users)
    partner = client_for("partner")
    for _ in range(2):
        assert partner.get(reverse("partnerships:terms-detail", args=[w.p2.pk, w.p2_terms.pk])).status_code == 404
        assert partner.get(reverse("partnerships:terms-compare", args=[w.p2.pk])).status_code == 404
        mixed = {"left": w.p1_terms.pk, "right": w.p2_terms.pk}
        assert partner.get(reverse("partnerships:terms-compare", args=[w.p1.pk]), mixed).status_code == 404
    assert not [k for k in stored if ":terms" in k]
    assert "P1 purpose text" in _text(partner.get(reverse("partnerships:terms-compare", args=[w.p1.pk])))
