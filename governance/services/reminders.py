"""The daily reminder digest: one email per owner of their actions due within a week or overdue."""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from governance.models import Action, ReminderDigest
from mshtgov.marking import highest

log = logging.getLogger(__name__)


def _subject(marking, count: int, overdue: int) -> str:
    what = f"{count} action{'s' if count != 1 else ''} due within a week"
    if overdue:
        what += f", {overdue} overdue"
    return f"[{marking.label}] {what}"


def reminders_send(*, today: date | None = None) -> list[ReminderDigest]:
    """Send today's digests. A rerun on the same day sends nothing twice: each (owner, date) gets one
    row, claimed before the email goes; a digest whose email failed stays unsent and is retried."""
    today = today or timezone.localdate()
    due = Action.objects.due_soon(today).select_related("board").order_by("owner_id", "due_date", "id")
    by_owner: dict[int, list[Action]] = {}
    for action in due:
        by_owner.setdefault(action.owner_id, []).append(action)
    owners = get_user_model().objects.in_bulk(list(by_owner))
    sent = []
    for owner_id, actions in by_owner.items():
        owner = owners[owner_id]
        if not owner.is_active or not owner.email:
            continue
        digest = _send_one(owner, actions, today)
        if digest is not None:
            sent.append(digest)
    return sent


def _send_one(owner, actions, today) -> ReminderDigest | None:
    marking = highest(*[a.marking for a in actions])
    overdue = [a for a in actions if a.is_overdue(today)]
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest, _ = ReminderDigest.objects.select_for_update().get_or_create(
                    owner=owner,
                    date=today,
                    defaults={
                        "subject": _subject(marking, len(actions), len(overdue)),
                        "marking": marking.value,
                        "recipient": owner.email,
                        "actions": [
                            {
                                "id": a.pk,
                                "title": a.title,
                                "due_date": a.due_date.isoformat(),
                                "overdue": a.is_overdue(today),
                            }
                            for a in actions
                        ],
                    },
                )
        except IntegrityError:
            return None  # another run claimed this owner's digest at the same moment
        if digest.sent_at is not None:
            return None
        context = {
            "owner": owner,
            "actions": actions,
            "overdue": overdue,
            "today": today,
            "marking": marking.label,
            "site": settings.SITE_URL,
        }
        send_mail(
            digest.subject,
            render_to_string("governance/email/reminder_digest.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [digest.recipient],
            html_message=render_to_string("governance/email/reminder_digest.html", context),
        )
        digest.sent_at = timezone.now()
        digest.save(update_fields=["sent_at"])
    return digest
