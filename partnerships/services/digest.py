import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from mshtgov.marking import highest
from partnerships.models import ReviewDigestLog
from partnerships.selectors import reviews_due

log = logging.getLogger(__name__)


def review_digest_send(*, today) -> int:
    """Email each owner the reviews due in their partnerships, at most once per person per day.

    The log row and the email share one transaction: if the mail server refuses, the row is rolled back
    and the next run tries again; once the row is committed a rerun skips that person. Returns emails sent."""
    by_owner: dict[int, list] = {}
    for item in reviews_due(today):
        if item.owner_id:
            by_owner.setdefault(item.owner_id, []).append(item)
    already = set(ReviewDigestLog.objects.filter(sent_on=today).values_list("user_id", flat=True))
    owners = get_user_model().objects.filter(pk__in=set(by_owner) - already, is_active=True).exclude(email="")
    sent = 0
    for owner in owners:
        items = by_owner[owner.pk]
        try:
            with transaction.atomic():
                ReviewDigestLog.objects.create(user=owner, sent_on=today, items=len(items))
                # Marked like every output: the highest marking of the records it names (at least the default).
                marking = highest(*[item.marking for item in items])
                context = {
                    "owner": owner,
                    "items": items,
                    "today": today,
                    "site": settings.SERVICE_NAME,
                    "marking": marking.label,
                }
                send_mail(
                    subject=f"[{marking.label}] "
                    + render_to_string("partnerships/email/review_digest_subject.txt", context).strip(),
                    message=render_to_string("partnerships/email/review_digest.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[owner.email],
                    html_message=render_to_string("partnerships/email/review_digest.html", context),
                )
        except IntegrityError:
            continue  # another run sent it a moment ago
        except Exception:  # noqa: BLE001 - one refused address must not stop the others' digests
            log.exception("review digest not sent", extra={"user_id": owner.pk})
            continue
        sent += 1
    log.info("partnership review digest", extra={"sent": sent, "day": today.isoformat()})
    return sent
