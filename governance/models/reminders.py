"""A record of each reminder digest sent, so a rerun on the same day sends nothing twice."""

from django.conf import settings
from django.db import models


class ReminderDigest(models.Model):
    history_exempt_reason = (
        "A log of emails sent, not a governance record: written once, then only stamped when the email goes."
    )

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests")
    date = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300)
    marking = models.CharField(max_length=24)
    actions = models.JSONField(default=list, help_text="(id, title, due date, overdue) of each action listed.")
    recipient = models.EmailField()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "date"], name="governance_reminderdigest_one_per_day")]

    def __str__(self):
        return f"{self.subject} ({self.date})"
