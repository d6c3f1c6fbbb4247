"""Issue 15: a board decision's page, an agenda item's page, the list of boards (governance's home), the question
before removing an agenda item and an action's history are drawn once per reader and day, then served from the
reader's page cache until anything they read changes. What a user would check: the same page hit or miss, kept
once; a change shows at once; a partner asking for another forum's item by id gets 404 every time and nothing is
kept; a sensitive decision or action is marked, and logged on every view."""

import re
from datetime import timedelta

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from django.utils import timezone

from governance.models import AgendaItem, BoardKind
from governance.services.actions import action_update_progress
from mshtgov.marking import Marking
from mshtgov.models import AccessLog
from tests.governance.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    DecisionFactory,
    MeetingFactory,
    grant_forum,
    partner_group_for,
)
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _pages_kept(stored, prefix):
    return [key for key in stored if key.startswith(prefix)]


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="Tactical group", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["coordinator"]])
    return MeetingFactory(board=board)


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, position=1, title="Threat picture", summary="Note the picture")


@pytest.fixture
def decision(meeting, item):
    return DecisionFactory(meeting=meeting, agenda_item=item, text="Refer the tasking")


@pytest.fixture
def action(users, meeting):
    return ActionFactory(title="Review the tasking", owner=users["analyst"], board=meeting.board)


def _decision(decision):
    return reverse("governance:decision-detail", args=[decision.pk])


def _item(item):
    return reverse("governance:agenda-item-detail", args=[item.pk])


def _remove(item):
    return reverse("governance:agenda-item-remove", args=[item.pk])


def _history(action):
    return reverse("governance:action-history", args=[action.pk])


BOARDS = "/governance/"


def _same(client, url) -> str:
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second)
    return first


@pytest.mark.parametrize("role", ["leader", "secretary", "analyst"])
def test_the_same_page_hit_or_miss_each_kept_once(client_for, item, decision, action, role, stored):
    client = client_for(role)
    pages = [
        (_decision(decision), "<title>Board decision, ", "page:governance:decision:"),
        (_item(item), "<title>Agenda item: Threat picture – ", "page:governance:agenda:"),
        (BOARDS, "<title>Boards – ", "page:governance:boards:"),
        (_history(action), "Review the tasking", "page:history:governance:action:"),
    ]
    if role != "analyst":
        pages.append((_remove(item), "<title>Remove an agenda item – ", "page:governance:agenda-remove:"))
    for url, expected, prefix in pages:
        assert expected in _same(client, url), url
        assert len(_pages_kept(stored, prefix)) == 1, prefix


def test_a_change_shows_at_once(client_for, users, meeting, item, decision, action):
    client = client_for("secretary")
    for url in (_decision(decision), _item(item), BOARDS, _remove(item), _history(action)):
        _page(client.get(url))
    decision.text = "Refer the tasking, as amended"
    decision.save()
    assert "Refer the tasking, as amended" in _page(client.get(_decision(decision)))
    item.title = "Threat picture, revised"
    item.save()
    assert "Threat picture, revised" in _page(client.get(_item(item)))
    assert "Threat picture, revised" in _page(client.get(_remove(item)))
    assert "Threat picture, revised" in _page(client.get(_decision(decision)))  # the item it was made under
    BoardFactory(name="A new board")
    assert "A new board" in _page(client.get(BOARDS))
    action_update_progress(
        action=action, status="in_progress", completion_note="Half way", by=users["leader"], reason="Begun"
    )
    assert "Half way" in _page(client.get(_history(action)))


def test_the_boards_next_meeting_moves_on_once_it_has_begun(client_for, meeting, monkeypatch):
    soon = MeetingFactory(board=meeting.board, starts_at=timezone.now() + timedelta(minutes=2))
    client = client_for("leader")
    shown = lambda m: f"{timezone.localtime(m.starts_at):%-d %B %Y, %H:%M}"  # noqa: E731
    html = _page(client.get(BOARDS))
    assert shown(soon) in html and shown(meeting) not in html
    begun = timezone.now() + timedelta(minutes=3)
    monkeypatch.setattr(timezone, "now", lambda: begun)
    html = _page(client.get(BOARDS))
    assert shown(meeting) in html and shown(soon) not in html


def test_removing_runs_live_with_the_readers_own_token(client_for, item):
    client = client_for("secretary")
    html = _page(client.get(_remove(item)))
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', html.split("Remove “")[1])[1]
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    response = client.post(_remove(item), follow=True)
    assert response.redirect_chain[-1][0] == item.meeting.get_absolute_url() + "#agenda"
    assert "“Threat picture” has been removed from the agenda." in response.content.decode()
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert client.get(_remove(item)).status_code == 404


def test_a_partner_gets_404_for_another_forums_records_every_time_nothing_kept(client_for, users, stored):
    forum = BoardFactory(name="Northmoor forum", kind=BoardKind.PARTNERSHIP_FORUM)
    other = BoardFactory(name="Western Vale forum", kind=BoardKind.PARTNERSHIP_FORUM)
    grant_forum(forum, partner_group_for(users["partner"]))
    ours = AgendaItemFactory(meeting=MeetingFactory(board=forum), title="Our item")
    theirs = AgendaItemFactory(meeting=MeetingFactory(board=other), title="Their item")
    their_decision = DecisionFactory(meeting=theirs.meeting, text="Their decision")
    client = client_for("partner")
    for _ in range(2):
        assert client.get(_item(theirs)).status_code == 404
        assert client.get(_remove(theirs)).status_code == 404
        assert client.get(_decision(their_decision)).status_code in (403, 404)  # decisions are internal
        assert client.get(_remove(ours)).status_code == 403  # they see their forum, may not run it
        assert "Our item" in _page(client.get(_item(ours)))
        boards = _page(client.get(BOARDS))
        assert "Northmoor forum" in boards and "Western Vale forum" not in boards
    kept = [key for key in stored if key.startswith("page:governance:")]
    assert len(kept) == 2 and all(
        key.startswith(("page:governance:agenda:", "page:governance:boards:")) for key in kept
    )
    assert str(ours.pk) in kept[0] and str(theirs.pk) not in kept[0].split(":")[3]


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("pcc", 404)])
def test_a_refused_reader_is_refused_every_time_nothing_kept(client_for, item, role, status, stored):
    client = client_for(role)
    for _ in range(2):
        assert client.get(_remove(item)).status_code == status
    assert not _pages_kept(stored, "page:governance:agenda-remove:")


def test_a_sensitive_decision_is_marked_and_logged_on_every_view(client_for, decision):
    decision.marking = Marking.OFFICIAL_SENSITIVE
    decision.save()
    client = client_for("analyst")
    logged = AccessLog.objects.filter(object_type="governance.decision", object_id=str(decision.pk))
    before = logged.count()
    for _ in range(3):
        html = _page(client.get(_decision(decision)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == before + 3


def test_a_sensitive_action_history_is_marked_and_logged_on_every_view(client_for, action, stored):
    action.marking = Marking.OFFICIAL_SENSITIVE
    action.save()
    client = client_for("secretary")
    logged = AccessLog.objects.filter(object_type="governance.action", object_id=str(action.pk))
    before = logged.count()
    for _ in range(3):
        html = _page(client.get(_history(action)))
        assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html
    assert logged.count() == before + 3
    assert len(_pages_kept(stored, "page:history:governance:action:")) == 1


def test_a_sensitive_board_or_meeting_marks_the_pages_hit_or_miss(client_for, meeting, item):
    meeting.marking = Marking.OFFICIAL_SENSITIVE
    meeting.save()
    meeting.board.marking = Marking.OFFICIAL_SENSITIVE
    meeting.board.save()
    client = client_for("secretary")
    for url in (_item(item), _remove(item), BOARDS):
        for _ in range(2):
            html = _page(client.get(url))
            assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html, url


def test_an_unknown_action_history_is_404_and_a_partner_is_refused_every_time_nothing_kept(client_for, stored):
    client = client_for("leader")
    for _ in range(2):
        assert client.get(reverse("governance:action-history", args=[999999])).status_code == 404
    assert not _pages_kept(stored, "page:history:")
