"""Issue 15: an external partner's "your partnerships" panel is worked out once per reader, then read from the
cache until anything it read changes. What the partner checks: the same panel page twice, only their own
partnerships, a member added counted at once, a partnership they leave gone at once."""

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
