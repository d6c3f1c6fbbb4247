"""The disruption log and its quality review (never by the assessor)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mshtgov.tracking import save_tracked
from operations.models import Disruption, ReviewStatus
from operations.models.disruptions import REVIEW_PERMISSION


@transaction.atomic
def disruption_create(*, operation, by, assessed_by=None, **fields) -> Disruption:
    """Log a disruption as assessed (by `assessed_by`, else whoever logs it), awaiting review."""
    disruption = Disruption(operation=operation, assessed_by=assessed_by or by, **fields)
    return save_tracked(disruption, by=by, reason="Disruption logged")


@transaction.atomic
def disruption_update(*, disruption: Disruption, by, reason: str) -> Disruption:
    """Save the assessor's changes; a challenged disruption goes back for review."""
    if disruption.review_status == ReviewStatus.CHALLENGED:
        disruption.review_status = ReviewStatus.PENDING
    elif disruption.review_status != ReviewStatus.PENDING:
        raise ValidationError("A reviewed disruption can no longer be changed.")
    return save_tracked(disruption, by=by, reason=reason)


def may_review(user, disruption: Disruption) -> bool:
    return user.has_perm(REVIEW_PERMISSION) and disruption.assessed_by_id != user.pk


@transaction.atomic
def disruption_review(
    *, disruption: Disruption, decision: str, by, reason: str = "", new_level: str = "", on=None
) -> Disruption:
    """Accept, challenge (with a reason, back to the assessor) or regrade (new level and reason, the
    assessor's level kept). The reviewer is never the assessor."""
    if disruption.assessed_by_id == by.pk:
        raise ValidationError("You assessed this disruption: someone else must review it.")
    if not by.has_perm(REVIEW_PERMISSION):
        raise ValidationError("You may not review disruptions.")
    if disruption.review_status != ReviewStatus.PENDING:
        raise ValidationError("This disruption is not awaiting review.")
    errors = {}
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.CHALLENGED, ReviewStatus.REGRADED):
        errors["decision"] = "Choose accept, challenge or regrade."
    if decision in (ReviewStatus.CHALLENGED, ReviewStatus.REGRADED) and not reason.strip():
        errors["reason"] = "Give the reason for the challenge or the regrade."
    if decision == ReviewStatus.REGRADED:
        if not new_level:
            errors["new_level"] = "Choose the level you regrade it to."
        elif new_level == disruption.level:
            errors["new_level"] = "Choose a level other than the assessor's, or accept it."
    if errors:
        raise ValidationError(errors)
    disruption.review_status = decision
    disruption.reviewed_by = by
    disruption.reviewed_on = on or timezone.localdate()
    disruption.review_reason = reason.strip()
    disruption.regraded_level = new_level if decision == ReviewStatus.REGRADED else ""
    labels = {
        ReviewStatus.ACCEPTED: "accepted",
        ReviewStatus.CHALLENGED: "challenged",
        ReviewStatus.REGRADED: "regraded",
    }
    return save_tracked(disruption, by=by, reason=f"Disruption {labels[decision]}", clean=False)
