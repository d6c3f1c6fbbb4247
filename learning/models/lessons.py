"""Lessons learned: what an investigation taught the force, and how far the force has acted on it.

A lesson moves observed -> identified -> action assigned -> implemented -> learned, or is not accepted.
The status only changes through `learning.services.lessons` (one function per step), which writes a
`LessonTransition` for each step: the dated, attributed trail the guidance asks for.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mshtgov.marking import MarkedModel, Marking
from mshtgov.models import TrackedModel
from mshtgov.reference import GuidanceTheme, Pillar
from mshtgov.roles import Role, has_role, is_external_partner
from mshtgov.validators import PSEUDONYMOUS_HELP, validate_pseudonymous_reference


class LessonSource(models.TextChoices):
    DEBRIEF = "debrief", "Debrief"
    CASE_REVIEW = "case_review", "Case review"
    CPS_FEEDBACK = "cps_feedback", "CPS feedback"
    INSPECTION = "inspection", "Inspection"
    PARTNER_FEEDBACK = "partner_feedback", "Partner feedback"
    COURT_OUTCOME = "court_outcome", "Court outcome"


class LessonStatus(models.TextChoices):
    OBSERVED = "observed", "Observed"
    IDENTIFIED = "identified", "Identified"
    ACTION_ASSIGNED = "action_assigned", "Action assigned"
    IMPLEMENTED = "implemented", "Implemented"
    LEARNED = "learned", "Learned"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


# The forward path; a lesson moves one step at a time and never back.
LIFECYCLE = [
    LessonStatus.OBSERVED,
    LessonStatus.IDENTIFIED,
    LessonStatus.ACTION_ASSIGNED,
    LessonStatus.IMPLEMENTED,
    LessonStatus.LEARNED,
]
FINAL_STATUSES = (LessonStatus.LEARNED, LessonStatus.NOT_ACCEPTED)
STATUS_COLOURS = {
    LessonStatus.OBSERVED: "grey",
    LessonStatus.IDENTIFIED: "blue",
    LessonStatus.ACTION_ASSIGNED: "yellow",
    LessonStatus.IMPLEMENTED: "amber",
    LessonStatus.LEARNED: "green",
    LessonStatus.NOT_ACCEPTED: "red",
}


def validate_pillars(value: str) -> None:
    chosen = [p for p in (value or "").split(",") if p]
    unknown = [p for p in chosen if p not in Pillar.values]
    if unknown:
        raise ValidationError("Choose pillars from Pursue, Prevent, Protect and Prepare.", code="unknown_pillar")


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons the user may read. PCC liaisons read OFFICIAL lessons only; partners none."""
        if not getattr(user, "is_authenticated", False) or is_external_partner(user):
            return self.none()
        if not user.has_perm("learning.view_lesson"):
            return self.none()
        if has_role(user, Role.SENIOR_LEADER, Role.ANALYST) or user.is_superuser:
            return self
        return self.filter(marking=Marking.OFFICIAL)

    def with_pillar(self, pillar: str):
        # Pillar codes share no substrings, so a contains match on the stored list is exact.
        return self.filter(pillars__contains=pillar)

    def open(self):
        return self.exclude(status__in=FINAL_STATUSES)


class Lesson(TrackedModel, MarkedModel):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    operation_reference = models.CharField(
        "investigation or operation reference",
        max_length=40,
        validators=[validate_pseudonymous_reference],
        help_text=PSEUDONYMOUS_HELP,
    )
    source = models.CharField(max_length=24, choices=LessonSource.choices)
    observed_on = models.DateField()
    pillars = models.CharField(
        "4P pillars", max_length=60, validators=[validate_pillars], help_text="Comma-separated pillar codes."
    )
    guidance_theme = models.CharField(max_length=24, choices=GuidanceTheme.choices)
    what_worked = models.TextField(blank=True)
    what_did_not = models.TextField("what did not work", blank=True)
    root_cause = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    themes = models.ManyToManyField("learning.LessonTheme", related_name="lessons", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_lessons")
    status = models.CharField(max_length=20, choices=LessonStatus.choices, default=LessonStatus.OBSERVED)
    not_accepted_reason = models.TextField(blank=True)
    learned_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    # The theme names as text, kept by the services beside the M2M: the history then shows theme
    # changes (simple-history cannot add m2m tracking to a model that inherits its history).
    theme_names = models.CharField("themes", max_length=1000, blank=True, editable=False)
    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["status", "observed_on"], name="learning_lesson_status_obs"),
            # "Validated as learned in the period": the dashboard's figure and the lesson list it links to.
            models.Index(fields=["status", "learned_on"], name="learning_lesson_status_learned"),
            models.Index(fields=["source", "observed_on"], name="learning_lesson_source_obs"),
            models.Index(fields=["observed_on"], name="learning_lesson_observed"),
            models.Index(fields=["operation_reference"], name="learning_lesson_operation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=LessonStatus.NOT_ACCEPTED) | ~models.Q(not_accepted_reason=""),
                name="learning_lesson_not_accepted_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(learned_on__isnull=True) | models.Q(status=LessonStatus.LEARNED),
                name="learning_lesson_learned_on_only_when_learned",
            ),
        ]
        permissions = [
            ("progress_lesson", "Move a lesson along its lifecycle and raise its actions"),
            ("validate_lesson", "Validate a lesson as learned, or decide it is not accepted"),
            ("view_lesson_patterns", "See patterns across lessons"),
            ("export_lesson", "Export the list of lessons"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def pillar_list(self) -> list[str]:
        return [p for p in self.pillars.split(",") if p]

    @property
    def pillar_labels(self) -> list[str]:
        return [Pillar(p).label for p in self.pillar_list]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def next_status(self):
        """The one step forward from here, or None at the end of the path."""
        if self.status not in LIFECYCLE:
            return None
        index = LIFECYCLE.index(LessonStatus(self.status))
        return LIFECYCLE[index + 1] if index + 1 < len(LIFECYCLE) else None


class LessonTransition(TrackedModel):
    """One step of a lesson's lifecycle: from, to, when, who, and why."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=LessonStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=LessonStatus.choices)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["lesson", "on", "id"]
        indexes = [models.Index(fields=["to_status", "on"], name="learning_transition_to_on")]

    def __str__(self):
        return f"{self.lesson_id}: {self.from_status or 'new'} -> {self.to_status}"


class LessonDissemination(TrackedModel):
    """Who was told about the lesson, how, and when."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="disseminations")
    audience = models.CharField("to whom", max_length=200)
    method = models.CharField(
        "how", max_length=200, blank=True, help_text="For example a briefing, a bulletin or a training input."
    )
    disseminated_on = models.DateField("when")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-disseminated_on", "-id"]

    def __str__(self):
        return f"{self.audience} ({self.disseminated_on:%d %b %Y})"
