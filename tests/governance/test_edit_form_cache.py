"""Issue 15: a meeting's attendance form, and the forms that add an agenda item to a meeting or edit one, are
served from the reader's page cache before any input (`mshtgov.pages.cached_edit_page`). What a user would
check: the same form hit or miss, drawn once; a save shows at once; a partner is never shown another forum's
meeting or item (404 every time, nothing kept), nor may run their own forum's (403); a sensitive meeting marks the
page; a post with bad input names the field and saves nothing; a post runs live as before."""

import re

import pytest
from django.urls import reverse

from governance.models import AgendaItem, Attendance, BoardKind
from governance.services.agenda import agenda_item_save
from governance.services.meetings import attendance_version, meeting_record_attendance
from mshtgov.marking import Marking
from tests.governance.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    grant_forum,
    partner_group_for,
)
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


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
