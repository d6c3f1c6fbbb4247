"""Setting up and editing boards: members' changes are named in the history."""

import pytest
from django.urls import reverse

from governance.models import Board, BoardKind

pytestmark = pytest.mark.django_db


def test_secretary_sets_up_a_board_and_its_member_changes_are_in_its_history(client_for, users):
    client = client_for("secretary")
    response = client.post(
        reverse("governance:board-create"),
        {
            "name": "Regional MSHT group",
            "kind": BoardKind.REGIONAL,
            "cadence": "quarterly",
            "marking": "official",
            "chair": users["leader"].pk,
            "members": [users["analyst"].pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    board = Board.objects.get(name="Regional MSHT group")
    assert list(board.members.all()) == [users["analyst"]]

    response = client.post(
        reverse("governance:board-edit", args=[board.pk]),
        {
            "name": "Regional MSHT group",
            "kind": BoardKind.REGIONAL,
            "cadence": "quarterly",
            "marking": "official",
            "chair": users["leader"].pk,
            "members": [users["coordinator"].pk],
            "active": "on",
            "change_reason": "Coordinator replaces analyst",
            "seen_version": board.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    latest = board.history.first()
    assert latest.history_user == users["secretary"]
    assert "Coordinator replaces analyst" in latest.history_change_reason
    assert "members added: coordinator" in latest.history_change_reason
    assert "members removed: analyst" in latest.history_change_reason

    history = client.get(reverse("governance:board-history", args=[board.pk])).content.decode()
    assert "Coordinator replaces analyst" in history


def test_external_partners_cannot_be_made_members(client_for, users):
    response = client_for("secretary").post(
        reverse("governance:board-create"),
        {
            "name": "Forum",
            "kind": BoardKind.PARTNERSHIP_FORUM,
            "cadence": "quarterly",
            "marking": "official",
            "members": [users["partner"].pk],
        },
    )
    assert response.status_code == 200
    assert "Choose the members from the list" in response.content.decode()
    assert not Board.objects.exists()


def test_a_board_above_official_sensitive_is_refused(client_for):
    response = client_for("leader").post(
        reverse("governance:board-create"),
        {"name": "Secret board", "kind": BoardKind.STRATEGIC, "cadence": "quarterly", "marking": "secret"},
    )
    assert "not accredited for SECRET" in response.content.decode()
    assert not Board.objects.exists()
