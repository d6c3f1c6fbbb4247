"""Every governance page for every role. The strategic board seats the analyst and the PCC liaison
(not the coordinator); the forum seats the coordinator and is granted to the partner's organisation."""

from datetime import timedelta

from django.utils import timezone

from governance.models import BoardKind, MeetingStatus, PackStatus
from tests.governance.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    DecisionFactory,
    MeetingFactory,
    grant_forum,
    make_paper,
    make_ready_pack,
    partner_group_for,
)
from tests.matrix import INTERNAL, Row, allow

RUN = ("leader", "secretary", "admin")
SEES_STRATEGIC = (*RUN, "analyst", "pcc")


def build(world):
    u = world.users
    world.board = BoardFactory(
        name="Strategic board", kind=BoardKind.STRATEGIC, chair=u["leader"], secretary=u["secretary"]
    )
    world.board.members.set([u["analyst"], u["pcc"]])
    world.forum = BoardFactory(name="Partnership forum", kind=BoardKind.PARTNERSHIP_FORUM)
    world.forum.members.set([u["coordinator"]])
    grant_forum(world.forum, partner_group_for(u["partner"]))
    world.meeting = MeetingFactory(board=world.board, status=MeetingStatus.HELD, minutes="Draft minutes")
    world.forum_meeting = MeetingFactory(board=world.forum)
    world.item = AgendaItemFactory(meeting=world.meeting)
    AgendaItemFactory(meeting=world.meeting)
    world.paper = make_paper(world.meeting)
    world.forum_paper = make_paper(world.forum_meeting, title="Forum paper")
    world.decision = DecisionFactory(meeting=world.meeting)
    world.action = ActionFactory(
        owner=u["analyst"], board=world.board, due_date=timezone.localdate() + timedelta(days=3)
    )
    world.pack = make_ready_pack(world.meeting, u["secretary"])
    world.failed_pack = make_ready_pack(world.forum_meeting, u["secretary"])
    world.failed_pack.status = PackStatus.FAILED
    world.failed_pack.failure_reason = "Test failure"
    world.failed_pack.save()


def board(w):
    return {"pk": w.board.pk}


def meeting(w):
    return {"pk": w.meeting.pk}


def item(w):
    return {"pk": w.item.pk}


def action(w):
    return {"pk": w.action.pk}


def pack(w):
    return {"pk": w.pack.pk}


HIDDEN = {"coordinator": 404, "partner": 404}  # may not know the strategic board exists
RUNS = allow(*RUN, **HIDDEN)  # analyst and pcc: 403 (they see the board, may not run it)
SEES = allow(*SEES_STRATEGIC, **HIDDEN)

ROWS = [
    Row("governance:board-list", allow(*INTERNAL, "partner")),
    Row("governance:board-create", allow(*RUN)),
    Row("governance:board-detail", SEES, kwargs=board),
    Row(
        "governance:board-detail",
        allow(*RUN, "coordinator", "partner", analyst=404, pcc=404),
        id="forum",
        kwargs=lambda w: {"pk": w.forum.pk},
    ),
    Row("governance:board-edit", RUNS, kwargs=board),
    Row("governance:board-history", RUNS, kwargs=board),
    Row("governance:meeting-create", RUNS, kwargs=lambda w: {"board_pk": w.board.pk}),
    Row("governance:meeting-detail", SEES, kwargs=meeting),
    Row(
        "governance:meeting-detail",
        allow(*RUN, "coordinator", "partner", analyst=404, pcc=404),
        id="forum",
        kwargs=lambda w: {"pk": w.forum_meeting.pk},
    ),
    Row("governance:meeting-edit", RUNS, kwargs=meeting),
    Row("governance:meeting-history", SEES, kwargs=meeting),
    Row(
        "governance:meeting-history",
        allow(*RUN, "coordinator", partner=403, analyst=404, pcc=404),
        id="forum",
        kwargs=lambda w: {"pk": w.forum_meeting.pk},
    ),
    Row("governance:meeting-attendance", RUNS, kwargs=meeting),
    Row("governance:meeting-minutes", RUNS, kwargs=meeting),
    Row("governance:meeting-close", allow(*RUN, ok=302, **HIDDEN), kwargs=meeting, method="post"),
    Row("governance:decision-add", RUNS, kwargs=meeting),
    Row("governance:agenda-item-add", RUNS, kwargs=meeting),
    Row("governance:agenda-item-edit", RUNS, kwargs=item),
    Row("governance:agenda-item-detail", SEES, kwargs=item),
    # The covers picker's search: only those who build agendas (partners and the rest: 403, no record named).
    Row("governance:linkable-search", allow(*RUN), query="q=board"),
    # Only the roles that see the whole action log may export it.
    Row("governance:action-export", allow(*RUN), kwargs=lambda w: {"fmt": "csv"}),
    Row("governance:decision-detail", allow(*SEES_STRATEGIC, coordinator=404), kwargs=lambda w: {"pk": w.decision.pk}),
    Row(
        "governance:agenda-item-move",
        allow(*RUN, ok=302, **HIDDEN),
        kwargs=item,
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    Row("governance:agenda-item-remove", RUNS, kwargs=item),
    Row("governance:paper-upload", RUNS, kwargs=meeting),
    Row("governance:paper-download", SEES, kwargs=lambda w: {"pk": w.paper.pk}),
    Row(
        "governance:paper-download",
        allow(*RUN, "coordinator", "partner", analyst=404, pcc=404),
        id="forum",
        kwargs=lambda w: {"pk": w.forum_paper.pk},
    ),
    Row("governance:pack-request", RUNS, kwargs=meeting),
    Row("governance:pack-detail", SEES, kwargs=pack),
    Row("governance:pack-download", SEES, kwargs=pack),
    Row(
        "governance:pack-retry",
        allow(*RUN, ok=302, analyst=404, pcc=404, partner=404, coordinator=403),
        kwargs=lambda w: {"pk": w.failed_pack.pk},
        method="post",
    ),
    Row("governance:action-list", allow(*INTERNAL)),
    Row("governance:my-actions", allow(*INTERNAL)),
    Row("governance:action-create", allow(*RUN)),
    Row("governance:action-detail", SEES, kwargs=action),
    Row("governance:action-edit", RUNS, kwargs=action),
    Row("governance:action-update", allow(*RUN, "analyst", **HIDDEN), kwargs=action),
    Row("governance:action-history", SEES, kwargs=action),
    Row("governance:reminder-list", allow(*INTERNAL)),
]
