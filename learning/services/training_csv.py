"""Reading a learning platform's CSV export of training completions, checking every row.

Pure parsing: no writes. The result names each problem by row and column so the person importing can
fix the file. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # about 150,000 rows of a typical export
MAX_ROWS = 200_000
MAX_STORED_ERRORS = 500
COLUMNS = ("staff_number", "role_group", "unit", "product", "completed_on")
_STAFF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,19}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EARLIEST = date(2000, 1, 1)


class ImportFileError(Exception):
    """The file as a whole cannot be read as a training export; the message says why."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    staff_number: str
    role_group_id: int
    unit_name: str
    product_id: int
    completed_on: date


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # rows with at least one problem (one row with three problems counts once)
    rows_total: int = 0
    error_rows: set = field(default_factory=set)

    def add_error(self, row: int, column: str, message: str) -> None:
        if row not in self.error_rows:
            self.error_rows.add(row)
            self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(RowError(row, column, message))


def decode_text(raw: bytes) -> str:
    """The file's text, or ImportFileError when it is not a text file."""
    if not raw.strip():
        raise ImportFileError("The file is empty.")
    if b"\x00" in raw[:65536]:
        raise ImportFileError("The file is not a CSV text file. Export the training records as CSV and try again.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows save CSV in Windows-1252.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError("The file is not a CSV text file (its characters cannot be read).") from exc
    if _CONTROL.search(text[:65536]):
        raise ImportFileError("The file is not a CSV text file. Export the training records as CSV and try again.")
    return text


def parse_date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _check_header(header: list[str] | None) -> dict[str, int]:
    if not header:
        raise ImportFileError(
            "The file has no header row. The first row must name the columns: " + ", ".join(COLUMNS) + "."
        )
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in COLUMNS if c not in names]
    extra = [h for h, n in zip(header, names, strict=True) if n not in COLUMNS and n]
    repeated = sorted({n for n in names if names.count(n) > 1 and n})
    problems = []
    if missing:
        problems.append("it has no column " + ", ".join(missing))
    if extra:
        # Exports can hold names and other personal data this service must not keep.
        problems.append("it has columns this service does not use: " + ", ".join(e.strip()[:40] for e in extra[:10]))
    if repeated:
        problems.append("it repeats the column " + ", ".join(repeated))
    if problems:
        raise ImportFileError(
            "The columns are wrong: "
            + "; ".join(problems)
            + ". The first row must be exactly: "
            + ", ".join(COLUMNS)
            + "."
        )
    return {c: names.index(c) for c in COLUMNS}


def parse_training_csv(raw: bytes, *, products: dict[str, int], role_groups: dict[str, int], today: date) -> ParsedFile:
    """Check every row. `products` and `role_groups` map lower-case codes and names to ids."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"The file is {len(raw) / 1048576:.0f} MB: the largest file you can import is "
            f"{MAX_IMPORT_BYTES // 1048576} MB. Split the export into smaller files."
        )
    text = decode_text(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        positions = _check_header(header)
        result = ParsedFile()
        seen: dict[tuple, int] = {}
        width = len(header)
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            result.rows_total += 1
            if result.rows_total > MAX_ROWS:
                raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
            if len(cells) != width:
                result.add_error(number, "", f"The row has {len(cells)} cells; the header has {width}.")
                continue
            _parse_row(result, number, cells, positions, products, role_groups, today, seen)
    except csv.Error as exc:
        raise ImportFileError(f"The file is not valid CSV: {exc}.") from exc
    if result.rows_total == 0:
        raise ImportFileError("The file has a header but no rows of training records.")
    return result


def _parse_row(result, number, cells, positions, products, role_groups, today, seen) -> None:
    value = {c: cells[i].strip() for c, i in positions.items()}
    problems = 0
    staff = value["staff_number"]
    if not staff:
        result.add_error(number, "staff_number", "Enter the staff number.")
        problems += 1
    elif not _STAFF.match(staff):
        result.add_error(number, "staff_number", "A staff number is up to 20 letters, digits or dashes.")
        problems += 1
    role_group_id = role_groups.get(value["role_group"].lower())
    if role_group_id is None:
        result.add_error(number, "role_group", f"“{value['role_group'][:60]}” is not a known role group.")
        problems += 1
    unit = " ".join(value["unit"].split())
    if not unit:
        result.add_error(number, "unit", "Enter the unit.")
        problems += 1
    elif len(unit) > 120:
        result.add_error(number, "unit", "A unit name is at most 120 characters.")
        problems += 1
    product_id = products.get(value["product"].lower())
    if product_id is None:
        result.add_error(number, "product", f"“{value['product'][:60]}” is not a product in the training catalogue.")
        problems += 1
    completed_on = parse_date(value["completed_on"])
    if completed_on is None:
        result.add_error(
            number, "completed_on", f"“{value['completed_on'][:20]}” is not a date: use YYYY-MM-DD or DD/MM/YYYY."
        )
        problems += 1
    elif completed_on > today:
        result.add_error(number, "completed_on", "The completion date is in the future.")
        problems += 1
    elif completed_on < _EARLIEST:
        result.add_error(number, "completed_on", "The completion date is before 2000.")
        problems += 1
    if problems:
        return
    key = (staff.upper(), product_id, completed_on)
    if key in seen:
        result.add_error(number, "", f"This row repeats row {seen[key]} (same staff number, product and date).")
        return
    seen[key] = number
    result.rows.append(ParsedRow(number, staff.upper(), role_group_id, unit, product_id, completed_on))
