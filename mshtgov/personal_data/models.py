"""What the personal-data work keeps: retention decisions, disposal tombstones and review notices.

Redactions are kept in the access log (action "redact"): who, when, why, which record and field, never
the removed text.
"""

from django.conf import settings
from django.db import models


class RetentionDecision(models.Model):
    """A decision to keep a record after its review: why, and when to review it again."""

    history_exempt_reason = "Append-only: each review adds a decision; none is changed."

    kind = models.CharField(max_length=100, help_text="The record's model, e.g. learning.lesson.")
    object_id = models.BigIntegerField()
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    decided_by_name = models.CharField(max_length=150)
    reason = models.TextField()
    next_review_on = models.DateField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id", "-decided_at"], name="mshtgov_retention_record_idx")]
        permissions = [
            ("act_as_data_protection_officer", "Can redact personal data and dispose of any record (DPO)"),
            ("review_retention", "Can keep or dispose of any record due for review"),
        ]

    def __str__(self):
        return f"Keep {self.kind} {self.object_id} until {self.next_review_on:%Y-%m-%d}"


class DisposalTombstone(models.Model):
    """What remains of a disposed record: its kind and id, when, who and why. No copy of its content."""

    history_exempt_reason = "A tombstone is written once and never changed."

    kind = models.CharField(max_length=100)
    kind_label = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    disposed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    disposed_by_name = models.CharField(max_length=150)
    reason = models.TextField()
    also_disposed = models.JSONField(default=dict, blank=True, help_text="Dependent records disposed with it.")
    documents = models.JSONField(default=list, blank=True, help_text="Built documents withdrawn or rebuilt.")

    class Meta:
        ordering = ["-disposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="mshtgov_tombstone_once")]

    def __str__(self):
        return f"{self.kind_label} {self.object_id} disposed on {self.disposed_at:%Y-%m-%d}"


class RetentionReviewNotice(models.Model):
    """One review email per person per month: claimed before it is sent, so a rerun sends nothing twice."""

    history_exempt_reason = "A send log for the monthly review email, not a governance record."

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month of the review.")
    records = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="mshtgov_review_notice_once")]

    def __str__(self):
        return f"Retention review for {self.user_id}, {self.month:%B %Y}"
