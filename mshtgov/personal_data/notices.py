"""The monthly retention review email: to each owner, their records due for review; to each senior
leader, every record due. Marked with the highest marking of what it lists."""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mshtgov.marking import highest
from mshtgov.personal_data.models import RetentionReviewNotice
from mshtgov.personal_data.retention import DueRecord, due_for_review
from mshtgov.roles import Role

log = logging.getLogger(__name__)


def _recipients(due: list[DueRecord]) -> dict:
    by_user: dict = defaultdict(list)
    for item in due:
        if item.owner is not None:
            by_user[item.owner].append(item)
    leaders = get_user_model().objects.filter(is_active=True, groups__name=Role.SENIOR_LEADER.label).distinct()
    for leader in leaders:
        by_user[leader] = list(due)
    return by_user


def retention_notices_send(*, today: date | None = None) -> int:
    """Send this month's review emails; returns how many were sent. A rerun in the same month sends none
    twice (each person's notice is claimed before its email goes)."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    due = due_for_review(today)
    sent = 0
    for user, items in _recipients(due).items():
        if not items or not user.is_active or not user.email:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    notice = RetentionReviewNotice.objects.create(user=user, month=month, records=len(items))
            except IntegrityError:
                continue  # already sent this month
            marking = highest(*[getattr(item.record, "marking", None) for item in items])
            context = {
                "user": user,
                "items": items,
                "marking": marking.label,
                "today": today,
                "link": settings.SITE_URL + reverse("retention-reviews"),
            }
            count = f"{len(items)} record{'s' if len(items) != 1 else ''}"
            send_mail(
                f"[{marking.label}] {count} due for retention review",
                render_to_string("personal_data/email/review_notice.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
            sent += 1
    return sent
