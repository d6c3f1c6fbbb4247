"""Finding lessons: the filtered, searched list, and lessons like a given one."""

from django.db import connection
from django.db.models import Count, Q

from learning.models import Lesson

SEARCHED_FIELDS = ("title", "operation_reference", "what_worked", "what_did_not", "root_cause", "recommendation")


def _search(lessons, text: str):
    if connection.vendor == "postgresql":
        # Ranked full-text search, titles counting most. Works without django.contrib.postgres installed.
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("recommendation", "root_cause", weight="B", config="english")
            + SearchVector("what_worked", "what_did_not", "operation_reference", weight="C", config="english")
        )
        query = SearchQuery(text, search_type="websearch", config="english")
        # Match with @@ (a rank of 0 is not reliable: ts_rank gives tiny non-zero values to misses).
        return (
            lessons.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)
            .order_by("-rank", "-observed_on", "-id")
        )
    # SQLite: every word must appear somewhere in the lesson's text.
    for word in text.split()[:10]:
        match = Q()
        for name in SEARCHED_FIELDS:
            match |= Q(**{f"{name}__icontains": word})
        lessons = lessons.filter(match)
    return lessons


def filter_lessons(lessons, criteria: dict):
    """Apply the list filters (already validated by `LessonFilterForm`)."""
    if criteria.get("status"):
        lessons = lessons.filter(status=criteria["status"])
    if criteria.get("theme"):
        lessons = lessons.filter(themes=criteria["theme"])
    if criteria.get("pillar"):
        lessons = lessons.with_pillar(criteria["pillar"])
    if criteria.get("source"):
        lessons = lessons.filter(source=criteria["source"])
    if criteria.get("guidance_theme"):
        lessons = lessons.filter(guidance_theme=criteria["guidance_theme"])
    if criteria.get("observed_from"):
        lessons = lessons.filter(observed_on__gte=criteria["observed_from"])
    if criteria.get("observed_to"):
        lessons = lessons.filter(observed_on__lte=criteria["observed_to"])
    if criteria.get("q"):
        lessons = _search(lessons, criteria["q"])
    return lessons


def lesson_list(user, criteria: dict):
    """The lessons the user may see, filtered, with what the list shows fetched up front."""
    return filter_lessons(Lesson.objects.visible_to(user).select_related("owner"), criteria)


def lessons_like(lesson: Lesson, user, *, limit: int = 5) -> list[Lesson]:
    """Other lessons sharing the most themes with this one (then the most recent)."""
    theme_ids = [t.pk for t in lesson.themes.all()]
    if not theme_ids:
        return []
    return list(
        Lesson.objects.visible_to(user)
        .exclude(pk=lesson.pk)
        .filter(themes__in=theme_ids)
        .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
        .order_by("-shared", "-observed_on", "-id")[:limit]
    )
