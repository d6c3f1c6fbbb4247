"""Issue 15: the findings register is served from the cache once built, per reader (their user, roles and
permissions), query string and day (mshtgov.page_cache). A page must never show an older truth than the last
change, never one reader's page to another, and every view is logged as before, served from the cache or not.
A search is never kept (the typed words would be), nor are refused filters."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from governance.services.actions import action_create
from inspection.services.findings import finding_start
from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.roles import Role
from tests.governance.factories import BoardFactory
from tests.inspection.factories import make_finding

pytestmark = pytest.mark.django_db

REGISTER = reverse("inspection:finding-list")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _references(response) -> list:
    assert response.status_code == 200
    return [shown.reference for shown in response.context["page"]]


def test_a_change_to_a_listed_finding_shows_on_the_next_view(client_for, users):
    leader = users["leader"]
    client = client_for("analyst")
    first = make_finding(leader, reference="Rec 1", due=date(2026, 10, 1))
    assert _references(client.get(REGISTER)) == ["Rec 1"]
    assert _references(client.get(REGISTER)) == ["Rec 1"]  # served from the cache

    make_finding(leader, reference="Rec 2", due=date(2026, 11, 1))
    assert _references(client.get(REGISTER)) == ["Rec 1", "Rec 2"]

    outstanding = {"status": "in_progress"}
    assert _references(client.get(REGISTER, outstanding)) == []
    finding_start(finding=first, by=leader)
    assert _references(client.get(REGISTER, outstanding)) == ["Rec 1"]
    assert "In progress" in client.get(REGISTER).content.decode()

    assert "0 of 0" in client.get(REGISTER).content.decode()
    action_create(
        title="Name a single point of contact", owner=leader, due_date=date(2026, 12, 1), by=leader, source=first
    )
    assert "1 of 1" in client.get(REGISTER).content.decode()

    first.source_report = "A renamed report"
    first.save()
    assert "A renamed report" in client.get(REGISTER).content.decode()


def test_readers_never_share_an_entry(client_for, users):
    """A board secretary reads only the findings of the boards they serve: the same query string, built for
    a leader who reads every finding, is never served to them (nor theirs to the leader)."""
    theirs = BoardFactory(name="Tactical group", secretary=users["secretary"])
    make_finding(users["leader"], reference="Rec 1", board=theirs)
    make_finding(users["leader"], reference="Rec 2", board=BoardFactory(name="Other board"))
    for _ in range(2):
        assert _references(client_for("leader").get(REGISTER)) == ["Rec 1", "Rec 2"]
        assert _references(client_for("secretary").get(REGISTER)) == ["Rec 1"]


def test_a_role_taken_away_is_not_served_the_old_page(client_for, users):
    make_finding(users["leader"])
    client = client_for("analyst")
    for _ in range(2):
        assert client.get(REGISTER).status_code == 200
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert client.get(REGISTER).status_code == 403


def test_the_marking_is_raised_and_nothing_more_logged_from_the_cache(client_for, users):
    """The register logs no row of its own (as before the cache); its marking comes from what it shows."""
    make_finding(users["leader"], marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("analyst")
    before = AccessLog.objects.count()
    for _ in range(3):
        assert "OFFICIAL-SENSITIVE" in client.get(REGISTER).content.decode()
    assert AccessLog.objects.count() == before


def test_a_search_and_refused_filters_are_never_kept(client_for, users, monkeypatch):
    from mshtgov import summaries

    stored = []
    original = summaries.store_watched
    monkeypatch.setattr(summaries, "store_watched", lambda entries, **kw: stored.extend(entries) or original(entries))
    make_finding(users["leader"], reference="Rec 77", text="Nail bars and car washes.")
    client = client_for("analyst")
    for _ in range(2):
        page = client.get(REGISTER, {"q": "nail bars"})
        assert _references(page) == ["Rec 77"] and 'value="nail bars"' in page.content.decode()
        html = client.get(REGISTER, {"status": "nonsense"}).content.decode()
        assert "There is a problem" in html and "govuk-form-group--error" in html
    assert stored == []
    client.get(REGISTER, {"q": "", "status": "outstanding"})  # an empty search box: nothing typed, kept
    assert len(stored) == 1
