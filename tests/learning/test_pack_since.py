"""The board pack's "since the last meeting" page lists lessons learned in the period."""

from datetime import date

from governance.models import ActionStatus
from governance.packs import since
from governance.services import action_create
from learning.models import LessonStatus
from learning.services.lessons import lesson_advance
from mshtgov.marking import Marking
from tests.learning.factories import make_lesson


def _learn(lesson, users, on):
    action = action_create(
        title="Fix it", owner=users["analyst"], due_date=date(2026, 6, 1), by=users["analyst"], source=lesson
    )
    for step in (LessonStatus.IDENTIFIED, LessonStatus.ACTION_ASSIGNED):
        lesson = lesson_advance(lesson=lesson, to_status=step, by=users["analyst"], on=on)
    action.status = ActionStatus.CLOSED  # a lesson is implemented only once its actions are done
    action.save()
    lesson = lesson_advance(lesson=lesson, to_status=LessonStatus.IMPLEMENTED, by=users["analyst"], on=on)
    return lesson_advance(lesson=lesson, to_status=LessonStatus.LEARNED, by=users["leader"], on=on)


def _provider():
    return next(p for p in since.providers() if p.key == "lessons-learned")


def test_lessons_learned_in_the_period_are_listed_and_others_are_not(users):
    inside = _learn(make_lesson(users["analyst"], title="Joint visits with the GLAA"), users, date(2026, 5, 10))
    _learn(make_lesson(users["analyst"], title="Before the period", operation="OP-2025-0200"), users, date(2026, 1, 5))
    make_lesson(users["analyst"], title="Still only observed", operation="OP-2025-0201")

    data = _provider().gather(users["leader"], date(2026, 3, 1), date(2026, 6, 30))
    titles = [row["title"] for row in data["rows"]]
    assert titles == [inside.title]
    assert data["marking"] == ""


def test_sensitive_lessons_raise_the_marking_and_stay_hidden_from_those_who_may_not_read_them(users):
    _learn(
        make_lesson(users["analyst"], title="Informant handling", marking=Marking.OFFICIAL_SENSITIVE),
        users,
        date(2026, 5, 10),
    )
    leader_view = _provider().gather(users["leader"], date(2026, 3, 1), date(2026, 6, 30))
    assert [row["title"] for row in leader_view["rows"]] == ["Informant handling"]
    assert leader_view["marking"] == Marking.OFFICIAL_SENSITIVE
    pcc_view = _provider().gather(users["pcc"], date(2026, 3, 1), date(2026, 6, 30))
    assert pcc_view["rows"] == []
