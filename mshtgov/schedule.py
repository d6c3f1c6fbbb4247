"""Celery beat schedule: the periodic jobs every app relies on, in Europe/London time.

The sweepers run every minute: a job whose worker died is failed within a lease and a minute
(`mshtgov.queueing.stalled`), so its requester can try again within minutes. A sweep is one indexed query
when nothing is stuck."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "governance-action-reminders": {
        "task": "governance.tasks.send_action_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "governance-sweep-stuck-packs": {
        "task": "governance.tasks.sweep_stuck_board_packs_task",
        "schedule": crontab(minute="*"),
    },
    "learning-sweep-training-imports": {
        "task": "learning.tasks.sweep_training_imports_task",
        "schedule": crontab(minute="*"),
    },
    "retention-review-notices": {
        "task": "mshtgov.personal_data.tasks.send_retention_notices_task",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
    },
    "inspection-sweep-evidence-bundles": {
        "task": "inspection.tasks.sweep_stuck_evidence_bundles_task",
        "schedule": crontab(minute="*"),
    },
    "operations-overdue-debriefs": {
        "task": "operations.tasks.raise_overdue_debrief_actions_task",
        "schedule": crontab(hour=6, minute=45),
    },
    "operations-refresh-priorities": {
        "task": "operations.tasks.refresh_operation_priorities_task",
        "schedule": crontab(hour=6, minute=40),
    },
    "partnerships-review-digest": {
        "task": "partnerships.tasks.send_review_digest_task",
        "schedule": crontab(hour=7, minute=15),
    },
}
