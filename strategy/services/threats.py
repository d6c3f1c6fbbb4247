"""Threat assessments."""

from django.db import transaction

from strategy.models import ThreatAssessment


@transaction.atomic
def threat_assessment_create(
    *, threat, user, assessed_on, harm, likelihood, confidence, capacity, capability, rationale="", marking=None
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
        assessed_by=user,
    )
    if marking:
        assessment.marking = marking
    assessment.full_clean(exclude=["priority_score", "band"])
    assessment._history_user = user
    assessment._change_reason = "Assessed"
    assessment.save()
    return assessment
