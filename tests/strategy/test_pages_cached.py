"""Issue 15: the strategy section's measure, self-assessment, version and alignment pages are served from the
per-reader page cache once drawn (strategy.views.cached over mshtgov.page_cache). What a reader checks: the
same page on a hit as on a miss, a change to a record shown (or to the reader's roles) shows at once, a record
the reader may not open answers 404 and nothing is kept for them, roles whose pages differ never share an
entry, a sensitive record is logged on every view, and the query count does not depend on the records shown."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mshtgov import summaries
from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.roles import Role
from strategy.models import Measure, RequirementStatus, StrategyStatus
from tests.strategy.factories import (
    ForceStrategyFactory,
    MeasureFactory,
    MeasureValueFactory,
    ObjectiveFactory,
    start_assessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_day_after_the_values():
    """The values below are dated 2026 and the pages show the last three years and the latest complete
    period: the clock is set to a working morning after them, whatever day the tests run."""
    with time_machine.travel(datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Europe/London")), tick=True):
        yield


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
TIMEOUT = re.compile(r'data-session-timeout="\d+"')  # the seconds the session has left, drawn live


def _html(client, url, status=200) -> str:
    """The page as the reader sees it, its CSRF tokens (masked afresh on every response) left out."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return TIMEOUT.sub("", TOKEN.sub('name="csrfmiddlewaretoken"', response.content.decode()))


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


def test_a_typed_measure_page_costs_the_same_whatever_its_values(client_for, users):
    """Its values from the last three years and its latest value ever (here older) are read in one query."""
    measure = MeasureFactory(frequency="monthly")
    client = client_for("leader")
    url = f"/strategy/measures/{measure.pk}/"
    none = _cold_queries(client, url)
    MeasureValueFactory(measure=measure, period_start=date(2019, 1, 1), period_end=date(2019, 1, 31), value=3)
    old = _cold_queries(client, url)
    assert "Stale: no value has been recorded" in _html(client, url)
    for month in range(1, 10):
        MeasureValueFactory(
            measure=measure, period_start=date(2026, month, 1), period_end=date(2026, month, 28), value=month
        )
    assert none == old == _cold_queries(client, url)
    assert "September 2026" in _html(client, url)


# Self-assessment, answers, versions, alignment, comparison


def _assessment(users):
    assessment = start_assessment(users["leader"])
    return assessment, assessment.answers.select_related("requirement").order_by("requirement__order").first()


def test_the_assessment_pages_are_the_same_on_a_hit_as_on_a_miss(client_for, users, stored):
    assessment, answer = _assessment(users)
    previous = start_assessment(users["leader"], title="Earlier", start=date(2025, 4, 1), end=date(2026, 3, 31))
    client = client_for("analyst")
    for url in (
        f"/strategy/self-assessment/{assessment.pk}/",
        f"/strategy/self-assessment/{assessment.pk}/?theme={answer.requirement.theme}&status=not_assessed",
        f"/strategy/answers/{answer.pk}/",
        "/strategy/self-assessment/compare/",
        f"/strategy/self-assessment/compare/?earlier={previous.pk}&later={assessment.pk}",
    ):
        _same_on_a_hit(client, url, stored)


def test_the_version_pages_are_the_same_on_a_hit_as_on_a_miss(client_for, users, stored):
    strategy = ForceStrategyFactory(status=StrategyStatus.APPROVED, period_start=date(2026, 4, 1))
    ObjectiveFactory(strategy=strategy, title="Disrupt the car wash network")
    client = client_for("leader")
    for url in (
        f"/strategy/versions/{strategy.pk}/",
        f"/strategy/versions/{strategy.pk}/?pillar=pursue",
        "/strategy/alignment/",
        f"/strategy/versions/{strategy.pk}/alignment/",
    ):
        assert "Disrupt the car wash network" in _same_on_a_hit(client, url, stored)


def test_an_answer_changed_shows_at_once_on_its_pages(client_for, users):
    assessment, answer = _assessment(users)
    client = client_for("analyst")
    pages = (f"/strategy/self-assessment/{assessment.pk}/", f"/strategy/answers/{answer.pk}/")
    for url in pages * 2:
        assert "Forced labour audits of car washes" not in _html(client, url)
    answer.status, answer.evidence = RequirementStatus.MET, "Forced labour audits of car washes"
    answer.save()
    assert "Forced labour audits of car washes" in _html(client, pages[1])
    assert "100%" in _html(client, pages[0])  # the theme's compliance moved with it


def test_an_objective_changed_shows_at_once_on_the_version_and_alignment(client_for, users):
    strategy = ForceStrategyFactory(status=StrategyStatus.APPROVED, period_start=date(2026, 4, 1))
    objective = ObjectiveFactory(strategy=strategy, title="Disrupt the car wash network")
    client = client_for("pcc")
    pages = (f"/strategy/versions/{strategy.pk}/", "/strategy/alignment/")
    for url in pages * 2:
        assert "Disrupt the car wash network" in _html(client, url)
    objective.title = "Disrupt the nail bar network"
    objective.save()
    for url in pages:
        assert "Disrupt the nail bar network" in _html(client, url)


def test_missing_records_are_404_and_nothing_is_kept(client_for, users, stored):
    client = client_for("leader")
    for url in ("/strategy/self-assessment/999999/", "/strategy/answers/999999/", "/strategy/versions/999999/"):
        for _ in range(2):
            _html(client, url, status=404)
    for _ in range(2):
        _html(client, "/strategy/versions/999999/alignment/", status=404)
    assert stored == []


def test_a_reader_without_the_role_is_refused_and_nothing_is_kept(client_for, users, stored):
    assessment, answer = _assessment(users)
    client = client_for("partner")
    for url in (f"/strategy/self-assessment/{assessment.pk}/", f"/strategy/answers/{answer.pk}/"):
        assert client.get(url).status_code in (403, 404)
    assert stored == []


def test_a_sensitive_answer_is_logged_on_every_view(client_for, users):
    assessment, answer = _assessment(users)
    answer.marking = Marking.OFFICIAL_SENSITIVE
    answer.save()
    client = client_for("pcc")
    for _ in range(3):
        assert "app-marking--sensitive" in _html(client, f"/strategy/answers/{answer.pk}/")
    logged = AccessLog.objects.filter(object_type="strategy.requirementassessment", object_id=str(answer.pk))
    assert logged.count() == 3
    # The assessment's page shows the sensitive answer: marked as such on a hit as on a miss.
    for _ in range(2):
        assert "app-marking--sensitive" in _html(client, f"/strategy/self-assessment/{assessment.pk}/")


def test_roles_whose_answer_pages_differ_never_share_an_entry(client_for, users, stored):
    assessment, answer = _assessment(users)
    pages = {
        role: [_html(client_for(role), f"/strategy/answers/{answer.pk}/") for _ in range(2)]
        for role in ("analyst", "pcc")
    }
    assert len(stored) == 2 and len(set(stored)) == 2
    assert pages["analyst"][0] == pages["analyst"][1] and pages["pcc"][0] == pages["pcc"][1]
    assert ">Answer</a>" in pages["analyst"][1] and ">Answer</a>" not in pages["pcc"][1]


def test_an_answer_page_keeps_no_csrf_token_and_its_forms_still_post(users, monkeypatch):
    """Removing a citation POSTs from the cached page: the reader's own token is put in on every view."""
    from django.test import Client
    from django.urls import reverse

    from mshtgov.citations import cite
    from mshtgov.models import Citation
    from tests.governance.factories import ActionFactory

    kept = []
    original = summaries.store_watched
    monkeypatch.setattr(
        summaries, "store_watched", lambda entries, **kw: kept.extend(entries.values()) or original(entries)
    )
    _assessment_, answer = _assessment(users)
    citation = cite(citing=answer, cited=ActionFactory(owner=users["analyst"]), by=users["analyst"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["analyst"])
    for _ in range(2):
        page = client.get(f"/strategy/answers/{answer.pk}/").content.decode()
        token = re.search(
            r'/remove/" class="app-inline-form"><input type="hidden" name="csrfmiddlewaretoken" value="(\w+)"', page
        )
        assert token
    bodies = [entry for entry, _versions in kept if isinstance(entry, dict) and "body" in entry]
    assert len(bodies) == 1 and 'name="csrfmiddlewaretoken" value=""' in "".join(bodies[0]["body"])
    url = reverse("strategy:answer-uncite", args=[answer.pk, citation.pk])
    assert client.post(url, {"csrfmiddlewaretoken": token[1]}).status_code == 302
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_a_refused_comparison_is_shown_and_never_kept(client_for, users, stored):
    assessment, _answer = _assessment(users)
    client = client_for("analyst")
    for _ in range(2):
        html = _html(client, f"/strategy/self-assessment/compare/?earlier={assessment.pk}&later={assessment.pk}")
        assert "There is a problem" in html and "Choose two different assessments." in html
        assert "<title>Error: " in html
    assert stored == []
