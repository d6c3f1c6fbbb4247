"""Governance rules other apps may call (registers raise actions here; they never touch the models' internals)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from governance.models import Action, ActionSource


@transaction.atomic
def action_create(
    *,
    title: str,
    owner,
    due_date,
    created_by,
    source=None,
    source_kind: str = ActionSource.OTHER,
    board=None,
    pillar: str = "",
    description: str = "",
    marking: str | None = None,
    reason: str = "Action raised",
) -> Action:
    """Raise an action, optionally tied to the record it came from. Validates, saves, records history."""
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
    action.full_clean()
    action._history_user = created_by
    action._change_reason = reason
    action.save()
    return action
