"""A CSV import into the register (operations, or disruptions of operations already in it): staged with a
preview and its errors by row and column, applied whole or not at all, undone whole."""

from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    OPERATIONS = "operations", "Operations"
    DISRUPTIONS = "disruptions", "Disruptions"


class ImportState(models.TextChoices):
    STAGED = "staged", "Checked, not yet imported"
    APPLIED = "applied", "Imported"
    UNDONE = "undone", "Undone"
    DISCARDED = "discarded", "Discarded"


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from mshtgov.access import user_may

        return self if user_may(user, perms=("operations.import_operation",)) else self.none()


class OperationImport(models.Model):
    # The records an import writes are tracked (their history names the import); this row is its log.
    history_exempt_reason = (
        "A log of one upload: its rows are written to tracked records whose history names the import, and the "
        "uploaded text (which may hold refused personal data) must not outlive the preview in a history table."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    # The file's text, kept server-side between the preview and the confirmation (so applying trusts nothing
    # the browser sends back) and cleared once applied or discarded: it may hold refused text.
    content = models.TextField(blank=True, editable=False)
    state = models.CharField(max_length=12, choices=ImportState.choices, default=ImportState.STAGED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="Row, column and message of each problem.")
    preview = models.JSONField(default=list, blank=True)
    created_ids = models.JSONField(default=list, blank=True, editable=False)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} import {self.pk} ({self.get_state_display().lower()})"

    @property
    def may_apply(self) -> bool:
        return self.state == ImportState.STAGED and not self.errors and self.rows_total > 0
