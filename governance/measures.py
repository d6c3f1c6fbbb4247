"""The action log's contribution to the performance measures: overdue actions, computed, never typed."""

from decimal import Decimal

from django.urls import reverse

from mshtgov.figures import with_query
from mshtgov.measure_sources import Derived, MeasureSource


def actions_overdue(start, end) -> Derived:
    """Actions open and past their due date at the end of `end` (one query)."""
    from governance.models import Action

    count = Action.objects.overdue_on(end).count()
    return Derived(value=Decimal(count), records=count, count=count)


def actions_overdue_many(spans) -> list[Derived]:
    """`actions_overdue` for each (start, end), in one query: a year of months costs one pass over the
    action log, not twelve."""
    from django.db.models import Count

    from governance.models import Action
    from governance.models.actions import overdue_on_q

    if not spans:
        return []
    counts = Action.objects.aggregate(
        **{f"p{i}": Count("pk", filter=overdue_on_q(end)) for i, (_start, end) in enumerate(spans)}
    )
    return [Derived(value=Decimal(n), records=n, count=n) for n in (counts[f"p{i}"] for i in range(len(spans)))]


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
