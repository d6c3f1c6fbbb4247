"""Figures about the threat register."""

from mshtgov import scoring
from strategy.models import Threat


def threat_score_key(pk, assessed_on) -> str:
    """The figure key of a threat's score at one assessment (the dashboard's top threats, the threat page)."""
    return f"threat-{pk}:score:{assessed_on.isoformat()}"


def latest_scored(as_of=None, threats=None):
    """Threats annotated with their latest assessment, in one query. With `as_of`: active threats only and
    their latest assessment on or before that day (the heat map's rule); without: every threat given."""
    if as_of is None:
        return (threats if threats is not None else Threat.objects.active()).with_latest()
    threats = (threats if threats is not None else Threat.objects).active()
    from django.db.models import OuterRef, Subquery

    from strategy.models import ThreatAssessment

    latest = ThreatAssessment.objects.filter(threat=OuterRef("pk"), assessed_on__lte=as_of).order_by(
        "-assessed_on", "-id"
    )
    return threats.annotate(
        latest_on=Subquery(latest.values("assessed_on")[:1]),
        latest_score=Subquery(latest.values("priority_score")[:1]),
        latest_band=Subquery(latest.values("band")[:1]),
        latest_harm=Subquery(latest.values("harm")[:1]),
        latest_likelihood=Subquery(latest.values("likelihood")[:1]),
    )


def heat_map_counts(as_of=None) -> dict[tuple[int, int], list[tuple[int, str]]]:
    """{(harm, likelihood): [(threat id, title), ...]} from each active threat's latest assessment."""
    cells: dict[tuple[int, int], list] = {}
    for pk, title, harm, likelihood in (
        latest_scored(as_of)
        .filter(latest_harm__isnull=False)
        .values_list("pk", "title", "latest_harm", "latest_likelihood")
    ):
        cells.setdefault((harm, likelihood), []).append((pk, title))
    return cells


def top_threats(limit=5, as_of=None) -> list[dict]:
    rows = (
        latest_scored(as_of)
        .filter(latest_score__isnull=False)
        .order_by("-latest_score", "title")
        .values("pk", "title", "category", "level", "marking", "latest_score", "latest_band", "latest_on")[:limit]
    )
    out = []
    for row in rows:
        row["band_label"] = dict(scoring.BAND_CHOICES).get(row["latest_band"], "")
        row["band_colour"] = scoring.BAND_COLOURS.get(row["latest_band"], "grey")
        out.append(row)
    return out


def rose_since(since):
    """Active threats whose latest priority score now is higher than their latest score on `since`: the
    threats whose priority rose since that day (a threat first assessed after it has not "risen"). One query."""
    from django.db.models import F, OuterRef, Subquery

    from strategy.models import ThreatAssessment

    before = ThreatAssessment.objects.filter(threat=OuterRef("pk"), assessed_on__lte=since).order_by(
        "-assessed_on", "-id"
    )
    return (
        Threat.objects.active()
        .with_latest()
        .annotate(score_then=Subquery(before.values("priority_score")[:1]))
        .filter(score_then__isnull=False, latest_score__gt=F("score_then"))
    )
