"""Findings of HMICFRS inspections and other reviews: what the force was told, in its own words, mapped to
the self-assessment's themes and requirements, owned, worked through the one action log, and closed only by
a senior leader with a note saying why the finding is answered."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from governance.models import Board
from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from mshtgov.reference import GuidanceTheme
from mshtgov.roles import Role, has_role, is_external_partner


class FindingKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    CAUSE_OF_CONCERN = "cause_of_concern", "Cause of concern"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"


class FindingSource(models.TextChoices):
    HMICFRS = "hmicfrs", "HMICFRS inspection"
    PEER_REVIEW = "peer_review", "Peer review"
    INTERNAL_AUDIT = "internal_audit", "Internal audit"
    NATIONAL_REVIEW = "national_review", "National or thematic review"
    OTHER = "other", "Other review"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


STATUS_COLOURS = {
    FindingStatus.OPEN: "blue",
    FindingStatus.IN_PROGRESS: "yellow",
    FindingStatus.EVIDENCE_SUBMITTED: "amber",
    FindingStatus.CLOSED: "green",
    FindingStatus.REOPENED: "red",
}
# Not yet answered: counted as outstanding, and overdue once past their target date.
OUTSTANDING = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS, FindingStatus.EVIDENCE_SUBMITTED, FindingStatus.REOPENED)
# The forward steps; a senior leader closes from "evidence submitted" and may reopen a closed finding.
WORKING = (FindingStatus.OPEN, FindingStatus.REOPENED, FindingStatus.IN_PROGRESS)

# Maintainers and PCC liaisons read every finding; a board secretary those linked to boards they serve.
READERS = (Role.SENIOR_LEADER, Role.ANALYST, Role.PCC_LIAISON)


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or is_external_partner(user):
            return self.none()
        if not user.has_perm("inspection.view_finding"):
            return self.none()
        if has_role(user, *READERS):
            return self
        if has_role(user, Role.BOARD_SECRETARY):
            theirs = Board.objects.filter(Q(secretary_id=user.pk) | Q(chair_id=user.pk) | Q(members=user.pk))
            return self.filter(board__in=theirs.values("pk"))
        return self.none()

    def outstanding(self):
        return self.filter(status__in=OUTSTANDING)

    def overdue(self, today):
        """Overdue is derived, never stored: not yet closed and past its target date."""
        return self.outstanding().filter(due_date__lt=today)


class Finding(TrackedModel, MarkedModel):
    kind = models.CharField(max_length=24, choices=FindingKind.choices)
    source = models.CharField("from", max_length=24, choices=FindingSource.choices, default=FindingSource.HMICFRS)
    source_report = models.CharField("source report", max_length=300, help_text="The report's title.")
    report_date = models.DateField("report published")
    reference = models.CharField(
        max_length=40, help_text="The finding's number in the report, e.g. “Recommendation 3” or “AFI 2”."
    )
    text = models.TextField(
        "finding, in the force's words",
        help_text="Summarise what the report asks of the force. No victim names or identifying details.",
    )
    theme = models.CharField("guidance theme", max_length=16, choices=GuidanceTheme.choices)
    requirements = models.ManyToManyField(
        "strategy.Requirement",
        blank=True,
        related_name="findings",
        help_text="The self-assessment requirements this finding bears on.",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_findings")
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        help_text="The board that oversees the response (its secretary can then see the finding).",
    )
    due_date = models.DateField("target date")
    status = models.CharField(max_length=24, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    evidence = models.TextField(
        "evidence that it is answered", blank=True, help_text="What the force has done, and where that is shown."
    )
    evidence_submitted_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        permissions = [
            ("close_finding", "Can close or reopen an inspection finding"),
            ("export_finding", "Can export the inspection findings register"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source_report", "reference"], name="inspection_finding_unique_reference"),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_by__isnull=False, closed_on__isnull=False),
                name="inspection_finding_closure_recorded",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="inspection_finding_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="inspection_finding_status_due"),
            models.Index(fields=["theme", "status"], name="inspection_finding_theme"),
        ]

    def __str__(self):
        return f"{self.reference}, {self.source_report}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("inspection:finding-detail", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING

    def is_overdue(self, today) -> bool:
        return self.is_outstanding and self.due_date < today
