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
    opened: list
    closed: list
    gone_overdue: list


def action_changes(actions, *, since: date, today: date) -> ActionChanges:
    """Actions opened, completed and gone overdue between `since` and today (one query)."""
    rows = list(
        actions.filter(
            Q(created_at__gte=start_of_day(since))
            | Q(completed_on__gte=since)
            | Q(status__in=OPEN_STATUSES, due_date__gte=since, due_date__lt=today)
        )
        .select_related("owner", "board")
        .order_by("due_date", "id")
    )
    return ActionChanges(
        opened=[a for a in rows if a.created_at >= start_of_day(since)],
        closed=[a for a in rows if a.completed_on and a.completed_on >= since],
        gone_overdue=[a for a in rows if a.is_open() and since <= a.due_date < today],
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
