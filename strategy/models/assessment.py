"""Self-assessment against the guidance: the framework (data) and the force's assessments of it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from mshtgov.reference import GuidanceTheme
from strategy.models.common import VisibleQuerySet


class Framework(TrackedModel):
    name = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=300, help_text="The guidance the requirements come from.")
    note = models.TextField(blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Requirement(TrackedModel):
    """One "should" of the guidance, in our own words, citing the heading it sits under."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    reference = models.CharField(max_length=16)
    theme = models.CharField(max_length=16, choices=GuidanceTheme.choices)
    heading = models.CharField("guidance heading", max_length=200)
    text = models.TextField()
    order = models.PositiveSmallIntegerField()

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "reference"], name="strategy_requirement_unique_reference"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.text[:80]}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class AssessmentQuerySet(VisibleQuerySet):
    def signed_off(self):
        return self.filter(status=AssessmentStatus.SIGNED_OFF)


class Assessment(TrackedModel, MarkedModel):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(max_length=200)
    period_start = models.DateField("period starts")
    period_end = models.DateField("period ends")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The assessment this one started from.",
    )
    status = models.CharField(max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_on = models.DateField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        permissions = [
            ("submit_assessment", "Can submit a self-assessment for sign-off"),
            ("signoff_assessment", "Can sign off a self-assessment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="strategy_assessment_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off") | Q(signed_off_by__isnull=False, signed_off_on__isnull=False),
                name="strategy_assessment_signoff_recorded",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == AssessmentStatus.SIGNED_OFF


class RequirementStatus(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_ASSESSED = "not_assessed", "Not assessed"


REQUIREMENT_STATUS_COLOURS = {
    RequirementStatus.MET: "green",
    RequirementStatus.PARTLY_MET: "amber",
    RequirementStatus.NOT_MET: "red",
    RequirementStatus.NOT_APPLICABLE: "grey",
    RequirementStatus.NOT_ASSESSED: "blue",
}
# For comparing two assessments; not applicable has no place on the ladder.
REQUIREMENT_STATUS_RANK = {
    RequirementStatus.NOT_ASSESSED: 0,
    RequirementStatus.NOT_MET: 1,
    RequirementStatus.PARTLY_MET: 2,
    RequirementStatus.MET: 3,
}
GAP_STATUSES = (RequirementStatus.NOT_MET, RequirementStatus.PARTLY_MET)


class RequirementAssessment(TrackedModel, MarkedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(max_length=16, choices=RequirementStatus.choices, default=RequirementStatus.NOT_ASSESSED)
    evidence = models.TextField(blank=True, help_text="What shows the requirement is met. No victim names.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_objectives = models.ManyToManyField("strategy.Objective", blank=True, related_name="+")
    evidence_measures = models.ManyToManyField("strategy.Measure", blank=True, related_name="+")
    evidence_threats = models.ManyToManyField("strategy.Threat", blank=True, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "requirement__order"]
        verbose_name = "answer to a requirement"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="strategy_requirementassessment_one_per_requirement"
            ),
        ]
        indexes = [models.Index(fields=["assessment", "status"], name="strategy_answer_status")]

    def __str__(self):
        return f"{self.requirement.reference} in {self.assessment}"

    @property
    def status_colour(self) -> str:
        return REQUIREMENT_STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES

    def has_linked_evidence(self) -> bool:
        """True when the answer links any record as evidence: an objective, measure or threat of its own lists,
        or any record cited through the core's citations (a lesson, action, decision, paper, finding...).
        The "Met needs evidence" rule counts these as well as the evidence text."""
        if self.pk is None:
            return False
        from mshtgov.citations import has_citations

        return (
            has_citations(self)
            or self.evidence_objectives.exists()
            or self.evidence_measures.exists()
            or self.evidence_threats.exists()
        )
