"""Server-side SVG charts (pygal) that serve the web page and the PDF alike.

Charts are embedded as `<img src="data:image/svg+xml;base64,...">` so the page's Content Security Policy
needs no inline styles and WeasyPrint reads them without fetching anything. Every chart must be shown
with its figures as a table for people who cannot see it (WCAG 1.1.1).
"""

import base64
import math
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


# A target is drawn in this neutral grey, dashed on a line chart: never in red, which on these charts means
# "failing" (overdue actions, requirements not met), nor in a series colour it could be mistaken for.
TARGET_COLOUR = "#505a5f"
TARGET = "Target"
# Widest label (in pixels at 14px Arial, about 7.5px a character) a time axis allows per label before thinning.
_CHAR_PX = 7.5


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
        # Labels and legends are never cut short with an ellipsis: pygal widens the margin to fit them.
        "truncate_label": -1,
        "truncate_legend": -1,
    }
    config.update(overrides)
    return config


def _style_for(names) -> Style:
    """The house style with the colours given to the series in order, the target series always grey."""
    colours, palette = [], iter(PALETTE[i] for i in range(len(PALETTE)) if PALETTE[i] != TARGET_COLOUR)
    for name in names:
        colours.append(TARGET_COLOUR if name == TARGET else next(palette, PALETTE[0]))
    return Style(**{**STYLE.to_dict(), "colors": tuple(colours)})


def thin_labels(labels: list[str], width: int = 720) -> dict:
    """pygal settings that show at most as many time-axis labels as fit side by side (the first, then every
    n-th), so none overlap however long the range (36 months included)."""
    if not labels:
        return {}
    widest = max(len(str(label)) for label in labels) * _CHAR_PX + 12
    fits = max(2, int((width - 100) // widest))
    if len(labels) <= fits:
        return {"x_label_rotation": 0}
    return {
        "x_label_rotation": 0,
        "x_labels_major_every": math.ceil(len(labels) / fits),
        "show_minor_x_labels": False,
    }


def value_range(values, *, target=None, floor=0) -> tuple[float, float]:
    """A y range holding every value and the target with some headroom, so a target line is always drawn
    inside the plot (never on or beyond its edge)."""
    numbers = [float(v) for v in values if v is not None]
    if target is not None:
        numbers.append(float(target))
    if not numbers:
        return (floor, 1)
    low, high = min(min(numbers), floor), max(numbers)
    headroom = (high - low) * 0.1 or 1
    return (low, high + headroom)


def to_chart(chart: pygal.graph.graph.Graph, alt: str) -> Chart:
    svg = chart.render()
    encoded = base64.b64encode(svg if isinstance(svg, bytes) else svg.encode()).decode("ascii")
    return Chart(data_uri=f"data:image/svg+xml;base64,{encoded}", alt=alt)


def line_chart(*, title: str, labels: list[str], series: dict[str, list], alt: str, **config) -> Chart:
    """A line per series over a time axis whose labels are thinned to fit; a series named "Target" is a
    dashed grey line without dots, and the y range holds it."""
    options = {**thin_labels(labels, config.get("width", 720)), **config}
    if TARGET in series and "range" not in options:
        others = [v for name, values in series.items() if name != TARGET for v in values]
        options["range"] = value_range(others, target=max((v for v in series[TARGET] if v is not None), default=None))
    chart = pygal.Line(**base_config(title=title, style=_style_for(series), **options))
    chart.x_labels = labels
    for name, values in series.items():
        if name == TARGET:
            chart.add(name, values, stroke_style={"dasharray": "14,4", "width": 3}, show_dots=False)
        else:
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
    config.setdefault("style", _style_for(series))
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
