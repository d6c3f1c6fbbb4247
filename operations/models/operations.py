"""The operations register: one row per MSHT operation or investigation, pseudonymous throughout.

No one is named here: the reference is validated as pseudonymous, the title must not identify anyone,
and every free-text field is screened by the forms. Victims and suspects appear only as counts
(`Outcome`)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from mshtgov import scoring
from mshtgov.access import user_may
from mshtgov.marking import MarkedModel, Marking, MarkingField
from mshtgov.models import TrackedModel
from mshtgov.validators import PSEUDONYMOUS_HELP, validate_pseudonymous_reference

from .vocabulary import (
    ENDED_STATUSES,
    STATUS_COLOURS,
    Exploitation,
    Geography,
    OperationStatus,
    PipLevel,
    validate_exploitation_types,
)

DEFAULT_DEBRIEF_DAYS = 28
SCORE_FIELDS = ("harm", "likelihood", "confidence", "capacity", "capability")


def debrief_due_days() -> int:
    """How many days after an operation ends its debrief is due (setting `OPERATIONS_DEBRIEF_DUE_DAYS`)."""
    return int(getattr(settings, "OPERATIONS_DEBRIEF_DUE_DAYS", DEFAULT_DEBRIEF_DAYS))


class PrioritySource(models.TextChoices):
    OWN = "own", "Its own assessment"
    THREATS = "threats", "Its linked threats' latest assessment"
    NONE = "", "Not assessed"


class OperationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The register is for analysts and senior leaders (and admins); nobody else sees a row of it."""
        if user_may(user, perms=("operations.view_operation",)):
            return self
        return self.none()

    def ended(self):
        return self.filter(status__in=ENDED_STATUSES)

    def live_on(self, day):
        """Open at the end of `day`: opened by then and not yet closed."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day), opened_on__lte=day)

    def debrief_overdue(self, today):
        """Ended more than the allowed days before `today`, and no debrief recorded."""
        cutoff = today - timedelta(days=debrief_due_days())
        return self.ended().filter(closed_on__lt=cutoff, debrief__isnull=True)

    def debrief_due_by(self, day):
        """Ended early enough that a debrief was due by `day` (whether or not one was recorded)."""
        return self.ended().filter(closed_on__lte=day - timedelta(days=debrief_due_days()))

    def debriefed_by(self, day):
        """Debrief recorded on or before `day`."""
        return self.filter(debrief__held_on__lte=day)

    def with_debrief_overdue(self, today):
        """Each operation annotated `debrief_overdue` (the rule of `debrief_overdue`), for lists."""
        cutoff = today - timedelta(days=debrief_due_days())
        return self.annotate(
            debrief_overdue=models.Case(
                models.When(
                    status__in=ENDED_STATUSES, closed_on__lt=cutoff, debrief__isnull=True, then=models.Value(True)
                ),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def with_exploitation(self, code: str):
        # Exploitation codes share no substrings, so a contains match on the stored list is exact.
        return self.filter(exploitation_types__contains=code)


class Operation(TrackedModel, MarkedModel):
    reference = models.CharField(
        "operation reference",
        max_length=40,
        unique=True,
        validators=[validate_pseudonymous_reference],
        help_text=PSEUDONYMOUS_HELP,
    )
    title = models.CharField(
        max_length=200, help_text="A working title that identifies nobody, such as 'Car wash labour exploitation'."
    )
    opened_on = models.DateField("opened")
    closed_on = models.DateField("closed", null=True, blank=True, help_text="Required once concluded or closed.")
    status = models.CharField(max_length=16, choices=OperationStatus.choices, default=OperationStatus.INTELLIGENCE)
    lead_unit = models.CharField(max_length=120)
    officer_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="operations_in_charge"
    )
    oic_pip_level = models.PositiveSmallIntegerField("officer in charge's PIP level", choices=PipLevel.choices)
    exploitation_types = models.CharField(
        max_length=120, validators=[validate_exploitation_types], help_text="Comma-separated exploitation codes."
    )
    county_lines = models.BooleanField("county lines", default=False, help_text="Criminal exploitation only.")
    adult_victims = models.BooleanField("adult victims", default=False)
    child_victims = models.BooleanField("child victims", default=False)
    geography = models.CharField(max_length=16, choices=Geography.choices, default=Geography.LOCAL)
    countries = models.CharField(
        max_length=300, blank=True, help_text="Countries involved, for an international operation."
    )
    threats = models.ManyToManyField(
        "strategy.Threat", blank=True, related_name="+", verbose_name="linked threats from the threat register"
    )
    agencies = models.CharField("agencies involved", max_length=500, blank=True)
    # The operation's own MoRiLE-style assessment (mshtgov.scoring); all five scores or none.
    harm = models.PositiveSmallIntegerField(null=True, blank=True, choices=scoring.choices("harm"))
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True, choices=scoring.choices("likelihood"))
    confidence = models.PositiveSmallIntegerField(null=True, blank=True, choices=scoring.choices("confidence"))
    capacity = models.PositiveSmallIntegerField(
        "force capacity", null=True, blank=True, choices=scoring.choices("capacity")
    )
    capability = models.PositiveSmallIntegerField(
        "force capability", null=True, blank=True, choices=scoring.choices("capability")
    )
    priority_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    priority_band = models.CharField(max_length=16, choices=scoring.BAND_CHOICES, blank=True, editable=False)
    priority_source = models.CharField(max_length=8, choices=PrioritySource.choices, blank=True, editable=False)
    # Names of the linked threats, kept beside the M2M so the history shows link changes.
    threat_names = models.CharField("linked threats", max_length=1000, blank=True, editable=False)
    marking = MarkingField(default=Marking.OFFICIAL_SENSITIVE)

    objects = OperationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["-opened_on", "-id"], name="operations_op_opened"),
            models.Index(fields=["status", "opened_on"], name="operations_op_status"),
            models.Index(fields=["priority_band"], name="operations_op_band"),
            models.Index(fields=["lead_unit"], name="operations_op_unit"),
            models.Index(fields=["closed_on"], name="operations_op_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="operations_operation_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(oic_pip_level__gte=1, oic_pip_level__lte=4), name="operations_operation_pip_level"
            ),
        ]
        permissions = [
            ("export_operation", "Export the operations register"),
            ("import_operation", "Import operations and disruptions from a CSV file"),
            ("view_operation_summary", "See the operations figures on the dashboard and in board packs"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def exploitation_list(self) -> list[str]:
        return [p for p in self.exploitation_types.split(",") if p]

    @property
    def exploitation_labels(self) -> list[str]:
        return [Exploitation(p).label for p in self.exploitation_list if p in Exploitation.values]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def band_label(self) -> str:
        return dict(scoring.BAND_CHOICES).get(self.priority_band, "Not assessed")

    @property
    def band_colour(self) -> str:
        return scoring.BAND_COLOURS.get(self.priority_band, "grey")

    @property
    def has_own_assessment(self) -> bool:
        return all(getattr(self, name) is not None for name in SCORE_FIELDS)

    @property
    def debrief_due_on(self):
        return self.closed_on + timedelta(days=debrief_due_days()) if self.is_ended and self.closed_on else None

    def clean(self):
        errors = {}
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = "The closed date must be on or after the opened date."
        if self.status in ENDED_STATUSES and not self.closed_on:
            errors["closed_on"] = "Enter the date the operation was concluded or closed."
        if self.status not in ENDED_STATUSES and self.closed_on:
            errors["closed_on"] = "Leave the closed date blank until the operation is concluded or closed."
        if self.county_lines and Exploitation.CRIMINAL not in self.exploitation_list:
            errors["county_lines"] = "County lines is a kind of criminal exploitation: choose criminal as well."
        if self.geography == Geography.INTERNATIONAL and not self.countries.strip():
            errors["countries"] = "Enter the countries involved in an international operation."
        given = [name for name in SCORE_FIELDS if getattr(self, name) is not None]
        if given and len(given) != len(SCORE_FIELDS):
            for name in SCORE_FIELDS:
                if getattr(self, name) is None:
                    errors[name] = (
                        f"Score {scoring.DIMENSION_LABELS[name].lower()} too, or leave all five scores blank."
                    )
        if errors:
            raise ValidationError(errors)

    def apply_priority(self, threat_priorities=()) -> None:
        """The priority: its own assessment when it has one, else the highest of its linked threats'
        latest assessments (given by the caller, read through `mshtgov.scoring`), else none."""
        if self.has_own_assessment:
            result = scoring.priority(**{name: getattr(self, name) for name in SCORE_FIELDS})
            self.priority_score, self.priority_band, self.priority_source = result.score, result.band, "own"
            return
        best = max(threat_priorities, key=lambda p: p.score, default=None)
        if best is None:
            self.priority_score, self.priority_band, self.priority_source = None, "", ""
        else:
            self.priority_score, self.priority_band, self.priority_source = best.score, best.band, "threats"
