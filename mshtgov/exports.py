"""The one exporter: a list as a CSV or Excel file, marked, safe to open in a spreadsheet, and logged.

Every app's export view authorises the request, builds its rows from a `visible_to(user)` queryset and
calls `export_response(...)` once; this module does the rest, the same way for every export:

- the protective marking label is the first row (and, in Excel, the printed header and footer), and the
  download's file name carries it, so a file saved to disk still says how to handle it;
- every text cell is neutralised against spreadsheet formula injection (docs/SECURITY.md IN-10): a cell
  that a spreadsheet program would read as a formula or a command (=, +, -, @, tab or carriage return,
  or their full-width forms, even after leading spaces) is written with a leading apostrophe, so it is
  shown as the text it is. The same text goes into CSV and Excel, so a file re-saved from one as the
  other stays safe;
- the export is written to the access log as a disclosure, with the filters that chose its rows in one
  shape, `detail["filters"]`, through `mshtgov.audit.loggable_filters`: typed words only as a salted hash
  and length, choices, dates and ids as they are (pass the bound filter form when there is one).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl import Workbook

from mshtgov.audit import log_access, loggable_filters
from mshtgov.marking import Marking, highest
from mshtgov.models import AccessAction

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# Characters that make a spreadsheet evaluate a cell: formula starts, DDE (`=cmd|...`, `@SUM`), and the
# tab / carriage return that some programs skip before reading the formula. The full-width forms are
# folded to ASCII by spreadsheet programs set up for East Asian input, so they are refused too.
FORMULA_STARTS = frozenset("=+-@\t\r\n" + "\uff1d\uff0b\uff0d\uff20")

# Excel sheet titles: at most 31 characters, none of these.
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def safe_text(value) -> str:
    """`value` as text a spreadsheet shows and never runs: a leading apostrophe when it would be a formula."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS:
        return f"'{text}"
    return text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _naive(value: datetime) -> datetime:
    """Local wall-clock time: what a reader expects to see, and all Excel can hold (it has no time zones)."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _csv_cell(value) -> str:
    if _is_number(value):
        return str(value)  # a number is data, never a formula, even when negative
    if isinstance(value, datetime):
        return _naive(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return safe_text(value)


def _xlsx_cell(value):
    # Numbers and dates keep their type so the spreadsheet sorts and sums them.
    if _is_number(value):
        return value
    if isinstance(value, datetime):
        return _naive(value)
    if isinstance(value, date):
        return value
    return _csv_cell(value)


def _csv_bytes(label: str, headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label])
    writer.writerow([safe_text(h) for h in headers])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    # The byte-order mark makes Excel read the file as UTF-8 rather than the local code page.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(label: str, title: str, headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title.translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or "Export")
    for part in (sheet.HeaderFooter.oddHeader, sheet.HeaderFooter.oddFooter):
        part.center.text = label  # printed pages carry the marking at top and bottom
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.append([label])
    sheet.append([safe_text(h) for h in headers])
    for row in rows:
        # Text always goes in as text: openpyxl would otherwise store a string starting "=" as a live formula.
        sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_EXPORT_LINKS = (
    '\n<p class="govuk-body app-export-links">Download {what} as\n'
    '  <a class="govuk-link" href="{csv}" download>CSV<span class="govuk-visually-hidden"> ({what})</span></a> or\n'
    '  <a class="govuk-link" href="{xlsx}" download>Excel<span class="govuk-visually-hidden"> ({what})</span></a>.\n'
    "  The file carries the protective marking of what it holds, and the download is recorded in the access log."
    "</p>\n"
)


def export_links_html(request, export_url: str, what: str) -> str:
    """templates/includes/export_links.html written out in one pass, the same markup (issue 15: its two `{% url %}`
    and two query strings drawn through an include were a third of drawing a lesson search's content): the links
    to `export_url` (the export view's URL name, taking the format) in CSV and Excel, with the current filters but
    the page number, every value escaped as the template escaped it."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from mshtgov.templatetags.govuk import querystring_with

    query = querystring_with({"request": request}, page=None)
    return mark_safe(  # noqa: S308 - every value escaped
        _EXPORT_LINKS.format(
            what=escape(what),
            csv=escape(reverse(export_url, args=["csv"]) + query),
            xlsx=escape(reverse(export_url, args=["xlsx"]) + query),
        )
    )


def check_format(fmt: str) -> str:
    """`fmt` if the exporter writes it; otherwise 404 (a URL naming a format that does not exist)."""
    if fmt not in FORMATS:
        raise Http404("No export in that format.")
    return fmt


def export_filename(filename: str, marking: Marking, fmt: str) -> str:
    """e.g. `lessons-learned-OFFICIAL-SENSITIVE.xlsx`: the marking travels with the saved file."""
    return f"{slugify(filename) or 'export'}-{marking.label}.{fmt}"


def export_response(
    request,
    fmt: str,
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    marking,
    filters,
    object_type: str,
    ids: Iterable | None = None,
) -> HttpResponse:
    """The rows as a marked, formula-safe CSV or Excel download, written to the access log as a disclosure.

    Call it after the view has authorised the request and built `rows` from what the user may see.
    `fmt`: "csv" or "xlsx" (anything else is a 404). `marking`: the marking of what is exported, or an
    iterable of the markings of each exported record (the file carries the highest, never lower than
    the site default). `filters`: the bound filter form, or the filters by name (see `loggable_filters`).
    `ids`: the exported records' primary keys, for the log, when the export is of records.
    """
    check_format(fmt)
    rows = [list(row) for row in rows]
    markings = [marking] if isinstance(marking, str) or marking is None else list(marking)
    level = highest(*markings)
    detail = {"format": fmt, "filters": loggable_filters(filters), "marking": level.label, "rows": len(rows)}
    if ids is not None:
        detail["ids"] = list(ids)
    log_access(
        request,
        AccessAction.DISCLOSE,
        object_type=object_type,
        object_repr=f"{title} export: {len(rows)} rows ({fmt.upper()})",
        recipients=request.user.get_username(),
        detail=detail,
        marking=level.value,
    )
    if fmt == "csv":
        response = HttpResponse(_csv_bytes(level.label, headers, rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse(_xlsx_bytes(level.label, title, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, export_filename(filename, level, fmt))
    return response


def table_bytes(fmt: str, *, label: str, title: str, headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    """One table as the bytes of a CSV or Excel file, marked and formula-safe like every export: for files
    that go into a bundle rather than straight to the browser (the bundle as a whole is what is logged)."""
    check_format(fmt)
    if fmt == "csv":
        return _csv_bytes(label, headers, rows)
    return _xlsx_bytes(label, title, headers, rows)
