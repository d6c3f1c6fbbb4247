"""The registers' filter forms (mshtgov.filters.FilterForm) are drawn in one pass (issue 12): selects, text and
hidden inputs and GOV.UK date inputs written out by mshtgov.forms.render_in_one_pass. The markup must be
exactly what the GOV.UK field templates draw, for a reader who has not filtered, one who has, and one whose
filters are wrong (errors beside the fields, boxes at fault marked)."""

import pytest

from learning.forms.lessons import LessonFilterForm
from operations.forms import DisruptionFilterForm, OperationFilterForm

pytestmark = pytest.mark.django_db

CASES = {
    "unbound": None,
    "empty": {},
    "filtered": {
        "q": 'Op "<b>" & co',
        "status": "concluded",
        "debrief_overdue": "no",
        "sort": "-priority",
        "opened_from": "2026-01-01",
        "live_on": "2026-02-03",
        "pip_min": "3",
        "review": "pending",
        "date_from-day": "3",
        "date_from-month": "mar",
        "date_from-year": "2025",
        "observed_from": "2025-01-01",
    },
    "errors": {
        "q": "x" * 300,
        "status": "nonsense",
        "opened_from-day": "31",
        "opened_from-month": "2",
        "opened_from-year": "2026",
        "opened_to-day": "1",
        "opened_to-year": "20",
        "pip_min": "9",
        "live_on": "not a date",
        "review": "x",
        "date_from-day": "x",
        "observed_from": "2026-05-01",
        "observed_to": "2026-01-01",
        "theme": "999999",
    },
    "to before from": {
        "opened_from": "2026-05-01",
        "opened_to": "2026-01-01",
        "date_from": "2026-05-01",
        "date_to": "2026-01-01",
        "unit": 'Unit "B" <&>',
    },
}


def _forms(data):
    return [
        OperationFilterForm(data, units=["Unit A", 'Unit "B" <&>']),
        DisruptionFilterForm(data),
        LessonFilterForm(data),
    ]


@pytest.mark.parametrize("data", list(CASES.values()), ids=list(CASES))
def test_filter_forms_read_as_the_field_templates_draw_them(data):
    for form in _forms(data):
        if data is not None:
            form.is_valid()
        one_pass = str(form)
        assert one_pass == form.render(template_name=form.template_name), type(form).__name__
        assert "{{" not in one_pass and "{%" not in one_pass


def test_what_was_typed_is_escaped_and_errors_are_shown():
    form = OperationFilterForm(CASES["filtered"], units=["Unit A"])
    form.is_valid()
    page = str(form)
    assert 'value="Op &quot;&lt;b&gt;&quot; &amp; co"' in page and "<b>" not in page
    assert '<input type="hidden" name="live_on" value="2026-02-03" id="id_live_on">' in page
    form = OperationFilterForm(CASES["errors"], units=["Unit A"])
    form.is_valid()
    page = str(form)
    assert 'id="id_opened_from-error"' in page and 'aria-invalid="true"' in page
    assert "govuk-input--error" in page and "govuk-form-group--error" in page
