"""Issue 15: a lesson's page and the establishment are drawn once per reader (and query string) and day and
served from the cache (mshtgov.page_cache) until anything they read changes. What a user would check: the same
page hit or miss, drawn once; a change shows at once; a refused reader is refused every time with nothing kept; a
sensitive lesson is marked and its view logged on every view, hit or miss."""

import pytest
from django.urls import reverse

from learning.models import RoleGroup
from learning.services.establishment import establishment_set
from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from tests.learning.factories import establish, make_lesson
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _kept(stored, name):
    return [key for key in stored if key.startswith(f"page:learning:{name}")]


def _lesson_url(lesson):
    return reverse("learning:lesson-detail", args=[lesson.pk])


# A lesson's page


def test_a_lesson_the_same_hit_or_miss_and_a_change_shows_at_once(client_for, users, stored):
    lesson = make_lesson(users["analyst"], title="Harbour watch")
    client = client_for("leader")
    first, second = _page(client.get(_lesson_url(lesson))), _page(client.get(_lesson_url(lesson)))
    assert same_page(first) == same_page(second)
    assert f"<title>{lesson.reference}: Harbour watch – " in first
    assert len(_kept(stored, f"lesson:{lesson.pk}:")) == 1  # drawn once

    lesson.title = "Airport watch"
    lesson.save()
    assert "Airport watch" in _page(client.get(_lesson_url(lesson)))


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("anon", 302)])
def test_a_lesson_refused_every_time_nothing_kept(client_for, users, stored, role, status):
    lesson = make_lesson(users["analyst"])
    stored.clear()
    client = client_for(role)
    for _ in range(2):
        assert client.get(_lesson_url(lesson)).status_code == status
    assert not [key for key in stored if key.startswith("page:")]


def test_a_sensitive_lesson_the_pcc_may_not_open_is_404_every_time_nothing_kept(client_for, users, stored):
    lesson = make_lesson(users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    stored.clear()
    pcc = client_for("pcc")  # PCC liaisons read OFFICIAL lessons only
    for _ in range(2):
        assert pcc.get(_lesson_url(lesson)).status_code == 404
    assert not [key for key in stored if key.startswith("page:")]


def test_a_sensitive_lesson_is_marked_and_logged_on_every_view(client_for, users):
    lesson = make_lesson(users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    logged = AccessLog.objects.filter(action=AccessAction.CONSULT, object_type="learning.lesson", object_id=lesson.pk)
    client = client_for("leader")
    for _ in range(2):  # a miss, then a hit
        html = _page(client.get(_lesson_url(lesson)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == 2


# The establishment

ESTABLISHMENT = reverse("learning:establishment-list")


def test_the_establishment_the_same_hit_or_miss_and_a_headcount_shows_at_once(client_for, users, stored):
    establish("North response", "frontline", 40)
    client = client_for("analyst")
    first, second = _page(client.get(ESTABLISHMENT)), _page(client.get(ESTABLISHMENT))
    assert same_page(first) == same_page(second)
    assert "<title>Establishment – " in first and "North response" in first and "Set a headcount" in first
    assert len(_kept(stored, "establishment:")) == 1  # drawn once

    group = RoleGroup.objects.get(code="frontline")
    establishment_set(unit_name="South response", role_group=group, headcount=17, by=users["analyst"])
    assert "South response" in _page(client.get(ESTABLISHMENT))
    assert "Set a headcount" not in _page(client_for("leader").get(ESTABLISHMENT))  # the leader reads it only


@pytest.mark.parametrize(("role", "status"), [("coordinator", 403), ("partner", 403), ("anon", 302)])
def test_the_establishment_refused_every_time_nothing_kept(client_for, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(ESTABLISHMENT).status_code == status
    assert not [key for key in stored if key.startswith("page:")]
