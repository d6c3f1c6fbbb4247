"""Every governance list and detail page runs the same number of queries whatever the data volume."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import AttendanceStatus, PackStatus
from governance.services.reminders import reminders_send
from tests.governance.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    DecisionFactory,
    MeetingFactory,
    make_paper,
    make_ready_pack,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(users):
    board = BoardFactory(name="Strategic", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["pcc"]])
    return board


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board)


def _grow_meeting(meeting, users, n=5):
    from governance.models import Attendance
    from governance.services.agenda import agenda_item_save

    for i in range(n):
        item = AgendaItemFactory(meeting=meeting, title=f"Grown item {i}")
        agenda_item_save(item=item, links=[meeting.board], by=users["secretary"], reason="x")
        make_paper(meeting, title=f"Grown paper {i}")
        decision = DecisionFactory(meeting=meeting)
        ActionFactory(board=meeting.board, owner=users["analyst"], source_content_type_id=None)
        from governance.services import action_create

        action_create(
            title=f"From decision {i}",
            owner=users["analyst"],
            due_date=timezone.localdate(),
            by=users["leader"],
            source=decision,
            board=meeting.board,
        )
    for role in ("leader", "analyst", "pcc"):
        Attendance.objects.get_or_create(
            meeting=meeting, person=users[role], defaults={"status": AttendanceStatus.PRESENT}
        )
    make_ready_pack(meeting, users["secretary"])


def _grow_actions(board, users, n=8):
    today = timezone.localdate()
    for i in range(n):
        ActionFactory(
            board=board if i % 2 else BoardFactory(name=f"Other {i}"),
            owner=users["analyst"],
            due_date=today + timedelta(days=i - 4),
        )


def test_board_list(client_for, board, users):
    assert_constant_queries(
        client_for("leader"),
        reverse("governance:board-list"),
        lambda: [BoardFactory(name=f"Board {i}") and _grow_actions(board, users, 2) for i in range(4)],
    )


def test_board_detail(client_for, board, users):
    MeetingFactory(board=board)  # the meetings are paged: with none, the count says so and no page is fetched
    assert_constant_queries(
        client_for("analyst"),
        reverse("governance:board-detail", args=[board.pk]),
        lambda: [MeetingFactory(board=board) for _ in range(4)],
    )


@pytest.mark.parametrize("role", ["secretary", "analyst", "partner"])
def test_meeting_detail(client_for, meeting, users, role):
    if role == "partner":
        from tests.governance.factories import grant_forum, partner_group_for

        grant_forum(meeting.board, partner_group_for(users["partner"]))
    make_paper(meeting)
    AgendaItemFactory(meeting=meeting)
    assert_constant_queries(
        client_for(role), reverse("governance:meeting-detail", args=[meeting.pk]), lambda: _grow_meeting(meeting, users)
    )


@pytest.mark.parametrize("name", ["governance:action-list", "governance:my-actions"])
def test_action_lists(client_for, board, users, name):
    _grow_actions(board, users, 2)
    assert_constant_queries(client_for("analyst"), reverse(name), lambda: _grow_actions(board, users, 10))


def test_action_list_filtered(client_for, board, users):
    _grow_actions(board, users, 2)
    url = reverse("governance:action-list") + f"?board={board.pk}&status=open_all&overdue=on"
    assert_constant_queries(client_for("leader"), url, lambda: _grow_actions(board, users, 10))


def test_action_detail_and_history(client_for, board, users):
    from governance.services import action_update_progress

    action = ActionFactory(board=board, owner=users["analyst"])

    def grow():
        for i in range(4):
            action_update_progress(
                action=action,
                status="in_progress",
                completion_note=f"Step {i}",
                by=users["analyst"],
                reason=f"Step {i}",
            )

    assert_constant_queries(client_for("analyst"), reverse("governance:action-detail", args=[action.pk]), grow)
    assert_constant_queries(client_for("analyst"), reverse("governance:action-history", args=[action.pk]), grow)


def test_pack_detail(client_for, meeting, users):
    pack = make_ready_pack(meeting, users["secretary"])
    pack.sections = ["agenda"]
    pack.save()

    def grow():
        pack.warnings = ["A: failed", "B: failed"]
        pack.sections = ["agenda", "actions", "since"]
        pack.status = PackStatus.READY
        pack.save()
        _grow_meeting(meeting, users, 2)

    assert_constant_queries(client_for("pcc"), reverse("governance:pack-detail", args=[pack.pk]), grow)


def test_reminder_list(client_for, board, users):
    today = timezone.localdate()

    def grow():
        for offset in range(1, 4):
            ActionFactory(owner=users["coordinator"], due_date=today)
            ActionFactory(owner=users["analyst"], due_date=today)
            reminders_send(today=today + timedelta(days=offset))

    ActionFactory(owner=users["analyst"], due_date=today)
    reminders_send(today=today)
    assert_constant_queries(client_for("leader"), reverse("governance:reminder-list"), grow)


def test_dashboard_with_the_actions_panel(client_for, board, users):
    _grow_actions(board, users, 2)
    page = client_for("analyst").get(reverse("home")).content.decode()
    # The actions card is on the page, with its open and overdue counts (figures keyed actions:...).
    assert 'data-figure-key="actions:open' in page and 'data-figure-key="actions:overdue' in page
    assert_constant_queries(client_for("analyst"), reverse("home"), lambda: _grow_actions(board, users, 10))
