"""Issue 15: an external partner's "your partnerships" panel and the ICTG panel are worked out once per reader
(and day), then read from the cache until anything they read changes. What a reader checks: the same panel
page twice, only their own partnerships, a member added counted at once, a partnership they leave gone at
once, an ICTG review recorded or falling overdue shown at once."""

import re

import pytest
from django.urls import reverse

from partnerships.services.partnerships import membership_add, membership_remove
from tests.partnerships.factories import two_partnerships

pytestmark = pytest.mark.django_db

PANEL = reverse("dashboard-panel", args=["partnerships-mine"])


def _text(response) -> str:
    assert response.status_code == 200
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", response.content.decode())
    return re.sub(r'data-session-timeout="\d+"', "", text)


def _members(page: str, name: str) -> str:
    row = page[page.index(name) :]
    return re.search(r'data-figure-value="(\d+)"', row)[1]


def test_the_partner_sees_their_own_partnerships_hit_or_miss(client_for, users):
    two_partnerships(users)
    client = client_for("partner")
    first, second = _text(client.get(PANEL)), _text(client.get(PANEL))
    assert first == second
    assert "Alpha Forum P1" in first and "P2SECRET" not in first
    assert client_for("coordinator").get(PANEL).status_code == 404


def test_a_member_added_or_a_partnership_left_shows_at_once(client_for, users):
    w = two_partnerships(users)
    client = client_for("partner")
    assert _members(_text(client.get(PANEL)), "Alpha Forum P1") == "2"
    membership_add(partnership=w.p1, organisation=w.other, by=users["coordinator"])
    assert _members(_text(client.get(PANEL)), "Alpha Forum P1") == "3"
    membership_remove(membership=w.p1.memberships.get(organisation=w.partner_org), by=users["leader"], reason="Left")
    assert "Alpha Forum P1" not in _text(client.get(PANEL))


def test_the_ictg_panel_shows_a_review_recorded_or_falling_overdue_at_once(client_for, users):
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.models import ICTGReferral
    from tests.partnerships.factories import make_registers

    reg = make_registers(users)
    panel = reverse("dashboard-panel", args=["partnerships-ictg"])
    client = client_for("leader")
    for _ in range(2):
        assert reg.ictg.child_reference in _text(client.get(panel))
    today = timezone.localdate()
    ICTGReferral.objects.create(
        child_reference="CH-2026-0100", referred_on=today, ictg_service="ICTG", next_review_on=today - timedelta(days=1)
    )
    assert "CH-2026-0100" in _text(client.get(panel))
    reg.ictg.last_review_on, reg.ictg.next_review_on = today, today + timedelta(days=90)
    reg.ictg.save()
    page = _text(client.get(panel))
    assert reg.ictg.child_reference not in page and "CH-2026-0100" in page
    assert client_for("coordinator").get(panel).status_code == 404
