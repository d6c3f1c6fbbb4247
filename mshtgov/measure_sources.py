"""Measures the app computes from its own records: registered by the app that holds the records.

Most performance measures (`strategy.Measure`) are typed in or imported by analysts. Some are counts the
app can make itself (training coverage from learning records, safeguarding notifications in time,
overdue ICTG reviews, overdue actions). Typing those would let two places disagree, so they are
*derived*: the app owning the records registers a `MeasureSource` under the `Measure.code` it feeds, and
strategy, which knows no other domain app, asks this registry. A derived measure refuses typed values
(form and CSV), shows where its figure comes from, and links each period's value to the filtered list
that proves it.

    from mshtgov import measure_sources

    measure_sources.register(measure_sources.MeasureSource(
        code="actions-overdue",                       # the Measure.code it feeds
        compute=overdue_on,                           # (start, end) -> Derived
        drilldown_url=lambda start, end: ...,         # the list whose count is the value
        description="Open actions past their due date on the period's last day, from the action log.",
        models=("governance.Action",),                # a change to these recomputes the values
    ))

Register in the owning app's `AppConfig.ready()`. Values are computed per period and cached with
`mshtgov.summaries.cached_summary` against `models`; a period that has not ended yet is also keyed by
today's date, because "overdue" and "in date" move with the calendar.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.utils import timezone


@dataclass(frozen=True)
class Derived:
    """One period's computed value and what it was computed from."""

    value: Decimal | None  # None: nothing to compute from (e.g. no incidents in the period)
    records: int  # how many records it was derived from: "derived from 14 records"
    base: int | None = None  # for a percentage, what it is a share of
    base_label: str = ""  # "incidents", "people who should hold a product"
    count: int | None = None  # the number of rows the drill-down lists (the value, for a count)

    @property
    def summary(self) -> str:
        noun = "record" if self.records == 1 else "records"
        text = f"Derived from {self.records} {noun}"
        if self.base is not None and self.base_label:
            text += f": a share of {self.base} {self.base_label}"
        return text + "."


@dataclass(frozen=True)
class MeasureSource:
    code: str
    compute: Callable[[date, date], Derived]
    drilldown_url: Callable[[date, date], str]
    description: str
    models: tuple[str, ...]  # "app_label.ModelName": a change to one recomputes the figures
    owner: str = ""  # the app that registered it, for the measure page ("Learning")
    # Optional: the values of many periods at once, [(start, end), ...] -> [Derived, ...] in order, each equal
    # to compute(start, end). A year of monthly values then costs one query instead of twelve.
    compute_many: Callable[[list[tuple[date, date]]], list[Derived]] | None = None
    # True when every period has a value or none has: a count (zero is a value), or a share of a base that
    # does not change with the period. A measure's latest value is then its latest period's, and the dashboard
    # card computes that period alone; otherwise (a share of something that may be nil in a period) the card
    # computes its whole window at once (`strategy.panels._card_rows`), so that its queries are the same
    # whether or not the latest period has a value.
    valued_alike: bool = False

    def model_classes(self) -> list:
        return list(_model_classes(tuple(self.models)))


@cache
def _model_classes(labels: tuple[str, ...]) -> tuple:
    """The models of `labels`, looked up once: every cached measure row asks for its source's models."""
    return tuple(apps.get_model(label) for label in labels)


_sources: dict[str, MeasureSource] = {}


def register(source: MeasureSource) -> None:
    _sources[source.code] = source


def get(code: str) -> MeasureSource | None:
    return _sources.get(code)


def all_sources() -> list[MeasureSource]:
    return sorted(_sources.values(), key=lambda s: s.code)


def is_derived(code: str) -> bool:
    return code in _sources


def _item(source: MeasureSource, start: date, end: date, today: date, compute: Callable) -> tuple:
    # A period still running depends on today as well as on the records.
    day = today.isoformat() if end >= today else "closed"
    return (
        f"measure-source:{source.code}:{start.isoformat()}:{end.isoformat()}:{day}",
        lambda: compute(source, start, end),
        source.model_classes(),
    )


def derived_value(code: str, start: date, end: date, *, today: date | None = None) -> Derived | None:
    """The value of derived measure `code` for start..end (inclusive), cached until its records change.
    None when no source is registered under `code`."""
    return derived_values([(code, start, end)], today=today)[0]


def derived_values(spans: list[tuple[str, date, date]], *, today: date | None = None) -> list[Derived | None]:
    """`derived_value` for each (code, start, end), in order, reading and filling the cache in one batch
    (`summaries.cached_summaries`): a year of monthly values of every derived measure costs three cache
    round trips, not three per value."""
    from mshtgov.summaries import cached_summaries

    today = today or timezone.localdate()
    wanted = [(i, _sources[code], start, end) for i, (code, start, end) in enumerate(spans) if code in _sources]
    values: list[Derived | None] = [None] * len(spans)
    together: dict[str, dict] = {}

    def compute(source: MeasureSource, start: date, end: date) -> Derived:
        """One value; a source that computes many at once does every span asked of it on its first miss."""
        if source.compute_many is None:
            return source.compute(start, end)
        if source.code not in together:
            mine = list(dict.fromkeys((s, e) for _i, other, s, e in wanted if other.code == source.code))
            together[source.code] = dict(zip(mine, source.compute_many(mine), strict=True))
        return together[source.code][(start, end)]

    found = cached_summaries([_item(source, start, end, today, compute) for _i, source, start, end in wanted])
    for (i, *_rest), (value, _as_of) in zip(wanted, found, strict=True):
        values[i] = value
    return values
