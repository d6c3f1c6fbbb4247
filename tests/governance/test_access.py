"""Who sees which board, and through it which meetings, papers, decisions and packs."""

import pytest
from django.urls import reverse

from governance.models import Action, Board, BoardKind, Meeting
from tests.factories import PartnerOrganisationFactory, make_partner_user
from tests.governance.factories import (
    ActionFactory,
    BoardFactory,
    DecisionFactory,
    MeetingFactory,
    grant_forum,
    make_paper,
    make_ready_pack,
    partner_group_for,
    revoke_forum,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(users):
    strategic = BoardFactory(name="Strategic board")
    strategic.members.set([users["analyst"]])
    forum = BoardFactory(name="Northmoor forum", kind=BoardKind.PARTNERSHIP_FORUM)
    other_forum = BoardFactory(name="Western Vale forum", kind=BoardKind.PARTNERSHIP_FORUM)
    return strategic, forum, other_forum


def test_partner_sees_only_forums_granted_to_their_organisation(users, boards):
    strategic, forum, other_forum = boards
    partner = users["partner"]
    assert list(Board.objects.visible_to(partner)) == []
    grant_forum(forum, partner_group_for(partner))
    assert list(Board.objects.visible_to(partner)) == [forum]


def test_another_organisations_grant_does_not_reach_the_partner(users, boards):
    _, forum, other_forum = boards
    grant_forum(forum, partner_group_for(users["partner"]))
    someone_else = make_partner_user("other-partner", PartnerOrganisationFactory(name="Western Vale Police"))
    grant_forum(other_forum, partner_group_for(someone_else))
    assert list(Board.objects.visible_to(users["partner"])) == [forum]
    assert list(Board.objects.visible_to(someone_else)) == [other_forum]


def test_partner_cannot_reach_another_partnerships_records_by_changing_the_id(client_for, users, boards):
    _, forum, other_forum = boards
    grant_forum(forum, partner_group_for(users["partner"]))
    theirs = MeetingFactory(board=other_forum)
    their_paper = make_paper(theirs, title="Their paper")
    ours = MeetingFactory(board=forum)
    our_paper = make_paper(ours, title="Our paper")
    client = client_for("partner")
    assert client.get(reverse("governance:meeting-detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("governance:paper-download", args=[our_paper.pk])).status_code == 200
    assert client.get(reverse("governance:meeting-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("governance:paper-download", args=[their_paper.pk])).status_code == 404
    assert client.get(reverse("governance:board-detail", args=[other_forum.pk])).status_code == 404


def test_revoking_the_grant_removes_the_forum(client_for, users, boards):
    _, forum, _ = boards
    group = partner_group_for(users["partner"])
    grant_forum(forum, group)
    meeting = MeetingFactory(board=forum)
    assert client_for("partner").get(reverse("governance:meeting-detail", args=[meeting.pk])).status_code == 200
    revoke_forum(forum, group)
    assert client_for("partner").get(reverse("governance:meeting-detail", args=[meeting.pk])).status_code == 404


def test_partner_sees_agenda_and_papers_but_not_minutes_decisions_or_packs(client_for, users, boards):
    _, forum, _ = boards
    grant_forum(forum, partner_group_for(users["partner"]))
    meeting = MeetingFactory(board=forum, minutes="Internal discussion of OP-2026-0142")
    DecisionFactory(meeting=meeting, text="Refer the tasking to the tactical group")
    make_paper(meeting, title="Forum highlight report")
    pack = make_ready_pack(meeting, users["secretary"])
    page = client_for("partner").get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Forum highlight report" in page
    assert "Internal discussion" not in page
    assert "Refer the tasking" not in page
    assert client_for("partner").get(reverse("governance:pack-download", args=[pack.pk])).status_code == 404


def test_partner_group_holds_no_model_level_governance_permission(users, boards):
    _, forum, _ = boards
    group = partner_group_for(users["partner"])
    grant_forum(forum, group)
    partner = users["partner"]
    assert not partner.has_perm("governance.view_board")
    assert not group.permissions.filter(content_type__app_label="governance").exists()


def test_members_see_the_boards_they_sit_on(users, boards):
    strategic, forum, _ = boards
    assert list(Board.objects.visible_to(users["analyst"])) == [strategic]
    assert list(Board.objects.visible_to(users["coordinator"])) == []
    forum.members.add(users["coordinator"])
    assert list(Board.objects.visible_to(users["coordinator"])) == [forum]
    assert Board.objects.visible_to(users["leader"]).count() == 3
    assert Board.objects.visible_to(users["secretary"]).count() == 3
    assert Board.objects.visible_to(users["admin"]).count() == 3


def test_meetings_follow_their_board(users, boards):
    strategic, forum, _ = boards
    MeetingFactory(board=strategic)
    MeetingFactory(board=forum)
    assert {m.board for m in Meeting.objects.visible_to(users["analyst"])} == {strategic}


def test_action_log_scope_for_members(users, boards):
    strategic, forum, _ = boards
    on_strategic = ActionFactory(board=strategic, owner=users["leader"])
    on_forum = ActionFactory(board=forum, owner=users["leader"])
    from_register = ActionFactory(board=None, owner=users["leader"])
    owned_elsewhere = ActionFactory(board=forum, owner=users["analyst"])
    visible = set(Action.objects.visible_to(users["analyst"]))
    assert visible == {on_strategic, from_register, owned_elsewhere}
    assert on_forum not in visible
    assert not Action.objects.visible_to(users["partner"]).exists()


def test_owner_updates_their_action_and_others_may_not(client_for, users, boards):
    strategic, _, _ = boards
    action = ActionFactory(board=strategic, owner=users["analyst"])
    url = reverse("governance:action-update", args=[action.pk])
    assert client_for("analyst").get(url).status_code == 200
    strategic.members.add(users["pcc"])
    assert client_for("pcc").get(url).status_code == 403
    assert client_for("coordinator").get(url).status_code == 404


def test_board_page_names_the_partner_organisations_that_sit_on_it(client_for, users, boards):
    _, forum, _ = boards
    grant_forum(forum, partner_group_for(users["partner"]))
    page = client_for("leader").get(reverse("governance:board-detail", args=[forum.pk])).content.decode()
    assert "Safe Harbour Refuge" in page


def test_a_forum_shows_the_terms_the_partnerships_app_provides(client_for, users, boards):
    from governance import hooks

    _, forum, _ = boards

    def provider(board):
        return ("Approved terms v2: the forum meets every two months.", "") if board == forum else None

    hooks.register_terms_provider(provider)
    try:
        page = client_for("leader").get(reverse("governance:board-detail", args=[forum.pk])).content.decode()
    finally:
        hooks._terms_providers.remove(provider)
    assert "Approved terms v2" in page
