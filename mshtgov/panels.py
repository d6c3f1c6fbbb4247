"""Dashboard and board-pack panels.

Each app offers panels: a function that gathers the figures it owns (and charts), plus the template
fragment that shows them. The dashboard page and the PDF board pack are ordered lists of panels, so
neither imports the apps that provide them. A panel's template receives `panel` (the Panel) and
`data` (what `gather` returned) and must work both on the web page and in the PDF (`for_pdf`).

Every number a panel shows is a `mshtgov.figures.Figure` in what `gather` returns, rendered with
`{% figure %}`: it links to the filtered list it counts, and a test follows every panel's figures for
every role and compares them with their drill-downs. A panel that shows no number says so with
`shows_figures=False`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    order: int
    template: str
    gather: Callable  # gather(user, period) -> dict
    visible: Callable  # visible(user) -> bool
    in_board_pack: bool = True
    shows_figures: bool = True
    # The dashboard shows each panel as a short summary card (`summary_template`, same `data`) with its
    # full template one click away (the panel page); a panel without one shows its full template.
    summary_template: str = ""
    # attention(user, period, data) -> [mshtgov.attention.Attention]: what needs the reader now.
    attention: Callable | None = None
    # headlines(user, period, previous_period, data) -> [mshtgov.attention.Headline]
    headlines: Callable | None = None


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def all_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: p.order)


def panels_for(user) -> list[Panel]:
    return [p for p in all_panels() if p.visible(user)]


def get(key: str) -> Panel | None:
    return _panels.get(key)
