"""Threat assessments."""

from django.db import transaction

from mshtgov import scoring
from mshtgov.tracking import save_tracked
from strategy.models import ThreatAssessment


@transaction.atomic
def threat_assessment_create(
    *, threat, by, assessed_on, harm, likelihood, confidence, capacity, capability, rationale="", marking=None
) -> ThreatAssessment:
    """Record a scored assessment; the priority score and band are computed by `mshtgov.scoring`."""
    assessment = ThreatAssessment(
        threat=threat,
        assessed_on=assessed_on,
        harm=harm,
        likelihood=likelihood,
        confidence=confidence,
        capacity=capacity,
        capability=capability,
        rationale=rationale,
        assessed_by=by,
    )
    if marking:
        assessment.marking = marking
    save_tracked(assessment, by=by, reason="Assessed", exclude=["priority_score", "band"])
    # Operations linked to this threat take its new priority in the same transaction.
    scoring.reassessed(
        "strategy.threat", [threat.pk], by=by, reason=f"Linked threat reassessed on {assessed_on:%d %B %Y}"
    )
    return assessment
