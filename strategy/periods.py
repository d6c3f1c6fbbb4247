"""Reporting periods of measure values: a calendar month or a calendar quarter."""

from datetime import date

from dateutil.relativedelta import relativedelta

from strategy.models.measures import Frequency


def period_end_for(start: date, frequency: str) -> date:
    months = 3 if frequency == Frequency.QUARTERLY else 1
    return start + relativedelta(months=months, days=-1)


def is_whole_period(start: date, end: date, frequency: str) -> bool:
    """A month starts on the 1st; a quarter starts on the 1st of January, April, July or October."""
    if start.day != 1:
        return False
    if frequency == Frequency.QUARTERLY and start.month not in (1, 4, 7, 10):
        return False
    return end == period_end_for(start, frequency)


def describe(frequency: str) -> str:
    if frequency == Frequency.QUARTERLY:
        return "a calendar quarter (1 January, 1 April, 1 July or 1 October to the end of the third month)"
    return "a calendar month (the 1st to the last day of the month)"
