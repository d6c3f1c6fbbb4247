"""Writes that never lose an update (issue 9): the version an editor saw is checked when the record is
written, under a row lock, for every audited form and for the attendance form. The second writer keeps
their input and is told who saved and when."""

import contextlib
import re
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.forms import ActionForm, AttendanceForm
from governance.models import Action, Attendance, AttendanceStatus, BoardKind, Meeting, MeetingStatus
from mshtgov.tracking import EditConflict, save_form
from tests.core.test_fuzz_forms import forms_on
from tests.governance.factories import ActionFactory, BoardFactory, MeetingFactory, at

ON_SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]


@pytest.fixture
def board(users):
    board = BoardFactory(name="Strategic board", kind=BoardKind.STRATEGIC, secretary=users["secretary"])
    board.chair = users["leader"]
    board.save()
    board.members.set([users["analyst"], users["pcc"]])
    return board


def _opened(client, url) -> dict:
    """The form as the page shows it: what a browser would send back unchanged."""
    page = client.get(url)
    assert page.status_code == 200
    form = next(f for f in forms_on(page.content.decode()) if "seen_version" in f.fields)
    return {f.name: f.value for f in form.fields.values() if f.kind != "checkbox" or f.value}


def _yesterday():
    """Attendance is recorded once a meeting has taken place."""
    return at(timezone.localdate() - timedelta(days=1))


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_form_checked_before_someone_else_saved_is_refused_when_it_writes(users):
    """The race the clean() check alone misses: both editors pass validation, then both write."""
    action = ActionFactory(title="Map supply routes", owner=users["analyst"])
    first = ActionForm(_form_data(action, title="First"), instance=Action.objects.get(pk=action.pk))
    second = ActionForm(_form_data(action, title="Second"), instance=Action.objects.get(pk=action.pk))
    assert first.is_valid() and second.is_valid(), (first.errors, second.errors)
    save_form(first, by=users["secretary"])
    with pytest.raises(EditConflict) as refused:
        save_form(second, by=users["leader"])
    assert "saved this record at" in refused.value.messages[0]
    assert Action.objects.get(pk=action.pk).title == "First"


def _form_data(action, **changes) -> dict:
    form = ActionForm(instance=action)
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["due_date"] = action.due_date.isoformat()
    data["change_reason"] = "Test"
    return {**data, **changes}


@pytest.mark.django_db
def test_the_second_editor_of_an_action_keeps_their_input_and_is_told_who_saved(users, board):
    action = ActionFactory(title="Map supply routes", owner=users["analyst"], board=board)
    url = reverse("governance:action-edit", args=[action.pk])
    secretary, leader = _signed_in(users["secretary"]), _signed_in(users["leader"])
    mine, theirs = _opened(secretary, url), _opened(leader, url)
    assert secretary.post(url, {**mine, "title": "Secretary's title", "change_reason": "Tidy"}).status_code == 302
    clash = leader.post(url, {**theirs, "title": "Leader's title", "change_reason": "Sharper"})
    assert clash.status_code == 200
    body = clash.content.decode()
    assert "after you opened it" in body and users["secretary"].get_full_name() in body
    assert "Leader&#x27;s title" in body  # their input is still on the form
    assert Action.objects.get(pk=action.pk).title == "Secretary's title"
    # Told, they may save again: the form now carries the version they have been shown.
    again = re.search(r'name="seen_version" value="([^"]+)"', body).group(1)
    retry = leader.post(url, {**theirs, "seen_version": again, "title": "Leader's title", "change_reason": "Sharper"})
    assert retry.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Leader's title"


@pytest.mark.django_db
def test_the_second_secretary_recording_attendance_is_told_not_silently_overwritten(users, board):
    meeting = MeetingFactory(board=board, status=MeetingStatus.HELD, starts_at=_yesterday())
    url = reverse("governance:meeting-attendance", args=[meeting.pk])
    Attendance.objects.create(meeting=meeting, person=users["pcc"], status=AttendanceStatus.APOLOGIES)
    secretary, leader = _signed_in(users["secretary"]), _signed_in(users["leader"])
    mine, theirs = _opened(secretary, url), _opened(leader, url)
    assert mine["seen_version"]  # something was recorded: the form carries its version
    saved = secretary.post(url, {**mine, "present": [users["analyst"].pk], "apologies": [users["pcc"].pk]})
    assert saved.status_code == 302
    clash = leader.post(url, {**theirs, "present": [users["pcc"].pk], "apologies": [], "other_attendees": "A. Guest"})
    assert clash.status_code == 200
    body = clash.content.decode()
    assert "after you opened it" in body and users["secretary"].get_full_name() in body
    assert "A. Guest" in body
    rows = {(a.person.username, a.status) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {("analyst", "present"), ("pcc", "apologies")}
    assert Meeting.objects.get(pk=meeting.pk).other_attendees == ""


def _race(posts, pause_in):
    """Send the posts at once, each held (inside `pause_in`, after validation, before writing) until all
    have got there: the moment two simultaneous saves overlap."""
    barrier = threading.Barrier(len(posts), timeout=20)
    original = pause_in[1]

    def held(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    results = [None] * len(posts)

    def run(i, client, url, data):
        try:
            results[i] = client.post(url, data).status_code
        finally:
            connection.close()

    with mock.patch.object(pause_in[0], "clean", held):
        threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    return sorted(results)


@pytest.mark.skipif(ON_SQLITE, reason="SQLite has no row locks or concurrent writers: run with PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_an_action_one_wins_one_is_told(users, board):
    action = ActionFactory(title="Map supply routes", owner=users["analyst"], board=board)
    url = reverse("governance:action-edit", args=[action.pk])
    secretary, leader = _signed_in(users["secretary"]), _signed_in(users["leader"])
    mine, theirs = _opened(secretary, url), _opened(leader, url)
    statuses = _race(
        [
            (secretary, url, {**mine, "title": "Secretary's title", "change_reason": "Tidy"}),
            (leader, url, {**theirs, "title": "Leader's title", "change_reason": "Sharper"}),
        ],
        pause_in=(ActionForm, ActionForm.clean),
    )
    assert statuses == [200, 302]  # one saved, one was told (not two saves, one lost)
    assert Action.objects.get(pk=action.pk).history.filter(history_type="~").count() == 1


@pytest.mark.skipif(ON_SQLITE, reason="SQLite has no row locks or concurrent writers: run with PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_attendance_saves_one_wins_one_is_told(users, board):
    meeting = MeetingFactory(
        board=board, status=MeetingStatus.HELD, starts_at=_yesterday(), other_attendees="A. Partner"
    )
    url = reverse("governance:meeting-attendance", args=[meeting.pk])
    secretary, leader = _signed_in(users["secretary"]), _signed_in(users["leader"])
    mine, theirs = _opened(secretary, url), _opened(leader, url)
    statuses = _race(
        [
            (secretary, url, {**mine, "present": [users["analyst"].pk], "other_attendees": "Secretary's list"}),
            (leader, url, {**theirs, "present": [users["pcc"].pk], "other_attendees": "Leader's list"}),
        ],
        pause_in=(AttendanceForm, AttendanceForm.clean),
    )
    assert statuses == [200, 302]
    meeting.refresh_from_db()
    present = set(Attendance.objects.filter(meeting=meeting).values_list("person__username", flat=True))
    # Whoever won, their whole save stands: not one person's list with the other's attendees.
    assert (present, meeting.other_attendees) in [({"analyst"}, "Secretary's list"), ({"pcc"}, "Leader's list")]


@pytest.mark.django_db
def test_minutes_written_after_the_editor_opened_them_are_not_overwritten_by_the_service(users, board):
    """The minutes service re-reads the meeting before writing: the version the editor saw goes with it,
    so when both secretaries passed validation, the second write is refused, not silently kept."""
    from governance.forms import MinutesForm
    from governance.services.meetings import meeting_record_minutes

    meeting = MeetingFactory(board=board, status=MeetingStatus.HELD, starts_at=_yesterday())
    opened = {}
    for who in ("first", "second"):
        instance = Meeting.objects.get(pk=meeting.pk)
        seen = MinutesForm(instance=instance)["seen_version"].value()
        form = MinutesForm(
            {"minutes": f"{who} draft", "change_reason": "Notes", "seen_version": seen}, instance=instance
        )
        assert form.is_valid(), form.errors
        opened[who] = form
    meeting_record_minutes(meeting=opened["first"].instance, minutes="first draft", by=users["secretary"], reason="r")
    with pytest.raises(EditConflict):
        meeting_record_minutes(
            meeting=opened["second"].instance, minutes="second draft", by=users["leader"], reason="r"
        )
    assert Meeting.objects.get(pk=meeting.pk).minutes == "first draft"
