"""Celery tasks: thin adapters that take ids and call services (names fixed by settings and schedule)."""

from celery import shared_task

from mshtgov.queueing import RECORD_JOB_OPTIONS


@shared_task(bind=True, **RECORD_JOB_OPTIONS)
def build_board_pack_task(self, pack_id: int) -> str:
    from governance.services.packs import board_pack_build

    pack = board_pack_build(pack_id=pack_id)
    return pack.status if pack else "missing"


@shared_task(acks_late=True)
def send_action_reminders_task() -> int:
    from governance.services.reminders import reminders_send

    return len(reminders_send())


@shared_task(acks_late=True)
def sweep_stuck_board_packs_task() -> dict:
    from governance.services.packs import board_pack_sweep

    return board_pack_sweep()
