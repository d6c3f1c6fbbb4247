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
    `ActionQuerySet.overdue_on` (`overdue_on_q`), for any number of days in one query counted here: one
    aggregate with a filtered count per day took longer to build as Django expressions than to run.

    An action is overdue on day d when it was raised by the end of d (its creation's local date is d or
    before), is due before d and was not done by then (still open, or completed after d). For each action
    those days are a run of the sorted days, found by bisecting; the query groups the actions by the three
    dates that bound the run (a few hundred groups for thousands of actions), and the runs are added up
    (a difference array)."""
    from bisect import bisect_left, bisect_right

    from django.db.models import Case, Count, DateField, F, Value, When
    from django.db.models.functions import TruncDate

    from governance.models import OPEN_STATUSES

    days = sorted(set(days))
    if not days:
        return {}
    groups = (
        actions.filter(due_date__lt=days[-1])
        # Done by the first day is never overdue again; done with no completion date never was.
        .filter(Q(status__in=OPEN_STATUSES) | Q(completed_on__gt=days[0]))
        .values(
            "due_date",
            raised_on=TruncDate("created_at"),  # in the current time zone, as `overdue_on_q`'s midnight
            done_on=Case(
                When(status__in=OPEN_STATUSES, then=Value(None)), default=F("completed_on"), output_field=DateField()
            ),
        )
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("due_date", "raised_on", "done_on", "n")
    )
    steps = [0] * (len(days) + 1)
    for due_date, raised_on, done_on, n in groups:
        first = max(bisect_right(days, due_date), bisect_left(days, raised_on))
        last = len(days) if done_on is None else bisect_left(days, done_on)
        if first < last:
            steps[first] += n
            steps[last] -= n
    counts, running = {}, 0
    for day, step in zip(days, steps, strict=False):
        running += step
        counts[day] = running
    return counts


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
)
