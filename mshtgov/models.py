"""Bases every domain model builds on, and the append-only access log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """A governance record: its every change is kept (who, when, what, why) by simple-history.

    `updated_at` doubles as the concurrency token that stops a second editor silently overwriting
    the first: `mshtgov.forms.AuditedModelForm` puts the version the editor saw on the instance, and saving
    checks it under a row lock (`mshtgov.tracking.save_checking_version`).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from mshtgov.tracking import save_checking_version

        save_checking_version(self, lambda: super(TrackedModel, self).save(*args, **kwargs))


class AccessAction(models.TextChoices):
    CONSULT = "consult", "Viewed"
    DISCLOSE = "disclose", "Exported or disclosed"
    COMBINE = "combine", "Combined into a document"
    SEARCH = "search", "Searched"
    REDACT = "redact", "Redacted personal data"
    DISPOSE = "dispose", "Disposed of"


class AccessLog(models.Model):
    """Who viewed or exported which sensitive record, and when (DPA 2018 s.62).

    Rows are never changed or deleted: database triggers refuse it (migration 0002) and the admin
    is read-only. The username is copied so the log still reads after an account is removed.
    """

    history_exempt_reason = "Append-only: rows never change, so there is no history to keep."

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    marking = models.CharField(max_length=24, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    recipients = models.TextField(blank=True, help_text="For disclosures: who received it.")
    justification = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="mshtgov_accesslog_object_idx"),
            models.Index(fields=["username", "at"], name="mshtgov_accesslog_user_idx"),
            # The access log page's filters on a log that only grows (issue 15): an action's entries newest
            # first, and a person's (the filter ignores case, so on the upper-cased name), counted and paged
            # from an index rather than the whole table.
            models.Index(fields=["action", "at", "id"], name="mshtgov_accesslog_action_idx"),
            models.Index(Upper("username"), models.F("at"), name="mshtgov_accesslog_uuser_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"


class UserSession(models.Model):
    """Which session keys belong to which user, so an admin can end all of one user's sessions.

    Django's session store cannot be searched by user (the user id sits inside each encoded session),
    so sign-in records the pair here and sign-out removes it (docs/SECURITY.md SESS-4).
    """

    history_exempt_reason = "An index of live sessions, not a governance record; sign-ins are in the security log."

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user_id}: session from {self.signed_in_at:%Y-%m-%d %H:%M}"


class Citation(TrackedModel):
    """A record cited as evidence by another: an answer to a requirement, or an inspection finding, pointing
    at a lesson, an action, a decision, a board paper... Both ends are generic relations so the core names
    no app; the cited record's name is copied so a citation still reads after the record is deleted."""

    citing_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    citing_id = models.PositiveBigIntegerField()
    citing = GenericForeignKey("citing_type", "citing_id")
    cited_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    cited_id = models.PositiveBigIntegerField()
    cited = GenericForeignKey("cited_type", "cited_id")
    label = models.CharField(max_length=300, help_text="The cited record's name when it was cited.")
    note = models.CharField("what it shows", max_length=300, blank=True)
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citing_type", "citing_id", "cited_type", "cited_id"], name="mshtgov_citation_once"
            )
        ]
        indexes = [
            models.Index(fields=["citing_type", "citing_id"], name="mshtgov_citation_citing"),
            models.Index(fields=["cited_type", "cited_id"], name="mshtgov_citation_cited"),
        ]

    def __str__(self):
        return self.label


from mshtgov.personal_data.models import DisposalTombstone, RetentionDecision, RetentionReviewNotice  # noqa: E402

__all__ = [
    "AccessAction",
    "AccessLog",
    "Citation",
    "DisposalTombstone",
    "RetentionDecision",
    "RetentionReviewNotice",
    "TrackedModel",
    "UserSession",
]


class EnrolmentCode(models.Model):
    """A one-time code an admin gives a person so they can set up two-step sign-in (`mshtgov.mfa.enrolment`).

    Without one, an account with no authenticator yet (a new account, an admin reset) could be taken over
    by anyone holding its password: they would set up their own authenticator first. Only a keyed hash of
    the code is kept; a code works once, for one account, until it expires or is guessed at too often."""

    history_exempt_reason = (
        "A one-time secret's hash: issued, then used or expired, never edited; both are in the security log."
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="mshtgov_enrol_user_expiry")]

    def __str__(self):
        return f"Enrolment code for {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"
