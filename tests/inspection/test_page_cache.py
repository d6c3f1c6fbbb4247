"""Issue 15: the findings register is served from the cache once built, per reader (their user, roles and
permissions), query string and day (mshtgov.page_cache). A page must never show an older truth than the last
change, never one reader's page to another, and every view is logged as before, served from the cache or not.
A search is never kept (the typed words would be), nor are refused filters."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
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


def _detail(finding) -> str:
    return reverse("inspection:finding-detail", args=[finding.pk])


def test_a_finding_page_shows_each_change_on_the_next_view(client_for, users):
    from mshtgov.citations import cite
    from tests.learning.factories import make_lesson

    leader, analyst = users["leader"], users["analyst"]
    finding = make_finding(leader, reference="Rec 9")
    url = _detail(finding)
    client = client_for("leader")
    for _ in range(2):
        page = client.get(url).content.decode()
        assert "No record is cited as evidence yet." in page and "Mark as in progress" in page
    cite(citing=finding, cited=make_lesson(analyst, title="Interpreters need vetting"), by=analyst)
    page = client.get(url).content.decode()
    assert "Interpreters need vetting" in page and "Remove<span" in page
    finding_start(finding=finding, by=leader)
    page = client.get(url).content.decode()
    assert "In progress" in page and "Mark as in progress" not in page
    action_create(
        title="Name a single point of contact", owner=leader, due_date=date(2026, 12, 1), by=leader, source=finding
    )
    assert "Name a single point of contact" in client.get(url).content.decode()
    finding.text = "A reworded finding."
    finding.save()
    assert "A reworded finding." in client.get(url).content.decode()


def test_a_finding_page_is_never_shared_between_readers(client_for, users):
    """A senior leader may close and reopen; an analyst may not: each is served their own page."""
    from inspection.services.findings import finding_submit_evidence

    finding = make_finding(users["leader"])
    finding_submit_evidence(finding=finding, evidence="Done.", by=users["leader"])
    url = _detail(finding)
    for _ in range(2):
        assert "Close the finding" in client_for("leader").get(url).content.decode()
        assert "Close the finding" not in client_for("analyst").get(url).content.decode()


def test_a_finding_page_keeps_no_csrf_token_and_its_forms_still_post(users, monkeypatch):
    """The page's POST forms get the reader's own token, put in on every view; the cache holds none."""
    import re

    from django.test import Client

    from inspection.models import FindingStatus
    from mshtgov import summaries

    stored = []
    original = summaries.store_watched
    monkeypatch.setattr(
        summaries, "store_watched", lambda entries, **kw: stored.extend(entries.values()) or original(entries)
    )
    finding = make_finding(users["leader"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["leader"])
    for _ in range(2):
        page = client.get(_detail(finding)).content.decode()
        token = re.search(r'action="[^"]*/start/"><input type="hidden" name="csrfmiddlewaretoken" value="(\w+)"', page)
        assert token
    pages = [entry for entry, _versions in stored if isinstance(entry, dict) and "body" in entry]
    assert len(pages) == 1  # built once, then served from the cache
    assert "".join(pages[0]["body"]).count('name="csrfmiddlewaretoken" value=""') == 1
    response = client.post(reverse("inspection:finding-start", args=[finding.pk]), {"csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.IN_PROGRESS


def test_a_finding_page_is_logged_when_sensitive_on_every_view_and_never_kept_when_hidden(
    client_for, users, monkeypatch
):
    from mshtgov import summaries

    sensitive = make_finding(users["leader"], reference="Rec 1", marking=Marking.OFFICIAL_SENSITIVE)
    plain = make_finding(users["leader"], reference="Rec 2")
    client = client_for("analyst")
    for view in range(1, 4):
        assert "OFFICIAL-SENSITIVE" in client.get(_detail(sensitive)).content.decode()
        client.get(_detail(plain))
        logged = AccessLog.objects.filter(object_type="inspection.finding", object_id=str(sensitive.pk))
        assert logged.count() == view
        assert {(row.username, row.action, row.marking) for row in logged} == {
            ("analyst", "consult", Marking.OFFICIAL_SENSITIVE)
        }
    assert not AccessLog.objects.filter(object_type="inspection.finding", object_id=str(plain.pk)).exists()

    # A finding of a board the secretary does not serve: 404, and nothing kept for them.
    stored = []
    monkeypatch.setattr(summaries, "store_watched", lambda entries, **kw: stored.extend(entries))
    secretary = client_for("secretary")
    for _ in range(2):
        assert secretary.get(_detail(plain)).status_code == 404
    assert stored == []
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert client.get(_detail(sensitive)).status_code == 403
