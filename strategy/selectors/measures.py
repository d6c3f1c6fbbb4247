"""Figures about performance measures: one definition of a measure's values, latest value and staleness,
used by the measure pages, the dashboard panel and the board pack.

A measure is *typed* (values entered or imported by analysts: `MeasureValue`) or *derived* (computed by
the app from its own records through `mshtgov.measure_sources`, one value per period, never stored).
Both give `Reading`-like rows with `period_start`, `period_end`, `period_label`, `value` and `rag`.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from mshtgov import measure_sources
from mshtgov.measure_sources import Derived
from strategy.models import Measure, MeasureValue, Rag
from strategy.models.measures import Frequency
from strategy.periods import period_end_for


def period_label(frequency: str, start: date, end: date) -> str:
    if frequency == Frequency.QUARTERLY:
        return f"{start:%b} to {end:%b %Y}"
    return f"{start:%B %Y}"


def period_start_containing(day: date, frequency: str) -> date:
    if frequency == Frequency.QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def last_complete_period(frequency: str, today: date) -> tuple[date, date]:
    """The most recent whole month or quarter that ended before today."""
    months = 3 if frequency == Frequency.QUARTERLY else 1
    start = period_start_containing(today, frequency) - relativedelta(months=months)
    return start, period_end_for(start, frequency)


@dataclass
class DerivedReading:
    """One period's value of a derived measure, computed from the records (to `end`, or to today while the
    period runs)."""

    measure: Measure
    period_start: date
    period_end: date
    computed_to: date
    derived: Derived
    url: str

    @property
    def value(self) -> Decimal | None:
        return self.derived.value

    @property
    def to_date(self) -> bool:
        return self.computed_to < self.period_end

    @property
    def period_label(self) -> str:
        label = period_label(self.measure.frequency, self.period_start, self.period_end)
        return f"{label} (to {self.computed_to:%-d %B})" if self.to_date else label

    @property
    def rag(self) -> str:
        return self.measure.rag_for(self.value)


class TypedReading(NamedTuple):
    """A typed value (`MeasureValue`) as a measure's row keeps it: its period, value and label."""

    period_start: date
    period_end: date
    value: Decimal
    period_label: str

    @classmethod
    def of(cls, measure: Measure, period_start: date, period_end: date, value: Decimal) -> "TypedReading":
        return cls(period_start, period_end, value, period_label(measure.frequency, period_start, period_end))


def _periods(measure: Measure, start: date, end: date, today: date) -> list[tuple[date, date, date]]:
    """(period start, period end, computed to) of each of the measure's periods starting in start..end; the
    period running today is computed to today."""
    last_day = min(end, today)
    months = 3 if measure.frequency == Frequency.QUARTERLY else 1
    period = period_start_containing(start, measure.frequency)
    if period < start:
        period += relativedelta(months=months)
    spans = []
    while period <= last_day:
        period_end = period_end_for(period, measure.frequency)
        spans.append((period, period_end, min(period_end, last_day)))
        period += relativedelta(months=months)
    return spans


def derived_series_many(
    wanted: list[tuple[Measure, date, date]], *, today: date | None = None, urls: bool = True
) -> list[list[DerivedReading]]:
    """`derived_series` for each (measure, start, end), with every value read from the cache in one batch
    (`measure_sources.derived_values`) rather than one round trip per period and measure. `urls=False`: the
    readings' drill-down links left empty (a caller that shows one reading links it itself: working out a
    link per period of every derived measure cost most of a measure list)."""
    today = today or timezone.localdate()
    plans = []
    for measure, start, end in wanted:
        source = measure_sources.get(measure.code)
        plans.append((measure, source, _periods(measure, start, end, today) if source else []))
    spans = [(measure.code, period, to) for measure, _source, periods in plans for period, _end, to in periods]
    values = iter(measure_sources.derived_values(spans, today=today))
    return [
        [
            DerivedReading(
                measure=measure,
                period_start=period,
                period_end=period_end,
                computed_to=to,
                derived=next(values),
                url=source.drilldown_url(period, to) if urls else "",
            )
            for period, period_end, to in periods
        ]
        for measure, source, periods in plans
    ]


def derived_series(measure: Measure, *, start: date, end: date, today: date | None = None) -> list[DerivedReading]:
    """A derived measure's value for each of its periods starting in start..end, oldest first. The period
    running today is computed to today. Cached per period by `mshtgov.measure_sources.derived_value`."""
    return derived_series_many([(measure, start, end)], today=today)[0]


def latest_with_value(readings):
    """The newest reading that has a value (a derived measure has none for a period with nothing to count)."""
    return next((r for r in reversed(readings) if r.value is not None), None)


def measure_figure_key(measure, period_start: date) -> str:
    """The key under which a measure's value for a period is shown, on the dashboard and its own page."""
    return f"measure:{measure.pk}:{period_start.isoformat()}"


def is_derived(measure: Measure) -> bool:
    return measure_sources.is_derived(measure.code)


def measure_series(measures, *, start, end, today: date | None = None) -> dict[int, list]:
    """{measure id: its values in start..end, oldest first}. Typed values in one query for any number of
    measures; derived ones from their source, period by period (cached)."""
    series = defaultdict(list)
    typed = [m for m in measures if not is_derived(m)]
    values = (
        MeasureValue.objects.filter(measure__in=typed, period_start__gte=start, period_end__lte=end)
        .select_related("measure")
        .order_by("period_start")
    )
    for value in values:
        series[value.measure_id].append(value)
    derived = [m for m in measures if is_derived(m)]
    for measure, readings in zip(
        derived, derived_series_many([(m, start, end) for m in derived], today=today), strict=True
    ):
        series[measure.pk] = readings
    return series


@dataclass
class MeasureStatus:
    """Where a measure stands: its latest value, RAG, and whether its last complete period is missing."""

    measure: Measure
    latest: object  # MeasureValue | DerivedReading | None
    stale_period: str  # "November 2026" when the last complete period has no value; "" otherwise

    @property
    def rag(self) -> str:
        return self.measure.rag_for(self.latest.value) if self.latest is not None else Rag.NOT_RATED

    @property
    def stale(self) -> bool:
        return bool(self.stale_period)

    @property
    def derived(self) -> bool:
        return is_derived(self.measure)


def stale_period(measure: Measure, latest_start: date | None, today: date) -> str:
    """The label of the last complete period when `measure` (typed, active) has no value for it, else "".
    A derived measure is never stale: it is computed whenever it is read."""
    if not measure.active or is_derived(measure):
        return ""
    start, end = last_complete_period(measure.frequency, today)
    if latest_start is not None and latest_start >= start:
        return ""
    return period_label(measure.frequency, start, end)


def measure_statuses(measures, today: date | None = None, *, typed_query: bool = False) -> dict[int, MeasureStatus]:
    """{measure id: MeasureStatus} with each measure's latest value ever: one query for every typed
    measure (`typed_query`: run even when there is none, so a list costs the same whatever it shows);
    derived ones computed for the period running today (cached)."""
    today = today or timezone.localdate()
    measures = list(measures)
    typed = [m.pk for m in measures if not is_derived(m)] or ([0] if typed_query else [])  # no measure's id is 0
    latest = {value.measure_id: value for value in _latest_typed(typed)}
    # A derived measure's latest: the newest period with something to count, looking back a year at most.
    derived = [m for m in measures if is_derived(m)]
    series = derived_series_many(
        [(m, period_start_containing(today - relativedelta(years=1), m.frequency), today) for m in derived],
        today=today,
        urls=False,
    )
    latest_derived = {m.pk: _linked(latest_with_value(readings)) for m, readings in zip(derived, series, strict=True)}
    out = {}
    for measure in measures:
        if is_derived(measure):
            reading = latest_derived[measure.pk]
        else:
            reading = latest.get(measure.pk)
            if reading is not None:
                reading.measure = measure
        out[measure.pk] = MeasureStatus(
            measure, reading, stale_period(measure, reading.period_start if reading else None, today)
        )
    return out


def _linked(reading: DerivedReading | None) -> DerivedReading | None:
    """The reading with its drill-down link (the list of the records it counts)."""
    if reading is not None:
        reading.url = measure_sources.get(reading.measure.code).drilldown_url(reading.period_start, reading.computed_to)
    return reading


def listed_statuses(measures, today: date | None = None) -> dict[int, MeasureStatus]:
    """`measure_statuses` of a list page's measures, at a cost that does not depend on which measures the page
    shows (issue 15: query counts constant): every derived measure's status is worked out with them, whether
    it is on the page or not (one query for the derived measures, then their sources as always), so a page
    of typed measures costs what a page holding derived ones does. Only the page's measures are returned."""
    measures = list(measures)
    shown = {m.pk for m in measures}
    codes = [source.code for source in measure_sources.all_sources()]
    others = [m for m in Measure.objects.filter(code__in=codes).order_by("pk") if m.pk not in shown]
    statuses = measure_statuses([*measures, *others], today, typed_query=True)
    return {pk: status for pk, status in statuses.items() if pk in shown}


def typed_page_values(measure: Measure, since: date, today: date) -> tuple[list, MeasureStatus]:
    """A typed measure's values from `since`, oldest first, with who entered them, and its status (latest
    value ever, staleness): one query, the latest value read with the others even when it is older."""
    from django.db.models import OuterRef, Q, Subquery

    newest = MeasureValue.objects.filter(measure=OuterRef("measure")).order_by("-period_start").values("pk")[:1]
    found = list(
        measure.values.filter(Q(period_start__gte=since) | Q(pk=Subquery(newest)))
        .select_related("entered_by")
        .order_by("period_start")
    )
    latest = found[-1] if found else None
    if latest is not None:
        latest.measure = measure
    status = MeasureStatus(measure, latest, stale_period(measure, latest.period_start if latest else None, today))
    return [v for v in found if v.period_start >= since], status


def _latest_typed(measure_ids):
    """Each measure's latest typed value, in one query."""
    from django.db.models import OuterRef, Subquery

    newest = MeasureValue.objects.filter(measure=OuterRef("measure")).order_by("-period_start").values("pk")[:1]
    return MeasureValue.objects.filter(measure__in=measure_ids, pk=Subquery(newest))


def last_typed_starts(measure_ids) -> dict[int, date]:
    """{measure id: start of its latest typed value} in one query."""
    from django.db.models import Max

    return dict(
        MeasureValue.objects.filter(measure__in=measure_ids)
        .values("measure_id")
        .annotate(last=Max("period_start"))
        .values_list("measure_id", "last")
        .order_by()
    )


def measure_rows(wanted: list[tuple[Measure, date, date]], *, today: date | None = None) -> list[dict]:
    """For each (measure, start, end): the measure with its latest value in start..end, RAG, series and
    staleness (about the measure today, whatever window is shown). Any number of measures and windows in
    one batch: typed values in two queries (one over the union of the windows, split here with the same
    bounds a query per window would use), every derived value in one cache round trip."""
    today = today or timezone.localdate()
    typed = [(m, s, e) for m, s, e in wanted if not is_derived(m)]
    by_measure = defaultdict(list)
    if typed:
        values = MeasureValue.objects.filter(
            measure__in={m.pk for m, _s, _e in typed},
            period_start__gte=min(s for _m, s, _e in typed),
            period_end__lte=max(e for _m, _s, e in typed),
        ).order_by("period_start")
        # Rows are cached and read back whole after every change that rebuilds the card: each value is kept as
        # a light `TypedReading` (what a row shows), not a model instance, which pickled every field and took
        # most of reading the rows back.
        measure_of = {m.pk: m for m, _s, _e in typed}
        for value in values.values_list("measure_id", "period_start", "period_end", "value"):
            by_measure[value[0]].append(TypedReading.of(measure_of[value[0]], *value[1:]))
    last_starts = last_typed_starts(list({m.pk for m, _s, _e in typed}))
    derived = [(m, s, e) for m, s, e in wanted if is_derived(m)]
    series = iter(derived_series_many(derived, today=today))
    rows = []
    for measure, start, end in wanted:
        if is_derived(measure):
            values = next(series)
        else:
            values = [v for v in by_measure[measure.pk] if v.period_start >= start and v.period_end <= end]
        latest = latest_with_value(values)
        rows.append(
            {
                "measure": measure,
                "latest": latest,
                "rag": measure.rag_for(latest.value) if latest else Rag.NOT_RATED,
                "values": values,
                "stale_period": stale_period(measure, last_starts.get(measure.pk), today),
            }
        )
    return rows


def measures_against_target(*, start, end, today: date | None = None) -> list[dict]:
    """Each active measure with its latest value in the period, RAG, series and staleness (staleness is
    about the measure today, whatever period is shown). Three queries for typed measures."""
    measures = list(Measure.objects.filter(active=True))
    return measure_rows([(m, start, end) for m in measures], today=today)


def row_models(measure: Measure) -> list:
    """What one measure's row is computed from: the measure itself, and its typed values or, for a derived
    measure, the records its source reads (and nothing else: an action changes only the rows of measures
    derived from actions)."""
    source = measure_sources.get(measure.code)
    if source is None:
        return [Measure, MeasureValue]
    return [Measure, *source.model_classes()]


def _without_measure(row: dict) -> dict:
    """A row as cached: without its measure (read afresh with every request, so kept once, not in every
    row and every derived reading: unpickling a measure per row was most of reading the rows back)."""
    values = [replace(v, measure=None) if isinstance(v, DerivedReading) else v for v in row["values"]]
    latest = next((new for old, new in zip(row["values"], values, strict=True) if old is row["latest"]), None)
    return {**row, "measure": None, "values": values, "latest": latest}


def _with_measure(row: dict, measure: Measure) -> dict:
    """A cached row given back its measure (the same row `measure_rows` made: the entry is keyed on the
    measure's version, so the measure read now is the one it was built from)."""
    for value in row["values"]:
        if isinstance(value, DerivedReading):
            value.measure = measure
    return {**row, "measure": measure}


def cached_measure_rows(windows: list[tuple[date, date]], *, today: date | None = None) -> list[list[dict]]:
    """`measures_against_target` for each (start, end) window, every measure's row cached on its own
    (`row_models`): all rows read in one batch, the rows whose records changed computed together in one
    `measure_rows` call, the others served as they were. Keyed per day as well: staleness and periods
    still running move with the calendar. Rows are cached without their measure (`_without_measure`)."""
    from mshtgov.summaries import cached_batch

    today = today or timezone.localdate()
    measures = list(Measure.objects.filter(active=True))
    wanted = [(m, start, end) for start, end in windows for m in measures]
    found = cached_batch(
        [
            (f"measure-row:{m.pk}:{start.isoformat()}:{end.isoformat()}:{today.isoformat()}", row_models(m))
            for m, start, end in wanted
        ],
        lambda missing: [_without_measure(r) for r in measure_rows([wanted[i] for i in missing], today=today)],
    )
    found = [(_with_measure(row, m), as_of) for (m, _s, _e), (row, as_of) in zip(wanted, found, strict=True)]
    out, position = [], 0
    for _window in windows:
        out.append(found[position : position + len(measures)])
        position += len(measures)
    return out


def figure_models() -> list:
    """Every model a measure's figures are computed from: the measures, their typed values and the records
    of every derived measure's source. A cache of measure figures keyed on fewer would keep showing a
    derived value after the records behind it changed."""
    models = [Measure, MeasureValue]
    for source in measure_sources.all_sources():
        models += [m for m in source.model_classes() if m not in models]
    return models


def cached_measures_against_target(*, start, end, today: date | None = None) -> list[dict]:
    """`measures_against_target`, each measure's row cached until the measure or what its figures are
    computed from changes (`cached_measure_rows`), and per day."""
    return [row for row, _as_of in cached_measure_rows([(start, end)], today=today)[0]]
