"""Patterns across lessons (themes over time, recurring themes, time to learn) and the panels that feed
the dashboard and the board pack."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, ActionStatus
from learning.models import Lesson, LessonStatus
from learning.panels import gather_coverage, gather_lessons
from learning.selectors.patterns import recurring_themes, themes_over_time, time_to_learn
from learning.services.lessons import lesson_advance, lesson_raise_action
from mshtgov import panels
from mshtgov.marking import Marking
from mshtgov.pdf import html_to_pdf
from mshtgov.periods import Period
from tests.learning.factories import establish, make_lesson

pytestmark = pytest.mark.django_db


def _learn(lesson, users, *, steps):
    """Take a lesson to learned with the given dates for identified, implemented, learned."""
    analyst, leader = users["analyst"], users["leader"]
    lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=analyst, on=steps[0])
    action = lesson_raise_action(
        lesson=lesson, by=analyst, title="Act", owner=leader, due_date=timezone.localdate(), on=steps[0]
    )
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.CLOSED)
    lesson_advance(lesson=lesson, to_status=LessonStatus.IMPLEMENTED, by=analyst, on=steps[1])
    lesson_advance(lesson=lesson, to_status=LessonStatus.LEARNED, by=leader, on=steps[2])


@pytest.fixture
def history(users):
    owner = users["analyst"]
    a = make_lesson(
        owner, operation="OP-2025-0001", observed=date(2025, 1, 10), themes=["Safeguarding", "Digital evidence"]
    )
    b = make_lesson(owner, operation="OP-2025-0002", observed=date(2025, 2, 10), themes=["Safeguarding"])
    c = make_lesson(owner, operation="OP-2025-0002", observed=date(2025, 5, 10), themes=["Digital evidence"])
    make_lesson(
        owner,
        operation="OP-2025-0003",
        observed=date(2025, 5, 20),
        themes=["Safeguarding"],
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    _learn(a, users, steps=[date(2025, 1, 20), date(2025, 3, 1), date(2025, 4, 11)])  # 91 days
    _learn(b, users, steps=[date(2025, 2, 20), date(2025, 3, 1), date(2025, 3, 12)])  # 30 days
    return {"a": a, "b": b, "c": c}


def test_themes_over_time_count_lessons_per_quarter(history):
    result = themes_over_time(date(2025, 1, 1), date(2025, 6, 30))
    assert result.quarters == ["2025 Q1", "2025 Q2"]
    assert result.series["Safeguarding"] == [2, 1]
    assert result.series["Digital evidence"] == [1, 1]
    assert list(result.series)[0] == "Safeguarding"  # most frequent first


def test_recurring_themes_count_distinct_investigations(history):
    rows = {r.name: r for r in recurring_themes(date(2025, 1, 1), date(2025, 12, 31))}
    assert (rows["Safeguarding"].investigations, rows["Safeguarding"].lessons, rows["Safeguarding"].learned) == (
        3,
        3,
        2,
    )
    assert rows["Digital evidence"].investigations == 2
    only_one = recurring_themes(date(2025, 5, 15), date(2025, 12, 31))
    assert only_one == []  # one lesson, one investigation: not recurring


def test_time_from_observed_to_learned(history):
    speed = time_to_learn(date(2025, 1, 1), date(2025, 12, 31))
    assert speed.learned == 2 and speed.overall_median_days == 60.5
    assert [(y.year, y.lessons, y.mean_days) for y in speed.by_year] == [(2025, 2, 60.5)]


def test_patterns_page_has_chart_with_table_and_figures(client_for, history, settings):
    page = client_for("secretary").get(reverse("learning:lesson-patterns"), {"period": "36m"}).content.decode()
    assert "data:image/svg+xml;base64," in page and "Lessons per theme per quarter" in page
    assert "Themes that recur across investigations" in page
    assert "half took 60 days or fewer" in page or "half took 61 days or fewer" in page


def test_learning_panels_for_summary_roles_only(client_for, history):
    for role in ("leader", "analyst", "secretary", "pcc"):
        assert "Lessons learned" in client_for(role).get("/").content.decode(), role
    for role in ("coordinator", "partner"):
        page = client_for(role).get("/").content.decode()
        assert "panel-learning-lessons" not in page and "panel-learning-coverage" not in page, role
    secretary = client_for("secretary").get("/").content.decode()
    assert "panel-learning-coverage" in secretary  # coverage figures are a summary
    assert reverse("learning:coverage") not in secretary  # but the detailed page is not theirs


def test_lessons_panel_figures_follow_the_period(users, history):
    period = Period("x", "2025", date(2025, 1, 1), date(2025, 12, 31))
    data = gather_lessons(users["leader"], period)
    assert data["logged"].value == 4 and data["learned"].value == 2 and data["median_days"] == 60.5
    assert data["statuses"]["Learned"].value == 2 and data["open"].value == 2
    assert data["marking"] == Marking.OFFICIAL  # counts only: no sensitive text reaches the panel


def test_the_lessons_panel_reads_the_patterns_it_shows_and_they_are_the_patterns_pages(users, history):
    """The panel's own cached entry holds the recurring themes and learning speed only (not the themes over
    time it never shows), computed by the same functions as the patterns page's."""
    from learning.selectors.patterns import lesson_card_patterns, lesson_patterns

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    (recurring, speed), _as_of = lesson_card_patterns(start, end)
    full, _as_of = lesson_patterns(start, end)
    assert recurring == full.recurring and speed == full.speed and recurring
    make_lesson(users["analyst"], operation="OP-2025-0009", observed=date(2025, 6, 1), themes=["Digital evidence"])
    (recurring, _speed), _as_of = lesson_card_patterns(start, end)  # a lesson change moves it at once
    assert {r.name: r.lessons for r in recurring}["Digital evidence"] == 3


def test_panels_render_for_the_board_pack_pdf(users, history):
    establish("North response", "frontline", 10)
    period = Period("x", "2025", date(2025, 1, 1), date(2025, 12, 31))
    parts = []
    for key, gather in (("learning-lessons", gather_lessons), ("learning-coverage", gather_coverage)):
        panel = panels.get(key)
        html = render_to_string(
            panel.template, {"panel": panel, "data": gather(users["leader"], period), "for_pdf": True}
        )
        assert "<a " not in html  # no links in print
        parts.append(f"<h2>{panel.title}</h2>{html}")
    document = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Pack</title></head><body>'
        + "".join(parts)
        + "</body></html>"
    )
    pdf = html_to_pdf(document)
    assert pdf.pages >= 1 and pdf.content.startswith(b"%PDF")


def test_patterns_are_recomputed_when_a_lesson_changes(client_for, users, history):
    url = reverse("learning:lesson-patterns")
    client = client_for("leader")
    before = client.get(url).context["patterns"].statuses["Observed"]
    make_lesson(users["analyst"], observed=timezone.localdate() - timedelta(days=1))
    assert client.get(url).context["patterns"].statuses["Observed"] == before + 1
    assert Lesson.objects.count() == 5


def test_the_patterns_page_is_drawn_once_per_period_and_again_after_a_lesson_changes(
    client_for, users, history, monkeypatch
):
    """Served from the per-reader page cache (issue 15): the same page on a hit, a new lesson counted at once."""
    from learning.views import patterns as view

    drawn = []
    real = view._patterns_page
    monkeypatch.setattr(view, "_patterns_page", lambda request: drawn.append(1) or real(request))
    url = reverse("learning:lesson-patterns")
    client = client_for("leader")
    first = client.get(url, {"period": "36m"}).content.decode()
    assert client.get(url, {"period": "36m"}).content.decode().count("<td") == first.count("<td")
    assert len(drawn) == 1
    client.get(url, {"period": "12m"})
    assert len(drawn) == 2
    before = client.get(url).context["patterns"].statuses["Observed"]
    make_lesson(users["analyst"], observed=timezone.localdate() - timedelta(days=1))
    page = client.get(url).content.decode()
    assert client.get(url).context["patterns"].statuses["Observed"] == before + 1
    assert len(drawn) == 4 and page != first
