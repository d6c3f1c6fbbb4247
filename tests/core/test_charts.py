"""Readable charts (issue 13 item 4): a time axis shows only as many labels as fit (36 months included), a
target line sits inside the axis, a target is never drawn in the colour that means failing, and labels are
never cut short. Checked on the SVG itself."""

import base64
import re
from datetime import date

from dateutil.relativedelta import relativedelta

from mshtgov.charts import PALETTE, TARGET_COLOUR, bar_chart, line_chart

FAILING_RED = PALETTE[1]


def _svg(chart) -> str:
    return base64.b64decode(chart.data_uri.split(",", 1)[1]).decode()


def _x_labels(svg: str) -> list[tuple[float, str]]:
    """(x, text) of the labels drawn on the x axis (pygal puts them in <g class="axis x ..."> groups)."""
    axis = svg[svg.index('<g class="axis x') :]
    axis = axis[: axis.index('<g class="series')]
    return [(float(x), text) for x, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+"[^>]*>([^<]+)</text>', axis)]


def _months(n):
    start = date(2024, 1, 1)
    return [f"{start + relativedelta(months=i):%B %Y}" for i in range(n)]


def test_thirty_six_months_show_labels_that_do_not_overlap():
    labels = _months(36)
    svg = _svg(line_chart(title="NRM referrals", labels=labels, series={"Referrals": list(range(36))}, alt="x"))
    shown = _x_labels(svg)
    assert 3 <= len(shown) <= 10, shown
    assert shown[0][1] == "January 2024"
    widest = max(len(text) for _x, text in shown) * 7.5
    gaps = [b[0] - a[0] for a, b in zip(shown, shown[1:], strict=False)]
    assert min(gaps) > widest, f"labels {widest:.0f}px wide are only {min(gaps):.0f}px apart"


def test_a_short_range_keeps_every_label():
    labels = _months(4)
    svg = _svg(line_chart(title="t", labels=labels, series={"A": [1, 2, 3, 4]}, alt="x"))
    assert [text for _x, text in _x_labels(svg)] == labels


def test_a_target_above_every_value_is_inside_the_plot_and_grey_and_dashed():
    svg = _svg(
        line_chart(title="t", labels=_months(6), series={"Charges": [1, 2, 2, 3, 2, 1], "Target": [40] * 6}, alt="x")
    )
    height = float(
        re.search(r'class="background" />', svg) and re.findall(r'height="([\d.]+)" class="background"', svg)[-1]
    )
    target = re.search(r'<g class="series serie-1 color-1"><path d="M[\d.]+ ([\d.]+) ', svg)
    assert target, "no target line"
    assert 0 < float(target.group(1)) < height, "the target line is on or beyond the edge of the plot"
    assert TARGET_COLOUR in svg and "stroke-dasharray" in svg


def test_target_bars_are_not_in_the_failing_colour():
    svg = _svg(
        bar_chart(
            title="Coverage",
            labels=["A", "B"],
            series={"Coverage": [40, 60], "Target": [90, 85]},
            alt="x",
            range=(0, 100),
        )
    )
    colours = re.findall(r"\.color-(\d+)[^{]*\{[^}]*?(?:fill|stroke):\s*(#[0-9a-fA-F]{6})", svg)
    by_index = {int(i): c.lower() for i, c in colours}
    assert by_index.get(1) == TARGET_COLOUR.lower(), by_index
    assert FAILING_RED.lower() not in by_index.values()


def test_long_labels_are_never_cut_short():
    names = ["Frontline e-learning on modern slavery", "MSHT investigator national policing curriculum"]
    svg = _svg(bar_chart(title="t", labels=names, series={"Coverage": [40, 60]}, alt="x", horizontal=True))
    assert "…" not in svg
    for name in names:
        assert name in svg
