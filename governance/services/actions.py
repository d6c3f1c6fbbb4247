"""Raising and updating actions in the one action log."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import Action, ActionSource, ActionStatus
from mshtgov.tracking import save_tracked


@transaction.atomic
def action_create(
    *,
    title: str,
    owner,
    due_date,
    by,
    source=None,
    source_kind: str = ActionSource.OTHER,
    board=None,
    pillar: str = "",
    description: str = "",
    marking: str | None = None,
    reason: str = "Action raised",
    not_before=None,
) -> Action:
    """Raise an action, optionally tied to the record it came from. Validates, saves, records history.

    `not_before` (a date, e.g. the meeting that decided it) refuses a due date that falls before it."""
    if not_before is not None and due_date is not None and due_date < not_before:
        raise ValidationError(
            {"due_date": f"The due date must be on or after the meeting date, {not_before:%-d %B %Y}."}
        )
    action = Action(
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        source_kind=source_kind,
        board=board,
        pillar=pillar,
    )
    if marking:
        action.marking = marking
    if source is not None:
        action.source_content_type = ContentType.objects.get_for_model(source, for_concrete_model=False)
        action.source_object_id = source.pk
    save_tracked(action, by=by, reason=reason)
    return action


def _stamp_completion(action: Action) -> None:
    if action.is_open():
        action.completed_on = None
    elif action.completed_on is None:
        action.completed_on = timezone.localdate()


@transaction.atomic
def action_update_progress(*, action: Action, status: str, completion_note: str, by, reason: str) -> Action:
    """The owner's update: status and completion note only. Done or closed needs a note saying what was done."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose a status from the list."})
    if status in (ActionStatus.DONE, ActionStatus.CLOSED) and not completion_note.strip():
        raise ValidationError({"completion_note": "Say what was done (or why it was closed) before completing it."})
    action.status = status
    action.completion_note = completion_note
    _stamp_completion(action)
    save_tracked(action, by=by, reason=reason)
    return action


@transaction.atomic
def action_edit(*, action: Action, by, reason: str) -> Action:
    """A secretary's or senior leader's edit of any field (the form has already set them)."""
    if action.status in (ActionStatus.DONE, ActionStatus.CLOSED) and not action.completion_note.strip():
        raise ValidationError({"completion_note": "Say what was done (or why it was closed) before completing it."})
    _stamp_completion(action)
    save_tracked(action, by=by, reason=reason)
    return action
