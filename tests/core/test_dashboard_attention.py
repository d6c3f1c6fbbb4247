"""The dashboard opens with what needs the reader now (issue 13): per role, the reader's own first, each
line a link to the list holding exactly what it counts; then headline figures against the previous period."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from mshtgov.attention import Headline, previous_period
from mshtgov.figures import Figure
from mshtgov.periods import Period, parse_period
from tests.governance.factories import ActionFactory
from tests.strategy.factories import ThreatAssessmentFactory, ThreatFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

_LINE = re.compile(
    r'<li class="app-attention__item[^"]*"><a class="govuk-link" href="([^"]+)">'
    r'(?:<strong class="app-attention__count">(\d+)</strong> )?(.*?)</a>',
    re.S,
)


def _attention(client) -> list[tuple[str, int | None, str]]:
    body = client.get("/").content.decode()
    section = body[body.index('id="attention-heading"') : body.index("At a glance")]
    return [(href.replace("&amp;", "&"), int(n) if n else None, text) for href, n, text in _LINE.findall(section)]


def _result_count(client, url) -> int:
    body = client.get(url).content.decode()
    match = re.search(r'data-result-count="(\d+)"', body)
    assert match, f"{url} shows no result count"
    return int(match.group(1))


def test_the_readers_overdue_actions_come_first_and_each_line_opens_what_it_counts(client_for, users):
    yesterday = timezone.localdate() - timedelta(days=1)
    ActionFactory(owner=users["leader"], due_date=yesterday)
    ActionFactory.create_batch(2, owner=users["analyst"], due_date=yesterday)
    ActionFactory(owner=users["analyst"])  # not yet due: counted nowhere here
    leader = client_for("leader")
    lines = _attention(leader)
    assert lines, "nothing needs attention"
    first_href, first_count, first_text = lines[0]
    assert (first_count, first_text) == (1, "of your actions is overdue")
    assert _result_count(leader, first_href) == 1
    everyone = next(line for line in lines if line[2] == "actions are overdue in all")
    assert everyone[1] == 3
    assert _result_count(leader, everyone[0]) == 3


def test_a_threat_whose_priority_rose_is_listed_and_its_link_lists_it(client_for, users):
    today = timezone.localdate()
    rose = ThreatFactory(title="Rising threat")
    steady = ThreatFactory(title="Steady threat")
    long_ago = today - timedelta(days=400)  # before the last 12 months began
    for threat in (rose, steady):
        ThreatAssessmentFactory(threat=threat, assessed_on=long_ago, harm=2, likelihood=2, assessed_by=users["analyst"])
    ThreatAssessmentFactory(threat=rose, assessed_on=today - timedelta(days=3), harm=4, likelihood=4)
    ThreatAssessmentFactory(threat=steady, assessed_on=today - timedelta(days=3), harm=2, likelihood=2)
    leader = client_for("leader")
    href, count, text = next(line for line in _attention(leader) if "risen in priority" in line[2])
    assert count == 1 and text.startswith("threat has risen in priority since")
    body = leader.get(href).content.decode()
    assert "Rising threat" in body and "Steady threat" not in body


def test_lessons_awaiting_validation_only_for_those_who_validate(client_for, users):
    from learning.models import Lesson, LessonStatus
    from tests.learning.factories import make_lesson

    lesson = make_lesson(users["analyst"])
    Lesson.objects.filter(pk=lesson.pk).update(status=LessonStatus.IMPLEMENTED)
    leader = client_for("leader")
    href, count, text = next(line for line in _attention(leader) if "validation" in line[2])
    assert count == 1 and "?status=implemented" in href
    assert not [line for line in _attention(client_for("pcc")) if "validation" in line[2]]
    assert not [line for line in _attention(client_for("analyst")) if "validation" in line[2]]


def test_a_partner_sees_no_force_figures_in_the_attention_list(client_for, users):
    ActionFactory(owner=users["analyst"], due_date=timezone.localdate() - timedelta(days=1))
    body = client_for("partner").get("/").content.decode()
    assert "Needs your attention" in body
    assert "overdue" not in body and "measure" not in body.lower().split("at a glance")[0]


def test_strategy_warnings_link_to_the_strategy(client_for, users):
    from strategy.models import PccSupport, StrategyStatus
    from tests.strategy.factories import ForceStrategyFactory

    strategy = ForceStrategyFactory(
        status=StrategyStatus.APPROVED, msht_in_control_strategy=False, pcc_support=PccSupport.NOT_SOUGHT
    )
    lines = _attention(client_for("leader"))
    texts = {text: href for href, _n, text in lines}
    assert texts["The police and crime commissioner has not been briefed on the strategy."] == (
        f"/strategy/versions/{strategy.pk}/"
    )
    assert any("is not a priority in the force control strategy." in text for text in texts)


def test_headlines_say_the_trend_against_the_previous_period_in_words(client_for, users):
    body = client_for("leader").get("/").content.decode()
    headlines = body[body.index('id="headlines-heading"') : body.index("At a glance")]
    assert "Actions overdue at the end of the period" in headlines
    assert "in the previous period" in headlines or "No figure for the previous period" in headlines


def test_headline_trend_words():
    now = Figure("k", 12, label="measures failing target")
    assert Headline(now, Figure("k", 9), higher_is_better=False).trend_text == "Up 3 from 9 in the previous period"
    assert Headline(now, Figure("k", 9), higher_is_better=False).verdict == "worse"
    assert Headline(now, Figure("k", 15)).verdict == "worse"
    assert Headline(now, Figure("k", 12)).trend_text == "Same as the previous period (12)"
    assert Headline(now, None).trend_text == "No figure for the previous period"
    percent = Headline(Figure("p", 54, kind="percent"), Figure("p", 60, kind="percent"), unit="percentage points")
    assert percent.trend_text == "Down 6 percentage points from 60% in the previous period"


def test_previous_period_is_the_same_length_just_before():
    today = date(2026, 3, 1)
    last_year = previous_period(parse_period("12m", today))
    assert (last_year.start, last_year.end) == (date(2024, 3, 2), date(2025, 3, 1))
    fy = previous_period(parse_period("fy2025", today))
    assert (fy.start, fy.end) == (date(2024, 4, 1), date(2025, 3, 1))
    days = previous_period(Period("range", "", date(2026, 2, 1), date(2026, 2, 10)))
    assert (days.start, days.end) == (date(2026, 1, 22), date(2026, 1, 31))
