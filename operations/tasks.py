"""Celery tasks: thin adapters that call services (names fixed by mshtgov/schedule.py)."""

from celery import shared_task


@shared_task(acks_late=True)
def raise_overdue_debrief_actions_task() -> int:
    from django.utils import timezone

    from operations.services.debriefs import debriefs_raise_overdue_actions

    return len(debriefs_raise_overdue_actions(today=timezone.localdate()))


@shared_task(acks_late=True)
def refresh_operation_priorities_task() -> int:
    """Operations that take their priority from linked threats follow the threats' latest assessments."""
    from operations.services.operations import operations_refresh_priorities

    return operations_refresh_priorities(by=None)
