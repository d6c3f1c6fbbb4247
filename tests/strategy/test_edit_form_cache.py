"""Issue 15: the edit forms of an objective and of a self-assessment answer, before any input, are served from
the reader's page cache (`mshtgov.pages.cached_edit_page`). What a user would check: the same form hit or miss,
drawn once; a save shows at once; a refused reader is refused every time with nothing kept; a locked assessment's
answer (or a superseded version's objective) sends them back every time; a sensitive record is marked, and its
view logged on every view; a post with bad input names the field and saves nothing."""

import re

import pytest
from django.urls import reverse

from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from mshtgov.tracking import save_tracked, version_of
from strategy.forms import AnswerForm
from strategy.models import RequirementStatus, StrategyStatus
from strategy.services import answer_update, assessment_sign_off, assessment_submit
from tests.drawn_form_support import posted_values
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page
from tests.strategy.factories import (
    ForceStrategyFactory,
    ObjectiveFactory,
    ThreatFactory,
    answer_all,
    start_assessment,
)

pytestmark = pytest.mark.django_db


def _kept(stored, kind):
    return [key for key in stored if key.startswith(f"page:form:strategy:{kind}:")]


def _version(html: str) -> str:
    return re.search(r'name="seen_version" value="([^"]*)"', html).group(1)


@pytest.fixture
def objective(users):
    return ObjectiveFactory(
        strategy=ForceStrategyFactory(status=StrategyStatus.APPROVED), title="Disrupt the labour exploitation networks"
    )


@pytest.fixture
def answer(users):
    return start_assessment(users["leader"]).answers.get(requirement__reference="INT-04")


def _objective_url(objective):
    return reverse("strategy:objective-edit", args=[objective.pk])


def _answer_url(answer):
    return reverse("strategy:answer-edit", args=[answer.pk])


# The objective's form


def test_an_objective_form_the_same_hit_or_miss_and_a_save_shows_at_once(client_for, users, objective, stored):
    client = client_for("leader")
    first, second = _page(client.get(_objective_url(objective))), _page(client.get(_objective_url(objective)))
    assert same_page(first) == same_page(second)
    assert 'value="Disrupt the labour exploitation networks"' in first
    assert "<title>Change Disrupt the labour exploitation networks – " in first
    assert len(_kept(stored, "objective")) == 1  # drawn once

    objective.title = "Disrupt every labour exploitation network"
    save_tracked(objective, by=users["leader"], reason="Wider")
    after = _page(client.get(_objective_url(objective)))
    assert 'value="Disrupt every labour exploitation network"' in after
    assert f'value="{version_of(objective.updated_at)}"' in after  # the version a save is checked against


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("pcc", 403), ("partner", 403), ("anon", 302)])
def test_an_objective_form_refused_every_time_nothing_kept(client_for, objective, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_objective_url(objective)).status_code == status
    assert not [key for key in stored if key.startswith("page:form:")]


def test_a_superseded_objective_sends_the_reader_back_every_time(client_for, objective, stored):
    objective.strategy.status = StrategyStatus.SUPERSEDED
    objective.strategy.save()
    client = client_for("leader")
    for _ in range(2):
        response = client.get(_objective_url(objective), follow=True)
        assert response.redirect_chain[0][0] == reverse("strategy:objective-detail", args=[objective.pk])
        assert "kept as it was" in response.content.decode()
    assert not _kept(stored, "objective")


def test_a_sensitive_objective_is_marked_and_logged_on_every_view(client_for, objective):
    objective.marking = Marking.OFFICIAL_SENSITIVE
    objective.save()
    logged = AccessLog.objects.filter(object_type="strategy.objective", object_id=str(objective.pk))
    client = client_for("leader")
    for _ in range(2):  # a miss, then a hit
        html = _page(client.get(_objective_url(objective)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == 2


def test_an_objective_posted_without_a_title_names_the_field_and_saves_nothing(client_for, objective):
    client = client_for("leader")
    version = _version(_page(client.get(_objective_url(objective))))
    html = _page(
        client.post(
            _objective_url(objective),
            {"pillar": "pursue", "title": "", "rag": "green", "marking": "official", "seen_version": version},
        )
    )
    assert "<title>Error: Change " in html and 'href="#id_title"' in html
    objective.refresh_from_db()
    assert objective.title == "Disrupt the labour exploitation networks"


# The answer's form


def test_an_answer_form_the_same_hit_or_miss_and_a_save_shows_at_once(client_for, users, answer, stored):
    client = client_for("analyst")
    first, second = _page(client.get(_answer_url(answer))), _page(client.get(_answer_url(answer)))
    assert same_page(first) == same_page(second)
    assert "<title>INT-04: answer – " in first and "recorded on the Police National Database." in first
    assert len(_kept(stored, "answer")) == 1  # drawn once

    form = AnswerForm(
        data={
            "status": "partly_met",
            "evidence": "Victims recorded; suspects lag.",
            "marking": "official",
            "change_reason": "Quarterly review",
            "seen_version": _version(first),
        },
        instance=answer,
    )
    assert form.is_valid(), form.errors
    answer_update(form=form, by=users["analyst"])
    assert "Victims recorded; suspects lag." in _page(client.get(_answer_url(answer)))


@pytest.mark.parametrize(("role", "status"), [("pcc", 403), ("coordinator", 403), ("partner", 403), ("anon", 302)])
def test_an_answer_form_refused_every_time_nothing_kept(client_for, answer, stored, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_answer_url(answer)).status_code == status
    assert not [key for key in stored if key.startswith("page:form:")]


def test_a_locked_assessments_answer_sends_the_reader_back_every_time(client_for, users, answer, stored):
    client = client_for("analyst")
    _page(client.get(_answer_url(answer)))  # kept while the assessment was open
    answer_all(answer.assessment)
    assessment_submit(assessment=answer.assessment, by=users["analyst"])
    assessment_sign_off(assessment=answer.assessment, by=users["leader"])
    for _ in range(2):
        response = client.get(_answer_url(answer), follow=True)
        assert response.redirect_chain[0][0] == reverse("strategy:answer-detail", args=[answer.pk])
        assert "signed off and is locked" in response.content.decode()
    assert len(_kept(stored, "answer")) == 1  # the open form only, never the redirect


def test_a_sensitive_answer_is_marked_and_logged_on_every_view(client_for, answer):
    answer.marking = Marking.OFFICIAL_SENSITIVE
    answer.save()
    logged = AccessLog.objects.filter(object_type="strategy.requirementassessment", object_id=str(answer.pk))
    client = client_for("leader")
    for _ in range(2):  # a miss, then a hit
        html = _page(client.get(_answer_url(answer)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == 2


def test_an_answer_met_without_evidence_names_the_field_and_saves_nothing(client_for, answer):
    client = client_for("analyst")
    version = _version(_page(client.get(_answer_url(answer))))
    html = _page(
        client.post(
            _answer_url(answer),
            {"status": "met", "evidence": "", "marking": "official", "change_reason": "x", "seen_version": version},
        )
    )
    assert "<title>Error: INT-04: answer" in html and 'href="#id_evidence"' in html
    answer.refresh_from_db()
    assert answer.status != RequirementStatus.MET


# A threat's change and assess forms


@pytest.fixture
def threat(users):
    return ThreatFactory(title="Labour exploitation in car washes")


def _threat_url(threat, action="edit"):
    return reverse(f"strategy:threat-{action}", args=[threat.pk])


def test_a_threat_form_the_same_hit_or_miss_and_a_save_shows_at_once(client_for, users, threat, stored):
    client = client_for("analyst")
    first, second = _page(client.get(_threat_url(threat))), _page(client.get(_threat_url(threat)))
    assert same_page(first) == same_page(second)
    assert "<title>Change Labour exploitation in car washes – " in first
    assert 'value="Labour exploitation in car washes"' in first
    assert len(_kept(stored, "threat")) == 1  # drawn once

    threat.title = "Labour exploitation in nail bars"
    save_tracked(threat, by=users["leader"], reason="Renamed")
    assert 'value="Labour exploitation in nail bars"' in _page(client.get(_threat_url(threat)))


def test_an_assess_form_the_same_hit_or_miss_and_a_new_assessment_shows_at_once(client_for, users, threat, stored):
    client = client_for("analyst")
    url = _threat_url(threat, "assess")
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second)
    assert "<title>Assess Labour exploitation in car washes – " in first
    assert len(_kept(stored, "threat-assess")) == 1

    html = _page(
        client.post(
            url,
            posted_values(
                first,
                assessed_on="2026-03-01",
                harm="4",
                likelihood="4",
                confidence="2",
                capacity="2",
                capability="2",
                rationale="New intelligence",
                marking="official",
            ),
            follow=True,
        )
    )
    assert "Assessment saved: priority score" in html
    assert threat.assessments.count() == 1
    # The assessment's date now clashes: the kept form is gone, a post on that day is refused beside the field.
    refused = _page(
        client.post(
            url,
            posted_values(
                _page(client.get(url)),
                assessed_on="2026-03-01",
                harm="4",
                likelihood="4",
                confidence="2",
                capacity="2",
                capability="2",
                marking="official",
            ),
        )
    )
    assert "<title>Error: Assess " in refused and 'href="#id_assessed_on' in refused
    assert "already has an assessment on that date" in refused
    assert threat.assessments.count() == 1


@pytest.mark.parametrize("action", ["edit", "assess"])
@pytest.mark.parametrize(("role", "status"), [("pcc", 403), ("coordinator", 403), ("partner", 403), ("anon", 302)])
def test_a_threat_form_refused_every_time_nothing_kept(client_for, threat, stored, action, role, status):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_threat_url(threat, action)).status_code == status
    assert not [key for key in stored if key.startswith("page:form:")]


@pytest.mark.parametrize("action", ["edit", "assess"])
def test_a_sensitive_threat_is_marked_and_logged_on_every_view(client_for, threat, action):
    threat.marking = Marking.OFFICIAL_SENSITIVE
    threat.save()
    logged = AccessLog.objects.filter(object_type="strategy.threat", object_id=str(threat.pk))
    client = client_for("leader")
    for _ in range(2):  # a miss, then a hit
        html = _page(client.get(_threat_url(threat, action)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == 2


def test_a_threat_posted_without_a_title_names_the_field_and_saves_nothing(client_for, threat):
    client = client_for("analyst")
    html = _page(client.post(_threat_url(threat), posted_values(_page(client.get(_threat_url(threat))), title="")))
    assert "<title>Error: Change " in html and 'href="#id_title"' in html
    threat.refresh_from_db()
    assert threat.title == "Labour exploitation in car washes"
