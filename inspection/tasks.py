"""Celery tasks: thin adapters that take ids and call services."""

from celery import shared_task

from mshtgov.queueing import RECORD_JOB_OPTIONS


@shared_task(bind=True, **RECORD_JOB_OPTIONS)
def build_evidence_bundle_task(self, bundle_id: int) -> str:
    from inspection.services.bundles import bundle_build

    bundle = bundle_build(bundle_id=bundle_id)
    return bundle.status if bundle else "missing"


@shared_task(acks_late=True)
def sweep_stuck_evidence_bundles_task() -> dict:
    from inspection.services.bundles import bundle_sweep

    return bundle_sweep()
