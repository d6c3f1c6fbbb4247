"""Board packs: a PDF snapshot of a meeting's papers and the force's figures, built in the background."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel

from .meetings import Meeting


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    WITHDRAWN = "withdrawn", "Withdrawn"  # it held text later redacted, or a record later disposed of


IN_FLIGHT = (PackStatus.QUEUED, PackStatus.RENDERING)


class BoardPackQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Packs hold the force's internal figures: internal users who may see the meeting only."""
        from mshtgov.roles import is_external_partner

        if is_external_partner(user):
            return self.none()
        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))

    def in_flight(self):
        return self.filter(status__in=IN_FLIGHT)


class BoardPack(TrackedModel, MarkedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=PackStatus.choices, default=PackStatus.QUEUED)
    sections = models.JSONField(default=list, help_text="Keys of the sections the secretary chose.")
    # Set once the broker accepted the job; empty while Redis is unreachable (the sweeper sends it later).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # Renewed by the running job (mshtgov.queueing.heartbeat): stale means its worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True, help_text="Sections that could not be produced.")
    built_for = models.CharField(max_length=300, blank=True, help_text="Whom the pack was built for (its audience).")
    file = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two requests for one meeting at once give one build, not two.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status__in=["queued", "rendering"]),
                name="governance_boardpack_one_in_flight",
            )
        ]

    def __str__(self):
        return f"Board pack for {self.meeting}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:pack-detail", args=[self.pk])

    @property
    def in_flight(self) -> bool:
        return self.status in IN_FLIGHT

    @property
    def waiting_for_background_service(self) -> bool:
        return self.status == PackStatus.QUEUED and self.enqueued_at is None

    def download_name(self) -> str:
        from mshtgov.marking import Marking

        when = self.meeting.date.isoformat()
        return f"{Marking(self.marking).label}-board-pack-{self.meeting.board_id}-{when}-{self.pk}.pdf"
