"""Reading what a drill-down page proves: its result count and the figures it shows (see mshtgov.figures)."""

import re

_COUNT = re.compile(r'data-result-count="(\d+)"')
_FIGURE = re.compile(r'data-figure-key="([^"]*)" data-figure-value="([^"]*)"')


def result_count(html: str) -> int:
    """The filtered list's result count; fails when the page shows none, or more than one."""
    found = _COUNT.findall(html)
    assert len(found) == 1, f"expected one data-result-count on the page, found {found}"
    return int(found[0])


def figure_values(html: str) -> dict[str, set[str]]:
    """{figure key: the values shown under it} on a page."""
    shown: dict[str, set[str]] = {}
    for key, value in _FIGURE.findall(html):
        shown.setdefault(key, set()).add(value)
    return shown
