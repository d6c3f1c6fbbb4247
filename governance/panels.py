"""Governance's contributions to the dashboard and the board pack."""

from functools import cached_property

from django.utils import timezone

from governance.models import Action
from governance.packs.since import SinceProvider
from governance.selectors import action_changes, action_figures
from mshtgov import charts, dashboard
from mshtgov.marking import Marking
from mshtgov.panels import Panel
from mshtgov.roles import INTERNAL_ROLES, has_role, is_external_partner
from mshtgov.summaries import watched_summary


def _visible(user) -> bool:
    return has_role(user, *INTERNAL_ROLES) and not is_external_partner(user)


def gather_actions(user, period) -> dict:
    """Open and overdue actions the user may see, by board. Cached per reader (with their roles and
    permissions: a role taken away changes what they may see) and day (overdue moves at midnight) until
    something its queries read changes (`watched_summary`): the actions and boards, and, for a reader whose
    view of an action follows its source record (issue 9), the records their visibility rule looks up, so a
    record made sensitive rebuilds it. A reader who may open every record of a kind reads none of its rows,
    and a change to one leaves their figures alone."""
    from mshtgov.attention import previous_period

    today = timezone.localdate()
    # The headline's days (the ends of the period and of the one before) counted with the figures, over the
    # same visible actions: one visibility rule built, one entry, instead of two of each.
    days = sorted({period.end, previous_period(period).end})
    data, as_of = watched_summary(
        f"governance-actions:{dashboard.audience(user)}:{today.isoformat()}:{':'.join(d.isoformat() for d in days)}",
        lambda: _actions_summary(user, today, days),
    )
    return {**data, "chart": ActionsChart(data["figures"].by_board), "as_of": as_of}


class ActionsChart:
    """The open-actions-by-board chart, drawn only when a page shows it: the full panel page does, the
    dashboard card never does, and drawing it was a sixth of rebuilding the card after an action changed.
    Drawn from the panel's own figures (`action_figures`), so it cannot disagree with its table. False
    when no open action has a board (no chart, as before)."""

    def __init__(self, by_board):
        self.by_board = by_board

    def __bool__(self) -> bool:
        return bool(self.by_board)

    @cached_property
    def _chart(self):
        by_board = self.by_board
        return charts.bar_chart(
            title="Open actions by board",
            labels=[b["name"] for b in by_board],
            series={
                "Not yet due": [b["open"].value - b["overdue"].value for b in by_board],
                "Overdue": [b["overdue"].value for b in by_board],
            },
            stacked=True,
            horizontal=True,
            alt="Open actions by board, split into overdue and not yet due. The figures are in the table.",
        )

    @property
    def data_uri(self) -> str:
        return self._chart.data_uri

    @property
    def alt(self) -> str:
        return self._chart.alt


def _actions_summary(user, today, days=()) -> dict:
    """One selector (`action_figures`) for the headline, the chart and its table, so they cannot disagree;
    the chart covers actions of a board, and the panel says how many open actions it leaves out. With the
    actions overdue at the end of each of `days` (`overdue_on`), counted over the same visible actions."""
    from governance.measures import overdue_counts_on

    visible = Action.objects.visible_to(user)  # built once (its rule is the costly part), filtered twice
    figures = action_figures(user, today, visible)
    by_board = figures.by_board
    sensitive = figures.open_sensitive  # counted by the same query as the figures
    return {
        "figures": figures,
        "headers": ["Board", "Open", "Overdue"],
        "rows": [[b["name"], b["open"], b["overdue"]] for b in by_board],
        "marking": Marking.OFFICIAL_SENSITIVE if sensitive else Marking.OFFICIAL,
        "overdue_on": overdue_counts_on(visible, days),
    }


def actions_attention(user, period, data) -> list:
    """Overdue actions: the reader's own first, then every overdue action they may see (the panel's own
    Figures, from `action_figures`, so the line and the panel agree and link to the same filtered log)."""
    from mshtgov.attention import URGENT, Attention

    figures = data["figures"]
    mine, every = figures.mine_overdue, figures.overdue
    return [
        Attention(
            "of your actions are overdue" if mine.value != 1 else "of your actions is overdue",
            mine,
            order=URGENT,
            mine=True,
        ),
        Attention(
            "actions are overdue in all" if every.value != 1 else "action is overdue in all", every, order=URGENT
        ),
    ]


def overdue_on_days(user, days) -> dict:
    """{day: actions the user may see that were overdue at the end of that day (as the action measure counts
    them)}, every day in one query, cached per reader until what decides the figures changes."""
    from governance.measures import overdue_counts_on

    days = sorted(set(days))

    def compute() -> dict:
        return overdue_counts_on(Action.objects.visible_to(user), days)

    return watched_summary(
        f"governance-overdue-on:{dashboard.audience(user)}:{':'.join(d.isoformat() for d in days)}:"
        f"{timezone.localdate().isoformat()}",
        compute,
    )[0]


def overdue_on(user, day) -> int:
    """Actions the user may see that were overdue at the end of `day` (as the action measure counts them)."""
    return overdue_on_days(user, [day])[day]


def actions_headlines(user, period, previous, data) -> list:
    from django.urls import reverse

    from mshtgov.attention import Headline
    from mshtgov.figures import Figure, with_query

    url = reverse("governance:action-list")
    # Both ends in one query, counted with the panel's figures when it gathered them for these days.
    counts = data.get("overdue_on") or {}
    if period.end not in counts or previous.end not in counts:
        counts = overdue_on_days(user, [period.end, previous.end])

    def figure(day):
        return Figure(
            f"actions:overdue-on:{day.isoformat()}",
            counts[day],
            with_query(url, overdue_on=day.isoformat()),
            "actions overdue at the end of the period",
        )

    return [Headline(figure(period.end), figure(previous.end), higher_is_better=False)]


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
    summary_template="governance/panels/actions_summary.html",
    attention=actions_attention,
    headlines=actions_headlines,
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
