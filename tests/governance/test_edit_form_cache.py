"""Issue 15: a meeting's attendance form, and the forms that add an agenda item to a meeting or edit one, are
served from the reader's page cache before any input (`mshtgov.pages.cached_edit_page`). What a user would
check: the same form hit or miss, drawn once; a save shows at once; a partner is never shown another forum's
meeting or item (404 every time, nothing kept), nor may run their own forum's (403); a sensitive meeting marks the
page; a post with bad input names the field and saves nothing; a post runs live as before."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, ActionStatus, AgendaItem, Attendance, BoardKind
from governance.services.actions import action_update_progress
from governance.services.agenda import agenda_item_save
from governance.services.meetings import attendance_version, board_save, meeting_record_attendance, meeting_save
from mshtgov.marking import Marking
from tests.drawn_form_support import posted_values
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


def _forms_kept(stored):
    return [key for key in stored if key.startswith("page:form:")]


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="Tactical group", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["coordinator"]])
    return MeetingFactory(board=board)


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, position=1, title="Threat picture")


def _attendance(meeting):
    return reverse("governance:meeting-attendance", args=[meeting.pk])


def _add(meeting):
    return reverse("governance:agenda-item-add", args=[meeting.pk])


def _edit(item):
    return reverse("governance:agenda-item-edit", args=[item.pk])


def _hit_and_miss(client, url) -> str:
    first, second = _page(client.get(url)), _page(client.get(url))
    assert same_page(first) == same_page(second)
    return first


# Attendance


def test_the_attendance_form_the_same_hit_or_miss_and_a_save_shows_at_once(client_for, users, meeting, stored):
    users["pcc"].first_name, users["pcc"].last_name = "Pat", "Commissioner"
    users["pcc"].save()
    client = client_for("secretary")
    first = _hit_and_miss(client, _attendance(meeting))
    assert "<title>Record attendance and apologies – " in first and "Save attendance" in first
    kept = _forms_kept(stored)
    assert len(kept) == 1 and kept[0].startswith(f"page:form:governance:attendance:{meeting.pk}:")

    meeting_record_attendance(
        meeting=meeting,
        present=[],
        apologies=[users["coordinator"]],
        other_attendees="A. Partner, Northmoor City Council",
        by=users["secretary"],
    )
    after = _page(client.get(_attendance(meeting)))
    assert "A. Partner, Northmoor City Council" in after
    assert f'value="{attendance_version(meeting)}"' in after  # the version a save is checked against

    assert "Pat Commissioner" not in after
    meeting.board.members.add(users["pcc"])
    assert "Pat Commissioner" in _page(client.get(_attendance(meeting)))  # the people listed are the board's now


def test_attendance_with_someone_both_present_and_sending_apologies_names_the_field(client_for, users, meeting):
    client = client_for("secretary")
    _page(client.get(_attendance(meeting)))  # kept
    html = _page(
        client.post(_attendance(meeting), {"present": [users["leader"].pk], "apologies": [users["leader"].pk]})
    )
    assert "<title>Error: Record attendance" in html
    assert re.search(r'error-summary__list.*href="#id_apologies', html, re.S)
    assert "both present and sending apologies" in html
    assert not Attendance.objects.exists()


# Adding an item


def test_the_add_form_the_same_hit_or_miss_one_per_meeting(client_for, meeting, stored):
    client = client_for("secretary")
    first = _hit_and_miss(client, _add(meeting))
    assert "<title>Add an agenda item – " in first and "Save and add another" in first
    assert f'<span class="govuk-caption-l">{meeting}</span>' in first
    other = MeetingFactory(board=meeting.board, title="Extraordinary meeting")
    assert "Extraordinary meeting" in _page(client.get(_add(other)))
    kept = _forms_kept(stored)
    assert [key.split(":")[4] for key in kept] == [str(meeting.pk), str(other.pk)]
    assert all(key.startswith("page:form:governance:agenda-add:") for key in kept)

    meeting.title = "Renamed meeting"
    meeting.save()
    assert "Renamed meeting" in _page(client.get(_add(meeting)))  # the meeting's change shows at once


def test_adding_and_adding_another_runs_live(client_for, meeting):
    client = client_for("secretary")
    _page(client.get(_add(meeting)))  # kept
    response = client.post(_add(meeting), {"title": "Welcome", "add_another": "1"}, follow=True)
    assert response.redirect_chain[0][0] == _add(meeting)
    assert "“Welcome” has been added to the agenda." in response.content.decode()
    response = client.post(_add(meeting), {"title": "Threat picture"})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url() + "#agenda"
    assert [i.title for i in meeting.agenda_items.order_by("position")] == ["Welcome", "Threat picture"]


def test_an_item_added_without_a_title_names_the_field_and_saves_nothing(client_for, meeting):
    client = client_for("secretary")
    _page(client.get(_add(meeting)))  # kept
    html = _page(client.post(_add(meeting), {"title": "  ", "summary": "Kept text"}))
    assert "<title>Error: Add an agenda item" in html and 'href="#id_title"' in html and "Kept text" in html
    assert not meeting.agenda_items.exists()


# Editing an item


def test_the_edit_form_the_same_hit_or_miss_and_a_save_shows_at_once(client_for, users, item, stored):
    client = client_for("secretary")
    first = _hit_and_miss(client, _edit(item))
    assert "<title>Edit an agenda item – " in first and 'value="Threat picture"' in first
    kept = _forms_kept(stored)
    assert len(kept) == 1 and kept[0].startswith(f"page:form:governance:agenda-item:{item.pk}:")

    item.title = "Threat picture, revised"
    agenda_item_save(item=item, links=[], by=users["secretary"], reason="Retitled")
    assert 'value="Threat picture, revised"' in _page(client.get(_edit(item)))


def test_an_item_saved_without_a_title_names_the_field_and_saves_nothing(client_for, item):
    client = client_for("secretary")
    html = _page(client.get(_edit(item)))
    version = re.search(r'name="seen_version" value="([^"]*)"', html).group(1)
    html = _page(client.post(_edit(item), {"title": "", "change_reason": "x", "seen_version": version}))
    assert "<title>Error: Edit an agenda item" in html and 'href="#id_title"' in html
    assert AgendaItem.objects.get(pk=item.pk).title == "Threat picture"


# Who may open them


@pytest.mark.parametrize(
    ("role", "status"),
    [("analyst", 403), ("coordinator", 403), ("pcc", 404), ("anon", 302)],  # members see the board; the PCC not
)
def test_a_refused_reader_is_refused_every_time_and_nothing_is_kept(client_for, item, stored, role, status):
    client = client_for(role)
    for url in (_attendance(item.meeting), _add(item.meeting), _edit(item)):
        for _ in range(2):
            assert client.get(url).status_code == status, url
    assert not _forms_kept(stored)


def test_a_partner_gets_404_for_another_forums_meeting_every_time_nothing_kept(client_for, users, stored):
    forum = BoardFactory(name="Northmoor forum", kind=BoardKind.PARTNERSHIP_FORUM)
    other = BoardFactory(name="Western Vale forum", kind=BoardKind.PARTNERSHIP_FORUM)
    grant_forum(forum, partner_group_for(users["partner"]))
    ours = AgendaItemFactory(meeting=MeetingFactory(board=forum), title="Our item")
    theirs = AgendaItemFactory(meeting=MeetingFactory(board=other), title="Their item")
    client = client_for("partner")
    for _ in range(2):
        for url in (_attendance(theirs.meeting), _add(theirs.meeting), _edit(theirs)):
            assert client.get(url).status_code == 404, url
        for url in (_attendance(ours.meeting), _add(ours.meeting), _edit(ours)):
            assert client.get(url).status_code == 403, url  # they see their forum, may not run it
    assert not _forms_kept(stored)


def test_a_sensitive_meeting_marks_its_forms_hit_or_miss(client_for, item):
    item.meeting.marking = Marking.OFFICIAL_SENSITIVE
    item.meeting.save()
    client = client_for("secretary")
    for url in (_attendance(item.meeting), _add(item.meeting), _edit(item)):
        for _ in range(2):
            html = _page(client.get(url))
            assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html, url


# Issue 15, second round: an action's progress update, raising an action (from a decision or not), a board's and a
# meeting's edit pages, recording a decision and uploading a paper.


@pytest.fixture
def decision(meeting):
    return DecisionFactory(meeting=meeting, text="Refer the tasking to the tactical group")


@pytest.fixture
def action(users, meeting):
    return ActionFactory(title="Review the tasking", owner=users["analyst"], board=meeting.board)


def _update(action):
    return reverse("governance:action-update", args=[action.pk])


def _raise(decision=None):
    url = reverse("governance:action-create")
    return f"{url}?decision={decision.pk}" if decision else url


def _board_edit(board):
    return reverse("governance:board-edit", args=[board.pk])


def _meeting_edit(meeting):
    return reverse("governance:meeting-edit", args=[meeting.pk])


def _decide(meeting):
    return reverse("governance:decision-add", args=[meeting.pk])


def _upload(meeting):
    return reverse("governance:paper-upload", args=[meeting.pk])


def _due_in(days) -> dict:
    due = timezone.localdate() + timedelta(days=days)
    return {"due_date-day": str(due.day), "due_date-month": str(due.month), "due_date-year": str(due.year)}


def _second_round(meeting, decision, action):
    """(url, title, kept name) of each page of the second round."""
    return [
        (_update(action), "Update progress", f"governance:action-update:{action.pk}:"),
        (_raise(decision), "Raise an action", f"governance:action:new:{decision.pk}:"),
        (_raise(), "Raise an action", "governance:action:new:none:"),
        (_board_edit(meeting.board), "Edit Tactical group", f"governance:board-edit:{meeting.board.pk}:"),
        (_meeting_edit(meeting), "Edit the meeting&#x27;s details", f"governance:meeting-edit:{meeting.pk}:"),
        (_decide(meeting), "Record a decision", f"governance:decision-add:{meeting.pk}:"),
        (_upload(meeting), "Upload a paper", f"governance:paper-upload:{meeting.pk}:"),
    ]


@pytest.mark.parametrize("role", ["secretary", "leader"])
def test_the_second_round_the_same_hit_or_miss_each_kept_once(client_for, meeting, decision, action, stored, role):
    client = client_for(role)
    pages = _second_round(meeting, decision, action)
    for url, title, _ in pages:
        first = _hit_and_miss(client, url)
        assert f"<title>{title} – " in first, url
    kept = _forms_kept(stored)
    assert len(kept) == len(pages)
    for key, (_, _, name) in zip(kept, pages, strict=True):
        assert key.startswith(f"page:form:{name}"), key


def test_the_update_form_shows_a_change_at_once(client_for, users, action):
    client = client_for("analyst")  # the owner, who does not run boards
    assert "Review the tasking" in _page(client.get(_update(action)))
    action_update_progress(
        action=action, status=ActionStatus.IN_PROGRESS, completion_note="Half way there", by=users["leader"], reason="x"
    )
    html = _page(client.get(_update(action)))
    assert "Half way there" in html
    data = posted_values(html, change_reason="Done now", status=ActionStatus.DONE, completion_note="All done")
    response = client.post(_update(action), data, follow=True)
    assert response.redirect_chain[-1][0] == action.get_absolute_url()
    assert "Your update has been saved." in response.content.decode()
    assert "All done" in _page(client.get(_update(action)))


def test_an_update_completed_without_a_note_names_the_field_and_saves_nothing(client_for, action):
    client = client_for("analyst")
    html = _page(client.get(_update(action)))  # kept
    html = _page(
        client.post(
            _update(action), posted_values(html, change_reason="x", status=ActionStatus.DONE, completion_note="")
        )
    )
    assert "<title>Error: Update progress" in html and 'href="#id_completion_note"' in html
    action.refresh_from_db()
    assert action.status != ActionStatus.DONE


def test_raising_from_a_decision_shows_its_change_at_once_and_runs_live(client_for, users, decision):
    client = client_for("secretary")
    assert "From the decision: Refer the tasking" in _page(client.get(_raise(decision)))
    decision.text = "Refer the tasking, as amended"
    decision.save()
    html = _page(client.get(_raise(decision)))
    assert "From the decision: Refer the tasking, as amended" in html
    data = posted_values(html, owner=str(users["analyst"].pk), **_due_in(60))
    response = client.post(_raise(decision), data)
    assert response.status_code == 302 and response["Location"] == decision.meeting.get_absolute_url() + "#decisions"
    raised = Action.objects.get(title="Refer the tasking, as amended")
    assert raised.board_id == decision.meeting.board_id and raised.source_object_id == decision.pk


def test_an_action_raised_without_a_title_names_the_field_and_saves_nothing(client_for):
    client = client_for("secretary")
    html = _page(client.get(_raise()))  # kept
    html = _page(client.post(_raise(), posted_values(html, title="", **_due_in(60))))
    assert "<title>Error: Raise an action" in html and 'href="#id_title"' in html
    assert not Action.objects.exists()


def test_board_and_meeting_edits_show_at_once(client_for, users, meeting):
    client = client_for("secretary")
    _page(client.get(_board_edit(meeting.board)))
    _page(client.get(_meeting_edit(meeting)))
    board = meeting.board
    board.name = "Tactical group (renamed)"
    board_save(board=board, members=list(board.members.all()), by=users["leader"], reason="Renamed")
    assert 'value="Tactical group (renamed)"' in _page(client.get(_board_edit(board)))
    meeting.location = "Room 101"
    meeting_save(meeting=meeting, by=users["leader"], reason="Moved")
    html = _page(client.get(_meeting_edit(meeting)))
    assert 'value="Room 101"' in html
    response = client.post(_meeting_edit(meeting), posted_values(html, location="Room 102", change_reason="Moved"))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert meeting.location == "Room 102"


def test_a_board_or_meeting_saved_with_a_required_field_empty_names_it_and_saves_nothing(client_for, meeting):
    client = client_for("secretary")
    html = _page(client.get(_board_edit(meeting.board)))
    html = _page(client.post(_board_edit(meeting.board), posted_values(html, name="", change_reason="x")))
    assert "<title>Error: Edit Tactical group" in html and 'href="#id_name"' in html
    html = _page(client.get(_meeting_edit(meeting)))
    html = _page(client.post(_meeting_edit(meeting), posted_values(html, change_reason="x", **{"starts_at-day": ""})))
    assert "<title>Error: Edit the meeting" in html and 'href="#id_starts_at' in html
    meeting.refresh_from_db()
    assert meeting.board.name == "Tactical group" and meeting.starts_at is not None


def test_a_new_agenda_item_shows_at_once_in_the_decision_and_paper_forms(client_for, users, meeting):
    client = client_for("secretary")
    for url in (_decide(meeting), _upload(meeting)):
        assert "A late item" not in _page(client.get(url))
    AgendaItemFactory(meeting=meeting, title="A late item")
    for url in (_decide(meeting), _upload(meeting)):
        assert "A late item" in _page(client.get(url)), url


def test_a_decision_or_paper_posted_without_text_or_file_names_the_field_and_saves_nothing(client_for, meeting):
    client = client_for("secretary")
    _page(client.get(_decide(meeting)))  # kept
    html = _page(client.post(_decide(meeting), {"text": "", "marking": Marking.OFFICIAL}))
    assert "<title>Error: Record a decision" in html and 'href="#id_text"' in html
    _page(client.get(_upload(meeting)))  # kept
    html = _page(client.post(_upload(meeting), {"title": "Report", "marking": Marking.OFFICIAL}))
    assert "<title>Error: Upload a paper" in html and 'href="#id_file"' in html
    assert not meeting.decisions.exists() and not meeting.papers.exists()
    response = client.post(_decide(meeting), {"text": "Agreed", "marking": Marking.OFFICIAL})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url() + "#decisions"
    assert [d.text for d in meeting.decisions.all()] == ["Agreed"]


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("coordinator", 403), ("pcc", 404), ("anon", 302)])
def test_the_second_round_refused_every_time_nothing_kept(client_for, meeting, decision, role, status):
    client = client_for(role)
    urls = [_board_edit(meeting.board), _meeting_edit(meeting), _decide(meeting), _upload(meeting)]
    for url in urls:
        for _ in range(2):
            assert client.get(url).status_code == status, url
    for _ in range(2):  # raising an action: only those who run boards
        assert client.get(_raise(decision)).status_code == (302 if role == "anon" else 403)


def test_someone_who_neither_owns_nor_runs_an_action_may_not_update_it_nothing_kept(client_for, users, action, stored):
    action.owner = users["leader"]
    action.save()
    client = client_for("coordinator")  # a member of the board: sees the action
    for _ in range(2):
        assert client.get(_update(action)).status_code == 403
    assert not _forms_kept(stored)


def test_a_partner_gets_404_for_another_forums_meeting_in_the_second_round(client_for, users, stored):
    forum = BoardFactory(name="Northmoor forum", kind=BoardKind.PARTNERSHIP_FORUM)
    other = BoardFactory(name="Western Vale forum", kind=BoardKind.PARTNERSHIP_FORUM)
    grant_forum(forum, partner_group_for(users["partner"]))
    ours, theirs = MeetingFactory(board=forum), MeetingFactory(board=other)
    client = client_for("partner")
    for _ in range(2):
        for url in (_meeting_edit(theirs), _decide(theirs), _upload(theirs), _board_edit(other)):
            assert client.get(url).status_code == 404, url
        for url in (_meeting_edit(ours), _decide(ours), _upload(ours), _board_edit(forum)):
            assert client.get(url).status_code == 403, url
    assert not _forms_kept(stored)


def test_raising_from_a_decision_nobody_may_see_is_404_every_time_nothing_kept(client_for, users, stored):
    client = client_for("secretary")
    for _ in range(2):
        assert client.get(reverse("governance:action-create") + "?decision=999999").status_code == 404
    assert not _forms_kept(stored)


def test_a_sensitive_record_marks_its_forms_hit_or_miss(client_for, meeting, decision, action):
    meeting.marking = Marking.OFFICIAL_SENSITIVE
    meeting.save()
    meeting.board.marking = Marking.OFFICIAL_SENSITIVE
    meeting.board.save()
    action.marking = Marking.OFFICIAL_SENSITIVE
    action.save()
    client = client_for("secretary")
    for url in (
        _update(action),
        _board_edit(meeting.board),
        _meeting_edit(meeting),
        _decide(meeting),
        _upload(meeting),
    ):
        for _ in range(2):
            html = _page(client.get(url))
            assert "app-marking--sensitive" in html and "OFFICIAL-SENSITIVE" in html, url


def test_raising_an_action_from_a_sensitive_decision_carries_its_marking_hit_or_miss(client_for, decision):
    """The page quotes the decision's text: it is marked as the decision is, on every view (it was not)."""
    decision.marking = Marking.OFFICIAL_SENSITIVE
    decision.save()
    client = client_for("secretary")
    url = reverse("governance:action-create") + f"?decision={decision.pk}"
    for _ in range(2):
        html = _page(client.get(url))
        assert html.count("app-marking--sensitive") == 2  # the banners at the top and the bottom
