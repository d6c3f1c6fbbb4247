"""A figure shown to a reader, carrying the page that proves it.

Every number a panel shows (on the dashboard, in the board pack, in an email) is a `Figure`: its value,
what it counts, and `url`, the drill-down that proves it.

- A count (`kind="count"`) links to a list, filtered, whose result count (`data-result-count`, see
  `includes/result_count.html`) equals the value. "12 overdue" opens the 12 overdue actions.
- A percentage or a value that is not a count of records (a score, a measure value, a coverage rate)
  links to the page that shows the same figure under the same `key` (`{% figure_value %}`,
  `data-figure-key` / `data-figure-value`).
- A percentage says its base: `base` is the number it is a share of and `base_label` what that number
  counts ("of 22 requirements assessed").

`tests/core/test_figures_drill_down.py` walks every registered panel for every role, collects the
`Figure`s its `gather` returns (anywhere inside the dict, lists and dataclasses included), follows each
figure's `url` as that role and compares. A new panel is covered by returning `Figure`s; a panel that
shows no number sets `Panel(shows_figures=False)`.
"""

from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from urllib.parse import urlencode

COUNT = "count"
PERCENT = "percent"
VALUE = "value"


@dataclass(frozen=True)
class Figure:
    key: str  # stable name of the selector and its arguments, e.g. "actions.overdue" or "coverage:product-7"
    value: int | float | Decimal | None
    url: str = ""  # the drill-down; blank only where the reader may not open it (e.g. in a PDF)
    label: str = ""  # what it counts, for link text and tests: "overdue actions"
    kind: str = COUNT
    base: int | None = None  # for a percentage: the number it is a share of
    base_label: str = ""  # what the base counts: "requirements assessed"

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        if self.value is None:
            return "–"
        if self.kind == PERCENT:
            return f"{format_number(self.value)}%"
        return format_number(self.value)

    @property
    def comparable(self) -> str:
        """The value as written in `data-figure-value`, so two pages can be compared as text."""
        return "" if self.value is None else format_number(self.value)


def format_number(value) -> str:
    """12, 12.5, 78.1: no trailing zeros, no thousands separator (figures are compared as text)."""
    if isinstance(value, int):
        return str(value)
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_query(url: str, **params) -> str:
    """`url` with the given filters as its query string (values None or "" are left out)."""
    query = urlencode({k: v for k, v in params.items() if v is not None and v != ""})
    return f"{url}?{query}" if query else url


def collect(data) -> list[Figure]:
    """Every Figure inside `data` (dicts, lists, tuples and dataclasses, at any depth), in order."""
    found: list[Figure] = []
    seen: set[int] = set()

    def walk(item):
        if isinstance(item, Figure):
            found.append(item)
            return
        if id(item) in seen:
            return
        if isinstance(item, dict):
            seen.add(id(item))
            for value in item.values():
                walk(value)
        elif isinstance(item, list | tuple | set):
            seen.add(id(item))
            for value in item:
                walk(value)
        elif is_dataclass(item) and not isinstance(item, type):
            seen.add(id(item))
            for f in fields(item):
                walk(getattr(item, f.name))

    walk(data)
    return found
