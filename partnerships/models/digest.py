from django.conf import settings
from django.db import models

from mshtgov.models import TrackedModel


class ReviewDigestLog(TrackedModel):
    """One row per person per day a review digest went out: the unique pair is what stops a second email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="partnerships_digest_once_a_day"),
        ]

    def __str__(self):
        return f"Review digest to {self.user} on {self.sent_on}"
