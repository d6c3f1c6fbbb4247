"""Issue 15: the lessons panel's figures are worked out once per reader and period, then read from the cache
until anything they read changes. What a reader checks: the same panel page twice, a lesson logged, moved on
or hidden from them shown in the figures at once, and a reader who may not see a sensitive lesson never
counting it."""

import re
from datetime import date

import pytest
from django.urls import reverse

from learning.models import LessonStatus
from learning.panels import gather_lessons
from learning.services.lessons import lesson_advance
from mshtgov.marking import Marking
from mshtgov.periods import Period
from tests.learning.factories import make_lesson

pytestmark = pytest.mark.django_db

PANEL = reverse("dashboard-panel", args=["learning-lessons"])
YEAR = Period("x", "2025", date(2025, 1, 1), date(2025, 12, 31))


def _text(response) -> str:
    assert response.status_code == 200
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", response.content.decode())
    return re.sub(r'data-session-timeout="\d+"', "", text)


def _figures(user) -> tuple[int, int]:
    data = gather_lessons(user, YEAR)
    return data["logged"].value, data["statuses"]["Identified"].value


def test_the_same_panel_page_hit_or_miss(client_for, users):
    make_lesson(users["analyst"], observed=date.today(), themes=["Safeguarding"])
    client = client_for("leader")
    first, second = _text(client.get(PANEL)), _text(client.get(PANEL))
    assert first == second and "Lessons learned" in first


def test_a_lesson_logged_or_moved_on_counts_at_once(users):
    leader = users["leader"]
    lesson = make_lesson(users["analyst"], observed=date(2025, 3, 1))
    assert _figures(leader) == (1, 0)
    assert _figures(leader) == (1, 0)  # from the cache
    make_lesson(users["analyst"], observed=date(2025, 4, 1))
    assert _figures(leader) == (2, 0)
    lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=users["analyst"], on=date(2025, 3, 5))
    assert _figures(leader) == (2, 1)


def test_each_reader_counts_only_what_they_may_read(users):
    make_lesson(users["analyst"], observed=date(2025, 3, 1))
    sensitive = make_lesson(users["analyst"], observed=date(2025, 3, 2), marking=Marking.OFFICIAL_SENSITIVE)
    for _ in range(2):
        assert _figures(users["leader"])[0] == 2
        assert _figures(users["pcc"])[0] == 1  # PCC liaisons read OFFICIAL lessons only
    sensitive.marking = Marking.OFFICIAL
    sensitive.save()
    assert _figures(users["pcc"])[0] == 2
