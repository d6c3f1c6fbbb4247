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
