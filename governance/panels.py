"""Governance's contributions to the dashboard and the board pack."""

from django.db.models import Count, Q
from django.utils import timezone

from governance.models import OPEN_STATUSES, Action, Board
from governance.packs.since import SinceProvider
from governance.selectors import action_changes, action_counts
from mshtgov import charts
from mshtgov.marking import Marking
from mshtgov.panels import Panel
from mshtgov.roles import INTERNAL_ROLES, has_role, is_external_partner
from mshtgov.summaries import cached_summary


def _visible(user) -> bool:
    return has_role(user, *INTERNAL_ROLES) and not is_external_partner(user)


def gather_actions(user, period) -> dict:
    """Open and overdue actions the user may see, by board. Cached per user and day (overdue moves at
    midnight) until an action or board changes: the dashboard is read far more often than actions change."""
    today = timezone.localdate()
    data, as_of = cached_summary(
        f"governance-actions:{user.pk}:{today.isoformat()}",
        lambda: _actions_summary(user, today),
        models=[Action, Board],
    )
    return {**data, "as_of": as_of}


def _actions_summary(user, today) -> dict:
    """Three queries whatever the volume."""
    actions = Action.objects.visible_to(user)
    counts = action_counts(actions, today)
    mine = action_counts(actions.for_owner(user), today)
    by_board = list(
        Board.objects.filter(pk__in=actions.values("board_id"))
        .annotate(
            open=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)),
            overdue=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES, actions__due_date__lt=today)),
        )
        .order_by("name")
        .values("pk", "name", "open", "overdue")
    )
    chart = None
    if by_board:
        chart = charts.bar_chart(
            title="Open actions by board",
            labels=[b["name"] for b in by_board],
            series={
                "Not yet due": [b["open"] - b["overdue"] for b in by_board],
                "Overdue": [b["overdue"] for b in by_board],
            },
            stacked=True,
            horizontal=True,
            alt="Open actions by board, split into overdue and not yet due. The figures are in the table.",
        )
    sensitive = actions.open().filter(marking=Marking.OFFICIAL_SENSITIVE).exists()
    return {
        "counts": counts,
        "mine": mine,
        "by_board": by_board,
        "chart": chart,
        "headers": ["Board", "Open", "Overdue"],
        "rows": [[b["name"], b["open"], b["overdue"]] for b in by_board],
        "marking": Marking.OFFICIAL_SENSITIVE if sensitive else Marking.OFFICIAL,
    }


ACTIONS_PANEL = Panel(
    key="governance-actions",
    title="Actions",
    order=40,
    template="governance/panels/actions.html",
    gather=gather_actions,
    visible=_visible,
    # The pack's own "Actions" section lists this board's actions in full; a second, force-wide
    # "Actions" panel beside it read as two overlapping action sections.
    in_board_pack=False,
)


ACTIONS_SINCE = SinceProvider(
    key="governance-actions-elsewhere",
    title="Actions raised by the registers",
    order=10,
    gather=lambda user, start, end: _register_actions(user, start, end),
    template="governance/pack/since_register_actions.html",
)


def _register_actions(user, start, end) -> dict:
    """Actions raised outside any board (from lessons, self-assessment gaps, inspections) since the last meeting."""
    changes = action_changes(Action.objects.visible_to(user).filter(board__isnull=True), since=start, today=end)
    sensitive = changes.opened_sensitive or any(a.marking == Marking.OFFICIAL_SENSITIVE for a in changes.listed())
    return {"changes": changes, "marking": Marking.OFFICIAL_SENSITIVE if sensitive else Marking.OFFICIAL}
