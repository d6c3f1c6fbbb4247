"""The strategy app's charts, one function each, shared by its pages, its dashboard panels and the
board pack. Every chart is shown with its figures as a table (see `templates/includes/chart.html`)."""

import base64
from html import escape

from mshtgov import scoring
from mshtgov.charts import Chart, bar_chart, line_chart
from mshtgov.reference import GuidanceTheme, Pillar
from strategy.models import Rag, RequirementStatus

RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED)
STATUS_ORDER = (
    RequirementStatus.NOT_MET,
    RequirementStatus.PARTLY_MET,
    RequirementStatus.MET,
    RequirementStatus.NOT_APPLICABLE,
    RequirementStatus.NOT_ASSESSED,
)
# Series colours that say what they mean (red, amber, green, grey, blue): pygal takes them in order.
_RAG_COLOURS = ("#d4351c", "#f47738", "#00703c", "#505a5f")
_STATUS_COLOURS = ("#d4351c", "#f47738", "#00703c", "#505a5f", "#1d70b8")


def _whole_number_axis(totals) -> list[int]:
    """Counts are whole numbers: label the axis 0, step, 2 x step... rather than pygal's 0.2 steps."""
    top = max([1, *totals])
    step = max(1, -(-top // 8))
    return list(range(0, top + step, step))


def objectives_chart(counts: dict) -> Chart:
    from pygal.style import Style

    from mshtgov.charts import STYLE

    style = Style(**{**STYLE.to_dict(), "colors": _RAG_COLOURS})
    return bar_chart(
        title="Objectives by 4P pillar and RAG status",
        labels=[p.label for p in Pillar],
        series={r.label: [counts[p.value][r.value] for p in Pillar] for r in RAG_ORDER},
        stacked=True,
        style=style,
        y_labels=_whole_number_axis([sum(counts[p.value].values()) for p in Pillar]),
        alt="Stacked bar chart of the strategy's objectives in each 4P pillar by RAG status; figures in the table.",
    )


def objectives_table(counts: dict, strategy_pk=None) -> tuple[list, list]:
    """Objectives by pillar and RAG; with `strategy_pk`, each cell a Figure linked to the strategy's page
    filtered to those objectives."""
    from django.urls import reverse

    from mshtgov.figures import Figure, with_query

    def cell(pillar, rag, value):
        if strategy_pk is None:
            return value
        url = reverse("strategy:strategy-detail", args=[strategy_pk])
        return Figure(
            key=f"objectives:{strategy_pk}:{pillar.value}:{rag.value if rag else 'all'}",
            value=value,
            url=with_query(url, pillar=pillar.value, rag=rag.value if rag else ""),
            label=f"{pillar.label.lower()} objectives{f' rated {rag.label.lower()}' if rag else ''}",
        )

    headers = ["Pillar", *[r.label for r in RAG_ORDER], "Total"]
    rows = [
        [
            p.label,
            *[cell(p, r, counts[p.value][r.value]) for r in RAG_ORDER],
            cell(p, None, sum(counts[p.value].values())),
        ]
        for p in Pillar
    ]
    return headers, rows


def compliance_chart(counts: dict) -> Chart:
    from pygal.style import Style

    from mshtgov.charts import STYLE

    style = Style(**{**STYLE.to_dict(), "colors": _STATUS_COLOURS})
    return bar_chart(
        title="Requirements by guidance theme and status",
        labels=[t.label for t in GuidanceTheme],
        series={s.label: [counts[t.value][s.value] for t in GuidanceTheme] for s in STATUS_ORDER},
        stacked=True,
        horizontal=True,
        style=style,
        y_labels=_whole_number_axis([sum(counts[t.value].values()) for t in GuidanceTheme]),
        height=420,
        alt="Stacked bar chart of the self-assessment's requirements in each guidance theme by status; "
        "figures in the table.",
    )


def threat_trend_chart(threat, assessments) -> Chart:
    ordered = sorted(assessments, key=lambda a: a.assessed_on)
    return line_chart(
        title=f"Priority score over time: {threat.title}",
        labels=[f"{a.assessed_on:%d %b %Y}" for a in ordered],
        series={"Priority score": [a.priority_score for a in ordered]},
        range=(0, 100),
        alt=f"Line chart of the priority score of {threat.title} at each assessment; figures in the table.",
    )


def measure_trend_chart(measure, values) -> Chart:
    labels = [v.period_label for v in values]
    # A derived measure has no value for a period with nothing to count (no incidents): a gap, not a zero.
    series = {measure.name: [None if v.value is None else float(v.value) for v in values]}
    if measure.target is not None:
        series["Target"] = [float(measure.target)] * len(values)
    return line_chart(
        title=measure.name,
        labels=labels,
        series=series,
        alt=f"Line chart of {measure.name} in each period"
        + (" against its target" if measure.target else "")
        + "; figures in the table.",
    )


def measure_sparkline(measure, values, *, width=120, height=32) -> Chart:
    """A bare polyline (a few hundred bytes). pygal's sparkline carries its whole stylesheet (~16 KB
    a chart), which made a dashboard of fifty measures weigh most of a megabyte."""
    figures = [float(v.value) for v in values if v.value is not None] or [0.0]
    low, high = min(figures), max(figures)
    spread = (high - low) or 1.0
    step = (width - 4) / max(1, len(figures) - 1)
    points = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (f - low) / spread * (height - 4):.1f}" for i, f in enumerate(figures)
    )
    last_x, last_y = points.rsplit(" ", 1)[-1].split(",")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{points}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="#0b0c0c"/></svg>'
    )
    return Chart(
        data_uri="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
        alt=f"Trend of {measure.name} over the period, from {low:g} to {high:g}; the latest value is in the table.",
    )


# Heat map: harm (rows, highest first) against likelihood (columns). Cell colour shows harm x likelihood.
_CELL = 72
_LEFT = 150
_TOP = 56
_HEAT = (  # (lowest harm x likelihood, fill, text colour)
    (1, "#00703c", "#ffffff"),
    (5, "#ffdd00", "#0b0c0c"),
    (10, "#f47738", "#0b0c0c"),
    (20, "#d4351c", "#ffffff"),
)


def _heat(risk: int) -> tuple[str, str]:
    fill, text = _HEAT[0][1], _HEAT[0][2]
    for lowest, f, t in _HEAT:
        if risk >= lowest:
            fill, text = f, t
    return fill, text


def heat_map(cells: dict) -> Chart:
    """SVG grid of how many threats sit at each harm and likelihood score. pygal has no heat map, so
    the SVG is written here; text is escaped and nothing is scripted."""
    harms = [p for p, _ in reversed(scoring.SCALES["harm"])]
    likelihoods = [p for p, _ in scoring.SCALES["likelihood"]]
    width = _LEFT + _CELL * len(likelihoods) + 20
    height = _TOP + _CELL * len(harms) + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Arial, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2}" y="22" font-size="16" font-weight="bold" text-anchor="middle" fill="#0b0c0c">'
        "Threats by harm and likelihood</text>",
    ]
    for row, harm in enumerate(harms):
        y = _TOP + row * _CELL
        parts.append(
            f'<text x="{_LEFT - 8}" y="{y + _CELL / 2 + 5}" font-size="13" text-anchor="end" fill="#0b0c0c">'
            f"{harm} {escape(scoring.label('harm', harm))}</text>"
        )
        for col, likelihood in enumerate(likelihoods):
            x = _LEFT + col * _CELL
            fill, text = _heat(harm * likelihood)
            count = len(cells.get((harm, likelihood), []))
            parts.append(
                f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" fill="{fill}" '
                'stroke="#ffffff" stroke-width="2"/>'
            )
            if count:
                parts.append(
                    f'<text x="{x + _CELL / 2}" y="{y + _CELL / 2 + 8}" font-size="24" font-weight="bold" '
                    f'text-anchor="middle" fill="{text}">{count}</text>'
                )
    parts.append(
        f'<text x="{_LEFT - 8}" y="{_TOP - 8}" font-size="14" text-anchor="end" font-weight="bold" fill="#0b0c0c">'
        "Harm</text>"
    )
    base = _TOP + len(harms) * _CELL
    for col, likelihood in enumerate(likelihoods):
        x = _LEFT + col * _CELL + _CELL / 2
        parts.append(
            f'<text x="{x}" y="{base + 18}" font-size="12" text-anchor="middle" fill="#0b0c0c">{likelihood}</text>'
        )
        parts.append(
            f'<text x="{x}" y="{base + 34}" font-size="11" text-anchor="middle" fill="#0b0c0c">'
            f"{escape(scoring.label('likelihood', likelihood))}</text>"
        )
    parts.append(
        f'<text x="{_LEFT + _CELL * len(likelihoods) / 2}" y="{base + 58}" font-size="14" text-anchor="middle" '
        'font-weight="bold" fill="#0b0c0c">Likelihood</text>'
    )
    parts.append("</svg>")
    encoded = base64.b64encode("".join(parts).encode()).decode("ascii")
    total = sum(len(v) for v in cells.values())
    return Chart(
        data_uri=f"data:image/svg+xml;base64,{encoded}",
        alt=f"Heat map of {total} assessed threats by harm (rows) and likelihood (columns); figures in the table.",
    )


def heat_map_table(cells: dict, as_of=None) -> tuple[list, list]:
    """The heat map's figures: each cell a Figure linked to the threat register filtered to the active
    threats whose latest assessment (on or before `as_of`, today when None) has that harm and likelihood."""
    from django.urls import reverse
    from django.utils import timezone

    from mshtgov.figures import Figure, with_query

    as_of = as_of or timezone.localdate()
    likelihoods = [p for p, _ in scoring.SCALES["likelihood"]]
    headers = ["Harm \\ likelihood", *[f"{p} {scoring.label('likelihood', p)}" for p in likelihoods]]
    url = reverse("strategy:threat-list")
    rows = []
    for harm, label in reversed(scoring.SCALES["harm"]):
        rows.append(
            [
                f"{harm} {label}",
                *[
                    Figure(
                        key=f"threats:harm-{harm}:likelihood-{lk}:{as_of.isoformat()}",
                        value=len(cells.get((harm, lk), [])),
                        url=with_query(url, harm=harm, likelihood=lk, as_of=as_of.isoformat()),
                        label=f"threats of harm {harm} and likelihood {lk}",
                    )
                    for lk in likelihoods
                ],
            ]
        )
    return headers, rows
