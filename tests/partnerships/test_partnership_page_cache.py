"""Issue 15: the partnerships list, a partnership's page and its history are drawn once per reader (and query
string) and day, then served from the cache (mshtgov.page_cache) until anything they read changes. What a
reader checks: the same page served twice, a change shown at once, an external partner never shown another
partnership's records and answered 404 for its id (nothing kept for them), a sensitive partnership's view
logged every time, the CSRF token of the page's form the reader's own."""

import re

import pytest
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from partnerships.services.partnerships import membership_remove
from tests.page_cache_support import same_page
from tests.partnerships.factories import two_partnerships

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:partnership-list")


def _detail(p):
    return reverse("partnerships:partnership-detail", args=[p.pk])


def _history(p):
    return reverse("partnerships:partnership-history", args=[p.pk])


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["leader", "coordinator", "partner"])
def test_the_same_pages_hit_or_miss(client_for, users, role, stored):
    w = two_partnerships(users)
    client = client_for(role)
    for url in (LIST, _detail(w.p1), _history(w.p1)):
        first, second = _text(client.get(url)), _text(client.get(url))
        assert same_page(first) == same_page(second)
        assert "Alpha Forum P1" in first
    assert len(stored) == 3  # one entry per page, the second view served from it


def test_a_change_shows_at_once(client_for, users):
    w = two_partnerships(users)
    for role in ("coordinator", "partner"):
        client = client_for(role)
        for url in (LIST, _detail(w.p1), _history(w.p1)):
            assert "Alpha Forum P1" in _text(client.get(url))
    w.p1.name = "Alpha Forum renamed"
    w.p1.save()
    w.p1_agreement.title = "Alpha shared renamed ISA"
    w.p1_agreement.save()
    for role in ("coordinator", "partner"):
        client = client_for(role)
        for url in (LIST, _detail(w.p1), _history(w.p1)):
            page = _text(client.get(url))
            assert "Alpha Forum renamed" in page
        assert "Alpha shared renamed ISA" in _text(client.get(_detail(w.p1)))
        assert "Alpha Forum renamed" in _text(client.get(_history(w.p1))).split("History of", 1)[1]


def test_a_partner_never_sees_another_partnership(client_for, users, stored):
    w = two_partnerships(users)
    coordinator = client_for("coordinator")
    for _ in range(2):
        assert "Bravo Hub P2SECRET" in _text(coordinator.get(LIST))
        assert "Bravo Hub P2SECRET" in _text(coordinator.get(_detail(w.p2)))
    partner = client_for("partner")
    kept = len(stored)
    for _ in range(2):
        assert "P2SECRET" not in _text(partner.get(LIST))
        assert partner.get(_detail(w.p2)).status_code == 404
        assert partner.get(_history(w.p2)).status_code == 404
        assert partner.get(reverse("partnerships:partnership-detail", args=[w.p2.pk + 1000])).status_code == 404
    assert len(stored) == kept + 1  # the partner's list only: nothing kept for a page they were refused
    assert "Alpha council-only ISA" not in _text(partner.get(_detail(w.p1)))


def test_a_partner_who_leaves_loses_the_page_at_once(client_for, users):
    w = two_partnerships(users)
    partner = client_for("partner")
    assert "Alpha Forum P1" in _text(partner.get(LIST))
    assert partner.get(_detail(w.p1)).status_code == 200
    membership_remove(membership=w.p1.memberships.get(organisation=w.partner_org), by=users["leader"], reason="Left")
    assert "Alpha Forum P1" not in _text(partner.get(LIST))
    assert partner.get(_detail(w.p1)).status_code == 404
    assert partner.get(_history(w.p1)).status_code == 404


def test_a_sensitive_partnership_is_logged_and_marked_on_every_view(client_for, users):
    w = two_partnerships(users)
    w.p1.marking = Marking.OFFICIAL_SENSITIVE
    w.p1.save()
    client = client_for("coordinator")
    logged = AccessLog.objects.filter(object_type="partnerships.partnership", object_id=str(w.p1.pk))
    before = logged.count()
    for _ in range(3):
        assert "OFFICIAL-SENSITIVE" in _text(client.get(_detail(w.p1)))
        assert "OFFICIAL-SENSITIVE" in _text(client.get(_history(w.p1)))
    assert logged.count() == before + 6
    assert all(row.username == "coordinator" for row in logged)


def test_the_csrf_token_is_the_readers_own(client_for, users):
    w = two_partnerships(users)
    w.p1_draft.delete()  # no open draft: the page offers a form to start a new version
    pages = []
    for _ in range(2):
        client = client_for("coordinator")  # a new session each time: a token of its own
        text = _text(client.get(_detail(w.p1)))
        assert "Start a new version" in text
        pages.append((client.cookies["csrftoken"].value, re.search(r'csrfmiddlewaretoken" value="([^"]+)"', text)[1]))
    assert pages[0][1] != pages[1][1]
    from django.middleware.csrf import _unmask_cipher_token

    for cookie, token in pages:
        assert _unmask_cipher_token(token) == cookie


def test_a_search_is_never_kept(client_for, users, stored):
    two_partnerships(users)
    client = client_for("coordinator")
    for _ in range(2):
        page = _text(client.get(LIST, {"q": "alpha"}))
        assert "Alpha Forum P1" in page and "P2SECRET" not in page and 'value="alpha"' in page
    assert stored == []
