"""The senior leaders' dashboard: strategy panels for internal roles, figures linked to their records,
charts with tables, "as of" shown, and figures that move when an analyst records new data."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from strategy.models import PccSupport, StrategyStatus
from tests.strategy.factories import (
    ForceStrategyFactory,
    MeasureFactory,
    MeasureValueFactory,
    ObjectiveFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
    answer_all,
    start_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _world(users):
    strategy = ForceStrategyFactory(
        status=StrategyStatus.APPROVED, msht_in_control_strategy=False, pcc_support=PccSupport.NOT_SOUGHT
    )
    ObjectiveFactory(strategy=strategy, pillar="pursue", rag="red")
    ObjectiveFactory(strategy=strategy, pillar="protect", rag="green")
    threat = ThreatFactory(title="County line Alpha")
    today = timezone.localdate()
    # A week before today, never today itself: tests add today's assessment and a threat has one a day.
    ThreatAssessmentFactory(
        threat=threat, assessed_on=today - timedelta(days=7), harm=2, likelihood=2, assessed_by=users["analyst"]
    )
    assessment = start_assessment(users["leader"], start=date(today.year - 1, 4, 1), end=date(today.year, 3, 31))
    answer_all(assessment, "partly_met")
    return strategy, threat


def test_leader_sees_every_strategy_panel_with_warnings_and_links(client_for, users):
    strategy, threat = _world(users)
    leader = client_for("leader")
    body = leader.get("/").content.decode()
    for key, title in (
        ("strategy-status", "Force strategy"),
        ("strategy-objectives", "objectives"),
        ("strategy-threats", "Top threats"),
        ("strategy-measures", "Measures against target"),
        ("strategy-compliance", "Self-assessment compliance by theme"),
    ):
        assert f'id="panel-{key}">' in body and title in body
        assert f'href="/dashboard/{key}/?period=12m"' in body  # the panel in full, one click away
    # The warnings are in "Needs your attention", each a link to the strategy to put right.
    attention = body[body.index('id="attention-heading"') : body.index('id="headlines-heading"')]
    assert f'href="/strategy/versions/{strategy.pk}/">' in attention
    assert "is not a priority in the force control strategy." in attention
    assert f'href="/strategy/threats/{threat.pk}/"' in body
    assert f'href="/strategy/versions/{strategy.pk}/' in body
    # The detail, charts with their tables, is on the panel's own page.
    threats = leader.get("/dashboard/strategy-threats/?period=12m").content.decode()
    assert "Figures as of" in threats
    assert "Show the figures as a table" in threats
    status = leader.get("/dashboard/strategy-status/").content.decode()
    assert "has not been briefed" in status


def test_pcc_liaison_sees_the_dashboard_read_only(client_for, users):
    _world(users)
    body = client_for("pcc").get("/").content.decode()
    assert "Top threats" in body
    assert "/approve/" not in body and "/sign-off/" not in body


def test_external_partner_sees_no_strategy_panel(client_for, users):
    _world(users)
    body = client_for("partner").get("/").content.decode()
    assert "Top threats" not in body and "County line Alpha" not in body


def test_new_threat_assessment_moves_the_dashboard(client_for, users):
    _, threat = _world(users)
    leader = client_for("leader")
    before = leader.get("/").context
    top_before = next(data for panel, data in before["panels"] if panel.key == "strategy-threats")["top"]
    assert top_before[0]["latest_score"] == 8
    response = client_for("analyst").post(
        f"/strategy/threats/{threat.pk}/assess/",
        {
            "assessed_on": timezone.localdate().isoformat(),
            "harm": "5",
            "likelihood": "5",
            "confidence": "3",
            "capacity": "2",
            "capability": "2",
            "marking": "official",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    after = leader.get("/").context
    top_after = next(data for panel, data in after["panels"] if panel.key == "strategy-threats")["top"]
    assert top_after[0]["latest_score"] == 50


def test_measure_value_moves_the_measures_panel(client_for, users):
    from strategy.models import Measure

    # The panel shows the twelve measures needing most attention: keep this one the only active one.
    Measure.objects.update(active=False)
    measure = MeasureFactory(name="Charges", target=10)
    today = timezone.localdate()
    first = (today.replace(day=1) - date.resolution * 40).replace(day=1)
    leader = client_for("leader")
    before = leader.get("/").context
    row = next(
        m
        for m in next(d for p, d in before["panels"] if p.key == "strategy-measures")["measures"]
        if m["pk"] == measure.pk
    )
    assert row["latest"] is None
    MeasureValueFactory(
        measure=measure,
        period_start=first,
        period_end=(first.replace(day=28) + date.resolution * 4).replace(day=1) - date.resolution,
        value=12,
        entered_by=users["analyst"],
    )
    after = leader.get("/").context
    row = next(
        m
        for m in next(d for p, d in after["panels"] if p.key == "strategy-measures")["measures"]
        if m["pk"] == measure.pk
    )
    assert row["latest"] == 12 and row["rag"] == "green"


def test_sensitive_top_threat_raises_the_dashboard_marking(client_for, users):
    threat = ThreatFactory(marking="official-sensitive")
    ThreatAssessmentFactory(threat=threat, assessed_on=timezone.localdate(), assessed_by=users["analyst"])
    body = client_for("leader").get("/").content.decode()
    assert "app-marking--sensitive" in body


def test_period_filter_changes_what_counts(client_for, users):
    threat = ThreatFactory(title="Only recently assessed")
    ThreatAssessmentFactory(threat=threat, assessed_on=timezone.localdate(), assessed_by=users["analyst"])
    from mshtgov.periods import financial_year_start

    fy_old = f"fy{financial_year_start(timezone.localdate()).year - 2}"  # the oldest financial year offered
    leader = client_for("leader")
    assert "Only recently assessed" in leader.get("/?period=12m").content.decode()
    old = leader.get(f"/?period={fy_old}")
    assert old.context["period"].key == fy_old
    assert "Only recently assessed" not in old.content.decode()


def test_panels_render_for_the_pdf_board_pack(users):
    from django.template.loader import render_to_string

    from mshtgov import panels
    from mshtgov.periods import parse_period

    _world(users)
    period = parse_period("12m", timezone.localdate())
    strategy_panels = [panel for panel in panels.all_panels() if panel.key.startswith("strategy-")]
    assert strategy_panels
    for panel in strategy_panels:
        html = render_to_string(
            panel.template, {"data": panel.gather(users["leader"], period), "panel": panel, "for_pdf": True}
        )
        assert 'href="/strategy' not in html
        assert "Figures as of" in html


def test_the_compliance_card_does_not_draw_the_chart_its_panel_page_shows(client_for, users, monkeypatch):
    """The chart is drawn only when a page shows it (`ComplianceChart`): the dashboard card never does."""
    from django.core.cache import cache
    from django.utils import timezone

    from mshtgov.periods import period_from_query
    from strategy import charts
    from strategy.panels import gather_compliance

    cache.clear()  # nothing drawn by an earlier test
    drawn = []
    real = charts.compliance_chart
    monkeypatch.setattr(charts, "compliance_chart", lambda counts: drawn.append(counts) or real(counts))
    assert client_for("leader").get("/").status_code == 200
    data = gather_compliance(users["leader"], period_from_query({}, timezone.localdate()))
    assert drawn == []
    assert data["chart"].data_uri.startswith("data:image/svg+xml;base64,") and data["chart"].alt
    assert len(drawn) == 1  # once, when shown


def test_the_measures_panel_reads_every_derived_sparkline_in_one_batch(client_for, users, monkeypatch):
    """The panel page draws a trend for each derived measure it lists: their values are read together, once,
    not in a round trip each (issue 15: deferring them from the card had made the page slower than before)."""
    from mshtgov.periods import period_from_query
    from strategy import panels
    from strategy.selectors import measures

    period = period_from_query({"period": "12m"}, timezone.localdate())
    rows = panels.gather_measures(users["leader"], period)["measures"]
    derived = sum(1 for row in rows if isinstance(row["sparkline"], panels._DerivedSparkline))
    batches = []
    real = measures.derived_series_many

    def counted(wanted, **kw):
        if kw.get("urls", True) is False:
            batches.append(len(wanted))
        return real(wanted, **kw)

    monkeypatch.setattr(measures, "derived_series_many", counted)
    page = client_for("leader").get("/dashboard/strategy-measures/?period=12m").content.decode()
    assert derived >= 2 and page.count("Trend of ") >= derived  # the standard derived measures, each drawn
    assert len(batches) == 1 and batches[0] >= derived  # with the card's other derived measures


def test_the_cold_measures_card_and_panel_cost_the_same_whether_or_not_a_latest_period_has_a_value(client_for, users):
    """Issue 15 (costs that do not grow with the data): the dashboard and the measures panel page, built with
    nothing cached, run as many queries when the notifications measure has nothing to count this month (its
    latest value then an earlier month's) as when it has; and the card shows the value its own page does."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerships.models import SafeguardingNotification
    from strategy.models import Measure
    from strategy.selectors.measures import measure_rows

    today = timezone.localdate()
    leader = client_for("leader")
    measure = Measure.objects.get(code="safeguarding-notifications-in-time")
    pages = ("/", "/?period=12m", "/dashboard/strategy-measures/?period=12m")

    def notify(recorded):
        SafeguardingNotification.objects.create(
            incident_reference=f"MSHT-{recorded:%Y%m%d}",
            incident_recorded_on=recorded,
            body="mash",
            notified_by=users["coordinator"],
            notified_on=recorded,
        )

    def cold_counts():
        counts = []
        for url in pages:
            leader.get(url)  # per-process caches warmed, as the bench does
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                assert leader.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    def card_latest():
        from mshtgov.periods import period_from_query
        from strategy import panels

        period = period_from_query({"period": "12m"}, today)
        cache.clear()
        rows = panels.gather_measures(users["leader"], period)["measures"]
        shown = [r for r in panels.card_measure_rows([(period.start, period.end)])[0] if r[0]["measure"] == measure]
        latest = shown[0][0]["latest"]
        own = measure_rows([(measure, period.start, period.end)])[0]["latest"]
        assert rows and (latest.value, latest.period_start) == (own.value, own.period_start)
        return latest

    from mshtgov.attention import previous_period
    from mshtgov.periods import period_from_query

    # The card reads this window and the one before it (for the headline figures): in each, an earlier
    # month only, nothing in its latest month.
    before = previous_period(period_from_query({"period": "12m"}, today))
    notify(today.replace(day=1) - timedelta(days=40))
    notify(before.end.replace(day=1) - timedelta(days=40))
    without = cold_counts()
    assert card_latest().period_start < today.replace(day=1)
    notify(today)
    notify(before.end)
    with_value = cold_counts()
    assert card_latest().period_start == today.replace(day=1)
    assert with_value == without
