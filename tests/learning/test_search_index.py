"""The lesson search uses its GIN index on PostgreSQL (migration learning 0005, on the stored document since
0009) instead of computing every lesson's document on each request, and ranks on the stored document: the
same lessons in the same order as `search_vector()` gives, kept up to date as lessons change. PostgreSQL
only: SQLite has no full-text search here."""

import json

import pytest
from django.db import connection

from learning.models import Lesson
from learning.selectors.lessons import StoredDocument, filter_lessons, search_vector
from tests.learning.factories import make_lesson

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"),
]


def _scans(plan, found):
    found.append((plan["Node Type"], plan.get("Index Name")))
    for child in plan.get("Plans", []):
        _scans(child, found)
    return found


def test_the_search_reads_the_index_and_still_finds_by_any_field(users):
    for n in range(30):
        make_lesson(users["analyst"], title=f"Lesson {n}", operation=f"OP-2025-{n + 100:04d}")
    make_lesson(users["analyst"], title="Plain title", root_cause="An interpreter known to the suspects")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a table this small is otherwise scanned whatever the index
        try:
            searched = filter_lessons(Lesson.objects.all(), {"q": "interpreter suspects"})
            sql, params = searched.query.sql_with_params()
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("SET enable_seqscan = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert ("Bitmap Index Scan", "learning_lesson_search") in _scans(plan[0]["Plan"], [])
    assert [lesson.title for lesson in searched] == ["Plain title"]


def test_the_stored_document_is_the_search_vector_and_follows_every_edit(users):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    for n in range(6):
        make_lesson(users["analyst"], title=f"Interpreter lesson {n}", root_cause="suspects" * (n % 2))
    lesson = make_lesson(users["analyst"], title="Harbour watch", recommendation="Brief the harbour master")
    same = Lesson.objects.annotate(stored=StoredDocument(), computed=search_vector())
    assert all(row.stored == row.computed for row in same)

    def found(text):
        return list(filter_lessons(Lesson.objects.all(), {"q": text}).values_list("pk", flat=True))

    query = SearchQuery("interpreter suspects", search_type="websearch", config="english")
    vector = search_vector()
    computed = (
        Lesson.objects.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-rank", "-observed_on", "-id")
    )
    assert found("interpreter suspects") == [row.pk for row in computed]
    assert found("harbour") == [lesson.pk]

    lesson.title, lesson.recommendation = "Airport watch", "Brief the airport police"
    lesson.save()
    assert found("harbour") == []
    assert found("airport") == [lesson.pk]
