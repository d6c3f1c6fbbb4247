"""CSV and Excel files of a list, safe to open in a spreadsheet, with the marking as the first row.

A cell that starts with = + - @ tab or carriage return would be read as a formula by spreadsheet
programs (formula injection), so such a cell is written with a leading apostrophe.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(DANGEROUS_STARTS) else text


def _rows(marking_label: str, headers: list[str], rows) -> list[list[str]]:
    return [[marking_label], headers, *([safe_cell(v) for v in row] for row in rows)]


def csv_response(filename: str, marking_label: str, headers: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_rows(marking_label, headers, rows))
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, marking_label: str, headers: list[str], rows, *, title: str) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for row in _rows(marking_label, headers, rows):
        # Every value goes in as text: openpyxl would otherwise store "=..." as a live formula.
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
