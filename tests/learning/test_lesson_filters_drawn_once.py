"""Issue 15: the lesson list's filters but the typed words are drawn once per reader, day and set of values
(the themes' select read every theme and drew every option on each view, a search included); the search box
is drawn live. What a reader checks: the same form hit or miss and as the form draws itself, a theme added or
renamed offered at once, the words they typed in the box and never in the cache, refused filters shown with
their errors."""

import pickle
import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from learning.forms.lessons import LessonFilterForm
from mshtgov import summaries
from tests.learning.factories import make_lesson, theme

pytestmark = pytest.mark.django_db

LIST = reverse("learning:lesson-list")


def _form(text: str) -> str:
    return re.search(r'<form method="get".*?</form>', text, re.S)[0]


@pytest.fixture
def stored(monkeypatch):
    kept = {}
    original = summaries.store_watched
    monkeypatch.setattr(summaries, "store_watched", lambda entries, **kw: kept.update(entries) or original(entries))
    return kept


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "harbour watch"},
        {"q": "harbour", "status": "open", "observed_from": "2025-01-01"},
        {"status": "observed", "pillar": "prevent"},
    ],
)
def test_the_same_form_hit_or_miss_and_as_the_form_draws_it(client_for, users, query):
    chosen = theme("Exploitation online")
    make_lesson(users["analyst"], title="Harbour watch")
    if query:
        query = {**query, "theme": str(chosen.pk)}
    client = client_for("analyst")
    first, second = _form(client.get(LIST, query).content.decode()), _form(client.get(LIST, query).content.decode())
    assert first == second
    assert str(LessonFilterForm(QueryDict(urlencode(query)) if query else None)) in first
    if query.get("q"):
        assert f'value="{query["q"]}"' in first


def test_a_theme_added_or_renamed_is_offered_at_once(client_for, users):
    first = theme("Exploitation online")
    client = client_for("analyst")
    for query in ({}, {"q": "harbour"}):
        assert "Exploitation online" in client.get(LIST, query).content.decode()
    theme("Cuckooing")
    first.name = "Online exploitation"
    first.save()
    for query in ({}, {"q": "harbour"}):
        page = client.get(LIST, query).content.decode()
        assert "Cuckooing" in page and "Online exploitation" in page and "Exploitation online" not in page


def test_the_typed_words_are_drawn_live_and_never_kept(client_for, users, stored):
    client = client_for("analyst")
    for words in ("harbour watch", "airport briefing"):
        page = client.get(LIST, {"q": words, "status": "open"}).content.decode()
        assert f'value="{words}"' in _form(page)
    filters = [value for key, value in stored.items() if key.startswith("learning-lesson-filters:")]
    assert len(filters) == 1  # one set of values: both searches drew the same filters
    assert all("harbour" not in pickle.dumps(value).decode("latin-1") for value in stored.values())
    assert all("airport" not in pickle.dumps(value).decode("latin-1") for value in stored.values())


def test_refused_filters_show_their_errors(client_for, users, stored):
    client = client_for("analyst")
    for _ in range(2):
        page = client.get(LIST, {"observed_from": "2025-13-45", "q": "harbour"}).content.decode()
        assert "govuk-error-summary" in page and 'value="harbour"' in page
    assert not [key for key in stored if key.startswith("learning-lesson-filters:")]
