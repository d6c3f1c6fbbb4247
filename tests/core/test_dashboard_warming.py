"""Issue 15: once a change commits, a job draws the dashboard again for its recent readers
(`mshtgov.dashboard_warming`, `mshtgov.tasks.warm_dashboards`), so the reader's next view is served from the cache
and shows the change. What a reader would check: the figure moved, the page is the one their own request would
draw, and nothing is drawn for an account that can no longer sign in. A failed job never fails the change."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from governance.services import action_create
from mshtgov import dashboard_warming, tasks
from tests.page_cache_support import same_page

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _open_actions(html: str) -> str | None:
    match = re.search(r'data-figure-key="actions:open" data-figure-value="([^"]*)"', html)
    return match.group(1) if match else None


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _raise_action(users, title="Brief the response teams"):
    return action_create(
        title=title, owner=users["analyst"], due_date=timezone.localdate() + timedelta(days=9), by=users["leader"]
    )


def _dashboards_kept(stored) -> list:
    return [key for key in stored if key.startswith("page:dashboard:")]


def test_a_readers_next_view_after_a_change_is_drawn_already_and_shows_it(
    users, client_for, stored, django_capture_on_commit_callbacks
):
    leader = client_for("leader")
    before = _page(leader)
    assert _open_actions(before) == "0"
    assert [user_id for user_id, _ in dashboard_warming.recent_readers()] == [users["leader"].pk]

    stored.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _raise_action(users)
    assert len(_dashboards_kept(stored)) == 1  # drawn by the job, for the leader

    stored.clear()
    warmed = _page(leader)
    assert _dashboards_kept(stored) == []  # served as the job drew it
    assert _open_actions(warmed) == "1"

    cache.clear()  # the page the leader's own request draws from nothing
    assert same_page(_page(leader)) == same_page(warmed)


def test_one_job_per_transaction_after_every_version_moved(
    users, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client_for("leader").get("/")
    runs = []
    real = tasks.warm_dashboards.run
    monkeypatch.setattr(tasks.warm_dashboards, "run", lambda: runs.append(1) or real())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _raise_action(users, "First")
        _raise_action(users, "Second")
    assert runs == [1]
    assert _open_actions(_page(client_for("leader"))) == "2"


def test_nothing_is_sent_for_a_rolled_back_change_or_a_change_no_dashboard_reads(
    users, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client_for("leader").get("/")
    sent = []
    monkeypatch.setattr(tasks.warm_dashboards, "delay", lambda: sent.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _raise_action(users)
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    assert sent == []
    from mshtgov.audit import log_access

    with django_capture_on_commit_callbacks(execute=True):
        log_access(None, "consult", object_type="x", object_id="1", object_repr="A view", user=users["leader"])
    assert sent == []  # an access-log row is read by no dashboard


def test_an_account_that_cannot_sign_in_is_not_drawn_for(users, client_for, stored, django_capture_on_commit_callbacks):
    client_for("analyst").get("/")
    users["analyst"].is_active = False
    users["analyst"].save()
    stored.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _raise_action(users)
    assert _dashboards_kept(stored) == []


def test_readers_seen_more_than_a_working_day_ago_are_not_warmed(users, client_for, monkeypatch):
    client_for("leader").get("/")
    assert [user_id for user_id, _ in dashboard_warming.recent_readers()] == [users["leader"].pk]
    later = dashboard_warming.time.time() + dashboard_warming.KEEP_SECONDS + 1
    monkeypatch.setattr(dashboard_warming.time, "time", lambda: later)
    assert dashboard_warming.recent_readers() == []


def test_a_broker_that_refuses_the_job_does_not_fail_the_change(
    users, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client_for("leader").get("/")

    def refuse():
        raise OSError("broker down")

    monkeypatch.setattr(tasks.warm_dashboards, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        action = _raise_action(users)
    assert action.pk is not None
    assert _open_actions(_page(client_for("leader"))) == "1"  # the reader builds it, as before warming


def test_warming_can_be_turned_off(users, client_for, settings, stored, django_capture_on_commit_callbacks):
    settings.DASHBOARD_WARMING = False
    client_for("leader").get("/")
    stored.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _raise_action(users)
    assert _dashboards_kept(stored) == []
