"""Issue 9: board packs are built for their readers (the board; a forum's partner organisations too), not for
whoever asks for them, and agenda "covers" links are checked against the reader, not the person who linked."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from governance.models import AgendaLink, BoardKind, BoardPack
from governance.packs.compose import compose_pack
from mshtgov.marking import Marking
from tests.governance.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    grant_forum,
    partner_group_for,
)
from tests.learning.factories import make_lesson
from tests.strategy.factories import ThreatFactory

pytestmark = pytest.mark.django_db


def _link(item, record):
    AgendaLink.objects.create(
        item=item, content_type=ContentType.objects.get_for_model(record), object_id=record.pk, label=str(record)
    )


@pytest.fixture
def forum(users):
    """A partnership forum run by the force, with Safe Harbour Refuge granted; its next meeting covers an
    internal sensitive lesson and an internal threat."""
    board = BoardFactory(
        name="Partnership forum", kind=BoardKind.PARTNERSHIP_FORUM, chair=users["leader"], secretary=users["secretary"]
    )
    grant_forum(board, partner_group_for(users["partner"]))
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, title="Learning from recent operations")
    lesson = make_lesson(
        users["analyst"], title="Interpreter linked to the suspects' family", marking=Marking.OFFICIAL_SENSITIVE
    )
    _link(item, lesson)
    _link(item, ThreatFactory(title="Organised crime group in nail bars"))
    ActionFactory(title="Brief the forum chair privately", owner=users["leader"], board=board)
    return meeting


def test_partner_reading_a_forum_meeting_does_not_read_internal_covered_titles(client_for, forum):
    page = client_for("partner").get(forum.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Learning from recent operations" in text
    assert "Interpreter linked" not in text and "LL-" not in text
    assert "nail bars" not in text
    assert "Covers: 2 records you cannot see" in text

    # The leader, who may open both, reads them, and the page is marked for the sensitive lesson.
    text = client_for("leader").get(forum.get_absolute_url()).content.decode()
    assert "Interpreter linked" in text and "nail bars" in text
    assert ">OFFICIAL-SENSITIVE</p>" in text


def test_forum_pack_is_built_for_its_partners_too(forum, users):
    # Whatever the leader asks for, the pack holds only what the partner may see too.
    pack = BoardPack.objects.create(meeting=forum, requested_by=users["leader"], sections=[])
    composed = compose_pack(pack)
    assert "Interpreter linked" not in composed.html and "nail bars" not in composed.html
    assert "Brief the forum chair" not in composed.html
    assert "Covers 2 records not every reader of this pack may see" in composed.html
    assert "and the 1 user of its 1 partner organisation" in composed.built_for
    assert composed.built_for in composed.html
    assert composed.marking == Marking.OFFICIAL

    from governance.packs.audience import audience_for
    from governance.packs.sections import available_sections

    audience = audience_for(forum.board)
    assert users["partner"] in audience.partners
    assert {u.username for u in audience.members} == {"leader", "secretary"}
    # Partners read no minutes, decisions, actions or force panels: only the agenda is offered.
    assert [s.key for s in available_sections(audience)] == ["agenda"]


def test_pack_panels_follow_the_audience_not_the_requester(users):
    """A coordinator on the board reads no lessons and no victim support figures: a pack asked for by a
    senior leader (who may see them) leaves them out."""
    board = BoardFactory(name="Tactical group", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["coordinator"]])
    meeting = MeetingFactory(board=board)
    pack = BoardPack.objects.create(meeting=meeting, requested_by=users["leader"], sections=[])  # every section
    html = compose_pack(pack).html
    assert 'id="section-panel-partnerships-support"' not in html
    assert 'id="section-panel-learning-lessons"' not in html
    assert 'id="section-panel-strategy-status"' in html  # every reader is force staff

    from governance.packs.audience import audience_for
    from governance.packs.sections import available_sections

    offered = {s.title for s in available_sections(audience_for(board))}
    assert "Victim support gaps by stage" not in offered and "Lessons learned" not in offered

    # Add only readers who may see them, and they come back.
    board.members.set([users["pcc"]])
    board.secretary = None
    board.save()
    offered = {s.title for s in available_sections(audience_for(board))}
    assert "Victim support gaps by stage" in offered


def test_pack_page_says_who_it_is_built_for(client_for, forum, users):
    pack = BoardPack.objects.create(meeting=forum, requested_by=users["secretary"], sections=[])
    text = client_for("secretary").get(reverse("governance:pack-detail", args=[pack.pk])).content.decode()
    assert "Built for the 2 members of Partnership forum and the 1 user of its 1 partner organisation" in text


def test_an_editor_who_cannot_see_a_covered_record_keeps_it_linked(client_for, forum, users):
    item = forum.agenda_items.get()
    response = client_for("secretary").post(
        reverse("governance:agenda-item-edit", args=[item.pk]),
        {"title": "Learning from recent operations", "change_reason": "Retitled"},
    )
    assert response.status_code in (200, 302)
    assert AgendaLink.objects.filter(item=item).count() == 2
