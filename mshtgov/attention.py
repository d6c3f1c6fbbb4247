"""What needs the reader's attention now, and the headline figures against the previous period.

The dashboard opens with these, and the board pack's executive summary reuses them (`needs_attention`,
`headlines`). Apps contribute through their panels (`mshtgov.panels.Panel.attention` and `.headlines`):
each callable receives the user, the period and what the panel's `gather` returned, so a line costs no
query the panel did not already run, and a reader only sees lines of panels they may see.

Every line is a count (`mshtgov.figures.Figure`) linking to the filtered list that holds exactly those
records, so "3 measures are red" opens the three red measures. Lines with a count of 0 are left out. A
warning that is not a count (the PCC has not been briefed) links to the record to put right.
"""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from mshtgov.figures import Figure
from mshtgov.periods import Period

# Severity orders the list: what is late or failing first, then what is due, then what awaits someone.
URGENT = 10
DUE = 20
WAITING = 30


@dataclass(frozen=True)
class Attention:
    text: str  # what follows the number ("of your actions are overdue"), or the whole line for a warning
    figure: Figure | None = None  # the count; its url is the filtered list
    url: str = ""  # where a warning without a count leads (the record to put right)
    order: int = DUE
    mine: bool = False  # the reader's own records come first

    @property
    def href(self) -> str:
        return self.figure.url if self.figure is not None else self.url


@dataclass(frozen=True)
class Headline:
    figure: Figure  # the value in the period shown
    previous: Figure | None  # the same figure for the previous period (None: not known)
    higher_is_better: bool = True
    unit: str = ""  # "percentage points" for a percentage; "" for counts

    @property
    def change(self):
        if self.previous is None or self.previous.value is None or self.figure.value is None:
            return None
        return self.figure.value - self.previous.value

    @property
    def trend(self) -> str:
        """ "up", "down", "same" or "" (no previous figure)."""
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def verdict(self) -> str:
        """ "better", "worse", "same" or "": whether the move is good news, said in words (never colour alone)."""
        trend = self.trend
        if trend in ("", "same"):
            return trend
        return "better" if (trend == "up") == self.higher_is_better else "worse"

    @property
    def trend_text(self) -> str:
        """ "Up 4 from 12 in the previous period" in words, for readers and screen readers alike."""
        if not self.trend:
            return "No figure for the previous period"
        previous = self.previous.display
        if self.trend == "same":
            return f"Same as the previous period ({previous})"
        from mshtgov.figures import format_number

        amount = format_number(abs(self.change))
        if self.unit:
            amount = f"{amount} {self.unit}"
        return f"{'Up' if self.trend == 'up' else 'Down'} {amount} from {previous} in the previous period"


def previous_period(period: Period) -> Period:
    """The period just before `period`, of the same length: the 12 months before the last 12 months, the
    same months of the previous financial year, or for a range of days the same number of days before."""
    months = {"12m": 12, "24m": 24, "36m": 36}.get(period.key, 12 if period.key.startswith("fy") else 0)
    if months:
        start, end = period.start - relativedelta(months=months), period.end - relativedelta(months=months)
    else:
        days = (period.end - period.start).days + 1
        start, end = period.start - timedelta(days=days), period.start - timedelta(days=1)
    return Period(f"before-{period.key}", f"The period before ({start:%-d %b %Y} to {end:%-d %b %Y})", start, end)


def _gathered(user, period, gathered):
    from mshtgov import panels

    if gathered is None:
        gathered = [(panel, panel.gather(user, period)) for panel in panels.panels_for(user)]
    return gathered


def needs_attention(user, period: Period, gathered=None) -> list[Attention]:
    """Every non-zero attention line of the panels `user` may see, the reader's own first, then by order.
    `gathered`: [(panel, data)] already gathered for this user and period (the dashboard passes its own)."""
    items = []
    for panel, data in _gathered(user, period, gathered):
        if panel.attention is not None:
            items.extend(panel.attention(user, period, data))
    return in_order(items)


def in_order(items) -> list[Attention]:
    """The lines to show: counts of 0 left out, the reader's own first, then by order (stable)."""
    items = [item for item in items if item.figure is None or item.figure.value]
    return sorted(items, key=lambda item: (not item.mine, item.order))


def headlines(user, period: Period, gathered=None) -> list[Headline]:
    """The headline figures of the panels `user` may see, each with the previous period's figure."""
    previous = previous_period(period)
    found = []
    for panel, data in _gathered(user, period, gathered):
        if panel.headlines is not None:
            found.extend(panel.headlines(user, period, previous, data))
    return found
