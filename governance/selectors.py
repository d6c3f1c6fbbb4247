"""Reads shared by pages, the dashboard panel and the board pack."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from governance.models import OPEN_STATUSES, Action, ActionStatus, Meeting


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class BoardActionLog:
    open: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    done_since: list = field(default_factory=list)

    def all(self):
        return [*self.overdue, *self.open, *self.done_since]


def board_action_log(board, *, since: date, today: date) -> BoardActionLog:
    """One query: the board's open actions (overdue apart) and those completed since `since`."""
    rows = (
        Action.objects.filter(board=board)
        .filter(Q(status__in=OPEN_STATUSES) | Q(completed_on__gte=since))
        .select_related("owner")
        .order_by("due_date", "id")
    )
    log = BoardActionLog()
    for action in rows:
        if action.is_overdue(today):
            log.overdue.append(action)
        elif action.is_open():
            log.open.append(action)
        else:
            log.done_since.append(action)
    return log


@dataclass
class ActionChanges:
    opened: int
    opened_sensitive: bool
    closed: list
    gone_overdue: list

    def listed(self):
        return [*self.closed, *self.gone_overdue]


def action_changes(actions, *, since: date, today: date) -> ActionChanges:
    """Actions opened (counted), completed and gone overdue between `since` and today: three queries.
    Opened actions are only counted: a register can raise thousands, and the pack lists the others."""
    from mshtgov.marking import Marking

    opened = actions.filter(created_at__gte=start_of_day(since)).aggregate(
        n=Count("pk"), sensitive=Count("pk", filter=Q(marking=Marking.OFFICIAL_SENSITIVE))
    )
    rows = actions.select_related("owner", "board").order_by("due_date", "id")
    return ActionChanges(
        opened=opened["n"],
        opened_sensitive=bool(opened["sensitive"]),
        closed=list(rows.filter(completed_on__gte=since)),
        gone_overdue=list(rows.filter(status__in=OPEN_STATUSES, due_date__gte=since, due_date__lt=today)),
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.before(meeting).order_by("-starts_at").first()


def action_counts(actions, today: date) -> dict:
    """Open, overdue, due within a week and done: one aggregate query."""
    from governance.models.actions import REMINDER_HORIZON

    return actions.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        due_soon=Count(
            "pk", filter=Q(status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=today + REMINDER_HORIZON)
        ),
        done=Count("pk", filter=Q(status__in=(ActionStatus.DONE, ActionStatus.CLOSED))),
    )


@dataclass
class ActionFigures:
    """The action figures the dashboard and the board pack show, each linked to the action log filtered
    to the same actions. The headline and the by-board rows come from the same queryset, so the board
    rows plus `no_board` add up to the headline."""

    open: object
    overdue: object
    due_soon: object
    mine_open: object
    mine_overdue: object
    by_board: list  # [{"name", "open": Figure, "overdue": Figure}]
    no_board_open: object
    no_board_overdue: object
    open_sensitive: bool = False  # whether an open action counted is OFFICIAL-SENSITIVE (the card's marking)


def action_figures(user, today: date, visible=None) -> ActionFigures:
    """Open, overdue and due-soon actions the user may see, theirs, and by board, in one grouped query (a
    row per board, the headline their sum: the board rows plus `no_board` add up to it by construction),
    with whether any of them is OFFICIAL-SENSITIVE. Due soon follows `ActionQuerySet.due_soon` (overdue
    ones included), the rule of the action log's "Due within a week" filter the figure links to. `visible`:
    `Action.objects.visible_to(user)` when the caller built it already."""
    from django.urls import reverse

    from governance.models.actions import REMINDER_HORIZON
    from mshtgov.figures import Figure, with_query
    from mshtgov.marking import Marking

    # Every figure counts open actions only: filtering on that first lets the status index pick the open
    # few instead of scanning every action ever raised.
    rows = list(
        (Action.objects.visible_to(user) if visible is None else visible)
        .filter(status__in=OPEN_STATUSES)
        .values("board_id", "board__name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=Q(due_date__lte=today + REMINDER_HORIZON)),
            mine_open=Count("pk", filter=Q(owner=user)),
            mine_overdue=Count("pk", filter=Q(owner=user, due_date__lt=today)),
            sensitive=Count("pk", filter=Q(marking=Marking.OFFICIAL_SENSITIVE)),
        )
        .order_by("board__name")
    )
    keys = ("open", "overdue", "due_soon", "mine_open", "mine_overdue")
    totals = {key: sum(row[key] for row in rows) for key in keys}
    log, mine = reverse("governance:action-list"), reverse("governance:my-actions")

    def fig(key, value, url, label):
        return Figure(key=f"actions:{key}", value=value, url=url, label=label)

    by_board, no_board = [], {"open": 0, "overdue": 0}
    for row in rows:
        if row["board_id"] is None:
            no_board = row
            continue
        board = row["board_id"]
        by_board.append(
            {
                "pk": board,
                "name": row["board__name"],
                "open": fig(
                    f"board-{board}:open",
                    row["open"],
                    with_query(log, board=board, status="open_all"),
                    f"open actions of {row['board__name']}",
                ),
                "overdue": fig(
                    f"board-{board}:overdue",
                    row["overdue"],
                    with_query(log, board=board, overdue="on"),
                    f"overdue actions of {row['board__name']}",
                ),
            }
        )
    return ActionFigures(
        open=fig("open", totals["open"], with_query(log, status="open_all"), "open actions"),
        overdue=fig("overdue", totals["overdue"], with_query(log, overdue="on"), "overdue actions"),
        due_soon=fig("due-soon", totals["due_soon"], with_query(log, due_soon="on"), "actions due within a week"),
        mine_open=fig("mine:open", totals["mine_open"], with_query(mine, status="open_all"), "of your actions open"),
        mine_overdue=fig(
            "mine:overdue", totals["mine_overdue"], with_query(mine, overdue="on"), "of your actions overdue"
        ),
        by_board=by_board,
        no_board_open=fig(
            "no-board:open",
            no_board["open"],
            with_query(log, no_board="on", status="open_all"),
            "open actions raised outside any board",
        ),
        no_board_overdue=fig(
            "no-board:overdue",
            no_board["overdue"],
            with_query(log, no_board="on", overdue="on"),
            "overdue actions raised outside any board",
        ),
        open_sensitive=any(row["sensitive"] for row in rows),
    )
