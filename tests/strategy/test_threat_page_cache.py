"""Issue 15: the threat register is served from the cache once built, per reader (their user, roles and
permissions), query string and day (mshtgov.page_cache). A change shows on the next view, readers never share an
entry, a role taken away is refused, the register logs what it logged before, and refused filters are never
kept."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from mshtgov import summaries
from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.roles import Role
from strategy.services import threat_assessment_create
from tests.strategy.factories import ThreatFactory

pytestmark = pytest.mark.django_db

REGISTER = "/strategy/threats/"


def _keys_kept(monkeypatch, prefixes: tuple[str, ...]) -> list:
    """The keys starting with one of `prefixes` that the page cache keeps from now on."""
    keys = []
    original = summaries.store_watched

    def store(entries, **kw):
        keys.extend(key for key in entries if key.startswith(prefixes))
        return original(entries, **kw)

    monkeypatch.setattr(summaries, "store_watched", store)
    return keys


@pytest.fixture
def stored(monkeypatch):
    """The keys of the register's entries put in the cache."""
    return _keys_kept(monkeypatch, ("page:strategy:threats:",))


def _titles(response) -> list:
    assert response.status_code == 200
    return [shown.reference for shown in response.context["page"]]


def _assess(threat, by, *, on=date(2026, 10, 1), harm=3):
    return threat_assessment_create(
        threat=threat, by=by, assessed_on=on, harm=harm, likelihood=3, confidence=2, capacity=2, capability=2
    )


def test_a_change_to_a_listed_threat_shows_on_the_next_view(client_for, users, stored):
    analyst = users["analyst"]
    client = client_for("analyst")
    first = ThreatFactory(title="Car wash labour")
    assert _titles(client.get(REGISTER)) == ["Car wash labour"]
    assert _titles(client.get(REGISTER)) == ["Car wash labour"]  # served from the cache
    assert len(stored) == 1

    second = ThreatFactory(title="Nail bar labour")
    assert _titles(client.get(REGISTER)) == ["Car wash labour", "Nail bar labour"]

    _assess(second, analyst, harm=5)  # scored: now first, highest priority
    assert _titles(client.get(REGISTER)) == ["Nail bar labour", "Car wash labour"]
    assert "1 Oct 2026" in client.get(REGISTER).content.decode()

    rose = {"rose_since": "2026-09-01"}
    assert _titles(client.get(REGISTER, rose)) == []
    _assess(first, analyst, on=date(2026, 8, 1), harm=1)
    _assess(first, analyst, on=date(2026, 10, 2), harm=5)
    assert _titles(client.get(REGISTER, rose)) == ["Car wash labour"]

    first.title = "Hand car wash labour"
    first.save()
    assert "Hand car wash labour" in client.get(REGISTER).content.decode()


def test_readers_never_share_an_entry(client_for, users, stored):
    ThreatFactory(title="Car wash labour")
    clients = [client_for(role) for role in ("leader", "analyst", "pcc", "secretary")]  # signed in first
    for _ in range(2):
        for client in clients:
            assert _titles(client.get(REGISTER)) == ["Car wash labour"]
    assert len(stored) == 4 and len(set(stored)) == 4  # one entry each, built once


def test_a_role_taken_away_is_not_served_the_old_page(client_for, users):
    ThreatFactory()
    client = client_for("analyst")
    for _ in range(2):
        assert client.get(REGISTER).status_code == 200
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert client.get(REGISTER).status_code == 403


def test_the_marking_is_raised_and_nothing_more_logged_from_the_cache(client_for, users):
    """The register logs no row of its own (as before the cache); its marking comes from what it shows."""
    ThreatFactory(marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("pcc")
    before = AccessLog.objects.count()
    for _ in range(3):
        html = client.get(REGISTER).content.decode()
        assert "app-marking--sensitive" in html and html.count("OFFICIAL-SENSITIVE") >= 2
    assert AccessLog.objects.count() == before


def test_refused_filters_are_shown_and_never_kept(client_for, users, stored):
    ThreatFactory()
    client = client_for("analyst")
    for _ in range(2):
        html = client.get(REGISTER, {"as_of-day": "31", "as_of-month": "2", "as_of-year": "2026"}).content.decode()
        assert "There is a problem" in html and "govuk-form-group--error" in html
    assert stored == []


# A threat's page and the harm-and-likelihood matrix

MATRIX = "/strategy/threats/matrix/"


@pytest.fixture
def kept(monkeypatch):
    """The keys of the threat pages' and the matrix's entries put in the cache."""
    return _keys_kept(monkeypatch, ("page:strategy:threat:", "page:strategy:threat-matrix"))


def test_a_threat_page_and_the_matrix_are_drawn_once_and_a_new_assessment_shows_at_once(client_for, users, kept):
    threat = ThreatFactory(title="Car wash labour")
    _assess(threat, users["analyst"], harm=2)
    client = client_for("analyst")
    page = f"/strategy/threats/{threat.pk}/"
    first, matrix = client.get(page).content.decode(), client.get(MATRIX).content.decode()
    assert "Car wash labour" in first and "Car wash labour" in matrix
    client.get(page), client.get(MATRIX)
    assert len(kept) == 2  # each drawn once, then served from the cache
    _assess(threat, users["analyst"], on=date(2026, 10, 20), harm=5)
    again = client.get(page).content.decode()
    assert "20 October 2026" in again and "20 October 2026" not in first
    assert client.get(MATRIX).content.decode() != matrix
    assert len(kept) == 4


def test_a_missing_threat_is_404_and_nothing_is_kept_and_a_partner_is_refused(client_for, users, kept):
    for _ in range(2):
        assert client_for("analyst").get("/strategy/threats/999999/").status_code == 404
    threat = ThreatFactory()
    assert client_for("partner").get(f"/strategy/threats/{threat.pk}/").status_code in (403, 404)
    assert client_for("partner").get(MATRIX).status_code in (403, 404)
    assert kept == []


def test_a_sensitive_threat_is_logged_and_marked_on_every_view(client_for, users):
    threat = ThreatFactory(marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("pcc")
    before = AccessLog.objects.filter(object_id=str(threat.pk)).count()
    for _ in range(3):
        html = client.get(f"/strategy/threats/{threat.pk}/").content.decode()
        assert "app-marking--sensitive" in html
    assert AccessLog.objects.filter(object_id=str(threat.pk)).count() == before + 3
