"""Celery tasks: thin adapters that take ids and call services (names fixed by mshtgov/schedule.py)."""

from celery import shared_task

from mshtgov.queueing import RECORD_JOB_OPTIONS


@shared_task(**RECORD_JOB_OPTIONS)
def apply_training_import_task(batch_id: int) -> str:
    from learning.services.training_import_queue import training_import_run

    batch = training_import_run(batch_id=batch_id)
    return batch.status if batch else "missing"


@shared_task(acks_late=True)
def sweep_training_imports_task() -> dict:
    from learning.services.training_import_queue import training_import_sweep

    return training_import_sweep()
