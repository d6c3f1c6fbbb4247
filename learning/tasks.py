"""Celery tasks: thin adapters that take ids and call services (names fixed by mshtgov/schedule.py)."""

from celery import shared_task
from django.db import InterfaceError
from django.db import OperationalError as DatabaseOperationalError


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseOperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=3,
)
def apply_training_import_task(batch_id: int) -> str:
    from learning.services.training_import_queue import training_import_run

    batch = training_import_run(batch_id=batch_id)
    return batch.status if batch else "missing"


@shared_task(acks_late=True)
def sweep_training_imports_task() -> dict:
    from learning.services.training_import_queue import training_import_sweep

    return training_import_sweep()
