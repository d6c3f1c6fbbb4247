"""No 500 from input (issue 9): control characters are refused once, in middleware, for every app; every
date field of every form has a sane range, with the GOV.UK message next to the field."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.contrib.auth import get_user_model

from governance.forms import ActionForm
from learning.forms.lessons import LessonFilterForm
from mshtgov.forms import EVENT_DATES, PLANNED_DATES, DateInput, GovukForm
from strategy.models import MeasureValue
from tests.strategy.factories import MeasureFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("leader", "/partnerships/"),
        ("leader", "/partnerships/agreements/"),
        ("coordinator", "/partnerships/organisations/"),
        ("admin", "/audit/access-log/"),
    ],
)
def test_a_nul_byte_in_a_filter_is_refused_not_a_500(client_for, role, url):
    client = client_for(role)
    assert client.get(url).status_code == 200  # the page itself works for this role
    response = client.get(url, {"q": "modern\x00slavery"})
    assert response.status_code == 400
    assert "could not read what was sent" in response.content.decode()


def test_control_characters_in_a_posted_field_or_name_are_refused_and_nothing_is_saved(client_for):
    measure = MeasureFactory(frequency="monthly")
    client = client_for("analyst")
    url = f"/strategy/measures/{measure.pk}/values/new/"
    assert client.post(url, {"period_start": "2026-02-01", "value": "12", "note": "from\x1b[31m"}).status_code == 400
    assert client.post(url, {"period_start": "2026-02-01", "value": "12", "no\x00te": "x"}).status_code == 400
    assert not MeasureValue.objects.filter(measure=measure).exists()


def test_tabs_and_line_breaks_are_not_control_characters_to_refuse(client_for):
    measure = MeasureFactory(frequency="monthly")
    response = client_for("analyst").post(
        f"/strategy/measures/{measure.pk}/values/new/",
        {"period_start": "2026-02-01", "value": "12", "note": "first line\r\n\tsecond line"},
    )
    assert response.status_code == 302
    assert MeasureValue.objects.get(measure=measure).note == "first line\r\n\tsecond line"


@pytest.mark.date_sensitive
def test_a_measure_value_dated_9999_gets_a_message_next_to_the_field_not_a_500(client_for):
    measure = MeasureFactory(frequency="monthly")
    response = client_for("analyst").post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": "9999-12-01", "value": "12"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_period_start-error"' in body
    assert "Period starts must be between 1 January 2000 and" in body
    assert "govuk-error-summary" in body
    assert not MeasureValue.objects.filter(measure=measure).exists()


class _Dates(GovukForm):
    date_ranges = {"due": PLANNED_DATES}

    happened = forms.DateField(label="date it happened", widget=DateInput)
    due = forms.DateField(label="Due by", widget=DateInput)
    at = forms.DateTimeField(label="Starts at")


@time_machine.travel(datetime(2026, 12, 1, 9, 30, tzinfo=LONDON), tick=False)
@pytest.mark.parametrize(
    ("happened", "due", "at", "errors"),
    [
        ("2026-12-01", "2036-12-01", "2027-12-01 10:00", set()),
        ("2000-01-01", "2000-01-01", "2000-01-01 00:00", set()),
        ("1999-12-31", "2026-12-01", "2026-12-01 10:00", {"happened"}),
        ("2027-12-02", "2036-12-02", "2027-12-02 10:00", {"happened", "due", "at"}),
        ("9999-12-31", "9999-12-31", "9999-12-31 23:59", {"happened", "due", "at"}),
    ],
)
def test_every_date_field_gets_a_range_and_a_form_may_widen_it_per_field(happened, due, at, errors):
    form = _Dates({"happened": happened, "due": due, "at": at})
    assert not form.is_valid() if errors else form.is_valid(), form.errors
    assert set(form.errors) == errors
    if "happened" in errors:
        assert form.errors["happened"] == ["Date it happened must be between 1 January 2000 and 1 December 2027"]
    if "due" in errors:
        assert form.errors["due"] == ["Due by must be between 1 January 2000 and 1 December 2036"]


@time_machine.travel(datetime(2026, 12, 1, 9, 30, tzinfo=LONDON), tick=False)
def test_the_range_is_checked_on_the_server_not_given_to_a_browser_picker():
    form = ActionForm()
    html = str(form["due_date"])
    assert 'type="date"' not in html and "min=" not in html and "max=" not in html
    assert 'name="due_date-day"' in html
    assert "For example, 27 3 2027" in form["due_date"].date_hint  # a planned date: next year's example
    filters = LessonFilterForm({"observed_from": "9999-12-31"})
    assert not filters.is_valid()
    assert filters.errors["observed_from"] == ["Observed from must be between 1 January 2000 and 1 December 2027"]


def test_the_ranges_are_sane():
    assert EVENT_DATES.bounds(date(2024, 2, 29)) == (date(2000, 1, 1), date(2025, 2, 28))
    assert PLANNED_DATES.bounds(date(2026, 6, 1))[1] == date(2036, 6, 1)


class _People(GovukForm):
    people = forms.ModelMultipleChoiceField(queryset=get_user_model().objects.all(), required=False)


@pytest.mark.parametrize("tampered", ["9" * 25, "1" * 5001, "-" + "9" * 25])
def test_an_id_too_big_for_the_database_is_an_invalid_choice_not_a_500(tampered):
    form = _People({"people": [tampered]})
    assert not form.is_valid()
    assert "people" in form.errors
