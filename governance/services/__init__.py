"""Governance rules. Other apps call `action_create` (and read `Action.objects.for_source`)."""

from governance.services.actions import action_create, action_edit, action_update_progress

__all__ = ["action_create", "action_edit", "action_update_progress"]
