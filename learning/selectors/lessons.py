"""Finding lessons: the filtered, searched list, and lessons like a given one."""

import hashlib

from django.db import connection
from django.db.models import Count, Expression, Q

from learning.models import Lesson, LessonTheme
from mshtgov.summaries import cached_summary

SEARCHED_FIELDS = ("title", "operation_reference", "what_worked", "what_did_not", "root_cause", "recommendation")


def search_vector():
    """The weighted document a lesson is searched by, titles counting most. Migration learning 0009 stores
    exactly this expression in a generated column (`search_document`, GIN-indexed; 0005 indexed the expression):
    change both together."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("recommendation", "root_cause", weight="B", config="english")
        + SearchVector("what_worked", "what_did_not", "operation_reference", weight="C", config="english")
    )


class StoredDocument(Expression):
    """`search_vector()` as migration learning 0009 stores it on PostgreSQL: the lesson's `search_document`
    column, which PostgreSQL keeps up to date with the text. Matching reads its index and ranking reads the
    stored vector, rather than parsing every matching lesson's text again (issue 15). Not a model field: the
    column exists on PostgreSQL only."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def _search(lessons, text: str):
    if connection.vendor == "postgresql":
        # Ranked full-text search. Works without django.contrib.postgres installed.
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, search_type="websearch", config="english")
        # Match with @@ (a rank of 0 is not reliable: ts_rank gives tiny non-zero values to misses).
        return (
            lessons.alias(document=StoredDocument())
            .annotate(rank=SearchRank(StoredDocument(), query))
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
    if criteria.get("status") == "open":
        lessons = lessons.open()
    elif criteria.get("status"):
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
    if criteria.get("learned_from"):
        lessons = lessons.filter(learned_on__gte=criteria["learned_from"])
    if criteria.get("learned_to"):
        lessons = lessons.filter(learned_on__lte=criteria["learned_to"])
    if criteria.get("q"):
        lessons = _search(lessons, criteria["q"])
    return lessons


def lesson_list(user, criteria: dict):
    """The lessons the user may see, filtered, with what the list shows fetched up front."""
    return filter_lessons(Lesson.objects.visible_to(user).select_related("owner"), criteria)


def lessons_like(lesson: Lesson, user, *, limit: int = 5) -> list[Lesson]:
    """Other lessons sharing the most themes with this one (then the most recent), among those `user` may read.

    Cached until a lesson or theme changes (the query groups every lesson sharing a theme: the heaviest on the
    lesson page, issue 12). The key holds the SQL of the reader's visibility rule itself, with its parameters,
    so readers share an entry only when the rule gives them the very same lessons: a rule that ever depends on
    more than the reader's roles (their id, their unit) gets a key of its own, never someone else's list."""
    theme_ids = sorted(t.pk for t in lesson.themes.all())
    if not theme_ids:
        return []
    visible = Lesson.objects.visible_to(user)
    if visible.query.is_empty():
        return []
    rule = hashlib.sha256(str(visible.query).encode()).hexdigest()[:24]

    def compute():
        return list(
            visible.exclude(pk=lesson.pk)
            .filter(themes__in=theme_ids)
            .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
            .order_by("-shared", "-observed_on", "-id")[:limit]
        )

    key = f"learning:lessons-like:{lesson.pk}:{','.join(map(str, theme_ids))}:{limit}:{rule}"
    return cached_summary(key, compute, models=[Lesson, LessonTheme])[0]


def lesson_figures(user, start, end) -> dict:
    """The lesson figures of the dashboard and the pack, over the lessons the user may read (so each agrees
    with the lesson list it links to): observed in the period by status, validated as learned in the
    period, open in all. Three aggregate queries. A reader who may not open the lesson list (a board
    secretary reads summaries only) gets the same figures over every lesson, without links."""
    from django.urls import reverse

    from learning.models import LessonStatus
    from mshtgov.figures import Figure, with_query

    may_list = user.has_perm("learning.view_lesson")
    lessons = Lesson.objects.visible_to(user) if may_list else Lesson.objects.all()
    url = reverse("learning:lesson-list")
    window = {"observed_from": start.isoformat(), "observed_to": end.isoformat()}

    def fig(key, value, label, **query):
        return Figure(key=f"lessons:{key}", value=value, url=with_query(url, **query) if may_list else "", label=label)

    found = {
        r["status"]: r["n"]
        for r in lessons.filter(observed_on__range=(start, end)).values("status").annotate(n=Count("id")).order_by()
    }
    statuses = {  # {status label: Figure}, in the order of the lesson's life
        label: fig(f"{value}:{start}:{end}", found.get(value, 0), f"lessons {label.lower()}", status=value, **window)
        for value, label in LessonStatus.choices
    }
    learned = lessons.filter(status=LessonStatus.LEARNED, learned_on__range=(start, end)).count()
    return {
        "statuses": statuses,
        "logged": fig(f"observed:{start}:{end}", sum(found.values()), "lessons observed in the period", **window),
        "learned": fig(
            f"learned:{start}:{end}",
            learned,
            "lessons validated as learned in the period",
            status=LessonStatus.LEARNED,
            learned_from=start.isoformat(),
            learned_to=end.isoformat(),
        ),
        "open": fig("open", lessons.open().count(), "lessons still open", status="open"),
    }
