"""CSV upload of measure values: check every row, show a preview, then land the whole file or nothing.

Columns (a header row is required, in any order): measure, period_start, period_end, value, note (optional).
Dates are YYYY-MM-DD. `measure` is the measure's code, e.g. nrm-referrals.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from mshtgov import measure_sources
from mshtgov.personal_data.screening import message_for, screen_text
from mshtgov.summaries import bump
from strategy.models import Measure, MeasureValue
from strategy.models.measures import derived_refusal
from strategy.periods import describe, is_whole_period

REQUIRED_COLUMNS = ("measure", "period_start", "period_end", "value")
OPTIONAL_COLUMNS = ("note",)
MAX_ROWS = 5000
MAX_BYTES = 1_000_000


@dataclass
class RowProblem:
    row: int  # 1 is the header; the first data row is 2, as a spreadsheet numbers it
    column: str
    message: str

    def __str__(self):
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    row: int
    measure: Measure
    period_start: date
    period_end: date
    value: Decimal
    note: str


@dataclass
class ImportCheck:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _date(text: str):
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def check_csv(text: str) -> ImportCheck:
    """Parse and validate every row against the measures and the values already recorded.

    Queries: one for the measures, one for the existing values of the measures named in the file."""
    result = ImportCheck()
    if len(text.encode()) > MAX_BYTES:
        result.problems.append(RowProblem(0, "", "The file is larger than 1 MB: split it into smaller files."))
        return result
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.problems.append(
            RowProblem(
                1,
                ", ".join(missing),
                "The header row must name the columns " + ", ".join(REQUIRED_COLUMNS) + " (note is optional).",
            )
        )
        return result
    unknown = [h for h in header if h and h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        result.problems.append(RowProblem(1, ", ".join(unknown), "Unknown column. Remove it or rename it."))
        return result
    reader.fieldnames = header
    raw_rows = list(reader)
    if not raw_rows:
        result.problems.append(RowProblem(2, "", "The file has a header but no rows."))
        return result
    if len(raw_rows) > MAX_ROWS:
        result.problems.append(RowProblem(0, "", f"The file has more than {MAX_ROWS} rows: split it."))
        return result

    measures = {m.code: m for m in Measure.objects.all()}
    today = timezone.localdate()
    seen: dict[tuple[int, date], int] = {}
    for number, raw in enumerate(raw_rows, start=2):
        problems = []
        code = (raw.get("measure") or "").strip()
        measure = measures.get(code)
        if not code:
            problems.append(RowProblem(number, "measure", "Enter the measure's code."))
        elif measure is None:
            problems.append(RowProblem(number, "measure", f"There is no measure with the code “{code[:60]}”."))
        elif measure_sources.is_derived(measure.code):
            problems.append(RowProblem(number, "measure", derived_refusal(measure)))
            measure = None
        start_text, end_text = (raw.get("period_start") or ""), (raw.get("period_end") or "")
        start, end = _date(start_text), _date(end_text)
        if start is None:
            problems.append(RowProblem(number, "period_start", f"“{start_text[:30]}” is not a date: use YYYY-MM-DD."))
        if end is None:
            problems.append(RowProblem(number, "period_end", f"“{end_text[:30]}” is not a date: use YYYY-MM-DD."))
        value_text = (raw.get("value") or "").strip()
        try:
            value = Decimal(value_text)
            if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
                raise InvalidOperation
        except InvalidOperation:
            value = None
            problems.append(RowProblem(number, "value", f"“{value_text[:30]}” is not a number of 0 or more."))
        if measure and start and end:
            if end < start:
                problems.append(RowProblem(number, "period_end", "The period ends before it starts."))
            elif start > today:
                problems.append(
                    RowProblem(number, "period_start", f"The period starting {start:%-d %B %Y} has not started yet.")
                )
            elif not is_whole_period(start, end, measure.frequency):
                problems.append(
                    RowProblem(
                        number,
                        "period_start",
                        f"{measure.code} is reported {measure.get_frequency_display().lower()}: "
                        f"the period must be {describe(measure.frequency)}.",
                    )
                )
            elif (measure.pk, start) in seen:
                problems.append(
                    RowProblem(
                        number,
                        "period_start",
                        f"Duplicate of row {seen[(measure.pk, start)]} (same measure and period).",
                    )
                )
            else:
                seen[(measure.pk, start)] = number
        # The note is free text like a form's: the same personal-data screen (mshtgov.personal_data).
        problems.extend(
            RowProblem(number, "note", message_for(finding)) for finding in screen_text(raw.get("note") or "")[:1]
        )
        if problems:
            result.problems.extend(problems)
        else:
            result.rows.append(ParsedRow(number, measure, start, end, value, (raw.get("note") or "").strip()[:500]))

    _check_existing(result)
    return result


def _check_existing(result: ImportCheck) -> None:
    """Refuse rows whose period overlaps a value already recorded (one query)."""
    if not result.rows:
        return
    first = min(r.period_start for r in result.rows)
    last = max(r.period_end for r in result.rows)
    existing = list(
        MeasureValue.objects.filter(
            measure__in={r.measure.pk for r in result.rows}, period_start__lte=last, period_end__gte=first
        ).values_list("measure_id", "period_start", "period_end")
    )
    kept = []
    for row in result.rows:
        clash = next(
            (e for e in existing if e[0] == row.measure.pk and e[1] <= row.period_end and e[2] >= row.period_start),
            None,
        )
        if clash:
            result.problems.append(
                RowProblem(
                    row.row,
                    "period_start",
                    f"{row.measure.code} already has a value for {clash[1]:%-d %B %Y} "
                    f"to {clash[2]:%-d %B %Y}: change it on the measure's page.",
                )
            )
        else:
            kept.append(row)
    result.rows = kept
    result.problems.sort(key=lambda p: p.row)


@transaction.atomic
def measure_values_import(*, text: str, by, filename: str = "") -> list[MeasureValue]:
    """Check again (the data may have changed since the preview) and land every row, or none."""
    checked = check_csv(text)
    if not checked.ok:
        raise ImportRefused(checked.problems)
    values = [
        MeasureValue(
            measure=r.measure,
            period_start=r.period_start,
            period_end=r.period_end,
            value=r.value,
            note=r.note,
            entered_by=by,
        )
        for r in checked.rows
    ]
    created = bulk_create_with_history(
        values,
        MeasureValue,
        default_user=by,
        default_change_reason=f"Imported from {filename[:100] or 'a CSV file'}",
    )
    bump(MeasureValue)
    return created


class ImportRefused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
