"""The strategy app's parts of a board pack's "since the last meeting" page: measures whose RAG
against target moved, and threats whose priority changed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import BoardPack, MeetingStatus
from governance.packs import since
from governance.packs.compose import compose_pack
from mshtgov.marking import Marking
from strategy.models import Direction
from strategy.pack_since import MEASURES_SINCE, THREATS_SINCE, measure_movements, threat_priority_changes
from tests.governance.factories import BoardFactory, MeetingFactory, at
from tests.strategy.factories import MeasureFactory, MeasureValueFactory, ThreatAssessmentFactory, ThreatFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - timedelta(days=60)  # the last meeting
END = TODAY


def _value(measure, value, *, ended, user):
    """A value for the month ending `ended` days before today."""
    end = TODAY - timedelta(days=ended)
    return MeasureValueFactory(
        measure=measure, value=value, period_start=end - timedelta(days=27), period_end=end, entered_by=user
    )


def _assess(threat, *, days_ago, harm, likelihood, user, marking=Marking.OFFICIAL):
    return ThreatAssessmentFactory(
        threat=threat,
        assessed_on=TODAY - timedelta(days=days_ago),
        harm=harm,
        likelihood=likelihood,
        capacity=2,
        capability=2,
        assessed_by=user,
        marking=marking,
    )


@pytest.fixture
def measures(users):
    analyst = users["analyst"]
    # Target 100, higher is better: green at 100+, amber from 90, red below.
    worsened = MeasureFactory(name="NRM referrals made", target=100, direction=Direction.HIGHER)
    _value(worsened, 120, ended=70, user=analyst)  # before the last meeting: green
    _value(worsened, 80, ended=10, user=analyst)  # now: red
    improved = MeasureFactory(name="Days to first support", target=20, direction=Direction.LOWER)
    _value(improved, 30, ended=65, user=analyst)  # red
    _value(improved, 21, ended=5, user=analyst)  # amber (within 10%)
    steady = MeasureFactory(name="Closures with disruption", target=100, direction=Direction.HIGHER)
    _value(steady, 101, ended=70, user=analyst)
    _value(steady, 150, ended=10, user=analyst)  # value moved, RAG stayed green
    later = MeasureFactory(name="Value reported after the pack date", target=100, direction=Direction.HIGHER)
    _value(later, 120, ended=70, user=analyst)
    _value(later, 10, ended=-30, user=analyst)  # a period ending after `end` does not count yet
    first = MeasureFactory(name="Partner training completed", target=50, direction=Direction.HIGHER)
    _value(first, 60, ended=20, user=analyst)  # no value before the meeting: first rated
    retired = MeasureFactory(name="Retired measure", target=100, active=False)
    _value(retired, 120, ended=70, user=analyst)
    _value(retired, 10, ended=10, user=analyst)
    return {"worsened": worsened, "improved": improved, "first": first}


@pytest.fixture
def threats(users):
    analyst = users["analyst"]
    raised = ThreatFactory(title="Labour exploitation in car washes")
    _assess(raised, days_ago=90, harm=2, likelihood=3, user=analyst)  # 2*3*2 = 12, low
    _assess(raised, days_ago=20, harm=4, likelihood=4, user=analyst)  # 32, medium
    lowered = ThreatFactory(title="County lines into coastal towns")
    _assess(lowered, days_ago=61, harm=5, likelihood=4, user=analyst)  # 40, high
    _assess(lowered, days_ago=30, harm=5, likelihood=3, user=analyst)  # 30, medium
    same_score = ThreatFactory(title="Sexual exploitation in pop-up brothels")
    _assess(same_score, days_ago=100, harm=3, likelihood=4, user=analyst)  # 24
    _assess(same_score, days_ago=15, harm=4, likelihood=3, user=analyst)  # 24 again: unchanged
    untouched = ThreatFactory(title="Criminal exploitation via food delivery")
    _assess(untouched, days_ago=200, harm=4, likelihood=4, user=analyst)
    new = ThreatFactory(title="Forced criminality in cannabis farms")
    _assess(new, days_ago=5, harm=5, likelihood=5, user=analyst)  # 50, first assessed
    return {"raised": raised, "lowered": lowered, "new": new}


def test_measures_whose_rag_moved_are_listed_with_before_after_and_direction(users, measures):
    data = measure_movements(users["secretary"], START, END)
    rows = {row["measure"].name: row for row in data["rows"]}
    assert set(rows) == {"NRM referrals made", "Days to first support", "Partner training completed"}

    worse = rows["NRM referrals made"]
    assert (worse["before_value"], worse["before_rag"], worse["after_value"], worse["after_rag"]) == (
        120,
        "green",
        80,
        "red",
    )
    assert worse["direction"] == "Worsened"
    better = rows["Days to first support"]
    assert (better["before_rag"], better["after_rag"], better["direction"]) == ("red", "amber", "Improved")
    first = rows["Partner training completed"]
    assert (first["before_value"], first["before_rag"], first["direction"]) == (None, "not_rated", "First rated")


def test_measures_use_the_strategy_rag_rule(users, measures):
    """Red/amber/green comes from Measure.rag_for, the rule the measures pages use."""
    rows = measure_movements(users["secretary"], START, END)["rows"]
    assert rows
    for row in rows:
        assert row["after_rag"] == row["measure"].rag_for(row["after_value"])


def test_threats_whose_priority_changed_are_listed_with_score_band_and_direction(users, threats):
    data = threat_priority_changes(users["secretary"], START, END)
    rows = {row["threat"].title: row for row in data["rows"]}
    assert set(rows) == {
        "Labour exploitation in car washes",
        "County lines into coastal towns",
        "Forced criminality in cannabis farms",
    }

    raised = rows["Labour exploitation in car washes"]
    assert (raised["before"].score, raised["before"].band, raised["after"].score, raised["after"].band) == (
        12,
        "low",
        32,
        "medium",
    )
    assert raised["direction"] == "Raised" and raised["band_changed"]
    lowered = rows["County lines into coastal towns"]
    assert (lowered["before"].score, lowered["after"].score, lowered["direction"]) == (40, 30, "Lowered")
    assert (lowered["before"].band_label, lowered["after"].band_label) == ("High", "Medium")
    new = rows["Forced criminality in cannabis farms"]
    assert new["before"] is None and new["after"].score == 50 and new["direction"] == "First assessed"
    assert data["marking"] == Marking.OFFICIAL


def test_a_sensitive_assessment_raises_the_marking(users, threats):
    _assess(
        threats["raised"], days_ago=2, harm=5, likelihood=5, user=users["analyst"], marking=Marking.OFFICIAL_SENSITIVE
    )
    assert threat_priority_changes(users["secretary"], START, END)["marking"] == Marking.OFFICIAL_SENSITIVE


def test_partners_get_nothing(users, measures, threats):
    assert measure_movements(users["partner"], START, END)["rows"] == []
    assert threat_priority_changes(users["partner"], START, END)["rows"] == []


def test_queries_do_not_grow_with_the_number_of_rows(users, measures, threats):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            measure_movements(users["secretary"], START, END)
            threat_priority_changes(users["secretary"], START, END)
        return len(ctx.captured_queries)

    count()  # the first call loads the user's permissions
    small = count()
    analyst = users["analyst"]
    for i in range(10):
        measure = MeasureFactory(name=f"Extra measure {i}", target=100)
        _value(measure, 120, ended=70, user=analyst)
        _value(measure, 10, ended=10, user=analyst)
        threat = ThreatFactory(title=f"Extra threat {i}")
        _assess(threat, days_ago=80, harm=1, likelihood=1, user=analyst)
        _assess(threat, days_ago=10, harm=5, likelihood=5, user=analyst)
    assert len(measure_movements(users["secretary"], START, END)["rows"]) == 13
    assert count() == small == 2


def test_providers_are_registered_in_order_after_governance():
    keys = [p.key for p in since.providers()]
    assert MEASURES_SINCE in since.providers() and THREATS_SINCE in since.providers()
    assert keys.index("strategy-measures") < keys.index("strategy-threats")


def test_board_pack_since_page_shows_the_changes(users, measures, threats):
    board = BoardFactory(name="MSHT Strategic Board", chair=users["leader"], secretary=users["secretary"])
    MeetingFactory(board=board, starts_at=at(START), status=MeetingStatus.CLOSED, minutes="Met.")
    meeting = MeetingFactory(board=board)
    pack = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"], sections=["since"])
    composed = compose_pack(pack, today=END)
    html = composed.html
    assert composed.warnings == []
    assert "Measures that moved against target" in html
    assert "Threats whose priority changed" in html
    assert '<th scope="row">NRM referrals made' in html
    assert "Worsened" in html and "Improved" in html
    assert '<th scope="row">Labour exploitation in car washes' in html
    assert "12, Low" in html and "32, Medium" in html
    assert "Closures with disruption" not in html
    assert "Sexual exploitation in pop-up brothels" not in html
    assert "Criminal exploitation via food delivery" not in html
    assert "<caption>Measures whose RAG against target changed" in html
    assert composed.marking == Marking.OFFICIAL


def test_board_pack_takes_the_marking_of_a_sensitive_threat_change(users, threats):
    threats["raised"].marking = Marking.OFFICIAL_SENSITIVE
    threats["raised"].save()
    board = BoardFactory(name="MSHT Strategic Board")
    MeetingFactory(board=board, starts_at=at(START), status=MeetingStatus.CLOSED, minutes="Met.")
    pack = BoardPack.objects.create(
        meeting=MeetingFactory(board=board), requested_by=users["secretary"], sections=["since"]
    )
    composed = compose_pack(pack, today=END)
    assert composed.marking == Marking.OFFICIAL_SENSITIVE
    assert "Labour exploitation in car washes (OFFICIAL-SENSITIVE)" in composed.html


def test_built_pdf_pack_prints_the_strategy_changes(
    users, measures, threats, tmp_path, settings, django_capture_on_commit_callbacks
):
    import subprocess

    from governance.models import PackStatus
    from governance.services.packs import board_pack_request

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/no-public-url/"},
        },
    }
    board = BoardFactory(name="MSHT Strategic Board", chair=users["leader"], secretary=users["secretary"])
    MeetingFactory(board=board, starts_at=at(START), status=MeetingStatus.CLOSED, minutes="Met.")
    meeting = MeetingFactory(board=board)
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = board_pack_request(meeting=meeting, by=users["secretary"], sections=["since"])
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.failure_reason
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.file.read())
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(raw.split())  # table cells wrap over lines
    for expected in (
        "Measures that moved against target",
        "NRM referrals made",
        "Worsened",
        "Threats whose priority changed",
        "Labour exploitation in car washes",
        "Raised",
    ):
        assert expected in text
    assert "Closures with disruption" not in text
