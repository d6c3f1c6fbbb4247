"""Adding and changing operations and their outcomes. Every write names who (`by=`) and why."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mshtgov import scoring
from mshtgov.tracking import save_tracked
from operations.models import Operation, Outcome

THREAT_LABEL = "strategy.threat"


def _apply_threats(operation: Operation, threats) -> list:
    """Priority from the linked threats' latest assessments (read through the core's scoring registry,
    so this app never imports the threat register) and their names, kept for the history."""
    threats = list(threats)
    latest = scoring.latest_priorities(THREAT_LABEL, [t.pk for t in threats])
    operation.apply_priority(latest.values())
    operation.threat_names = "; ".join(sorted(str(t) for t in threats))[:1000]
    return threats


@transaction.atomic
def operation_create(*, by, threats=(), reason: str = "Operation added", **fields) -> Operation:
    """Add an operation (OFFICIAL-SENSITIVE unless said otherwise) with an empty outcome record."""
    operation = Operation(**fields)
    threats = _apply_threats(operation, threats)
    save_tracked(operation, by=by, reason=reason)
    operation.threats.set(threats)
    save_tracked(Outcome(operation=operation), by=by, reason=reason)
    return operation


@transaction.atomic
def operation_update(*, operation: Operation, by, reason: str, threats=None) -> Operation:
    """Save changes already applied to `operation` (by a form). Its outcomes' dates must still fit."""
    if threats is not None:
        threats = _apply_threats(operation, threats)
    else:
        _apply_threats(operation, operation.threats.all())
    save_tracked(operation, by=by, reason=reason)
    if threats is not None:
        operation.threats.set(threats)
    outcome = Outcome.objects.filter(operation=operation).first()
    if outcome is not None:
        outcome.operation = operation
        errors = outcome._dates_against(operation)
        if errors:
            raise ValidationError(
                {"closed_on": "Outcome dates would fall outside the operation: " + "; ".join(errors.values())}
            )
    bad = operation.disruptions.exclude(disrupted_on__gte=operation.opened_on)
    if operation.closed_on:
        bad = bad | operation.disruptions.filter(disrupted_on__gt=operation.closed_on)
    if bad.exists():
        raise ValidationError(
            {"closed_on": "A disruption of this operation would fall outside its opened and closed dates."}
        )
    return operation


@transaction.atomic
def outcome_update(*, outcome: Outcome, by, reason: str) -> Outcome:
    """Save changed counts; contradictory counts or dates out of order are refused naming the field."""
    return save_tracked(outcome, by=by, reason=reason)


def operations_refresh_priorities(*, by, reason: str = "Linked threats reassessed", threat_ids=None) -> int:
    """Recompute the priority of operations that take it from their threats (after reassessments): those
    linked to `threat_ids`, or all of them (the nightly safety net, for assessments changed elsewhere)."""
    operations = Operation.objects.exclude(priority_source="own")
    if threat_ids is not None:
        operations = operations.filter(
            pk__in=Operation.threats.through.objects.filter(threat_id__in=threat_ids).values("operation_id")
        )
    changed = 0
    for operation in operations.prefetch_related("threats"):
        before = (operation.priority_score, operation.priority_band)
        _apply_threats(operation, operation.threats.all())
        if (operation.priority_score, operation.priority_band) != before:
            save_tracked(operation, by=by, reason=reason, clean=False)
            changed += 1
    return changed


def follow_threat_reassessments(threat_ids, *, by, reason: str) -> int:
    """Called through `mshtgov.scoring` when a linked threat is reassessed (this app never imports strategy)."""
    return operations_refresh_priorities(by=by, reason=reason, threat_ids=threat_ids)
