"""The strategy app's dashboard and board-pack panels.

Figures are computed once per change of the data behind them (`cached_summary`), charts included, so
the dashboard reads a handful of cache keys rather than aggregating tables on each request.
"""

from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from mshtgov.figures import PERCENT, VALUE, Figure, with_query
from mshtgov.marking import Marking
from mshtgov.panels import Panel
from mshtgov.reference import GuidanceTheme, Pillar
from mshtgov.summaries import cached_summary
from strategy import charts
from strategy.models.common import Rag
from strategy.registration import internal
from strategy.selectors import attention
from strategy.selectors.measures import is_derived


def _key(name, period) -> str:
    return f"strategy:{name}:{period.key}:{period.start.isoformat()}:{period.end.isoformat()}"


def _strategy_status(period) -> dict:
    from strategy.models import ForceStrategy

    strategy = ForceStrategy.objects.current()
    if strategy is None:
        return {"strategy": None, "warnings": ["There is no force strategy for MSHT yet."]}
    warnings = strategy.warnings()
    if strategy.status not in ("approved", "superseded"):
        warnings.insert(0, "The force strategy has not been approved.")
    upcoming = ForceStrategy.objects.upcoming()
    return {
        "strategy": {
            "pk": strategy.pk,
            "title": strategy.title,
            "version": strategy.version,
            "status": strategy.current_status,
            "approved": strategy.status in ("approved", "superseded"),
            "approved_on": strategy.approved_on,
            "period_start": strategy.period_start,
            "period_end": strategy.period_end,
            "rank": strategy.control_strategy_rank,
            "in_control": strategy.msht_in_control_strategy,
            "pcc_briefed_on": strategy.pcc_briefed_on,
            "pcc_support": strategy.get_pcc_support_display(),
        },
        "warnings": warnings,
        "marking": strategy.marking,
        # The approved next version, said in a notice until it takes effect.
        "upcoming": {"pk": upcoming.pk, "version": upcoming.version, "period_start": upcoming.period_start}
        if upcoming and upcoming.pk != strategy.pk
        else None,
    }


def gather_strategy(user, period) -> dict:
    from strategy.models import ForceStrategy

    data, as_of = cached_summary(_key("status", period), lambda: _strategy_status(period), models=[ForceStrategy])
    return {**data, "as_of": as_of}


def _objectives(period) -> dict:
    from strategy.models import ForceStrategy
    from strategy.selectors.plans import objectives_by_pillar_and_rag

    strategy = ForceStrategy.objects.current()
    counts = objectives_by_pillar_and_rag(strategy)
    headers, rows = charts.objectives_table(counts, strategy.pk if strategy else None)
    return {
        "strategy_pk": strategy.pk if strategy else None,
        "chart": charts.objectives_chart(counts),
        "headers": headers,
        "rows": rows,
        "pillars": [
            (p.value, p.label, list(zip([r.label.lower() for r in charts.RAG_ORDER], row[1:-1], strict=True)), row[-1])
            for p, row in zip(Pillar, rows, strict=True)
        ],
        "total": sum(sum(c.values()) for c in counts.values()),
    }


def gather_objectives(user, period) -> dict:
    from strategy.models import ForceStrategy, Objective

    data, as_of = cached_summary(
        _key("objectives", period), lambda: _objectives(period), models=[ForceStrategy, Objective]
    )
    return {**data, "as_of": as_of}


def _threats(period) -> dict:
    from django.urls import reverse

    from strategy.selectors.threats import heat_map_counts, threat_score_key, top_threats

    top = top_threats(limit=5, as_of=period.end)
    threat_page = reverse("strategy:threat-detail", args=[0]).replace("/0/", "/{}/")
    for threat in top:
        threat["score"] = Figure(
            key=threat_score_key(threat["pk"], threat["latest_on"]),
            value=threat["latest_score"],
            url=threat_page.format(threat["pk"]),
            label=f"priority score of {threat['title']}",
            kind=VALUE,
        )
    cells = heat_map_counts(as_of=period.end)
    headers, rows = charts.heat_map_table(cells, as_of=period.end)
    sensitive = any(t["marking"] == Marking.OFFICIAL_SENSITIVE for t in top)
    return {
        "top": top,
        "chart": charts.heat_map(cells),
        "headers": headers,
        "rows": rows,
        "marking": Marking.OFFICIAL_SENSITIVE.value if sensitive else "",
    }


def gather_threats(user, period) -> dict:
    from strategy.models import Threat, ThreatAssessment

    data, as_of = cached_summary(_key("threats", period), lambda: _threats(period), models=[Threat, ThreatAssessment])
    return {**data, "as_of": as_of}


# Reds first: the dashboard shows what needs attention; the measures page lists every one.
_RAG_ATTENTION = {"red": 0, "amber": 1, "green": 2, "not_rated": 3}
DASHBOARD_MEASURES = 12


def _measures(period, every: list[dict]) -> dict:
    from django.urls import reverse

    from strategy.selectors.measures import measure_figure_key

    every = sorted(every, key=lambda r: (_RAG_ATTENTION.get(r["rag"], 9), not r["measure"].standard, r["measure"].name))
    rows = []
    # Every derived sparkline of the card is computed with those the page shows (`_DerivedSparklines`).
    sparklines = _DerivedSparklines([r["measure"] for r in every if r["spark"] == _DERIVED_SERIES], period)
    for row in every[:DASHBOARD_MEASURES]:
        measure, latest = row["measure"], row["latest"]
        rows.append(
            {
                "pk": measure.pk,
                "name": measure.name,
                "pillar": measure.get_pillar_display(),
                "unit": measure.unit,
                "latest": latest.value if latest else None,
                "latest_period": latest.period_label if latest else "",
                "figure": Figure(
                    key=measure_figure_key(measure, latest.period_start),
                    value=latest.value,
                    url=reverse("strategy:measure-detail", args=[measure.pk]),
                    label=f"{measure.name}, {latest.period_label}",
                    kind=PERCENT if measure.unit == "percent" else VALUE,
                )
                if latest
                else None,
                "derived": is_derived(measure),
                "stale_period": row["stale_period"],
                "target": measure.target,
                "direction": measure.get_direction_display(),
                "rag": row["rag"],
                "sparkline": _sparkline(measure, row["spark"], period, sparklines),
            }
        )
    list_url = reverse("strategy:measure-list")
    return {
        "measures": rows,
        "total": Figure(
            key="measures:active", value=len(every), url=with_query(list_url, active="yes", **_window(period))
        ),
        "more": max(0, len(every) - DASHBOARD_MEASURES),
        "counts": _rag_counts(period, every),
        "stale": Figure(
            key="measures:stale",
            value=sum(1 for r in every if r["stale_period"]),
            url=with_query(list_url, stale="yes"),
            label="stale measures",
        ),
    }


def _window(period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _rag_counts(period, every: list[dict]) -> dict:
    from django.urls import reverse

    list_url = reverse("strategy:measure-list")
    return {
        rag: Figure(
            key=f"measures:{rag}",
            value=sum(1 for r in every if r["rag"] == rag),
            url=with_query(list_url, rag=rag, **_window(period)),
            label=f"measures {Rag(rag).label.lower()}",
        )
        for rag in _RAG_ATTENTION
    }


class _Latest(NamedTuple):
    """A measure's latest value as the card shows it (a typed value or a derived reading, alike)."""

    value: Decimal | None
    period_label: str
    period_start: date


class _Point(NamedTuple):
    value: float | None


def _card_row(row: dict) -> tuple:
    """What the card shows of a measure's row (`measure_rows`): (rag, stale period, latest, sparkline values).
    The rows themselves carry every reading as an object; the card's entries are read back whole whenever
    one kind of record changes, and reading the full rows back was half of rebuilding the card."""
    latest, values = row["latest"], row["values"]
    return (
        row["rag"],
        row["stale_period"],
        _Latest(latest.value, latest.period_label, latest.period_start) if latest else None,
        [None if v.value is None else float(v.value) for v in values] if len(values) > 1 else None,
    )


# A derived measure's sparkline is not kept with its row: its points are computed when a page draws it.
_DERIVED_SERIES = "derived"


def _sparkline(measure, spark, period, sparklines):
    if spark == _DERIVED_SERIES:
        return sparklines.add(_DerivedSparkline(measure, period.start, period.end, sparklines))
    return charts.measure_sparkline(measure, [_Point(v) for v in spark]) if spark else None


class _DerivedSparklines:
    """The derived sparklines of one panel, their values read in one batch when a page first draws one (the
    panel page draws a dozen: one round trip for each of them was slower than the page had been before they
    were deferred). The batch holds the sparkline of every derived measure of the card (`every`), shown or
    not, so that which measures the page shows (the reds first) does not decide which sources are queried
    (issue 15: a page's queries the same whatever its data); the values are kept for their next reader."""

    def __init__(self, every: list, period):
        self.every = [(measure, period.start, period.end) for measure in every]
        self.members: list = []
        self.readings: dict | None = None

    def add(self, sparkline):
        self.members.append(sparkline)
        return sparkline

    def of(self, sparkline) -> list:
        if self.readings is None:
            from strategy.selectors.measures import derived_series_many

            wanted = list(dict.fromkeys([*((s.measure, s.start, s.end) for s in self.members), *self.every]))
            series = dict(zip(wanted, derived_series_many(wanted, urls=False), strict=True))
            self.readings = {id(s): series[(s.measure, s.start, s.end)] for s in self.members}
        return self.readings[id(sparkline)]


class _DerivedSparkline:
    """A derived measure's sparkline, its values computed only when a page draws it (the panel page and the
    pack do; the dashboard card shows counts only), each period's value from the measure source's own cache,
    with the panel's other sparklines (`_DerivedSparklines`). Building the card computes only the latest
    period of a derived measure (`_card_rows`)."""

    def __init__(self, measure, start, end, batch):
        self.measure, self.start, self.end, self.batch = measure, start, end, batch

    def __bool__(self) -> bool:
        return True  # made only for a measure with more than one period in the window

    @cached_property
    def _chart(self):
        return charts.measure_sparkline(self.measure, self.batch.of(self))

    @property
    def data_uri(self) -> str:
        return self._chart.data_uri

    @property
    def alt(self) -> str:
        return self._chart.alt


def _card_rows(wanted: list[tuple], today) -> list[tuple]:
    """`_card_row` of each (measure, start, end). A typed measure's row as `measure_rows` makes it. A derived
    measure's latest value (the newest period with a value, as `measure_rows` finds it) from its latest period
    only when its source has a value for every period or for none (`MeasureSource.valued_alike`: a count),
    else from its whole window, every measure in one batch (a query per source): after an action or a
    training record changed, computing every month of two years to show this month's count was most of
    rebuilding the card, and computing the window only when the latest period had no value made the card's
    queries depend on the data (issue 15). Its sparkline is drawn later from the whole window
    (`_DerivedSparkline`)."""
    from mshtgov import measure_sources
    from strategy.models.common import Rag as RagChoice
    from strategy.selectors.measures import _periods, derived_series_many, is_derived, latest_with_value, measure_rows

    out: dict[int, tuple] = {}
    typed = [(i, w) for i, w in enumerate(wanted) if not is_derived(w[0])]
    for (i, _w), row in zip(typed, measure_rows([w for _i, w in typed], today=today), strict=True):
        out[i] = _card_row(row)
    derived = [(i, w, _periods(w[0], w[1], w[2], today)) for i, w in enumerate(wanted) if is_derived(w[0])]

    def read(measure, start, end, spans):
        if spans and measure_sources.get(measure.code).valued_alike:
            return (measure, spans[-1][0], end)  # the latest period alone
        return (measure, start, end)

    series = derived_series_many(
        [read(m, start, end, spans) for _i, (m, start, end), spans in derived], today=today, urls=False
    )  # the card links each measure's value to its page, not to the records
    for (i, (measure, _start, _end), spans), readings in zip(derived, series, strict=True):
        latest = latest_with_value(readings)
        out[i] = (
            measure.rag_for(latest.value) if latest else RagChoice.NOT_RATED,
            "",  # a derived measure is never stale (`stale_period`)
            _Latest(latest.value, latest.period_label, latest.period_start) if latest else None,
            _DERIVED_SERIES if len(spans) > 1 else None,
        )
    return [out[i] for i in range(len(wanted))]


def card_measure_rows(windows: list[tuple], *, today=None) -> list[list[tuple[dict, object]]]:
    """For each (start, end) window: [(row, as_of)] of every active measure, each row what `_measures` reads
    (measure, rag, stale_period, latest, spark). The measures are cached in groups, one entry per window and
    per set of models their rows are computed from (`row_models`: the typed measures, those derived from
    actions, from training records...), so a change recomputes only the group that reads it, in one
    `measure_rows` call, and the others are read back as a few light entries."""
    from collections import defaultdict

    from django.utils import timezone

    from mshtgov.summaries import cached_batch
    from strategy.models import Measure
    from strategy.selectors.measures import row_models

    today = today or timezone.localdate()
    measures = list(Measure.objects.filter(active=True))
    groups: dict[tuple, list] = defaultdict(list)
    for measure in measures:
        groups[tuple(m._meta.label_lower for m in row_models(measure))].append(measure)
    items = [(name, members, window) for window in windows for name, members in groups.items()]

    def compute(missing: list[int]) -> list[dict]:
        wanted = [(m, *items[i][2]) for i in missing for m in items[i][1]]
        rows = iter(_card_rows(wanted, today))
        return [{m.pk: next(rows) for m in items[i][1]} for i in missing]

    found = cached_batch(
        [
            (
                f"measure-card-rows:{'+'.join(name)}:{start.isoformat()}:{end.isoformat()}:{today.isoformat()}",
                row_models(members[0]),
            )
            for name, members, (start, end) in items
        ],
        compute,
    )
    by_window: dict[tuple, dict] = defaultdict(dict)
    as_of: dict[tuple, list] = defaultdict(list)
    for (_name, _members, window), (group, when) in zip(items, found, strict=True):
        by_window[window].update(group)
        as_of[window].append(when)
    out = []
    for window in windows:
        rows = []
        for measure in measures:
            rag, stale, latest, spark = by_window[window][measure.pk]
            row = {"measure": measure, "rag": rag, "stale_period": stale, "latest": latest, "spark": spark}
            rows.append((row, min(as_of[window])))
        out.append(rows)
    return out


def gather_measures(user, period) -> dict:
    """The measures' rows are cached in groups by what they are computed from (`card_measure_rows`): an
    action changes the rows of the measures derived from actions, and the others are read back as they were.
    The previous period's rows (for the headline figures) come from the same batch, so a change costs one
    computation of the measures it touches, not two of every measure."""
    from mshtgov.attention import previous_period

    previous = previous_period(period)
    current, before = card_measure_rows([(period.start, period.end), (previous.start, previous.end)])
    return {
        **_measures(period, [row for row, _as_of in current]),
        # The figures are as fresh as the oldest row they are made of.
        "as_of": min((as_of for _row, as_of in current), default=None),
        "previous": {
            "start": previous.start,
            "end": previous.end,
            "counts": _rag_counts(previous, [row for row, _as_of in before]),
        },
    }


class ComplianceChart:
    """The compliance chart, drawn only when a page shows it (the panel page and the pack do, the dashboard
    card never does: drawing it was most of rebuilding the card after a self-assessment answer changed),
    then cached until the self-assessment changes. Drawn from the panel's own counts, so it cannot
    disagree with its table."""

    def __init__(self, assessment_pk, counts):
        self.assessment_pk = assessment_pk
        self.counts = counts

    @cached_property
    def _chart(self):
        from strategy.models import Assessment, RequirementAssessment

        return cached_summary(
            f"strategy-compliance-chart:{self.assessment_pk}",
            lambda: charts.compliance_chart(self.counts),
            models=[Assessment, RequirementAssessment],
        )[0]

    @property
    def data_uri(self) -> str:
        return self._chart.data_uri

    @property
    def alt(self) -> str:
        return self._chart.alt


def _compliance(period) -> dict:
    from django.urls import reverse

    from strategy.models import Assessment
    from strategy.selectors.assessments import (
        compliance_base_text,
        compliance_by_theme,
        compliance_text,
        theme_compliance_figure,
    )

    assessment = Assessment.objects.filter(period_start__lte=period.end).order_by("-period_end", "-id").first()
    counts = compliance_by_theme(assessment)
    headers = ["Theme", *[s.label for s in charts.STATUS_ORDER], "Compliance (of those assessed)"]
    rows, themes = [], []
    if assessment:
        page = reverse("strategy:assessment-detail", args=[assessment.pk])
        for theme in GuidanceTheme:
            statuses = counts[theme.value]
            percent = theme_compliance_figure(assessment, theme.value, statuses, f"{page}#theme-{theme.value}")
            cells = [
                Figure(
                    key=f"compliance:{assessment.pk}:{theme.value}:{s.value}",
                    value=statuses[s.value],
                    url=with_query(page, theme=theme.value, status=s.value),
                    label=f"{theme.label} requirements {s.label.lower()}",
                )
                for s in charts.STATUS_ORDER
            ]
            rows.append([theme.label, *cells, compliance_text(statuses)])
            themes.append((theme.value, theme.label, percent, compliance_base_text(statuses)))
    return {
        "assessment": {"pk": assessment.pk, "title": assessment.title, "status": assessment.get_status_display()}
        if assessment
        else None,
        "chart": ComplianceChart(assessment.pk if assessment else None, counts),
        "headers": headers,
        "rows": rows,
        "themes": themes,
        "marking": assessment.marking if assessment else "",
    }


def gather_compliance(user, period) -> dict:
    from strategy.models import Assessment, RequirementAssessment

    data, as_of = cached_summary(
        _key("compliance", period), lambda: _compliance(period), models=[Assessment, RequirementAssessment]
    )
    return {**data, "as_of": as_of}


PANELS = [
    # Facts about the strategy (its version, dates, rank), not counts: nothing to drill down to.
    Panel(
        "strategy-status",
        "Force strategy",
        10,
        "strategy/panels/status.html",
        gather_strategy,
        internal,
        shows_figures=False,
        summary_template="strategy/panels/status_summary.html",
        attention=attention.strategy_attention,
    ),
    Panel(
        "strategy-objectives",
        "4P objectives",
        20,
        "strategy/panels/objectives.html",
        gather_objectives,
        internal,
        summary_template="strategy/panels/objectives_summary.html",
    ),
    Panel(
        "strategy-threats",
        "Top threats",
        30,
        "strategy/panels/threats.html",
        gather_threats,
        internal,
        summary_template="strategy/panels/threats_summary.html",
        attention=attention.threats_attention,
    ),
    Panel(
        "strategy-measures",
        "Measures against target",
        40,
        "strategy/panels/measures.html",
        gather_measures,
        internal,
        summary_template="strategy/panels/measures_summary.html",
        attention=attention.measures_attention,
        headlines=attention.measures_headlines,
    ),
    Panel(
        "strategy-compliance",
        "Self-assessment compliance by theme",
        50,
        "strategy/panels/compliance.html",
        gather_compliance,
        internal,
        summary_template="strategy/panels/compliance_summary.html",
    ),
]
