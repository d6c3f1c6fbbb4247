"""Debriefs: each ended investigation's learning, and one action in the action log when one is late."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from governance.models import Action
from governance.services.actions import action_create
from mshtgov.tracking import save_tracked
from operations.models import Debrief, Operation
from operations.selectors import lessons_for

OVERDUE_ACTION_TITLE = "Hold and record the debrief of operation {reference}"
ACTION_DAYS = 14


@transaction.atomic
def debrief_record(
    *, operation: Operation, by, held_on, no_new_learning: bool, no_learning_reason: str = "", summary: str = ""
) -> Debrief:
    """Record an ended operation's debrief: its lessons (logged in the learning app under the operation's
    reference) or no new learning with a reason."""
    if not operation.is_ended:
        raise ValidationError("Only a concluded or closed operation is debriefed.")
    if Debrief.objects.filter(operation=operation).exists():
        raise ValidationError("This operation's debrief is already recorded.")
    if not no_new_learning:
        lessons = lessons_for(operation.reference)
        if lessons is None or not lessons.exists():
            raise ValidationError(
                {
                    "no_new_learning": f"No lesson is logged under {operation.reference} yet: log the lessons "
                    "first (Learning, Log a lesson, with this operation reference), or tick no new learning and "
                    "say why."
                }
            )
    debrief = Debrief(
        operation=operation,
        held_on=held_on,
        no_new_learning=no_new_learning,
        no_learning_reason=no_learning_reason.strip(),
        summary=summary,
        recorded_by=by,
    )
    return save_tracked(debrief, by=by, reason="Debrief recorded")


def overdue_action_exists(operation) -> bool:
    ct = ContentType.objects.get_for_model(Operation)
    return Action.objects.filter(
        source_content_type=ct, source_object_id=operation.pk, title__startswith="Hold and"
    ).exists()


@transaction.atomic
def debriefs_raise_overdue_actions(*, today, by=None) -> list[Action]:
    """For each operation whose debrief is overdue, one action (never a second) for its officer in charge
    in the one action log."""
    ct = ContentType.objects.get_for_model(Operation)
    already = set(
        Action.objects.filter(source_content_type=ct, title__startswith="Hold and").values_list(
            "source_object_id", flat=True
        )
    )
    raised = []
    for operation in Operation.objects.debrief_overdue(today).select_related("officer_in_charge"):
        if operation.pk in already:
            continue
        raised.append(
            action_create(
                title=OVERDUE_ACTION_TITLE.format(reference=operation.reference),
                description=f"The debrief was due on {operation.debrief_due_on:%-d %B %Y}.",
                owner=operation.officer_in_charge,
                due_date=today + timedelta(days=ACTION_DAYS),
                by=by,
                source=operation,
                pillar="pursue",
                marking=operation.marking,
                reason="Debrief overdue",
            )
        )
    return raised
