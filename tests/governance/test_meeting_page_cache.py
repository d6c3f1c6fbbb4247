"""Issue 15: a meeting's page is drawn once per reader and day, then served from the cache
(mshtgov.page_cache) until anything it read changes. What a reader checks: the same page twice, a change to
the agenda or the minutes shown at once, a partner never shown another forum's meeting (404 by id, nothing kept
for them), a sensitive meeting logged on every view, the CSRF token of its forms the reader's own."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from governance.models import BoardKind
from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from tests.governance.factories import (
    AgendaItemFactory,
    BoardFactory,
    DecisionFactory,
    MeetingFactory,
    grant_forum,
    make_paper,
    partner_group_for,
    revoke_forum,
)
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _url(meeting):
    return reverse("governance:meeting-detail", args=[meeting.pk])


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="Tactical group", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["coordinator"]])
    meeting = MeetingFactory(board=board, minutes="Minutes of the tactical group")
    AgendaItemFactory(meeting=meeting, position=1, title="Threat picture")
    AgendaItemFactory(meeting=meeting, position=2, title="Any other business")
    DecisionFactory(meeting=meeting, text="Refer the tasking")
    return meeting


@pytest.mark.parametrize("role", ["leader", "secretary", "analyst"])
def test_the_same_page_hit_or_miss(client_for, meeting, role, stored):
    client = client_for(role)
    first, second = _text(client.get(_url(meeting))), _text(client.get(_url(meeting)))
    assert "Threat picture" in first and "Refer the tasking" in first
    assert same_page(first) == same_page(second)
    assert len(stored) == 1


def test_a_change_shows_at_once(client_for, meeting):
    client = client_for("secretary")
    assert "Threat picture" in _text(client.get(_url(meeting)))
    item = meeting.agenda_items.get(title="Threat picture")
    item.title = "Threat picture, revised"
    item.save()
    AgendaItemFactory(meeting=meeting, position=3, title="A late item")
    make_paper(meeting, title="Late paper")
    page = _text(client.get(_url(meeting)))
    assert "Threat picture, revised" in page and "A late item" in page and "Late paper" in page
    meeting.location = "Room 101"
    meeting.save()
    assert "Room 101" in _text(client.get(_url(meeting)))


def test_the_csrf_token_is_the_readers_own(users, client_for, meeting):
    tokens = []
    for _ in range(2):
        client = client_for("secretary")  # a new session, a token of its own
        text = _text(client.get(_url(meeting)))
        token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', text)[1]
        tokens.append(token)
        assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    assert tokens[0] != tokens[1]


def test_a_partner_sees_only_their_forum_and_nothing_is_kept_for_a_refused_id(client_for, users, stored):
    forum = BoardFactory(name="Northmoor forum", kind=BoardKind.PARTNERSHIP_FORUM)
    other = BoardFactory(name="Western Vale forum", kind=BoardKind.PARTNERSHIP_FORUM)
    group = partner_group_for(users["partner"])
    grant_forum(forum, group)
    ours = MeetingFactory(board=forum, minutes="Internal discussion")
    make_paper(ours, title="Forum highlight report")
    theirs = MeetingFactory(board=other)
    client = client_for("partner")
    for _ in range(2):
        page = _text(client.get(_url(ours)))
        assert "Forum highlight report" in page and "Internal discussion" not in page
        assert client.get(_url(theirs)).status_code == 404
    assert len(stored) == 1  # their own meeting only
    # The leader's page (minutes and all) is theirs alone.
    assert "Internal discussion" in _text(client_for("leader").get(_url(ours)))
    assert "Internal discussion" not in _text(client.get(_url(ours)))
    revoke_forum(forum, group)
    assert client.get(_url(ours)).status_code == 404


def test_a_sensitive_meeting_is_logged_and_marked_on_every_view(client_for, meeting):
    meeting.marking = Marking.OFFICIAL_SENSITIVE
    meeting.save()
    client = client_for("analyst")
    logged = AccessLog.objects.filter(object_type="governance.meeting", object_id=str(meeting.pk))
    before = logged.count()
    for _ in range(3):
        assert "OFFICIAL-SENSITIVE" in _text(client.get(_url(meeting)))
    assert logged.count() == before + 3
