"""The core's one record lookup (`get_visible_or_404`) and one way to save a tracked record (`mshtgov.tracking`)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from governance.models import Board
from mshtgov.access import get_visible_or_404
from mshtgov.tracking import save_tracked, stamp
from tests.governance.factories import BoardFactory

pytestmark = pytest.mark.django_db


def test_a_visible_record_is_returned(users):
    board = BoardFactory(name="Strategic board")
    assert get_visible_or_404(Board.objects.visible_to(users["leader"]), board.pk) == board
    assert get_visible_or_404(Board.objects.visible_to(users["leader"]), str(board.pk)) == board


def test_a_record_the_reader_may_not_see_answers_like_one_that_does_not_exist(users):
    board = BoardFactory(name="Strategic board")
    with pytest.raises(Http404):
        get_visible_or_404(Board.objects.visible_to(users["analyst"]), board.pk)  # not a member
    with pytest.raises(Http404):
        get_visible_or_404(Board.objects.visible_to(users["leader"]), board.pk + 1000)


@pytest.mark.parametrize("pk", ["abc", "1\x00", "1 OR 1=1", "../1", "", None, "99999999999999999999", -1, 0])
def test_a_malformed_id_is_not_found_never_an_error(users, pk):
    BoardFactory(name="Strategic board")
    with pytest.raises(Http404):
        get_visible_or_404(Board.objects.visible_to(users["leader"]), pk)


def test_save_tracked_validates_and_names_who_and_why(users):
    board = Board(name="Tactical group", kind="tactical")
    save_tracked(board, by=users["secretary"], reason="Set up for the new plan")
    latest = board.history.first()
    assert latest.history_user == users["secretary"] and latest.history_change_reason == "Set up for the new plan"

    board.kind = "not-a-kind"
    with pytest.raises(ValidationError):
        save_tracked(board, by=users["secretary"], reason="Broken")
    assert Board.objects.get(pk=board.pk).kind == "tactical"
    assert board.history.count() == 1


def test_a_delete_is_kept_in_history_with_who_and_why(users):
    board = BoardFactory(name="Short-lived board")
    stamp(board, by=users["leader"], reason="Merged into the strategic board").delete()
    deleted = Board.history.filter(name="Short-lived board", history_type="-").get()
    assert (
        deleted.history_user == users["leader"] and deleted.history_change_reason == "Merged into the strategic board"
    )
