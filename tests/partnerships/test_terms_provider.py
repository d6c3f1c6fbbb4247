"""A partnership forum's board shows the partnership's approved terms of reference (governance hook)."""

import pytest
from django.urls import reverse

from governance.hooks import terms_of_reference
from governance.models import BoardKind
from mshtgov.marking import Marking
from partnerships.board_terms import forum_terms
from partnerships.models import TermsStatus
from tests.governance.factories import BoardFactory
from tests.partnerships.factories import approved_terms, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(users):
    board = BoardFactory(name="Northmoor Partnership Forum", kind=BoardKind.PARTNERSHIP_FORUM, terms_of_reference="")
    partnership = make_partnership("Northmoor Partnership", by=users["coordinator"], board=board)
    return board, partnership


def test_forum_board_gets_the_approved_terms_summary_and_link(users, forum):
    board, partnership = forum
    first = approved_terms(partnership, by=users["coordinator"], purpose="Share intelligence on exploitation.")
    current = approved_terms(
        partnership,
        by=users["coordinator"],
        purpose="Coordinate victim support across the county and share intelligence.",
    )
    first.refresh_from_db()
    assert first.status == TermsStatus.SUPERSEDED

    text, url = terms_of_reference(board)
    assert f"version {current.version}" in text
    assert "Coordinate victim support across the county" in text
    assert "Share intelligence on exploitation." not in text
    assert url == reverse("partnerships:terms-detail", args=[partnership.pk, current.pk])


def test_no_terms_for_a_board_without_approved_terms_or_partnership(users, forum):
    board, _ = forum
    assert forum_terms(board) is None  # the partnership has no approved version yet
    assert forum_terms(BoardFactory(name="Strategic board")) is None


def test_sensitive_terms_are_not_summarised_on_the_board(users, forum):
    board, partnership = forum
    terms = approved_terms(partnership, by=users["coordinator"], purpose="Operation names and tasking.")
    terms.marking = Marking.OFFICIAL_SENSITIVE
    terms._history_user = users["coordinator"]
    terms.save()
    text, url = forum_terms(board)
    assert "Operation names" not in text
    assert "OFFICIAL-SENSITIVE" in text
    assert url.endswith(f"/terms/{terms.pk}/")


def test_board_page_shows_the_terms_and_links_to_them(client_for, users, forum):
    board, partnership = forum
    terms = approved_terms(partnership, by=users["coordinator"], purpose="Coordinate the county's response.")
    page = client_for("leader").get(reverse("governance:board-detail", args=[board.pk])).content.decode()
    assert "Coordinate the county&#x27;s response." in page
    assert reverse("partnerships:terms-detail", args=[partnership.pk, terms.pk]) in page
    assert "Kept with the partnership this forum serves." not in page
