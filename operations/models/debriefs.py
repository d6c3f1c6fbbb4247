"""The debrief from each investigation: lessons captured (in the learning app, under the operation
reference) or "no new learning" with the reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mshtgov.models import TrackedModel


class Debrief(TrackedModel):
    operation = models.OneToOneField("operations.Operation", on_delete=models.CASCADE, related_name="debrief")
    held_on = models.DateField("debrief held on")
    no_new_learning = models.BooleanField(
        "no new learning", default=False, help_text="Tick only if the debrief found nothing new to learn."
    )
    no_learning_reason = models.TextField("why there is no new learning", blank=True)
    summary = models.TextField(blank=True, help_text="What the debrief covered. No names.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(no_new_learning=False) | ~models.Q(no_learning_reason=""),
                name="operations_debrief_no_learning_has_reason",
            )
        ]

    def __str__(self):
        return f"Debrief of operation {self.operation_id} on {self.held_on:%d %b %Y}"

    def clean(self):
        errors = {}
        if self.no_new_learning and not self.no_learning_reason.strip():
            errors["no_learning_reason"] = "Say why the debrief found no new learning."
        if self.operation_id and self.held_on and self.held_on < self.operation.opened_on:
            errors["held_on"] = "The debrief cannot be before the operation opened."
        if errors:
            raise ValidationError(errors)
