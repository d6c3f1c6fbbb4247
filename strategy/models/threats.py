"""The interconnected-threat register and its MoRiLE-style assessments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery

from mshtgov import scoring
from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from strategy.models.common import VisibleQuerySet


class ThreatCategory(models.TextChoices):
    MSHT = "msht", "Modern slavery and human trafficking"
    COUNTY_LINES = "county_lines", "County lines"
    CSAE = "csae", "Child sexual abuse and exploitation"
    MISSING = "missing", "Missing people"
    FOREIGN_NATIONALS = "foreign_nationals", "Foreign national suspects"
    OIC = "oic", "Organised immigration crime"
    OTHER = "other", "Other"


class ThreatLevel(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    REGIONAL = "regional", "Regional"
    TACTICAL = "tactical", "Tactical"


class ThreatQuerySet(VisibleQuerySet):
    def with_latest(self):
        """Annotate the latest assessment's date, score and band (three correlated subqueries, one query)."""
        latest = ThreatAssessment.objects.filter(threat=OuterRef("pk")).order_by("-assessed_on", "-id")
        return self.annotate(
            latest_on=Subquery(latest.values("assessed_on")[:1]),
            latest_score=Subquery(latest.values("priority_score")[:1]),
            latest_band=Subquery(latest.values("band")[:1]),
            latest_harm=Subquery(latest.values("harm")[:1]),
            latest_likelihood=Subquery(latest.values("likelihood")[:1]),
        )

    def active(self):
        return self.filter(active=True)


class Threat(TrackedModel, MarkedModel):
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=24, choices=ThreatCategory.choices)
    level = models.CharField(max_length=16, choices=ThreatLevel.choices)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_threats"
    )
    review_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    objects = ThreatQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["category", "level"], name="strategy_threat_category_level")]

    def __str__(self):
        return self.title

    @property
    def band_label(self) -> str:
        band = getattr(self, "latest_band", None)
        return dict(scoring.BAND_CHOICES).get(band, "Not assessed")

    @property
    def band_colour(self) -> str:
        return scoring.BAND_COLOURS.get(getattr(self, "latest_band", None), "grey")


class ThreatAssessment(TrackedModel, MarkedModel):
    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    harm = models.PositiveSmallIntegerField(choices=scoring.choices("harm"))
    likelihood = models.PositiveSmallIntegerField(choices=scoring.choices("likelihood"))
    confidence = models.PositiveSmallIntegerField(choices=scoring.choices("confidence"))
    capacity = models.PositiveSmallIntegerField("force capacity", choices=scoring.choices("capacity"))
    capability = models.PositiveSmallIntegerField("force capability", choices=scoring.choices("capability"))
    priority_score = models.PositiveSmallIntegerField(editable=False)
    band = models.CharField(max_length=16, choices=scoring.BAND_CHOICES, editable=False)
    rationale = models.TextField(blank=True, help_text="What the scores rest on. No victim names.")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["threat", "assessed_on"], name="strategy_threatassessment_one_per_day"),
            models.CheckConstraint(
                condition=Q(
                    harm__gte=1,
                    harm__lte=5,
                    likelihood__gte=1,
                    likelihood__lte=5,
                    confidence__gte=1,
                    confidence__lte=3,
                    capacity__gte=1,
                    capacity__lte=4,
                    capability__gte=1,
                    capability__lte=4,
                ),
                name="strategy_threatassessment_scores_in_scale",
            ),
        ]

    def __str__(self):
        return f"{self.threat} assessed {self.assessed_on:%d %b %Y}"

    def clean(self):
        from django.utils import timezone

        errors = {}
        # A dated-ahead assessment would become "the latest" and move the dashboard today (issue 10).
        if self.assessed_on and self.assessed_on > timezone.localdate():
            errors["assessed_on"] = "The date assessed must be today or in the past."
        for name in scoring.SCALES:
            value = getattr(self, name)
            low, high = scoring.bounds(name)
            if value is not None and not low <= value <= high:
                errors[name] = f"{scoring.DIMENSION_LABELS[name]} must be scored from {low} to {high}."
        if errors:
            raise ValidationError(errors)
        if None not in (self.harm, self.likelihood, self.confidence, self.capacity, self.capability):
            self.compute_priority()

    def save(self, *args, **kwargs):
        # The score is derived, so it is recomputed on every save, whichever path wrote the row.
        self.compute_priority()
        super().save(*args, **kwargs)

    def compute_priority(self) -> None:
        result = scoring.priority(
            harm=self.harm,
            likelihood=self.likelihood,
            confidence=self.confidence,
            capacity=self.capacity,
            capability=self.capability,
        )
        self.priority_score, self.band = result.score, result.band

    @property
    def band_colour(self) -> str:
        return scoring.BAND_COLOURS.get(self.band, "grey")
