"""Issue 15: what the lesson page shows is served from the cache once read, per reader (their user, roles and
permissions), lesson and day. It must never show an older truth than the last change, never one reader's view
to another, and every view of a sensitive lesson is still logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import ActionSource
from governance.services import action_create, action_update_progress
from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from tests.learning.factories import make_lesson

pytestmark = pytest.mark.django_db


def _page(client, lesson):
    return client.get(reverse("learning:lesson-detail", args=[lesson.pk]))


def test_a_change_shows_on_the_next_view(client_for, users):
    lesson = make_lesson(users["analyst"], title="Harbour watch")
    leader = client_for("leader")
    assert "Harbour watch" in _page(leader, lesson).content.decode()
    assert _page(leader, lesson).context["actions"] == []  # served from the cache

    lesson.title = "Airport watch"
    lesson.save()
    assert "Airport watch" in _page(leader, lesson).content.decode()

    action = action_create(
        title="Brief the airport police",
        owner=users["analyst"],
        due_date=timezone.localdate() + timedelta(days=5),
        by=users["leader"],
        source=lesson,
        source_kind=ActionSource.LESSON,
    )
    page = _page(leader, lesson)
    assert [a.title for a in page.context["actions"]] == ["Brief the airport police"]
    assert page.context["open_actions"] == 1
    action_update_progress(action=action, status="done", completion_note="Done", by=users["leader"], reason="Done")
    assert _page(leader, lesson).context["open_actions"] == 0


def test_a_reader_who_may_not_open_the_lesson_never_gets_it(client_for, users):
    lesson = make_lesson(users["analyst"], title="Safe house lesson", marking=Marking.OFFICIAL_SENSITIVE)
    assert _page(client_for("leader"), lesson).status_code == 200
    pcc = client_for("pcc")  # PCC liaisons read OFFICIAL lessons only
    assert _page(pcc, lesson).status_code == 404
    assert _page(pcc, lesson).status_code == 404

    lesson.marking = Marking.OFFICIAL
    lesson.save()
    assert _page(pcc, lesson).status_code == 200
    lesson.marking = Marking.OFFICIAL_SENSITIVE
    lesson.save()
    assert _page(pcc, lesson).status_code == 404


def test_every_view_of_a_sensitive_lesson_is_logged_and_marked(client_for, users):
    lesson = make_lesson(users["analyst"], title="Safe house lesson", marking=Marking.OFFICIAL_SENSITIVE)
    leader = client_for("leader")
    for _ in range(3):  # built once, then served from the cache
        assert "OFFICIAL-SENSITIVE" in _page(leader, lesson).content.decode()
    views = AccessLog.objects.filter(action=AccessAction.CONSULT, object_type="learning.lesson", object_id=lesson.pk)
    assert views.count() == 3


def _found(client, **query):
    return {lesson.title for lesson in client.get(reverse("learning:lesson-list"), query).context["page"]}


def test_the_list_and_its_search_show_a_change_on_the_next_view(client_for, users):
    make_lesson(users["analyst"], title="Harbour watch")
    analyst = client_for("analyst")
    assert _found(analyst, q="harbour") == {"Harbour watch"}
    assert _found(analyst, q="harbour") == {"Harbour watch"}  # served from the cache
    assert _found(analyst) == {"Harbour watch"}

    second = make_lesson(users["analyst"], title="Harbour master briefing")
    assert _found(analyst, q="harbour") == {"Harbour watch", "Harbour master briefing"}
    second.title = "Airport briefing"
    second.save()
    assert _found(analyst, q="harbour") == {"Harbour watch"}
    assert _found(analyst) == {"Harbour watch", "Airport briefing"}


def test_readers_never_share_a_listing_and_every_search_is_logged(client_for, users):
    make_lesson(users["analyst"], title="Harbour watch")
    make_lesson(users["analyst"], title="Harbour safe house", marking=Marking.OFFICIAL_SENSITIVE)
    assert _found(client_for("leader"), q="harbour") == {"Harbour watch", "Harbour safe house"}
    pcc = client_for("pcc")  # PCC liaisons read OFFICIAL lessons only
    assert _found(pcc, q="harbour") == {"Harbour watch"}
    assert _found(pcc, q="harbour") == {"Harbour watch"}
    searches = AccessLog.objects.filter(action=AccessAction.SEARCH, object_type="learning.lesson")
    assert searches.count() == 3
    assert all("harbour" not in str(row.detail).lower() for row in searches)
