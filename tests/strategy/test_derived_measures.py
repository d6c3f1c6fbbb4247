"""Measures the app computes from its own records (mshtgov.measure_sources): registered by the app holding
the records, refusing typed values by form and CSV, saying where the figure comes from, agreeing with the
list they link to, and moving as soon as the records change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from governance.models import Action, ActionStatus
from mshtgov import measure_sources
from strategy.models import Measure, MeasureValue
from strategy.reference.measures import DERIVED_MEASURE_CODES
from strategy.services.measure_import import check_csv
from tests.drilldown import figure_values, result_count
from tests.governance.factories import ActionFactory
from tests.partnerships.factories import make_registers

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

OWNERS = {
    "training-coverage": "learning.",
    "safeguarding-notifications-in-time": "partnerships.",
    "ictg-reviews-overdue": "partnerships.",
    "actions-overdue": "governance.",
    **{
        code: "operations."
        for code in (
            "nca-disruptions-major",
            "nca-disruptions-moderate",
            "nca-disruptions-minor",
            "pip2-led",
            "pnd-operations",
            "suspects-charged",
            "nrm-referrals",
            "live-operations",
            "debrief-compliance",
            "victims-supported-operations",
            "charges-msa-s1",
            "charges-msa-s2",
            "charges-msa-s4",
            "charges-other",
        )
    },
}


def test_each_derived_measure_is_registered_by_the_app_holding_its_records():
    assert set(DERIVED_MEASURE_CODES) == set(OWNERS)
    for code, app in OWNERS.items():
        source = measure_sources.get(code)
        assert source is not None, code
        assert source.compute.__module__.startswith(app), (code, source.compute.__module__)
        assert Measure.objects.filter(code=code).exists(), code
        assert source.models and all(label.startswith(app) for label in source.models)


def test_a_typed_value_for_a_derived_measure_is_refused_by_the_form(client_for):
    measure = Measure.objects.get(code="actions-overdue")
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    analyst = client_for("analyst")
    response = analyst.post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": month.isoformat(), "value": "3"}
    )
    assert response.status_code == 302
    assert not MeasureValue.objects.filter(measure=measure).exists()
    page = analyst.get(response["Location"]).content.decode()
    assert "is computed from the app" in page
    assert "Add a value" not in page


def test_a_typed_value_for_a_derived_measure_is_refused_by_the_csv_import():
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    checked = check_csv(f"measure,period_start,period_end,value\nictg-reviews-overdue,{month},{end},4\n")
    assert not checked.rows
    assert [(p.row, p.column) for p in checked.problems] == [(2, "measure")]
    assert "cannot be typed" in checked.problems[0].message


def test_the_measure_page_says_where_the_figure_comes_from_and_links_to_what_it_counts(client_for, users):
    today = timezone.localdate()
    ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=3))
    ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=1))
    ActionFactory(owner=users["secretary"], due_date=today + timedelta(days=5))
    ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=9), status=ActionStatus.DONE)
    measure = Measure.objects.get(code="actions-overdue")
    leader = client_for("leader")
    response = leader.get(f"/strategy/measures/{measure.pk}/")
    body = response.content.decode()
    assert "Where this figure comes from" in body and "action log" in body
    status = response.context["status"]
    assert status.latest.value == 2 and not status.stale
    assert "Derived from 2 records." in body
    drilldown = leader.get(status.latest.url)
    assert result_count(drilldown.content.decode()) == 2
    key = f"measure:{measure.pk}:{status.latest.period_start.isoformat()}"
    assert figure_values(body)[key] == {"2"}


def test_a_derived_value_moves_as_soon_as_an_action_changes(client_for, users):
    today = timezone.localdate()
    action = ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=3))
    measure = Measure.objects.get(code="actions-overdue")
    leader = client_for("leader")
    assert leader.get(f"/strategy/measures/{measure.pk}/").context["status"].latest.value == 1
    action.status = ActionStatus.DONE
    action.completed_on = today
    action.save()
    assert leader.get(f"/strategy/measures/{measure.pk}/").context["status"].latest.value == 0


def test_the_dashboard_and_the_measure_list_move_as_soon_as_an_action_changes(client_for, users):
    """Both cache the figures of every measure at once (issue 15): the cache is keyed on the derived
    measures' records too, so an action done now moves the actions-overdue figure on the next page."""
    today = timezone.localdate()
    action = ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=3))
    measure = Measure.objects.get(code="actions-overdue")
    leader = client_for("leader")

    def figures():
        listed = next(
            r for r in leader.get("/strategy/measures/?active=yes").context["page"].object_list if r.pk == measure.pk
        )
        panel = next(data for panel, data in leader.get("/").context["panels"] if panel.key == "strategy-measures")
        shown = next((row for row in panel["measures"] if row["pk"] == measure.pk), None)
        return listed.status.latest.value, shown["latest"] if shown else None, panel["total"].value

    listed, shown, total = figures()
    assert listed == 1 and total >= 1
    action.status = ActionStatus.DONE
    action.completed_on = today
    action.save()
    after = figures()
    assert after[0] == 0
    assert shown is None or after[1] == 0


def test_values_read_in_one_batch_are_those_read_one_by_one(users):
    today = timezone.localdate()
    ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=40))
    spans = [(code, today.replace(day=1) - timedelta(days=31 * n), today) for code in OWNERS for n in (0, 2)]
    batch = measure_sources.derived_values([*spans, ("not-a-source", today, today)], today=today)
    assert batch[-1] is None
    cache.clear()  # read one by one afresh, not from what the batch stored
    assert batch[:-1] == [measure_sources.derived_value(code, start, end, today=today) for code, start, end in spans]
    assert any(value is not None and value.value for value in batch[:-1])


def test_actions_overdue_of_many_months_at_once_are_those_of_each_month(users):
    today = timezone.localdate()
    for days, status in ((400, ActionStatus.OPEN), (200, ActionStatus.DONE), (40, ActionStatus.OPEN), (5, "open")):
        action = ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=days))
        if status == ActionStatus.DONE:
            Action.objects.filter(pk=action.pk).update(status=status, completed_on=today - timedelta(days=100))
    source = measure_sources.get("actions-overdue")
    spans = [(today - timedelta(days=30 * n + 29), today - timedelta(days=30 * n)) for n in range(14)]
    together = source.compute_many(spans)
    assert together == [source.compute(start, end) for start, end in spans]
    assert len({d.value for d in together}) > 1


def test_actions_overdue_of_many_days_counted_at_once_equal_the_action_log_filtered_to_each_day(users):
    """The counts made in Python from one query (`overdue_counts_on`) are the drill-down's: the action log
    filtered with `overdue_on`, day by day, at every boundary (raised, due, completed on the day itself)."""
    from datetime import datetime, time

    from governance.measures import overdue_counts_on

    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in (0, 1, 2, 9, 10, 11, 30, 31)]
    rows = []
    for due, raised, status, completed in (
        (12, 40, ActionStatus.OPEN, None),
        (12, 10, ActionStatus.OPEN, None),  # raised on a counted day
        (12, 11, ActionStatus.IN_PROGRESS, None),
        (11, 40, ActionStatus.OPEN, None),  # due on a counted day: overdue from the next day
        (40, 50, ActionStatus.DONE, 10),  # completed on a counted day: not overdue that day
        (40, 50, ActionStatus.CLOSED, 9),
        (40, 50, ActionStatus.DONE, 0),
        (40, 50, ActionStatus.CLOSED, None),  # closed with no completion date: never counted
        (40, 50, ActionStatus.OPEN, 20),  # reopened: open counts, whatever its completion date
        (0, 50, ActionStatus.OPEN, None),  # due today: not overdue yet
        (-5, 50, ActionStatus.OPEN, None),
    ):
        action = ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=due))
        raised_at = timezone.make_aware(datetime.combine(today - timedelta(days=raised), time.min))
        Action.objects.filter(pk=action.pk).update(
            status=status,
            completed_on=None if completed is None else today - timedelta(days=completed),
            created_at=raised_at + timedelta(hours=23, minutes=59) if raised == 11 else raised_at,
        )
        rows.append(action)
    counts = overdue_counts_on(Action.objects.all(), days)
    assert counts == {day: Action.objects.overdue_on(day).count() for day in days}
    assert len(set(counts.values())) > 2
    source = measure_sources.get("actions-overdue")
    spans = [(day.replace(day=1), day) for day in days]
    assert [d.value for d in source.compute_many(spans)] == [Decimal(counts[day]) for day in days]


def test_actions_overdue_at_the_end_of_a_past_month_counts_what_was_open_then(users):
    from governance.measures import actions_overdue

    today = timezone.localdate()
    month_end = today.replace(day=1) - timedelta(days=1)
    was_overdue = ActionFactory(owner=users["secretary"], due_date=month_end - timedelta(days=5))
    was_overdue.status, was_overdue.completed_on = ActionStatus.DONE, today  # completed after the month
    was_overdue.save()
    ActionFactory(owner=users["secretary"], due_date=month_end + timedelta(days=1))  # not due yet then
    Action.objects.filter(pk=was_overdue.pk).update(created_at=timezone.now() - timedelta(days=60))
    assert actions_overdue(month_end.replace(day=1), month_end).value == Decimal(1)


def test_notifications_in_time_agrees_with_the_register_page(client_for, users):
    make_registers(users)
    measure = Measure.objects.get(code="safeguarding-notifications-in-time")
    leader = client_for("leader")
    page = leader.get(f"/strategy/measures/{measure.pk}/")  # drawn afresh: a second view is a cached page
    status = page.context["status"]
    readings = [r for r in page.context["values"] if r.derived.records]
    assert readings, "the notification recorded ten days ago falls in a period shown"
    for reading in readings:
        page = leader.get(reading.url).content.decode()
        assert result_count(page) == reading.derived.base
    assert status.latest is not None


def test_ictg_reviews_overdue_agree_with_the_register_page(client_for, users):
    registers = make_registers(users)
    measure = Measure.objects.get(code="ictg-reviews-overdue")
    leader = client_for("leader")
    status = leader.get(f"/strategy/measures/{measure.pk}/").context["status"]
    assert status.latest.value == 1
    assert result_count(leader.get(status.latest.url).content.decode()) == 1
    registers.ictg.next_review_on = timezone.localdate() + timedelta(days=20)
    registers.ictg.save()
    assert leader.get(f"/strategy/measures/{measure.pk}/").context["status"].latest.value == 0


def test_a_value_for_a_period_not_started_is_refused(client_for):
    from tests.strategy.factories import MeasureFactory

    measure = MeasureFactory(frequency="monthly")
    next_month = (timezone.localdate().replace(day=28) + timedelta(days=5)).replace(day=1)
    response = client_for("analyst").post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": next_month.isoformat(), "value": "3"}
    )
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    assert not MeasureValue.objects.filter(measure=measure).exists()
    end = (next_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    checked = check_csv(f"measure,period_start,period_end,value\n{measure.code},{next_month},{end},4\n")
    assert [p.column for p in checked.problems] == ["period_start"]


def test_the_current_month_may_be_entered(client_for):
    from tests.strategy.factories import MeasureFactory

    measure = MeasureFactory(frequency="monthly")
    month = timezone.localdate().replace(day=1)
    response = client_for("analyst").post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": month.isoformat(), "value": "3"}
    )
    assert response.status_code == 302


def test_a_measure_missing_its_last_complete_period_is_stale_on_its_page_the_list_and_the_dashboard(client_for):
    from tests.strategy.factories import MeasureFactory, MeasureValueFactory

    Measure.objects.update(active=False)
    measure = MeasureFactory(name="Charges", frequency="monthly", target=10)
    today = timezone.localdate()
    two_back = (today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    start = two_back.replace(day=1)
    MeasureValueFactory(measure=measure, period_start=start, period_end=two_back, value=12)
    leader = client_for("leader")
    assert "Stale: no value has been recorded" in leader.get(f"/strategy/measures/{measure.pk}/").content.decode()
    assert "Stale" in leader.get("/strategy/measures/").content.decode()
    home = leader.get("/")
    row = next(
        m
        for m in next(d for p, d in home.context["panels"] if p.key == "strategy-measures")["measures"]
        if m["pk"] == measure.pk
    )
    assert row["stale_period"]
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    MeasureValueFactory(
        measure=measure, period_start=last, period_end=today.replace(day=1) - timedelta(days=1), value=12
    )
    assert "Stale" not in leader.get(f"/strategy/measures/{measure.pk}/").content.decode()


def test_an_action_change_recomputes_only_the_rows_of_measures_derived_from_actions(users, monkeypatch):
    """Each measure's row is cached on what it is computed from (issue 15): an action changes the
    actions-overdue row at once, and every other measure's row is served as it was, unrecomputed."""
    from strategy.selectors import measures as selectors

    today = timezone.localdate()
    start = today.replace(day=1) - timedelta(days=120)
    action = ActionFactory(owner=users["secretary"], due_date=today - timedelta(days=3))
    overdue = Measure.objects.get(code="actions-overdue")

    def rows():
        return {row["measure"].pk: (row, as_of) for row, as_of in selectors.cached_measure_rows([(start, today)])[0]}

    before = rows()
    assert before[overdue.pk][0]["latest"].value == 1
    computed = []
    real = selectors.measure_rows

    def spy(wanted, **kwargs):
        computed.extend(measure.code for measure, _start, _end in wanted)
        return real(wanted, **kwargs)

    monkeypatch.setattr(selectors, "measure_rows", spy)
    action.status = ActionStatus.DONE
    action.completed_on = today
    action.save()
    after = rows()
    assert computed == ["actions-overdue"]
    assert after[overdue.pk][0]["latest"].value == 0
    others = [pk for pk in before if pk != overdue.pk]
    assert others and all(after[pk][1] == before[pk][1] for pk in others)
    # A typed value changes the typed measures' rows, not the derived ones.
    computed.clear()
    typed = Measure.objects.filter(active=True).exclude(code__in=DERIVED_MEASURE_CODES).first()
    MeasureValue.objects.create(
        measure=typed, period_start=start, period_end=start + timedelta(days=27), value=7, entered_by=users["analyst"]
    )
    rows()
    assert computed and "actions-overdue" not in computed and typed.code in computed


def test_partnership_measures_of_many_months_at_once_are_those_of_each_month(users):
    """The notifications and ICTG measures read a year of months in one pass over their records (and the
    referrals' history replayed), and each month's value is the one computed alone."""
    from partnerships.models import ICTGReferral, ICTGStatus, SafeguardingNotification

    today = timezone.localdate()
    for days, delay in ((400, 1), (200, 9), (45, None), (40, 2), (3, 1)):
        recorded = today - timedelta(days=days)
        SafeguardingNotification.objects.create(
            incident_reference=f"MSHT-2026-{days:04d}",
            incident_recorded_on=recorded,
            body="mash",
            notified_by=users["coordinator"],
            notified_on=None if delay is None else recorded + timedelta(days=delay),
        )
    referral = ICTGReferral.objects.create(
        child_reference="CH-2026-0101",
        referred_on=today - timedelta(days=300),
        ictg_service="ICTG (Northmoor)",
        status=ICTGStatus.ACTIVE,
        next_review_on=today - timedelta(days=250),
    )
    ICTGReferral.objects.create(child_reference="CH-2026-0102", referred_on=today, ictg_service="ICTG")
    # Its history: overdue from 250 days ago, reviewed 100 days ago (next review 60 days ago), closed 20 days ago.
    history = list(referral.history.order_by("history_date"))
    ICTGReferral.history.filter(pk=history[0].pk).update(history_date=timezone.now() - timedelta(days=300))
    for days_ago, changes in ((100, {"next_review_on": today - timedelta(days=60)}), (20, {"status": "closed"})):
        for field, value in changes.items():
            setattr(referral, field, value)
        referral._history_date = timezone.now() - timedelta(days=days_ago)
        referral.save()
    spans = [(today - timedelta(days=30 * n + 29), today - timedelta(days=30 * n)) for n in range(14)]
    for code in ("safeguarding-notifications-in-time", "ictg-reviews-overdue"):
        source = measure_sources.get(code)
        together = source.compute_many(spans)
        assert together == [source.compute(start, end) for start, end in spans], code
        assert len({(d.value, d.records) for d in together}) > 1, code


def test_a_source_said_to_value_every_period_alike_has_a_value_for_every_period_or_none(users):
    """The dashboard card reads only the latest period of such a source (`MeasureSource.valued_alike`): its
    latest value is right only if a period without a value means no period has one. The counts are such
    sources, the shares of something that may be nil in a period (notifications, debriefs) are not."""
    make_registers(users)
    ActionFactory(owner=users["secretary"], due_date=timezone.localdate() - timedelta(days=40))
    today = timezone.localdate()
    spans = [(today - timedelta(days=30 * n + 29), today - timedelta(days=30 * n)) for n in range(14)]
    alike = [source for source in measure_sources.all_sources() if source.valued_alike]
    for source in alike:
        values = [d.value for d in source.compute_many(spans)]
        assert all(v is None for v in values) or all(v is not None for v in values), source.code
    codes = {source.code for source in alike}
    assert {"actions-overdue", "live-operations", "training-coverage"} <= codes
    assert not codes & {"safeguarding-notifications-in-time", "debrief-compliance", "pip2-led", "pnd-operations"}
