"""Issue 15: the strategy section's measure, self-assessment, version and alignment pages are served from the
per-reader page cache once drawn (strategy.views.cached over mshtgov.page_cache). What a reader checks: the
same page on a hit as on a miss, a change to a record shown (or to the reader's roles) shows at once, a record
the reader may not open answers 404 and nothing is kept for them, roles whose pages differ never share an
entry, a sensitive record is logged on every view, and the query count does not depend on the records shown."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mshtgov import summaries
from mshtgov.roles import Role
from strategy.models import Measure
from tests.strategy.factories import MeasureFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(monkeypatch):
    """The keys of the strategy pages' entries put in the cache."""
    keys = []
    original = summaries.store_watched

    def store(entries, **kw):
        keys.extend(key for key in entries if key.startswith("page:strategy:"))
        return original(entries, **kw)

    monkeypatch.setattr(summaries, "store_watched", store)
    return keys


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _html(client, url, status=200) -> str:
    """The page as the reader sees it, its CSRF tokens (masked afresh on every response) left out."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return TOKEN.sub('name="csrfmiddlewaretoken"', response.content.decode())


def _same_on_a_hit(client, url, stored) -> str:
    """The page drawn (a miss), then served from the cache (a hit): the reader sees the same page."""
    before = len(stored)
    miss = _html(client, url)
    hit = _html(client, url)
    assert len(stored) == before + 1, "drawn once, then served from the cache"
    assert hit == miss
    return hit


def _cold_queries(client, url) -> int:
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Measures


def _typed(name="Adults referred", value=7, pillar="prepare", **kw):
    """A typed measure with a value for September 2026 (on the lists' first page: sorted by pillar and name)."""
    measure = MeasureFactory(name=name, frequency="monthly", pillar=pillar, **kw)
    MeasureValueFactory(measure=measure, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30), value=value)
    return measure


@pytest.mark.parametrize("query", ["", "?active=yes", "?stale=yes", "?page=2"])
def test_the_measure_list_is_the_same_on_a_hit_as_on_a_miss(client_for, users, stored, query):
    _typed()
    _same_on_a_hit(client_for("analyst"), f"/strategy/measures/{query}", stored)


def test_a_measure_page_is_the_same_on_a_hit_as_on_a_miss(client_for, users, stored):
    typed = _typed()
    derived = Measure.objects.get(code="actions-overdue")
    client = client_for("leader")
    assert "Adults referred" in _same_on_a_hit(client, f"/strategy/measures/{typed.pk}/", stored)
    assert "Where this figure comes from" in _same_on_a_hit(client, f"/strategy/measures/{derived.pk}/", stored)


def test_a_new_value_shows_at_once_on_the_measure_page_and_the_list(client_for, users):
    measure = _typed(value=7)
    client = client_for("analyst")
    page, listed = f"/strategy/measures/{measure.pk}/", "/strategy/measures/?active=yes"
    for url in (page, page, listed, listed):
        assert "September 2026" in _html(client, url)
    MeasureValueFactory(measure=measure, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31), value=41)
    assert "October 2026" in _html(client, page) and ">41<" in _html(client, page)
    assert "October 2026" in _html(client, listed)
    measure.name = "Adults referred to the NRM"
    measure.save()
    assert "Adults referred to the NRM" in _html(client, page)
    assert "Adults referred to the NRM" in _html(client, "/strategy/measures/")


def test_a_missing_measure_is_404_and_nothing_is_kept(client_for, users, stored):
    client = client_for("leader")
    for _ in range(2):
        _html(client, "/strategy/measures/999999/", status=404)
    assert stored == []


def test_readers_whose_pages_differ_never_share_an_entry(client_for, users, stored):
    """The leader may add measures and values, the analyst values, the PCC liaison neither."""
    measure = _typed()
    pages = {}
    for role in ("leader", "analyst", "pcc"):
        client = client_for(role)
        pages[role] = (_html(client, "/strategy/measures/"), _html(client, f"/strategy/measures/{measure.pk}/"))
        assert pages[role] == (_html(client, "/strategy/measures/"), _html(client, f"/strategy/measures/{measure.pk}/"))
    assert len(stored) == 6 and len(set(stored)) == 6
    assert "Add a measure" in pages["leader"][0] and "Add a measure" not in pages["pcc"][0]
    assert "Add a value" in pages["analyst"][1] and "Add a value" not in pages["pcc"][1]


def test_a_role_taken_away_is_refused_at_once(client_for, users):
    measure = _typed()
    client = client_for("analyst")
    for _ in range(2):
        _html(client, f"/strategy/measures/{measure.pk}/")
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert client.get(f"/strategy/measures/{measure.pk}/").status_code == 403


def test_the_measure_lists_cost_the_same_whichever_measures_they_show(client_for, users):
    """A page of typed measures and a page holding the derived ones run the same queries (cold)."""
    for n in range(30):
        _typed(name=f"A typed measure {n:02}")  # sorted before every derived measure
    client = client_for("leader")
    first, second = _cold_queries(client, "/strategy/measures/"), _cold_queries(client, "/strategy/measures/?page=2")
    assert first == second
    for query in ("?active=yes", "?active=yes&page=2", "?stale=yes"):
        assert _cold_queries(client, f"/strategy/measures/{query}") == _cold_queries(
            client, "/strategy/measures/?active=yes&page=3"
        )


def test_a_typed_and_a_derived_measure_page_cost_the_same(client_for, users):
    """Both one query for their values (the derived one, from a source that counts in one query)."""
    typed = _typed()
    derived = Measure.objects.get(code="actions-overdue")
    client = client_for("leader")
    assert _cold_queries(client, f"/strategy/measures/{typed.pk}/") == _cold_queries(
        client, f"/strategy/measures/{derived.pk}/"
    )
