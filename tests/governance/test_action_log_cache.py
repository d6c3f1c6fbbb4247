"""Issue 15: the action log's page is served from the cache once built, per reader (their user, roles and
permissions) and query string. It must never show an older truth than the last change, and never one reader's
rows to another: each change that could alter what a reader sees shows on the next view."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import ActionSource
from governance.services import action_create, action_update_progress
from mshtgov.marking import Marking
from mshtgov.roles import Role
from tests.governance.factories import ActionFactory, BoardFactory

pytestmark = pytest.mark.django_db

LOG = "/governance/actions/"


def _titles(response) -> set:
    return {shown.reference for shown in response.context["page"].object_list}


def test_a_change_shows_on_the_next_view(client_for, users):
    today = timezone.localdate()
    board = BoardFactory(name="Strategic")
    leader = client_for("leader")
    first = ActionFactory(title="First action", owner=users["analyst"], board=board, due_date=today)
    assert _titles(leader.get(LOG)) == {"First action"}
    assert _titles(leader.get(LOG)) == {"First action"}  # served from the cache

    action_create(title="Second action", owner=users["analyst"], due_date=today + timedelta(days=3), by=users["leader"])
    assert _titles(leader.get(LOG)) == {"First action", "Second action"}

    overdue = leader.get(LOG, {"overdue": "on"})
    assert _titles(overdue) == set()
    first.due_date = today - timedelta(days=1)
    first.save()
    assert _titles(leader.get(LOG, {"overdue": "on"})) == {"First action"}
    action_update_progress(action=first, status="done", completion_note="Done", by=users["leader"], reason="Done")
    assert _titles(leader.get(LOG, {"overdue": "on"})) == set()

    # Names drawn in the rows: the board's and the owner's.
    board.name = "Renamed board"
    board.save()
    users["analyst"].first_name, users["analyst"].last_name = "Ada", "Renamed"
    users["analyst"].save()
    html = leader.get(LOG).content.decode()
    assert "Renamed board" in html
    assert "Ada Renamed" in html


def test_readers_never_share_an_entry(client_for, users):
    board = BoardFactory(name="Closed board")
    ActionFactory(title="Board action", owner=users["leader"], board=board, due_date=timezone.localdate())
    assert "Board action" in _titles(client_for("leader").get(LOG))
    # Same query string, another reader: the analyst does not sit on the board.
    analyst = client_for("analyst")
    assert "Board action" not in _titles(analyst.get(LOG))

    board.members.add(users["analyst"])  # a seat on the board shows its actions at once
    assert "Board action" in _titles(analyst.get(LOG))
    board.members.remove(users["analyst"])
    assert "Board action" not in _titles(analyst.get(LOG))


def test_a_role_taken_away_is_not_served_the_old_page(client_for, users):
    ActionFactory(title="Unsourced action", owner=users["leader"], board=None, due_date=timezone.localdate())
    analyst = client_for("analyst")
    assert "Unsourced action" in _titles(analyst.get(LOG))
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert analyst.get(LOG).status_code == 403


def test_an_action_whose_source_was_deleted_leaves_the_cached_log(client_for, users):
    from tests.learning.factories import make_lesson

    lesson = make_lesson(users["analyst"], title="Sensitive lesson", marking=Marking.OFFICIAL_SENSITIVE)
    action_create(
        title="Follow up the lesson",
        owner=users["analyst"],
        due_date=lesson.observed_on,
        by=users["analyst"],
        source=lesson,
        source_kind=ActionSource.LESSON,
    )
    leader = client_for("leader")
    assert "Follow up the lesson" in _titles(leader.get(LOG))
    lesson.delete()
    # Hidden from the leader as the visibility rule hides it (its owner still sees it).
    assert "Follow up the lesson" not in _titles(leader.get(LOG))
    assert "Follow up the lesson" in _titles(client_for("analyst").get(LOG))


def test_the_cached_page_keeps_its_marking_and_filters(client_for, users):
    board = BoardFactory(name="Marked board")
    ActionFactory(title="Sensitive action", owner=users["analyst"], board=board, marking=Marking.OFFICIAL_SENSITIVE)
    leader = client_for("leader")
    for _ in range(2):  # built, then served from the cache
        assert "OFFICIAL-SENSITIVE" in leader.get(LOG).content.decode()
        refused = leader.get(LOG, {"overdue_on": "not a date"}).content.decode()
        assert "<title>Error: " in refused
        assert "govuk-form-group--error" in refused


def test_refused_filters_are_built_afresh_and_accepted_ones_kept(client_for, users):
    """A refused filter's page needs the live form (its error summary names the field), so it is never kept;
    an accepted one is served from the cache on the next view (far fewer queries)."""
    ActionFactory(title="Any action", owner=users["analyst"])
    leader = client_for("leader")

    def queries(params):
        with CaptureQueriesContext(connection) as seen:
            body = leader.get(LOG, params).content.decode()
        return len(seen), body

    queries({})  # the reader's own cached pieces (session, grants, menu) warmed first
    first, _ = queries({"overdue_on": "not a date"})
    again, body = queries({"overdue_on": "not a date"})
    assert again == first
    assert 'class="govuk-error-summary"' in body and "#id_overdue_on" in body
    built, _ = queries({"status": "open"})
    served, body = queries({"status": "open"})
    assert served < built
    assert "Any action" in body
