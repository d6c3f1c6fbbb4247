"""Issue 15: an objective's page, the list of self-assessments and the strategy section's front page are drawn
once per reader (and query string) and day and served from the cache (strategy.views.cached) until anything they
read changes. What a user would check: the same page hit or miss, drawn once; a change shows at once; a refused
reader is refused every time with nothing kept; a sensitive objective is marked and logged on every view."""

import pytest
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.tracking import save_tracked
from strategy.models import StrategyStatus
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page
from tests.strategy.factories import ForceStrategyFactory, ObjectiveFactory, start_assessment

pytestmark = pytest.mark.django_db


def _kept(stored, name):
    return [key for key in stored if key.startswith(f"page:strategy:{name}")]


@pytest.fixture
def objective(users):
    return ObjectiveFactory(
        strategy=ForceStrategyFactory(status=StrategyStatus.APPROVED), title="Disrupt the labour exploitation networks"
    )


def _objective_url(objective):
    return reverse("strategy:objective-detail", args=[objective.pk])


# An objective's page


def test_an_objective_the_same_hit_or_miss_and_a_change_shows_at_once(client_for, users, objective, stored):
    client = client_for("leader")
    first, second = _page(client.get(_objective_url(objective))), _page(client.get(_objective_url(objective)))
    assert same_page(first) == same_page(second)
    assert "<title>Disrupt the labour exploitation networks – " in first
    assert f'href="{reverse("strategy:objective-edit", args=[objective.pk])}"' in first  # the leader may change it
    assert len(_kept(stored, f"objective:{objective.pk}:")) == 1  # drawn once

    objective.status_note = "Two networks disrupted this quarter"
    save_tracked(objective, by=users["leader"], reason="Quarterly update")
    assert "Two networks disrupted this quarter" in _page(client.get(_objective_url(objective)))


def test_the_pcc_liaison_reads_an_objective_without_the_change_button(client_for, objective):
    html = _page(client_for("pcc").get(_objective_url(objective)))
    assert "Disrupt the labour exploitation networks" in html
    assert reverse("strategy:objective-edit", args=[objective.pk]) not in html


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("anon", 302)])
def test_an_objective_refused_every_time_nothing_kept(client_for, objective, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_objective_url(objective)).status_code == status
    assert not [key for key in stored if key.startswith("page:")]


def test_a_missing_objective_is_404_every_time_nothing_kept(client_for, stored):
    client = client_for("leader")
    for _ in range(2):
        assert client.get(reverse("strategy:objective-detail", args=[999999])).status_code == 404
    assert not [key for key in stored if key.startswith("page:")]


def test_a_sensitive_objective_is_marked_and_logged_on_every_view(client_for, objective):
    objective.marking = Marking.OFFICIAL_SENSITIVE
    objective.save()
    logged = AccessLog.objects.filter(object_type="strategy.objective", object_id=str(objective.pk))
    client = client_for("leader")
    for _ in range(2):  # a miss, then a hit
        html = _page(client.get(_objective_url(objective)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == 2


# The list of self-assessments

LIST = reverse("strategy:assessment-list")


def test_the_assessment_list_the_same_hit_or_miss_and_a_new_assessment_shows_at_once(client_for, users, stored):
    start_assessment(users["leader"], title="Assessment 2026")
    client = client_for("leader")
    first, second = _page(client.get(LIST)), _page(client.get(LIST))
    assert same_page(first) == same_page(second)
    assert "<title>Self-assessment against the guidance – " in first and "Assessment 2026" in first
    assert "Start a new assessment" in first
    assert len(_kept(stored, "assessments")) == 1  # drawn once

    start_assessment(users["leader"], title="Assessment 2027")
    assert "Assessment 2027" in _page(client.get(LIST))
    assert "Start a new assessment" not in _page(client_for("pcc").get(LIST))


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("anon", 302)])
def test_the_assessment_list_refused_every_time_nothing_kept(client_for, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(LIST).status_code == status
    assert not [key for key in stored if key.startswith("page:")]


# The strategy section's front page

INDEX = reverse("strategy:index")


def test_the_front_page_the_same_hit_or_miss_and_a_change_shows_at_once(client_for, users, objective, stored):
    client = client_for("leader")
    first, second = _page(client.get(INDEX)), _page(client.get(INDEX))
    assert same_page(first) == same_page(second)
    assert "<title>Strategy – " in first and "No self-assessment has been started." in first
    assert len(_kept(stored, "index:")) == 1  # drawn once

    start_assessment(users["leader"], title="Assessment 2026")
    assert "Assessment 2026" in _page(client.get(INDEX))


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("anon", 302)])
def test_the_front_page_refused_every_time_nothing_kept(client_for, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(INDEX).status_code == status
    assert not [key for key in stored if key.startswith("page:")]
