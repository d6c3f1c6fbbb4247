"""Measure values by form and by CSV: whole periods only, no overlaps, RAG against target, and a CSV
file lands whole or not at all with every problem named by row and column."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from strategy.models import Measure, MeasureValue, Rag
from strategy.models.measures import rag_against_target
from strategy.services.measure_import import check_csv
from tests.strategy.factories import MeasureFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "target", "direction", "rag"),
    [
        (10, 10, "higher", Rag.GREEN),
        (9, 10, "higher", Rag.AMBER),
        (8, 10, "higher", Rag.RED),
        (10, 10, "lower", Rag.GREEN),
        (11, 10, "lower", Rag.AMBER),
        (12, 10, "lower", Rag.RED),
        (5, None, "higher", Rag.NOT_RATED),
    ],
)
def test_rag_against_target(value, target, direction, rag):
    assert rag_against_target(value, target, direction) == rag


def test_standard_measures_are_shipped():
    codes = set(Measure.objects.filter(standard=True).values_list("code", flat=True))
    assert {
        "msht-crimes",
        "nrm-referrals",
        "suspects-charged",
        "cps-charging",
        "nca-disruptions-major",
        "pnd-victims",
        "pnd-suspects",
        "pnd-operations",
        "pip2-led",
        "victims-supported-pre-nrm",
        "victims-supported-post-nrm",
        "ictg-referrals",
        "training-coverage",
    } <= codes


def test_analyst_adds_a_monthly_value_and_the_period_end_is_worked_out(client_for):
    measure = MeasureFactory(frequency="monthly")
    response = client_for("analyst").post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": "2026-02-01", "value": "12"}
    )
    assert response.status_code == 302
    value = MeasureValue.objects.get(measure=measure)
    assert value.period_end == date(2026, 2, 28)
    assert value.entered_by.username == "analyst"
    page = client_for("pcc").get(f"/strategy/measures/{measure.pk}/").content.decode()
    assert "February 2026" in page and "Green" in page


def test_overlapping_period_is_refused_next_to_the_field(client_for):
    measure = MeasureFactory(frequency="monthly")
    MeasureValueFactory(measure=measure, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), value=3)
    response = client_for("analyst").post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": "2026-01-01", "value": "7"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is already a value for" in body and "govuk-error-message" in body
    assert 'value="7"' in body
    assert MeasureValue.objects.get(measure=measure).value == 3


def test_a_quarterly_value_must_start_a_quarter(client_for):
    measure = MeasureFactory(frequency="quarterly")
    response = client_for("leader").post(
        f"/strategy/measures/{measure.pk}/values/new/", {"period_start": "2026-02-01", "value": "7"}
    )
    assert "the period must be a calendar quarter" in response.content.decode()
    assert not MeasureValue.objects.exists()


def _csv(*rows, header="measure,period_start,period_end,value,note"):
    return "\n".join([header, *rows]) + "\n"


def _upload(client, text, name="values.csv"):
    return client.post("/strategy/measures/upload/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def test_csv_preview_then_confirm_lands_every_row(client_for):
    measure = MeasureFactory(code="crimes", frequency="monthly", target=10)
    analyst = client_for("analyst")
    preview = _upload(analyst, _csv("crimes,2026-01-01,2026-01-31,11,", "crimes,2026-02-01,2026-02-28,9,late data"))
    body = preview.content.decode()
    assert "2 values will be saved" in body
    assert not MeasureValue.objects.exists()  # nothing lands at preview
    token = preview.context["token"]
    done = analyst.post("/strategy/measures/upload/confirm/", {"token": token})
    assert done.status_code == 302
    assert list(
        MeasureValue.objects.filter(measure=measure).order_by("period_start").values_list("value", flat=True)
    ) == [Decimal("11.00"), Decimal("9.00")]
    value = MeasureValue.objects.get(period_start=date(2026, 2, 1))
    assert value.history.first().history_change_reason == "Imported from values.csv"
    # The token is spent: a second confirmation saves nothing more.
    again = analyst.post("/strategy/measures/upload/confirm/", {"token": token}, follow=True)
    assert "expired or was already saved" in again.content.decode()
    assert MeasureValue.objects.count() == 2


def test_csv_with_any_bad_row_lands_nothing_and_names_row_and_column(client_for):
    MeasureFactory(code="crimes", frequency="monthly")
    text = _csv(
        "crimes,2026-01-01,2026-01-31,4,",
        "crimes,2026-13-01,2026-01-31,4,",  # row 3: bad date
        "nosuch,2026-01-01,2026-01-31,4,",  # row 4: unknown measure
        "crimes,2026-01-01,2026-01-31,5,",  # row 5: duplicate of row 2
        "crimes,2026-03-01,2026-03-31,lots,",  # row 6: not a number
    )
    response = _upload(client_for("analyst"), text)
    body = response.content.decode()
    assert "Row 3, column period_start: “2026-13-01” is not a date" in body
    assert "Row 4, column measure: There is no measure with the code “nosuch”" in body
    assert "Row 5, column period_start: Duplicate of row 2" in body
    assert "Row 6, column value:" in body
    assert "nothing has been saved" in body
    assert response.context["token"] == ""
    assert not MeasureValue.objects.exists()


def test_csv_row_overlapping_an_existing_value_is_refused():
    measure = MeasureFactory(code="crimes", frequency="monthly")
    MeasureValueFactory(measure=measure, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    checked = check_csv(_csv("crimes,2026-01-01,2026-01-31,4,", "crimes,2026-02-01,2026-02-28,4,"))
    assert [str(p) for p in checked.problems] == [
        "Row 2, column period_start: crimes already has a value for 1 January 2026 to 31 January 2026: "
        "change it on the measure's page."
    ]
    assert not checked.ok


def test_csv_note_with_personal_data_is_refused_like_a_form_field():
    MeasureFactory(code="crimes", frequency="monthly")
    checked = check_csv(
        _csv("crimes,2026-01-01,2026-01-31,4,Victim Jane Smith disclosed", "crimes,2026-02-01,2026-02-28,4,PIP2 led")
    )
    assert [(p.row, p.column) for p in checked.problems] == [(2, "note")]
    assert "Use the case reference, not a name" in str(checked.problems[0])
    assert not checked.ok


def test_csv_without_the_required_header_is_refused():
    checked = check_csv("code,start,value\nx,2026-01-01,3\n")
    assert checked.problems[0].row == 1
    assert "header row must name the columns" in checked.problems[0].message


def test_rows_that_changed_between_preview_and_confirm_are_refused_whole(client_for, users):
    measure = MeasureFactory(code="crimes", frequency="monthly")
    analyst = client_for("analyst")
    preview = _upload(analyst, _csv("crimes,2026-01-01,2026-01-31,4,", "crimes,2026-02-01,2026-02-28,4,"))
    # Someone else enters February by hand before the analyst confirms.
    MeasureValueFactory(
        measure=measure, period_start=date(2026, 2, 1), period_end=date(2026, 2, 28), entered_by=users["leader"]
    )
    response = analyst.post("/strategy/measures/upload/confirm/", {"token": preview.context["token"]})
    assert "Row 3, column period_start" in response.content.decode()
    assert MeasureValue.objects.count() == 1


def test_non_csv_file_is_refused_by_the_form(client_for):
    response = _upload(client_for("analyst"), "not,a,csv", name="values.xlsx")
    assert "The file must be a CSV file" in response.content.decode()


def test_pcc_liaison_cannot_upload(client_for):
    MeasureFactory(code="crimes")
    response = _upload(client_for("pcc"), _csv("crimes,2026-01-01,2026-01-31,4,"))
    assert response.status_code == 403
    assert not MeasureValue.objects.exists()
