"""A dashboard "cold" after one change (issue 15): a change rebuilds only the cards whose queries read what
changed, and every card it does touch moves at once (never an older truth)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from mshtgov import dashboard

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _figure(body: str, key: str) -> str | None:
    match = re.search(rf'data-figure-key="{re.escape(key)}" data-figure-value="([^"]*)"', body)
    return match.group(1) if match else None


@pytest.fixture
def built(monkeypatch):
    """The keys of the cards built (not served from the cache) since the fixture was taken."""
    keys = []
    real = dashboard._build
    monkeypatch.setattr(dashboard, "_build", lambda panel, *a: keys.append(panel.key) or real(panel, *a))
    return keys


def _overdue_action_from(lesson, users):
    from governance.models import ActionSource
    from governance.services import action_create

    action = action_create(
        title="Share the car wash lesson with trading standards",
        owner=users["analyst"],
        due_date=timezone.localdate() + timedelta(days=20),
        by=users["analyst"],
        source=lesson,
        source_kind=ActionSource.LESSON,
    )
    return action


def test_a_lesson_change_leaves_the_action_card_of_a_reader_who_may_open_every_lesson(users, client_for, built):
    """The leader may open every lesson: their action figures read no lesson, so a lesson's save does not
    rebuild them (it rebuilt them before: the figures were cached against every kind that raises actions).
    A lesson made sensitive marks its actions (`governance.records`): that is an action's change, and does."""
    from mshtgov.marking import Marking
    from mshtgov.tracking import save_tracked
    from tests.learning.factories import make_lesson

    lesson = make_lesson(users["analyst"], title="Lesson on a car wash visit", marking=Marking.OFFICIAL)
    _overdue_action_from(lesson, users)
    leader = client_for("leader")
    body = leader.get("/").content.decode()
    assert _figure(body, "actions:open") == "1"
    built.clear()
    lesson.title = "Lesson on a car wash and nail bar visit"
    save_tracked(lesson, by=users["analyst"], reason="Second premises")
    body = leader.get("/").content.decode()
    assert "learning-lessons" in built and "governance-actions" not in built
    assert _figure(body, "actions:open") == "1"


def test_a_lesson_made_sensitive_moves_every_action_figure_of_a_reader_who_may_not_open_it(users, client_for):
    """A PCC liaison reads OFFICIAL lessons only: their action figures read the lessons, so the same save
    moves the card's count and its headline (overdue at the end of the period) at once."""
    from governance.models import Action
    from mshtgov.marking import Marking
    from mshtgov.tracking import save_tracked
    from tests.learning.factories import make_lesson

    lesson = make_lesson(users["analyst"], title="Lesson on a car wash visit", marking=Marking.OFFICIAL)
    action = _overdue_action_from(lesson, users)
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=400))
    Action.objects.filter(pk=action.pk).update(created_at=timezone.now() - timedelta(days=500))
    from mshtgov.summaries import bump

    bump(Action)
    pcc = client_for("pcc")
    body = pcc.get("/").content.decode()
    open_before = int(_figure(body, "actions:open"))
    overdue_keys = re.findall(r'data-figure-key="(actions:overdue-on:[^"]+)" data-figure-value="(\d+)"', body)
    assert overdue_keys and all(int(value) >= 1 for _key, value in overdue_keys)

    lesson.marking = Marking.OFFICIAL_SENSITIVE
    save_tracked(lesson, by=users["analyst"], reason="Names a safe house")

    body = pcc.get("/").content.decode()
    assert int(_figure(body, "actions:open")) == open_before - 1
    for key, value in overdue_keys:
        assert int(_figure(body, key)) == int(value) - 1


def test_the_measures_card_recomputes_only_the_group_that_reads_what_changed(users, client_for, monkeypatch):
    """The measures card keeps its rows in groups by what they are computed from (`card_measure_rows`): an
    action moves the overdue-actions measure on the card at once and recomputes that group only; a typed
    value recomputes the typed measures only, and moves theirs at once too."""
    from governance.models import ActionStatus
    from strategy import panels
    from strategy.models import Measure, MeasureValue
    from strategy.panels import card_measure_rows
    from strategy.reference.measures import DERIVED_MEASURE_CODES
    from tests.governance.factories import ActionFactory

    today = timezone.localdate()
    start = today.replace(day=1) - timedelta(days=120)
    action = ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=3))
    overdue = Measure.objects.get(code="actions-overdue")
    typed = Measure.objects.filter(active=True).exclude(code__in=DERIVED_MEASURE_CODES).first()

    def rows():
        return {row["measure"].pk: (row, as_of) for row, as_of in card_measure_rows([(start, today)])[0]}

    before = rows()
    assert before[overdue.pk][0]["latest"].value == 1
    computed = []
    real = panels._card_rows

    def spy(wanted, today):
        computed.extend(measure.code for measure, _start, _end in wanted)
        return real(wanted, today)

    monkeypatch.setattr(panels, "_card_rows", spy)
    assert rows() == before and computed == []  # warm
    action.status = ActionStatus.DONE
    action.completed_on = today
    action.save()
    after = rows()
    assert computed == ["actions-overdue"]
    assert after[overdue.pk][0]["latest"].value == 0
    assert all(after[pk] == before[pk] for pk in before if pk != overdue.pk)

    computed.clear()
    value = MeasureValue.objects.create(
        measure=typed, period_start=start, period_end=start + timedelta(days=27), value=7, entered_by=users["analyst"]
    )
    after = rows()
    assert typed.code in computed and not set(computed) & set(DERIVED_MEASURE_CODES)
    assert after[typed.pk][0]["latest"].value == 7
    value.value = 9
    value.save()
    assert rows()[typed.pk][0]["latest"].value == 9


def test_the_measures_card_on_the_dashboard_shows_a_new_value_at_once(users, client_for):
    """Through the page: the card counts a typed value as soon as it is saved (the card's row group and the
    card itself rebuilt), its red count moves when the value fails the target, and the panel page shows it."""
    from datetime import date

    from strategy.models import Measure
    from tests.strategy.factories import MeasureFactory, MeasureValueFactory

    Measure.objects.update(active=False)  # the card shows the twelve needing most attention: keep this one
    measure = MeasureFactory(name="Charges", target=10)
    first = (timezone.localdate().replace(day=1) - date.resolution * 40).replace(day=1)
    leader = client_for("leader")
    body = leader.get("/").content.decode()
    assert _figure(body, "measures:red") == "0"
    value = MeasureValueFactory(
        measure=measure,
        period_start=first,
        period_end=(first.replace(day=28) + date.resolution * 4).replace(day=1) - date.resolution,
        value=12,
        entered_by=users["analyst"],
    )
    body = leader.get("/").content.decode()
    assert _figure(body, "measures:green") == "1" and _figure(body, "measures:red") == "0"
    panel = leader.get("/dashboard/strategy-measures/").content.decode()  # the card's panel in full
    assert _figure(panel, f"measure:{measure.pk}:{first.isoformat()}") == "12"
    value.value = 3
    value.save()
    body = leader.get("/").content.decode()
    assert _figure(body, "measures:green") == "0" and _figure(body, "measures:red") == "1"
    panel = leader.get("/dashboard/strategy-measures/").content.decode()
    assert _figure(panel, f"measure:{measure.pk}:{first.isoformat()}") == "3"


def test_the_measures_card_shows_what_the_whole_window_would(users):
    """A derived measure's row on the card is computed from its latest period only (the whole window when
    that period has no value): the same RAG, latest value and period as the full rows (`measure_rows`),
    for typed and derived measures, in a window running today and in one that has ended."""
    from strategy.models import Measure
    from strategy.panels import _DERIVED_SERIES, _card_row, _card_rows
    from strategy.selectors.measures import measure_rows
    from tests.governance.factories import ActionFactory

    today = timezone.localdate()
    ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=3))
    measures = list(Measure.objects.filter(active=True))
    for start, end in (
        (today - timedelta(days=365), today),
        (today - timedelta(days=730), today - timedelta(days=366)),
    ):
        wanted = [(m, start, end) for m in measures]
        full = [_card_row(row) for row in measure_rows(wanted, today=today)]
        card = _card_rows(wanted, today)
        assert [row[:3] for row in card] == [row[:3] for row in full]
        # A derived measure's sparkline is drawn later from the whole window, where the full row has one.
        assert [row[3] is not None for row in card] == [row[3] is not None for row in full]
        assert any(row[3] == _DERIVED_SERIES for row in card)


def test_a_figure_built_inside_a_card_is_stored_under_the_cards_snapshot():
    """`watched_summary` inside a card's build stores its figure under the versions the card's build started
    after (no second snapshot): a change made between the two voids the figure as it voids the card."""
    from mshtgov import summaries
    from strategy.models import Threat
    from tests.strategy.factories import ThreatFactory

    computed = []

    def count():
        computed.append(1)
        return Threat.objects.count()

    def card():
        ThreatFactory()  # a change after the card's snapshot, before its figure is built
        return summaries.watched_summary("t-threats", count)[0]

    value, versions = summaries.build_watched(card)
    assert value == 1 and summaries._version_key(Threat) in versions
    assert summaries.watched_summary("t-threats", count)[0] == 1 and len(computed) == 2  # void: rebuilt
    assert summaries.watched_summary("t-threats", count)[0] == 1 and len(computed) == 2  # then served
    ThreatFactory()
    assert summaries.watched_summary("t-threats", count)[0] == 2 and len(computed) == 3


def test_the_operations_card_counts_each_exploitation_type_and_moves_at_once(users, client_for):
    """Live operations and each exploitation type among them come from one aggregate: each type counts the
    live operations of that type (an operation of two types counts in both), and a new operation or a
    closed one moves them on the next page."""
    from operations.models import OperationStatus
    from tests.operations.factories import make_operation

    leader = client_for("leader")
    body = leader.get("/").content.decode()
    assert _figure(body, "operations.live") == "0"
    make_operation(users["analyst"], exploitation_types="labour")
    both = make_operation(users["analyst"], reference="OP-2025-0002", exploitation_types="labour,criminal")
    assert _figure(leader.get("/").content.decode(), "operations.live") == "2"
    panel = leader.get("/dashboard/operations/").content.decode()  # the card's panel in full: by type
    assert _figure(panel, "operations.live:labour") == "2" and _figure(panel, "operations.live:criminal") == "1"
    assert _figure(panel, "operations.live:sexual") == "0"
    both.status = OperationStatus.CLOSED_NFA
    both.closed_on = timezone.localdate() - timedelta(days=1)
    both.save()
    assert _figure(leader.get("/").content.decode(), "operations.live") == "1"
    panel = leader.get("/dashboard/operations/").content.decode()
    assert _figure(panel, "operations.live:labour") == "1" and _figure(panel, "operations.live:criminal") == "0"


def test_the_training_figures_move_at_once_when_the_catalogue_they_are_measured_against_changes(client_for):
    """The coverage catalogue (products and their audience, role groups, units, establishment) is kept apart
    from the training records (`_kept_catalogue`): a training record's change reads it back, and a change
    to the establishment or to a product's audience moves the figures at once all the same."""
    from learning.models import Establishment, TrainingProduct
    from tests.learning.factories import AWARENESS, establish, record

    today = timezone.localdate()
    establish("North response", "frontline", 10)
    for n in range(5):
        record(f"F{n}", AWARENESS, today - timedelta(days=100 + n))
    leader = client_for("leader")
    key = f"coverage:product:{AWARENESS}"
    assert _figure(leader.get("/").content.decode(), key) == "50"
    record("F9", AWARENESS, today - timedelta(days=3))  # a training record: the catalogue read back
    assert _figure(leader.get("/").content.decode(), key) == "60"
    row = Establishment.objects.get()
    row.headcount = 8
    row.save()
    assert _figure(leader.get("/").content.decode(), key) == "75"
    product = TrainingProduct.objects.get(code=AWARENESS)
    product.audience.clear()  # nobody should hold it now
    assert _figure(leader.get("/").content.decode(), key) in (None, "")
