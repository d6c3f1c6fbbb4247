"""Issue 15: a finding's history page is drawn once per reader, page of history and day with the reader's
access check inside the cached build. What a reader checks: the same page twice and as drawn afresh, a
change shown at once, a secretary refused (404) the history of another board's finding and nothing kept for
them, a sensitive finding marked and logged on every view."""

import pytest
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from tests.governance.factories import BoardFactory
from tests.inspection.factories import make_finding
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _url(finding):
    return reverse("inspection:finding-history", args=[finding.pk])


def _text(response) -> str:
    assert response.status_code == 200
    return same_page(response.content.decode())


def test_the_same_page_hit_or_miss_and_a_change_at_once(client_for, users):
    finding = make_finding(users["leader"], reference="Rec 5")
    client = client_for("analyst")
    first, second = _text(client.get(_url(finding))), _text(client.get(_url(finding)))
    assert first == second and "Rec 5" in first
    finding.source_report = "A renamed report"
    finding._change_reason = "Report renamed"
    finding.save()
    page = _text(client.get(_url(finding)))
    assert "A renamed report" in page and "Report renamed" in page


def test_a_reader_who_may_not_open_it_is_refused_and_nothing_kept(client_for, users, stored):
    theirs = BoardFactory(name="Tactical group", secretary=users["secretary"])
    mine = make_finding(users["leader"], reference="Rec 1", board=theirs)
    other = make_finding(users["leader"], reference="Rec 2", board=BoardFactory(name="Other board"))
    client = client_for("secretary")
    for _ in range(2):
        assert "Rec 1" in _text(client.get(_url(mine)))
        assert client.get(_url(other)).status_code == 404
    assert len(stored) == 1
    assert "Rec 2" in _text(client_for("leader").get(_url(other)))
    assert client.get(_url(other)).status_code == 404


def test_a_sensitive_finding_is_marked_and_logged_on_every_view(client_for, users):
    finding = make_finding(users["leader"], marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("analyst")
    logged = AccessLog.objects.filter(object_type="inspection.finding", object_id=str(finding.pk))
    before = logged.count()
    for _ in range(3):
        assert "OFFICIAL-SENSITIVE" in _text(client.get(_url(finding)))
    assert logged.count() == before + 3
