"""What learning tells the core about lessons: how to name one and who may see it (the lesson's own
`visible_to`), so other apps' pages, citations and bundles can show a lesson without importing this app."""

from django.urls import reverse

from mshtgov import records


def _name_lesson(lesson):
    return f"{lesson.reference}: {lesson.title}"


def _describe_lesson(lesson):
    return records.Described(
        _name_lesson(lesson),
        lesson.get_status_display(),
        lesson.observed_on,
        reverse("learning:lesson-detail", args=[lesson.pk]),
    )


def register() -> None:
    records.register_kind(
        records.RecordKind(
            "learning.lesson",
            "lesson",
            "lessons",
            _describe_lesson,
            search_fields=("reference", "title"),
            order=10,
            raises_actions=True,
            linkable_group="Lessons",
            name=_name_lesson,
        )
    )
