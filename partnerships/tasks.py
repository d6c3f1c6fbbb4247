from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, max_retries=3)
def send_review_digest_task():
    """Daily (07:15 Europe/London). Safe to rerun: nobody gets a second digest for the same day."""
    from partnerships.services.digest import review_digest_send

    return review_digest_send(today=timezone.localdate())
