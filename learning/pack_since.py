"""Lessons learned since the board last met, for the board pack's "since the last meeting" page."""

from governance.packs import since
from learning.models import Lesson, LessonStatus, LessonTransition
from mshtgov.marking import Marking, highest


def lessons_learned(user, start, end) -> dict:
    """Lessons validated as learned in (start, end], that the pack's requester may read. One query."""
    visible = Lesson.objects.visible_to(user)
    steps = list(
        LessonTransition.objects.filter(to_status=LessonStatus.LEARNED, on__gt=start, on__lte=end, lesson__in=visible)
        .select_related("lesson", "by")
        .order_by("on", "id")
    )
    rows = [
        {
            "reference": step.lesson.reference,
            "title": step.lesson.title,
            "recommendation": step.lesson.recommendation,
            "on": step.on,
            "by": step.by.get_full_name() or step.by.get_username(),
        }
        for step in steps
    ]
    marking = highest(*(step.lesson.marking for step in steps))
    return {"rows": rows, "marking": marking if marking == Marking.OFFICIAL_SENSITIVE else ""}


def register() -> None:
    since.register(
        since.SinceProvider(
            "lessons-learned",
            "Lessons learned",
            60,
            gather=lessons_learned,
            template="learning/pack/lessons_learned.html",
        )
    )
