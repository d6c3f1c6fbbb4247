"""The action log's contribution to the performance measures: overdue actions, computed, never typed."""

from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from mshtgov.figures import with_query
from mshtgov.measure_sources import Derived, MeasureSource


def actions_overdue(start, end) -> Derived:
    """Actions open and past their due date at the end of `end` (one query)."""
    from governance.models import Action

    count = Action.objects.overdue_on(end).count()
    return Derived(value=Decimal(count), records=count, count=count)


def overdue_counts_on(actions, days) -> dict:
    """{day: actions of the queryset `actions` overdue at the end of that day}, the rule of
    `ActionQuerySet.overdue_on` (`overdue_on_q`), for any number of days in one query that returns one row:
    a sum per day of the actions that meet the rule on that day (raised by the end of it, due before it,
    and not done by then: still open, or completed after it), written as plain SQL sums (building the same
    sums as Django expressions cost more than running them). Counting in the database: fetching the actions
    grouped by their dates (a row per creation day, thousands over two years) and counting them here was
    most of rebuilding the action card and the overdue measure after an action changed."""
    from datetime import datetime, time, timedelta

    from django.db import connection
    from django.db.models import IntegerField, Sum
    from django.db.models.expressions import RawSQL
    from django.utils import timezone

    from governance.models import OPEN_STATUSES, Action

    days = sorted(set(days))
    if not days:
        return {}
    ops = connection.ops
    table = ops.quote_name(Action._meta.db_table)
    due, created, status, completed = (
        f"{table}.{ops.quote_name(name)}" for name in ("due_date", "created_at", "status", "completed_on")
    )
    still_open = f"{status} IN ({', '.join(['%s'] * len(OPEN_STATUSES))})"
    # Only quoted column and table names are formatted in: every value is a parameter.
    rule = f"CASE WHEN {due} < %s AND {created} < %s AND ({still_open} OR {completed} > %s) THEN 1 ELSE 0 END"
    sums = {}
    for i, day in enumerate(days):
        raised_by = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))  # as `overdue_on_q`
        params = (
            ops.adapt_datefield_value(day),
            ops.adapt_datetimefield_value(raised_by),
            *(str(s) for s in OPEN_STATUSES),
            ops.adapt_datefield_value(day),
        )
        sums[f"d{i}"] = Sum(RawSQL(rule, params, output_field=IntegerField()))  # noqa: S611 (values are params)
    counts = (
        actions.filter(due_date__lt=days[-1])
        # Done by the first day is never overdue again; done with no completion date never was.
        .filter(Q(status__in=OPEN_STATUSES) | Q(completed_on__gt=days[0]))
        .aggregate(**sums)
    )
    return {day: int(counts[f"d{i}"] or 0) for i, day in enumerate(days)}


def actions_overdue_many(spans) -> list[Derived]:
    """`actions_overdue` for each (start, end), in one query: a year of months costs one pass over the
    action log, not twelve."""
    from governance.models import Action

    if not spans:
        return []
    counts = overdue_counts_on(Action.objects.all(), [end for _start, end in spans])
    return [Derived(value=Decimal(n), records=n, count=n) for n in (counts[end] for _start, end in spans)]


def _drilldown(start, end) -> str:
    return with_query(reverse("governance:action-list"), overdue_on=end.isoformat())


ACTIONS_OVERDUE = MeasureSource(
    code="actions-overdue",
    compute=actions_overdue,
    compute_many=actions_overdue_many,
    drilldown_url=_drilldown,
    description="It counts the actions in the action log that were open and past their due date on the "
    "period's last day (today, for the period still running).",
    models=("governance.Action",),
    owner="Action log",
    valued_alike=True,
)
