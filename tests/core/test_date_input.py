"""Dates are typed into the GOV.UK date input (day, month, year), never the browser's locale picker (issue 13
item 6): the boxes are read GOV.UK style, a plain ISO date (drill-down links, filters) still works and fills
the boxes, errors mark the boxes at fault and the summary links to the first, and no page draws a picker."""

import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mshtgov.forms import PLANNED_DATES, DateInput, GovukForm, GovukFormMixin
from tests.core.test_fuzz_forms import SKIP_URL_NAMES, _module_world, _submit, _targets, forms_on
from tests.core.test_personal_data_screen import _project_form_classes
from tests.governance.factories import ActionFactory
from tests.matrix import ALL_ROLES

LONDON = ZoneInfo("Europe/London")
TRAVEL = time_machine.travel(datetime(2026, 12, 1, 9, 30, tzinfo=LONDON), tick=False)


class _Form(GovukForm):
    personal_data_exempt_reason = "A test form: stores nothing."
    date_ranges = {"due_date": PLANNED_DATES}

    due_date = forms.DateField(label="Due date", widget=DateInput)
    seen_on = forms.DateField(label="Date seen", required=False)  # no widget named: it gets the date input


def _boxes(day="", month="", year="", name="due_date"):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


@TRAVEL
@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("27", "3", "2027", date(2027, 3, 27)),
        (" 1 ", " 3 ", " 2027 ", date(2027, 3, 1)),  # spaces around, single digits
        ("01", "03", "2027", date(2027, 3, 1)),
        ("1", "March", "2027", date(2027, 3, 1)),
        ("1", "mar", "2027", date(2027, 3, 1)),
        ("1", "Sept", "2027", date(2027, 9, 1)),
        ("29", "2", "2028", date(2028, 2, 29)),
    ],
)
def test_the_three_boxes_are_read_as_people_type_them(day, month, year, expected):
    form = _Form(_boxes(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == expected


@TRAVEL
@pytest.mark.parametrize(
    ("day", "month", "year", "message", "at_fault"),
    [
        ("", "", "", "Enter the due date", ["day", "month", "year"]),
        ("27", "", "2027", "Due date must include a month", ["month"]),
        ("", "", "2027", "Due date must include a day and month", ["day", "month"]),
        ("27", "3", "", "Due date must include a year", ["year"]),
        ("31", "4", "2027", "Due date must be a real date", ["day"]),
        ("29", "2", "2027", "Due date must be a real date", ["day"]),
        ("27", "13", "2027", "Due date must be a real date", ["month"]),
        ("27", "Ma", "2027", "Due date must be a real date", ["month"]),  # March or May?
        ("x", "3", "2027", "Due date must be a real date", ["day"]),
        ("１", "3", "2027", "Due date must be a real date", ["day"]),  # a full-width digit
        ("27", "3", "27", "Due date must include a year with 4 numbers, for example 2027", ["year"]),
        ("27", "3", "1999", "Due date must be between 1 January 2000 and 1 December 2036", ["day", "month", "year"]),
        ("27", "3", "9999", "Due date must be between 1 January 2000 and 1 December 2036", ["day", "month", "year"]),
        ("9" * 5000, "3", "2027", "Due date must be a real date", ["day"]),
    ],
)
def test_a_date_that_cannot_be_used_is_refused_govuk_style_marking_the_boxes_at_fault(
    day, month, year, message, at_fault
):
    form = _Form(_boxes(day, month, year))
    assert not form.is_valid()
    assert form.errors["due_date"] == [message]
    assert form.error_summary_items()[0] == (message, f"id_due_date-{at_fault[0]}")
    html = form["due_date"].as_field_group()
    marked = re.findall(r'id="id_due_date-(\w+)"[^>]*aria-invalid', html)
    assert marked == at_fault
    assert [p for p in ("day", "month", "year") if f'govuk-input--error" id="id_due_date-{p}"' in html] == at_fault
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert "govuk-form-group--error" in html and 'aria-describedby="id_due_date-hint id_due_date-error"' in html


@TRAVEL
def test_a_plain_iso_date_still_works_and_fills_the_boxes_when_the_page_is_redrawn():
    form = _Form({"due_date": "2027-03-01", "seen_on": "2026-02-30"})
    assert not form.is_valid()
    assert "due_date" not in form.errors
    assert form.errors["seen_on"] == ["Date seen must be a real date"]
    html = form.as_div()
    assert re.search(r'name="due_date-day" type="text" inputmode="numeric" value="1"', html)
    assert re.search(r'name="due_date-month" type="text" inputmode="numeric" value="3"', html)
    assert re.search(r'name="due_date-year" type="text" inputmode="numeric" value="2027"', html)
    assert form.error_summary_items() == [("Date seen must be a real date", "id_seen_on-day")]
    # The boxes win over a plain value sent with them.
    both = _Form({"due_date": "2027-03-01", **_boxes("2", "4", "2027")})
    assert both.is_valid() and both.cleaned_data["due_date"] == date(2027, 4, 2)


@TRAVEL
def test_the_date_input_is_the_govuk_component():
    field = _Form()["due_date"]
    html = field.as_field_group()
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_due_date-hint">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Due date</legend>' in html
    assert '<div id="id_due_date-hint" class="govuk-hint">For example, 27 3 2027</div>' in html
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert (
            f'<label class="govuk-label govuk-date-input__label" for="id_due_date-{part}">{part.title()}</label>'
            in html
        )
        assert re.search(
            rf'<input class="govuk-input govuk-date-input__input govuk-input--width-{width}" id="id_due_date-{part}" '
            rf'name="due_date-{part}" type="text" inputmode="numeric" value=""',
            html,
        )
    assert 'type="date"' not in html and "required" not in html
    optional = _Form()["seen_on"].as_field_group()
    assert "Date seen (optional)</legend>" in optional
    assert "For example, 27 3 2025" in optional  # something that happened: an example in the past


class _Meeting(GovukForm):
    personal_data_exempt_reason = "A test form: stores nothing."

    starts_at = forms.DateTimeField(label="Date and time")


def _when(day="", month="", year="", clock=""):
    return {**_boxes(day, month, year, name="starts_at"), "starts_at-time": clock}


@TRAVEL
@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (_when("1", "3", "2026", "14:30"), datetime(2026, 3, 1, 14, 30, tzinfo=LONDON)),
        (_when("1", "July", "2026", " 2:30pm "), datetime(2026, 7, 1, 14, 30, tzinfo=LONDON)),
        (_when("1", "7", "2026", "9.05"), datetime(2026, 7, 1, 9, 5, tzinfo=LONDON)),
        (_when("1", "7", "2026", "12am"), datetime(2026, 7, 1, 0, 0, tzinfo=LONDON)),
        ({"starts_at": "2026-07-01T14:30"}, datetime(2026, 7, 1, 14, 30, tzinfo=LONDON)),
        ({"starts_at": "2026-07-01 14:30:00"}, datetime(2026, 7, 1, 14, 30, tzinfo=LONDON)),
    ],
)
def test_a_date_and_time_has_a_fourth_box_for_the_time(sent, expected):
    form = _Meeting(sent)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == expected


@TRAVEL
@pytest.mark.parametrize(
    ("sent", "message", "first_at_fault"),
    [
        (_when("1", "3", "2026", ""), "Date and time must include a time", "time"),
        (_when("", "3", "2026", ""), "Date and time must include a day and time", "day"),
        (
            _when("1", "3", "2026", "25:00"),
            "Date and time must include a real time, for example 14:30 or 2:30pm",
            "time",
        ),
        (_when("1", "3", "2026", "14"), "Date and time must include a real time, for example 14:30 or 2:30pm", "time"),
        (
            _when("29", "3", "2026", "1:30"),
            "Date and time is in the hour when the clocks change: enter a time before 1am or after 2am",
            "day",
        ),
        ({"starts_at": "2026-07-01"}, "Date and time must include a time", "time"),
    ],
)
def test_a_time_that_cannot_be_used_is_refused_beside_the_field(sent, message, first_at_fault):
    form = _Meeting(sent)
    assert not form.is_valid()
    assert form.error_summary_items() == [(message, f"id_starts_at-{first_at_fault}")]


@TRAVEL
def test_a_meeting_time_is_drawn_in_london_time_in_four_boxes():
    html = _Meeting(initial={"starts_at": datetime(2026, 7, 1, 13, 30, tzinfo=ZoneInfo("UTC"))}).as_div()
    values = dict(re.findall(r'name="starts_at-(\w+)" type="text"(?: inputmode="numeric")? value="([^"]*)"', html))
    assert values == {"day": "1", "month": "7", "year": "2026", "time": "14:30"}
    assert 'type="datetime-local"' not in html


def test_every_date_field_of_every_project_form_gets_the_date_input():
    """Model forms give a date model field Django's text box, and a form may declare a DateField without a
    widget: `GovukFormMixin` gives each the date input, so every form with a date must be one."""
    with_dates = []
    for cls in _project_form_classes():
        dates = [
            name
            for name, field in cls.base_fields.items()
            if isinstance(field, forms.DateField | forms.DateTimeField)
            and not isinstance(field.widget, forms.HiddenInput)
        ]
        if dates:
            with_dates.append(cls)
            assert issubclass(cls, GovukFormMixin), f"{cls.__qualname__} has dates {dates} but is not a GOV.UK form"
    assert len(with_dates) >= 25, [c.__qualname__ for c in with_dates]


@pytest.mark.django_db
def test_an_action_edited_through_the_boxes_keeps_its_history_and_lost_update_check(users):
    action = ActionFactory(title="Map supply routes", owner=users["analyst"])
    client = Client()
    client.force_login(users["leader"])
    url = reverse("governance:action-edit", args=[action.pk])
    page = client.get(url).content.decode()
    form = next(f for f in forms_on(page) if "seen_version" in f.fields)
    sent = {f.name: f.value for f in form.fields.values() if f.kind != "checkbox" or f.value}
    shown = action.due_date
    assert (sent["due_date-day"], sent["due_date-month"], sent["due_date-year"]) == (
        str(shown.day),
        str(shown.month),
        str(shown.year),
    )
    new_due = timezone.localdate() + timedelta(days=60)
    changed = {**sent, **_boxes(str(new_due.day), f" {new_due:%B} ", str(new_due.year)), "change_reason": "Later"}
    assert client.post(url, changed).status_code == 302
    action.refresh_from_db()
    assert action.due_date == new_due
    latest = action.history.first()
    assert latest.history_change_reason == "Later" and latest.history_user == users["leader"]
    assert latest.prev_record.due_date == shown
    # The same form sent again carries the version seen before this save: refused, not overwritten.
    clash = client.post(url, {**sent, "change_reason": "Stale"})
    assert clash.status_code == 200 and "after you opened it" in clash.content.decode()
    action.refresh_from_db()
    assert action.due_date == new_due


PICKER_TYPES = {"date", "datetime-local", "month", "week", "time"}


class _Pickers(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").lower()
        if tag == "input" and kind in PICKER_TYPES:
            self.found.append(f'{dict(attrs).get("name")} (type="{kind}")')


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_page_draws_the_browsers_date_picker(role, users):
    """Every named URL (as the role matrix and the form fuzz find them), opened as every role."""
    from django.db import transaction

    client = Client(raise_request_exception=False)
    client.force_login(users[role])
    pickers, pages_with_dates, opened = [], 0, 0
    for module, rows in _targets():
        with transaction.atomic():
            world = _module_world(users, module)
            for name, row in rows:
                if row.method == "post" or row.expected[role] != 200 or name in SKIP_URL_NAMES:
                    continue
                url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
                page = _submit(client, "get", url + (f"?{row.query}" if row.query else ""), {})
                if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                    continue
                opened += 1
                body = page.content.decode()
                parser = _Pickers()
                parser.feed(body)
                pickers += [f"{url}: {p}" for p in parser.found]
                pages_with_dates += 'class="govuk-date-input"' in body
            transaction.set_rollback(True)
    assert opened > 10, opened
    if role != "partner":  # partners edit no dated record
        assert pages_with_dates > 0
    assert not pickers, "Pages drawing the browser's date picker:\n" + "\n".join(pickers)


@TRAVEL
@pytest.mark.django_db
def test_a_filter_sent_as_boxes_is_logged_as_one_date_and_an_unreadable_one_as_typed():
    from learning.forms.lessons import LessonFilterForm
    from mshtgov.audit import hashed_term, loggable_filters

    boxes = {"observed_from-day": " 1", "observed_from-month": "March", "observed_from-year": "2026"}
    form = LessonFilterForm(boxes)
    assert form.is_valid(), form.errors
    assert loggable_filters(form) == {"observed_from": "2026-03-01"}
    unreadable = LessonFilterForm({**boxes, "observed_from-day": "31", "observed_from-month": "Feb"})
    assert not unreadable.is_valid()
    assert loggable_filters(unreadable) == {"observed_from": hashed_term("31/Feb/2026")}
