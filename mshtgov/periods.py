"""Reporting periods used by the dashboard filter and the board pack."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: date
    end: date  # inclusive


def financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def period_choices(today: date) -> list[Period]:
    fy = financial_year_start(today)
    choices = [
        Period("12m", "Last 12 months", today - relativedelta(months=12) + relativedelta(days=1), today),
        Period("24m", "Last 24 months", today - relativedelta(months=24) + relativedelta(days=1), today),
        Period("36m", "Last 36 months", today - relativedelta(months=36) + relativedelta(days=1), today),
    ]
    for back in range(0, 3):
        start = fy - relativedelta(years=back)
        end = min(start + relativedelta(years=1, days=-1), today)
        choices.append(Period(f"fy{start.year}", f"Financial year {start.year} to {start.year + 1}", start, end))
    return choices


def parse_period(key: str | None, today: date) -> Period:
    choices = period_choices(today)
    return next((p for p in choices if p.key == key), choices[0])


def date_param(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def period_from_query(params, today: date) -> Period:
    """The period a page shows: `?start=YYYY-MM-DD&end=YYYY-MM-DD` (as a figure's drill-down link gives it,
    e.g. one month of a measure), else the `?period=` choice. An end after today is cut to today."""
    start, end = date_param(params.get("start")), date_param(params.get("end"))
    if start and end and start <= end:
        end = min(end, today)
        return Period("range", f"From {start:%-d %B %Y} to {end:%-d %B %Y}", start, end)
    return parse_period(params.get("period"), today)
