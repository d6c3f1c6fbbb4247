"""The one action log: filters, my actions, progress updates and the history of every change."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, ActionSource, ActionStatus
from governance.services import action_create
from tests.governance.factories import ActionFactory, BoardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(users):
    today = timezone.localdate()
    strategic = BoardFactory(name="Strategic")
    tactical = BoardFactory(name="Tactical")
    return {
        "overdue": ActionFactory(
            title="Overdue visit", owner=users["analyst"], board=strategic, due_date=today - timedelta(days=3)
        ),
        "open": ActionFactory(
            title="Open profile", owner=users["coordinator"], board=tactical, due_date=today + timedelta(days=10)
        ),
        "done": ActionFactory(
            title="Done briefing",
            owner=users["analyst"],
            board=tactical,
            due_date=today - timedelta(days=10),
            status=ActionStatus.DONE,
            completion_note="Briefed",
        ),
        "lesson": ActionFactory(
            title="Lesson follow-up",
            owner=users["leader"],
            board=None,
            source_kind=ActionSource.LESSON,
            due_date=today + timedelta(days=2),
        ),
        "strategic": strategic,
        "tactical": tactical,
    }


def _titles(response):
    return {shown.reference for shown in response.context["page"].object_list}  # (pk, title) of each row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Overdue visit", "Open profile", "Done briefing", "Lesson follow-up"}),
        ("overdue=on", {"Overdue visit"}),
        ("status=done", {"Done briefing"}),
        ("status=open_all", {"Overdue visit", "Open profile", "Lesson follow-up"}),
        ("source=lesson", {"Lesson follow-up"}),
    ],
)
def test_filters(client_for, log, query, expected):
    response = client_for("leader").get(reverse("governance:action-list") + "?" + query)
    assert _titles(response) == expected


def test_filter_by_board_and_owner(client_for, users, log):
    url = reverse("governance:action-list")
    assert _titles(client_for("leader").get(url, {"board": log["tactical"].pk})) == {"Open profile", "Done briefing"}
    assert _titles(client_for("leader").get(url, {"owner": users["analyst"].pk})) == {"Overdue visit", "Done briefing"}


def test_overdue_is_shown_and_never_stored(client_for, log):
    page = client_for("leader").get(reverse("governance:action-list")).content.decode()
    assert "Overdue" in page
    assert Action.objects.get(title="Overdue visit").status == ActionStatus.OPEN


def test_my_actions_lists_only_mine(client_for, log):
    assert _titles(client_for("analyst").get(reverse("governance:my-actions"))) == {"Overdue visit", "Done briefing"}


def test_owner_completes_an_action_and_history_shows_every_change(client_for, users):
    action = action_create(
        title="Report NRM timeliness",
        owner=users["analyst"],
        by=users["secretary"],
        due_date=timezone.localdate() + timedelta(days=5),
    )
    client = client_for("analyst")
    url = reverse("governance:action-update", args=[action.pk])
    refused = client.post(
        url,
        {
            "status": "done",
            "completion_note": "",
            "change_reason": "Finished",
            "seen_version": action.updated_at.isoformat(),
        },
    )
    assert "Say what was done" in refused.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN

    response = client.post(
        url,
        {
            "status": "done",
            "completion_note": "Reported to the board",
            "change_reason": "Finished",
            "seen_version": action.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on == timezone.localdate()

    history = client_for("leader").get(reverse("governance:action-history", args=[action.pk])).content.decode()
    assert "Finished" in history and "Action raised" in history
    assert "analyst" in history and "secretary" in history
    assert "Reported to the board" in history


def test_a_stale_edit_does_not_overwrite_a_newer_one(client_for, users):
    action = action_create(
        title="Brief teams",
        owner=users["analyst"],
        by=users["secretary"],
        due_date=timezone.localdate() + timedelta(days=5),
    )
    seen = action.updated_at.isoformat()
    from governance.services import action_update_progress

    action_update_progress(
        action=action, status="in_progress", completion_note="", by=users["leader"], reason="Started"
    )
    response = client_for("analyst").post(
        reverse("governance:action-update", args=[action.pk]),
        {"status": "done", "completion_note": "Done", "change_reason": "Done", "seen_version": seen},
    )
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_for_source_finds_actions_raised_from_a_record(users):
    board = BoardFactory()
    raised = action_create(
        title="From the board",
        owner=users["analyst"],
        by=users["leader"],
        due_date=timezone.localdate(),
        source=board,
        source_kind=ActionSource.OTHER,
    )
    ActionFactory(owner=users["analyst"])
    assert list(Action.objects.for_source(board)) == [raised]


def test_leader_raises_an_action(client_for, users):
    response = client_for("leader").post(
        reverse("governance:action-create"),
        {
            "title": "Refresh the ISA",
            "owner": users["coordinator"].pk,
            "due_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "source_kind": "inspection",
            "marking": "official-sensitive",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.history.first().history_user == users["leader"]
    page = client_for("leader").get(response["Location"]).content.decode()
    assert ">OFFICIAL-SENSITIVE</p>" in page


def test_overdue_flag_follows_the_model_rule_on_every_page(client_for, users, log):
    """Lists and pages read `overdue` from the queryset rule (`ActionQuerySet.with_overdue`): due today is
    not overdue, due yesterday is, done is never."""
    today = timezone.localdate()
    ActionFactory(title="Due today", owner=users["analyst"], due_date=today)
    page = client_for("leader").get(reverse("governance:action-list"))
    rows = page.content.decode().split('<tr class="govuk-table__row">')[2:]  # after the header row
    flagged = {re.search(r'class="govuk-link" href="[^"]+">([^<]+)</a>', row)[1] for row in rows if ">Overdue<" in row}
    assert flagged == {"Overdue visit"}
    assert flagged == {a.title for a in Action.objects.overdue(today)}
    detail = client_for("leader").get(reverse("governance:action-detail", args=[log["overdue"].pk]))
    assert detail.context["overdue"] and "Overdue" in detail.content.decode()
    done = client_for("leader").get(reverse("governance:action-detail", args=[log["done"].pk]))
    assert not done.context["overdue"] and "Overdue" not in done.content.decode()
