"""Evidence bundles: for a self-assessment (or one theme of it), a marked PDF of every requirement with its
status, evidence and cited records, zipped with the board papers cited and tables of everything cited.
Built in the background like board packs; never edited: a newer picture is a new bundle."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from mshtgov.reference import GuidanceTheme
from mshtgov.roles import Role, has_role, is_external_partner
from strategy.models import Assessment, AssessmentStatus


class BundleStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    WITHDRAWN = "withdrawn", "Withdrawn"


IN_FLIGHT = (BundleStatus.QUEUED, BundleStatus.BUILDING)
BUILDERS = (Role.SENIOR_LEADER, Role.ANALYST)


class EvidenceBundleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Builders see every bundle; PCC liaisons the bundles of signed-off assessments; nobody else any."""
        if not getattr(user, "is_authenticated", False) or is_external_partner(user):
            return self.none()
        if not user.has_perm("inspection.view_evidencebundle"):
            return self.none()
        if has_role(user, *BUILDERS):
            return self
        if has_role(user, Role.PCC_LIAISON):
            return self.filter(assessment__status=AssessmentStatus.SIGNED_OFF)
        return self.none()

    def in_flight(self):
        return self.filter(status__in=IN_FLIGHT)


class EvidenceBundle(TrackedModel, MarkedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence_bundles")
    theme = models.CharField(
        max_length=16, choices=GuidanceTheme.choices, blank=True, help_text="Empty: every theme of the assessment."
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=BundleStatus.choices, default=BundleStatus.QUEUED)
    # Set once the broker accepted the job; empty while it is unreachable (the sweeper sends it later).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # Renewed by the running job (mshtgov.queueing.heartbeat): stale means its worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    pdf_file = models.FileField(max_length=200, blank=True)
    zip_file = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField("SHA-256 of the ZIP", max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # What the bundle holds: the files in the ZIP, and the records it cites by kind ({"learning.lesson": [ids]}),
    # so a reader's right to every one of them is checked on download and a redaction can find the bundle.
    manifest = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True, help_text="Requirements, cited records, papers, withheld.")
    withdrawn_reason = models.TextField(blank=True)

    objects = EvidenceBundleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two clicks at once give one build, not two.
            models.UniqueConstraint(
                fields=["assessment", "theme"],
                condition=Q(status__in=["queued", "building"]),
                name="inspection_evidencebundle_one_in_flight",
            )
        ]

    def __str__(self):
        scope = self.get_theme_display() if self.theme else "all themes"
        return f"Evidence bundle for {self.assessment} ({scope})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("inspection:bundle-detail", args=[self.pk])

    @property
    def in_flight(self) -> bool:
        return self.status in IN_FLIGHT

    @property
    def waiting_for_background_service(self) -> bool:
        return self.status == BundleStatus.QUEUED and self.enqueued_at is None

    def download_name(self, ext: str) -> str:
        from mshtgov.marking import Marking

        scope = self.theme or "all-themes"
        return f"{Marking(self.marking).label}-evidence-bundle-{self.assessment_id}-{scope}-{self.pk}.{ext}"
