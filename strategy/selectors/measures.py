"""Figures about performance measures."""

from collections import defaultdict

from strategy.models import Measure, MeasureValue, Rag


def measure_series(measures, *, start, end) -> dict[int, list[MeasureValue]]:
    """{measure id: its values in start..end, oldest first}. One query for any number of measures."""
    series = defaultdict(list)
    values = (
        MeasureValue.objects.filter(measure__in=measures, period_start__gte=start, period_end__lte=end)
        .select_related("measure")
        .order_by("period_start")
    )
    for value in values:
        series[value.measure_id].append(value)
    return series


def measures_against_target(*, start, end) -> list[dict]:
    """Each active measure with its latest value in the period, RAG and series (two queries)."""
    measures = list(Measure.objects.filter(active=True))
    series = measure_series(measures, start=start, end=end)
    rows = []
    for measure in measures:
        values = series.get(measure.pk, [])
        latest = values[-1] if values else None
        rows.append(
            {
                "measure": measure,
                "latest": latest,
                "rag": measure.rag_for(latest.value) if latest else Rag.NOT_RATED,
                "values": values,
            }
        )
    return rows
