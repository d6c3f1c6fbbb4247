"""Issue 15: a board's page is drawn once per reader, page of meetings and day, then served from the cache
(mshtgov.page_cache) until anything it read changes: a new meeting or member shows at once, a partner is shown
only their own forum (404 by id, nothing kept), a sensitive board still raises the page's marking."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardKind
from mshtgov.marking import Marking
from tests.governance.factories import BoardFactory, MeetingFactory, grant_forum, partner_group_for, revoke_forum
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _url(board):
    return reverse("governance:board-detail", args=[board.pk])


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_page_hit_or_miss_and_a_change_shows_at_once(client_for, users, stored):
    board = BoardFactory(name="Tactical group", chair=users["leader"])
    client = client_for("secretary")
    first, second = _text(client.get(_url(board))), _text(client.get(_url(board)))
    assert same_page(first) == same_page(second) and "Tactical group" in first
    assert len(stored) == 1
    MeetingFactory(board=board, starts_at=timezone.now() + timedelta(days=9), location="Harbour House")
    assert "Harbour House" in _text(client.get(_url(board)))
    board.members.add(users["analyst"])
    assert users["analyst"].get_full_name() in _text(client.get(_url(board)))
    assert len(stored) == 3


def test_a_partner_sees_only_their_forum_and_nothing_is_kept_for_a_refused_id(client_for, users, stored):
    forum = BoardFactory(name="Northmoor forum", kind=BoardKind.PARTNERSHIP_FORUM)
    other = BoardFactory(name="Western Vale forum", kind=BoardKind.PARTNERSHIP_FORUM)
    group = partner_group_for(users["partner"])
    grant_forum(forum, group)
    client = client_for("partner")
    for _ in range(2):
        assert "Northmoor forum" in _text(client.get(_url(forum)))
        assert client.get(_url(other)).status_code == 404
    assert len(stored) == 1
    revoke_forum(forum, group)
    assert client.get(_url(forum)).status_code == 404


def test_a_sensitive_board_is_marked_on_every_view(client_for):
    board = BoardFactory(marking=Marking.OFFICIAL_SENSITIVE)
    client = client_for("leader")
    for _ in range(2):
        assert "app-marking--sensitive" in _text(client.get(_url(board)))


# An action's page


def test_an_action_page_is_drawn_once_and_a_progress_update_shows_at_once(client_for, users, stored):
    from governance.models import ActionStatus
    from governance.services.actions import action_update_progress
    from tests.governance.factories import ActionFactory

    action = ActionFactory(owner=users["analyst"], title="Refresh the referral pathway")
    url = reverse("governance:action-detail", args=[action.pk])
    client = client_for("leader")
    first, second = _text(client.get(url)), _text(client.get(url))
    assert same_page(first) == same_page(second) and "Refresh the referral pathway" in first
    assert len([key for key in stored if key.startswith("page:governance:action:")]) == 1
    action_update_progress(
        action=action, status=ActionStatus.IN_PROGRESS, completion_note="", by=users["analyst"], reason="Started"
    )
    assert ActionStatus.IN_PROGRESS.label in _text(client.get(url))


def test_an_action_no_reader_may_open_is_404_and_nothing_is_kept(client_for, users, stored):
    from tests.governance.factories import ActionFactory

    hidden = ActionFactory(board=BoardFactory(), owner=users["leader"])  # a board the analyst does not sit on
    url = reverse("governance:action-detail", args=[hidden.pk])
    for _ in range(2):
        assert client_for("analyst").get(url).status_code == 404
        assert client_for("partner").get(url).status_code in (403, 404)
    assert not [key for key in stored if key.startswith("page:")]


def test_a_sensitive_action_is_logged_and_marked_on_every_view(client_for, users):
    from mshtgov.models import AccessLog
    from tests.governance.factories import ActionFactory

    action = ActionFactory(owner=users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    url = reverse("governance:action-detail", args=[action.pk])
    client = client_for("leader")
    before = AccessLog.objects.filter(object_id=str(action.pk)).count()
    for _ in range(3):
        assert "app-marking--sensitive" in _text(client.get(url))
    assert AccessLog.objects.filter(object_id=str(action.pk)).count() == before + 3
