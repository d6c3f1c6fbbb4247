"""The learning app's charts, built on `mshtgov.charts` so the page and the board pack share them."""

from mshtgov import summaries
from mshtgov.charts import bar_chart, line_chart


def cached_chart(key: str, build, *, models):
    """Rendering a pygal chart costs tens of milliseconds: keep it as long as the figures behind it."""
    chart, _ = summaries.cached_summary(f"learning-chart:{key}", build, models=models)
    return chart


def themes_chart(over_time, *, top: int):
    names = list(over_time.series)[:top]
    return line_chart(
        title="Lessons by theme, per quarter",
        labels=over_time.quarters,
        series={name: over_time.series[name] for name in names},
        alt=f"Line chart of the number of lessons per quarter for the {len(names)} most frequent themes. "
        "The figures are in the table below.",
    )


def coverage_chart(report):
    products = report.products
    return bar_chart(
        title="Training coverage against target (%)",
        labels=[p.name for p in products],
        series={
            "Coverage": [p.total.percent or 0 for p in products],
            "Target": [p.target for p in products],
        },
        alt="Bar chart of the share of staff trained and in date for each product, beside its target. "
        "The figures are in the table below.",
        range=(0, 100),
        # Products have long names: across the page, each name is written in full beside its bars.
        horizontal=True,
        height=120 + 70 * max(1, len(products)),
    )
