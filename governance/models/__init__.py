"""Governance records: boards, meetings and their papers, the one action log, board packs, reminders."""

from governance.models.actions import (
    OPEN_STATUSES,
    Action,
    ActionQuerySet,
    ActionSource,
    ActionStatus,
)
from governance.models.boards import (
    RUN_BOARDS,
    Board,
    BoardGroupObjectPermission,
    BoardKind,
    BoardQuerySet,
    BoardUserObjectPermission,
    Cadence,
)
from governance.models.meetings import (
    AgendaItem,
    AgendaLink,
    AgendaPurpose,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Paper,
)
from governance.models.packs import BoardPack, PackStatus
from governance.models.reminders import ReminderDigest

__all__ = [
    "OPEN_STATUSES",
    "Action",
    "ActionQuerySet",
    "ActionSource",
    "ActionStatus",
    "AgendaItem",
    "AgendaPurpose",
    "AgendaLink",
    "Attendance",
    "AttendanceStatus",
    "Board",
    "BoardGroupObjectPermission",
    "BoardKind",
    "BoardPack",
    "BoardQuerySet",
    "BoardUserObjectPermission",
    "Cadence",
    "Decision",
    "Meeting",
    "MeetingStatus",
    "PackStatus",
    "Paper",
    "ReminderDigest",
    "RUN_BOARDS",
]
