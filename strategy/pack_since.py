"""What the strategy app adds to a board pack's "since the last meeting" page: measures whose RAG
against target moved, and threats whose priority changed.

Each provider compares the record as it stood on the last meeting's date (`start`) with how it stands
on the pack's date (`end`), in one query: the before and after rows are correlated subqueries, so the
number of queries does not grow with the number of measures or threats.
"""

from django.db.models import OuterRef, Subquery

from governance.packs.since import SinceProvider
from mshtgov import scoring
from mshtgov.marking import highest
from strategy.models import Measure, MeasureValue, Rag, Threat, ThreatAssessment

# Worst first, so "worsened" and "improved" read from the rank; Not rated ranks below every RAG.
_RAG_RANK = {Rag.NOT_RATED: 0, Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 3}


def _value_on(date):
    """The latest value reported for a period that ended on or before `date`."""
    return MeasureValue.objects.filter(measure=OuterRef("pk"), period_end__lte=date).order_by("-period_end", "-id")


def measure_movements(user, start, end) -> dict:
    """Active measures whose RAG against target differs between `start` and `end` (one query)."""
    before, after = _value_on(start), _value_on(end)
    measures = (
        Measure.objects.visible_to(user)
        .filter(active=True)
        .annotate(
            before_value=Subquery(before.values("value")[:1]),
            before_period_end=Subquery(before.values("period_end")[:1]),
            after_value=Subquery(after.values("value")[:1]),
            after_period_end=Subquery(after.values("period_end")[:1]),
        )
        .order_by("pillar", "name")
    )
    rows = []
    for measure in measures:
        before_rag, after_rag = measure.rag_for(measure.before_value), measure.rag_for(measure.after_value)
        if before_rag == after_rag:
            continue
        if before_rag == Rag.NOT_RATED:
            direction = "First rated"
        elif after_rag == Rag.NOT_RATED:
            direction = "No longer rated"
        else:
            direction = "Improved" if _RAG_RANK[after_rag] > _RAG_RANK[before_rag] else "Worsened"
        rows.append(
            {
                "measure": measure,
                "before_value": measure.before_value,
                "before_period_end": measure.before_period_end,
                "before_rag": Rag(before_rag),
                "after_value": measure.after_value,
                "after_period_end": measure.after_period_end,
                "after_rag": Rag(after_rag),
                "direction": direction,
            }
        )
    return {"rows": rows, "start": start, "end": end}


def _assessment_on(date):
    """The latest assessment made on or before `date`."""
    return ThreatAssessment.objects.filter(threat=OuterRef("pk"), assessed_on__lte=date).order_by("-assessed_on", "-id")


def threat_priority_changes(user, start, end) -> dict:
    """Threats whose priority score or band differs between `start` and `end` (one query)."""
    before, after = _assessment_on(start), _assessment_on(end)
    fields = ("assessed_on", "priority_score", "band", "marking")
    threats = (
        Threat.objects.visible_to(user)
        .annotate(
            **{f"before_{f}": Subquery(before.values(f)[:1]) for f in fields},
            **{f"after_{f}": Subquery(after.values(f)[:1]) for f in fields},
        )
        .order_by("title")
    )
    rows, markings = [], []
    for threat in threats:
        if threat.after_priority_score is None:
            continue
        if (threat.before_priority_score, threat.before_band) == (threat.after_priority_score, threat.after_band):
            continue
        before = (
            scoring.Priority(threat.before_priority_score, threat.before_band)
            if threat.before_priority_score is not None
            else None
        )
        after = scoring.Priority(threat.after_priority_score, threat.after_band)
        if before is None:
            direction = "First assessed"
        elif after.score > before.score:
            direction = "Raised"
        elif after.score < before.score:
            direction = "Lowered"
        else:
            # Same score, different band: the bands in scoring.py were changed between the two.
            direction = "Raised" if scoring.BAND_RANK[after.band] > scoring.BAND_RANK[before.band] else "Lowered"
        markings += [threat.marking, threat.before_marking, threat.after_marking]
        rows.append(
            {
                "threat": threat,
                "before": before,
                "before_on": threat.before_assessed_on,
                "after": after,
                "after_on": threat.after_assessed_on,
                "band_changed": before is None or before.band != after.band,
                "direction": direction,
            }
        )
    return {
        "rows": rows,
        "start": start,
        "end": end,
        "scheme": scoring.SCHEME_NAME,
        "marking": highest(*markings).value,
    }


MEASURES_SINCE = SinceProvider(
    key="strategy-measures",
    title="Measures that moved against target",
    order=20,
    gather=measure_movements,
    template="strategy/pack/since_measures.html",
)

THREATS_SINCE = SinceProvider(
    key="strategy-threats",
    title="Threats whose priority changed",
    order=30,
    gather=threat_priority_changes,
    template="strategy/pack/since_threats.html",
)


def register() -> None:
    from governance.packs import since

    since.register(MEASURES_SINCE)
    since.register(THREATS_SINCE)
