"""Server-side SVG charts (pygal) that serve the web page and the PDF alike.

Charts are embedded as `<img src="data:image/svg+xml;base64,...">` so the page's Content Security Policy
needs no inline styles and WeasyPrint reads them without fetching anything. Every chart must be shown
with its figures as a table for people who cannot see it (WCAG 1.1.1).
"""

import base64
from dataclasses import dataclass

import pygal
from pygal.style import Style

# GOV.UK palette colours with at least 3:1 contrast against white.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#505a5f", "#912b88", "#28a197")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=PALETTE,
    font_family="Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=13,
)


@dataclass(frozen=True)
class Chart:
    data_uri: str
    alt: str  # one sentence saying what the chart shows; the table beside it has the figures


def base_config(**overrides) -> dict:
    config = {
        "style": STYLE,
        "js": [],  # no scripts: the page's CSP refuses them, and the PDF has no use for them
        "disable_xml_declaration": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "width": 720,
        "height": 360,
        "margin": 16,
        "print_values": False,
    }
    config.update(overrides)
    return config


def to_chart(chart: pygal.graph.graph.Graph, alt: str) -> Chart:
    svg = chart.render()
    encoded = base64.b64encode(svg if isinstance(svg, bytes) else svg.encode()).decode("ascii")
    return Chart(data_uri=f"data:image/svg+xml;base64,{encoded}", alt=alt)


def line_chart(*, title: str, labels: list[str], series: dict[str, list], alt: str, **config) -> Chart:
    chart = pygal.Line(**base_config(title=title, x_label_rotation=30, **config))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return to_chart(chart, alt)


def bar_chart(
    *, title: str, labels: list[str], series: dict[str, list], alt: str, stacked=False, horizontal=False, **config
) -> Chart:
    kind = {
        (False, False): pygal.Bar,
        (True, False): pygal.StackedBar,
        (False, True): pygal.HorizontalBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(stacked, horizontal)]
    chart = kind(**base_config(title=title, **config))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return to_chart(chart, alt)


def sparkline(values: list, alt: str) -> Chart:
    chart = pygal.Line(**base_config(width=160, height=40, show_legend=False, margin=2))
    chart.add("", [v for v in values])
    svg = chart.render_sparkline(width=160, height=40, show_dots=False, js=[])
    encoded = base64.b64encode(svg if isinstance(svg, bytes) else svg.encode()).decode("ascii")
    return Chart(data_uri=f"data:image/svg+xml;base64,{encoded}", alt=alt)
