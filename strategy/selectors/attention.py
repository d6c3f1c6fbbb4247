"""Strategy's lines in "Needs your attention" and its headline figures (see mshtgov/attention.py).

Each function receives what the panel's `gather` returned, so the figures are the panel's own: the
attention list and the panel can never disagree.
"""

from django.urls import reverse

from mshtgov.attention import DUE, URGENT, WAITING, Attention, Headline
from mshtgov.figures import Figure, with_query
from mshtgov.summaries import cached_summary


def measures_attention(user, period, data) -> list[Attention]:
    counts = data.get("counts") or {}
    items = []
    if counts.get("red") is not None:
        red = counts["red"]
        items.append(
            Attention(f"measure{'s are' if red.value != 1 else ' is'} red (failing its target)", red, order=URGENT)
        )
    stale = data.get("stale")
    if stale is not None:
        items.append(
            Attention(
                f"measure{'s have' if stale.value != 1 else ' has'} no value for the last complete period",
                stale,
                order=WAITING,
            )
        )
    return items


def measures_headlines(user, period, previous, data) -> list[Headline]:
    from strategy.panels import gather_measures

    # The panel gathers the previous period's counts with its own (one batch); another window is gathered.
    known = data.get("previous") or {}
    if (known.get("start"), known.get("end")) == (previous.start, previous.end):
        before = known["counts"]
    else:
        before = gather_measures(user, previous).get("counts") or {}
    counts = data.get("counts") or {}
    found = []
    if counts.get("green") is not None:
        found.append(Headline(_relabel(counts["green"], "measures on target"), before.get("green")))
    if counts.get("red") is not None:
        found.append(
            Headline(_relabel(counts["red"], "measures failing target"), before.get("red"), higher_is_better=False)
        )
    return found


def _relabel(figure: Figure, label: str) -> Figure:
    return Figure(figure.key, figure.value, figure.url, label, figure.kind, figure.base, figure.base_label)


def threats_rose(since) -> int:
    from strategy.models import Threat, ThreatAssessment
    from strategy.selectors.threats import rose_since

    value, _ = cached_summary(
        f"strategy:threats-rose:{since.isoformat()}",
        lambda: rose_since(since).count(),
        models=[Threat, ThreatAssessment],
    )
    return value


def threats_attention(user, period, data) -> list[Attention]:
    """Threats whose priority rose since the period began (as things stand now)."""
    if not user.has_perm("strategy.view_threat"):
        return []
    rose = threats_rose(period.start)
    url = with_query(reverse("strategy:threat-list"), rose_since=period.start.isoformat())
    figure = Figure(
        key=f"threats:rose:{period.start.isoformat()}", value=rose, url=url, label="threats whose priority rose"
    )
    verb = "threats have" if rose != 1 else "threat has"
    return [Attention(f"{verb} risen in priority since {period.start:%-d %B %Y}", figure, order=URGENT)]


def strategy_attention(user, period, data) -> list[Attention]:
    """The strategy's warnings that a chief officer can act on: MSHT not in the control strategy, the PCC
    not briefed, no approved strategy. Each links to the strategy to put it right."""
    strategy = data.get("strategy")
    if strategy is None:
        return [Attention("There is no force strategy for MSHT yet.", url=reverse("strategy:index"), order=URGENT)]
    url = reverse("strategy:strategy-detail", args=[strategy["pk"]])
    items = []
    if not strategy.get("approved"):
        items.append(Attention("The force strategy has not been approved.", url=url, order=URGENT))
    if not strategy["in_control"]:
        items.append(Attention("MSHT is not a priority in the force control strategy.", url=url, order=DUE))
    if strategy["pcc_briefed_on"] is None:
        items.append(
            Attention("The police and crime commissioner has not been briefed on the strategy.", url=url, order=DUE)
        )
    return items
