"""Issue 15: a lesson search served from the cache builds no filter form but its search box, and reads nothing
but the cache (the listing keeps the lessons shown as ids and titles, whether the filters were refused, and the
filters but the typed words as the access log keeps them). What a reader and an auditor check: the same page and
the same access-log row whether the search was built or read from the cache, a theme taken away refuses its
filter at once, and a view from the cache costs the same queries whatever the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.forms import lessons as lesson_forms
from mshtgov.audit import hashed_term
from mshtgov.models import AccessAction, AccessLog
from tests.learning.factories import make_lesson, theme
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db

LIST = reverse("learning:lesson-list")


def _searches():
    return list(AccessLog.objects.filter(action=AccessAction.SEARCH, object_type="learning.lesson").order_by("id"))


@pytest.mark.parametrize(
    "query",
    [
        {"q": "harbour"},
        {"q": "harbour", "page": "2"},
        {"q": "harbour", "page": "99"},
        {"q": "harbour watch", "status": "open", "source": "debrief", "observed_from": "2025-01-01"},
        {"q": "harbour", "unknown": "typed words"},
        {"q": "nothing matches this"},
        {"q": "harbour", "observed_from": "2025-13-45"},  # refused: errors shown, nothing searched or logged
        {"status": "open"},
    ],
)
def test_the_same_page_and_log_row_built_or_from_the_cache(client_for, users, query):
    chosen = theme("Ports")
    for i in range(30):
        make_lesson(users["analyst"], title=f"Harbour watch {i}", themes=["Ports"] if i % 2 else ())
    if query.get("status"):
        query = {**query, "theme": str(chosen.pk)}
    client = client_for("analyst")
    built, served = client.get(LIST, query), client.get(LIST, query)
    assert built.status_code == served.status_code == 200
    assert same_page(served.content.decode()) == same_page(built.content.decode())
    rows = _searches()
    if "observed_from" in query and query["observed_from"] == "2025-13-45":
        assert "govuk-error-summary" in served.content.decode() and not rows
        return
    if not query.get("q"):
        assert not rows
        return
    first, second = rows
    assert (first.object_repr, first.detail, first.path) == (second.object_repr, second.detail, second.path)
    filters = second.detail["filters"]
    assert filters["q"] == hashed_term(query["q"])  # the words only as a hash, hit or miss
    assert "harbour" not in str(second.detail).lower() and "typed" not in str(second.detail).lower()
    if "status" in query:
        assert filters["status"] == "open" and filters["source"] == "debrief" and filters["theme"] == chosen.pk
    shown = [lesson.pk for lesson in served.context["page"]]
    assert second.detail["ids"] == shown
    assert all(f'href="/learning/lessons/{pk}/"' in served.content.decode() for pk in shown)


def test_a_search_from_the_cache_builds_only_its_search_box_and_reads_no_lesson(client_for, users, monkeypatch):
    for i in range(3):
        make_lesson(users["analyst"], title=f"Harbour watch {i}")
    client = client_for("analyst")
    query = {"q": "harbour", "status": "open"}
    client.get(LIST, query)
    built = []
    original = lesson_forms.LessonFilterForm.__init__
    monkeypatch.setattr(
        lesson_forms.LessonFilterForm, "__init__", lambda self, *a, **kw: built.append(1) or original(self, *a, **kw)
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST, query)
    assert 'value="harbour"' in page.content.decode()  # the box drawn live with the reader's words
    assert not built
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "learning_" in q]  # no lesson, theme or filter read
    assert [q for q in sql if "mshtgov_accesslog" in q][0].startswith("INSERT")
    for i in range(3, 40):  # more lessons, a second page: the same queries from the cache
        make_lesson(users["analyst"], title=f"Harbour watch {i}")
    client.get(LIST, query)
    with CaptureQueriesContext(connection) as more:
        client.get(LIST, query)
    assert len(more.captured_queries) == len(sql)


def test_a_theme_taken_away_refuses_its_filter_at_once(client_for, users):
    gone = theme("Ports")
    make_lesson(users["analyst"], title="Harbour watch", themes=["Ports"])
    client = client_for("analyst")
    query = {"q": "harbour", "theme": str(gone.pk)}
    for _ in range(2):
        page = client.get(LIST, query)
        assert "Harbour watch" in page.content.decode() and "govuk-error-summary" not in page.content.decode()
    gone.delete()
    page = client.get(LIST, query).content.decode()
    assert "govuk-error-summary" in page and "Choose the theme from the list" in page
    assert len(_searches()) == 2  # a refused search is not searched, so not logged
