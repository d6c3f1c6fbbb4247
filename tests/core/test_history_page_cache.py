"""Issue 15: every record's history page (mshtgov.history.render_history) is drawn once per reader, page of
history and day, then served from the cache. It must show the same page a fresh drawing would, never one
reader's page to another, every change at once, and log a sensitive record's view on every view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.services.actions import action_edit
from mshtgov import summaries
from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from tests.governance.factories import ActionFactory, BoardFactory
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(users):
    return ActionFactory(title="Visit the car wash", owner=users["analyst"], board=BoardFactory(name="Tactical board"))


def _url(action):
    return reverse("governance:action-history", args=[action.pk])


def test_the_page_from_the_cache_is_the_page_drawn_afresh(client_for, action, monkeypatch):
    client = client_for("leader")
    with CaptureQueriesContext(connection) as built:
        first = client.get(_url(action))
    with CaptureQueriesContext(connection) as served:
        second = client.get(_url(action))
    assert second.status_code == 200
    assert same_page(second.content.decode()) == same_page(first.content.decode())
    assert len(served) < len(built)
    # And the same as drawing it with the cache out of the way.
    monkeypatch.setattr(summaries, "read_watched", lambda keys: {})
    assert same_page(client.get(_url(action)).content.decode()) == same_page(first.content.decode())
    page = first.content.decode()
    assert "History of Visit the car wash" in page and "Tactical board" in page
    assert 'href="/governance/actions/' in page  # the way back to the action


def test_a_change_shows_at_once_with_its_reason(client_for, users, action):
    client = client_for("leader")
    assert "Visit the car wash" in client.get(_url(action)).content.decode()
    action.title = "Visit the nail bar"
    action_edit(action=action, by=users["leader"], reason="Intelligence moved us on")
    page = client.get(_url(action)).content.decode()
    assert "History of Visit the nail bar" in page and "Intelligence moved us on" in page


def test_a_renamed_board_named_in_the_history_shows_at_once(client_for, action):
    client = client_for("leader")
    assert "Tactical board" in client.get(_url(action)).content.decode()
    action.board.name = "Tactical delivery board"
    action.board.save()
    assert "Tactical delivery board" in client.get(_url(action)).content.decode()


def test_readers_never_share_a_page(client_for, action):
    # The data protection officer's page offers redaction; nobody else's does, whichever was drawn first.
    assert "Redact personal data" in client_for("admin").get(_url(action)).content.decode()
    assert "Redact personal data" not in client_for("leader").get(_url(action)).content.decode()
    assert "Redact personal data" in client_for("admin").get(_url(action)).content.decode()


def test_a_reader_who_may_not_open_the_record_is_refused_every_time(client_for, action):
    client = client_for("partner")
    for _ in range(2):
        assert client.get(_url(action)).status_code in (403, 404)


def test_a_sensitive_record_is_marked_and_logged_on_every_view(client_for, action):
    action.marking = Marking.OFFICIAL_SENSITIVE
    action.save()
    client = client_for("leader")
    logged = AccessLog.objects.filter(object_type="governance.action", object_id=str(action.pk))
    before = logged.count()
    for _ in range(3):
        assert "OFFICIAL-SENSITIVE" in client.get(_url(action)).content.decode()
    assert logged.count() == before + 3


def test_a_history_costs_the_same_queries_whichever_record_it_shows(client_for, users, action):
    """Counted cold (the cache emptied before each view): a version naming no board costs what one naming a
    board costs, so the count does not depend on the data (issue 15, bench_queries)."""
    from django.core.cache import cache

    without_board = ActionFactory(title="Raised outside a board", owner=users["analyst"], board=None)
    client = client_for("leader")
    counts = []
    for record in (action, without_board, action):
        cache.clear()
        with CaptureQueriesContext(connection) as seen:
            assert client.get(_url(record)).status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1] == counts[2]
