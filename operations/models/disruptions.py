"""The disruption log on the NCA's national scale, with a quality review by someone other than the
assessor. Only reviewed disruptions count: accepted at their level, or regraded at the reviewer's level
(the assessor's level is kept beside it)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, NullIf

from mshtgov.access import user_may
from mshtgov.marking import MarkedModel, Marking, MarkingField
from mshtgov.models import TrackedModel
from mshtgov.reference import Pillar

from .vocabulary import COUNTED_REVIEWS, LEVEL_COLOURS, DisruptionLevel, ReviewStatus, TacticGroup

REVIEW_PERMISSION = "operations.review_disruption"


class DisruptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user_may(user, perms=("operations.view_operation",)):
            return self
        return self.none()

    def with_final_level(self):
        """`level_after_review`: the reviewer's level for a regraded disruption, else the assessor's."""
        return self.annotate(level_after_review=Coalesce(NullIf(F("regraded_level"), models.Value("")), F("level")))

    def counted(self):
        return self.filter(review_status__in=COUNTED_REVIEWS)

    def at_level(self, level: str):
        """Counted disruptions at `level` after review."""
        regraded = Q(review_status=ReviewStatus.REGRADED, regraded_level=level)
        accepted = Q(review_status=ReviewStatus.ACCEPTED, level=level)
        return self.filter(regraded | accepted)

    def awaiting_review(self):
        return self.filter(review_status=ReviewStatus.PENDING)


class Disruption(TrackedModel, MarkedModel):
    operation = models.ForeignKey("operations.Operation", on_delete=models.CASCADE, related_name="disruptions")
    disrupted_on = models.DateField("date of the disruption")
    level = models.CharField("level (NCA scale)", max_length=10, choices=DisruptionLevel.choices)
    pillar = models.CharField("4P pillar", max_length=16, choices=Pillar.choices)
    tactic_group = models.CharField(max_length=12, choices=TacticGroup.choices)
    lead_agency = models.CharField(max_length=200)
    partner_agencies = models.CharField(max_length=500, blank=True)
    justification = models.TextField(help_text="Why this level: what the disruption stopped or changed.")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    reviewed_on = models.DateField(null=True, blank=True, editable=False)
    review_reason = models.TextField(blank=True, editable=False)
    regraded_level = models.CharField(max_length=10, choices=DisruptionLevel.choices, blank=True, editable=False)
    reported_to_nca_on = models.DateField("reported to the NCA on", null=True, blank=True)
    marking = MarkingField(default=Marking.OFFICIAL_SENSITIVE)

    objects = DisruptionQuerySet.as_manager()

    class Meta:
        ordering = ["-disrupted_on", "-id"]
        indexes = [
            models.Index(fields=["review_status", "disrupted_on"], name="operations_dis_review"),
            models.Index(fields=["disrupted_on"], name="operations_dis_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("assessed_by")),
                name="operations_disruption_reviewer_not_assessor",
            ),
            models.CheckConstraint(
                condition=~Q(review_status=ReviewStatus.REGRADED) | ~Q(regraded_level=""),
                name="operations_disruption_regrade_has_level",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=[ReviewStatus.PENDING, ReviewStatus.ACCEPTED]) | ~Q(review_reason=""),
                name="operations_disruption_review_has_reason",
            ),
        ]
        permissions = [("review_disruption", "Review disruptions (never one's own assessment)")]

    def __str__(self):
        return f"{self.get_level_display()} disruption on {self.disrupted_on:%d %b %Y}"

    @property
    def final_level(self) -> str:
        return self.regraded_level or self.level

    @property
    def final_level_label(self) -> str:
        return DisruptionLevel(self.final_level).label

    @property
    def level_colour(self) -> str:
        return LEVEL_COLOURS.get(self.final_level, "grey")

    @property
    def counts(self) -> bool:
        return self.review_status in COUNTED_REVIEWS

    def clean(self):
        errors = {}
        operation = self.operation if self.operation_id else None
        if operation and self.disrupted_on:
            if self.disrupted_on < operation.opened_on:
                errors["disrupted_on"] = f"This is before the operation opened ({operation.opened_on:%-d %B %Y})."
            elif operation.closed_on and self.disrupted_on > operation.closed_on:
                errors["disrupted_on"] = f"This is after the operation closed ({operation.closed_on:%-d %B %Y})."
        if self.reported_to_nca_on and self.disrupted_on and self.reported_to_nca_on < self.disrupted_on:
            errors["reported_to_nca_on"] = "It cannot be reported to the NCA before it happened."
        if not (self.justification or "").strip():
            errors["justification"] = "Say why the disruption is at this level."
        if errors:
            raise ValidationError(errors)
