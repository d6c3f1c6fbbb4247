from celery import shared_task


@shared_task(acks_late=True, name="mshtgov.personal_data.tasks.send_retention_notices_task")
def send_retention_notices_task() -> int:
    """Monthly (1st, 06:30 Europe/London). Safe to rerun: nobody gets a second email for the same month."""
    from mshtgov.personal_data.notices import retention_notices_send

    return retention_notices_send()
