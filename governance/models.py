"""Boards and the one action log. (Meetings, agendas, decisions and board packs: see governance issue.)"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from mshtgov.reference import Pillar


class BoardKind(models.TextChoices):
    STRATEGIC = "strategic", "Strategic board"
    TACTICAL = "tactical", "Tactical delivery group"
    PARTNERSHIP_FORUM = "partnership_forum", "Partnership forum"
    REGIONAL = "regional", "Regional group"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    SIX_WEEKLY = "six_weekly", "Every six weeks"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    AS_NEEDED = "as_needed", "As needed"


class Board(TrackedModel, MarkedModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=BoardKind.choices)
    purpose = models.TextField(blank=True)
    terms_of_reference = models.TextField(
        blank=True, help_text="For a partnership forum, its terms of reference are kept with the partnership."
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_boards"
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="secretary_of_boards"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="boards")
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class BoardUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Board, on_delete=models.CASCADE)


class BoardGroupObjectPermission(GroupObjectPermissionBase):
    """Partner organisations reach a forum's board through their group's grant (partnerships app)."""

    content_object = models.ForeignKey(Board, on_delete=models.CASCADE)


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionSource(models.TextChoices):
    DECISION = "decision", "Board decision"
    LESSON = "lesson", "Lesson learned"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment gap"
    INSPECTION = "inspection", "Inspection recommendation"
    OTHER = "other", "Other"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """Overdue is derived, never stored: open and past its due date."""
        return self.open().filter(due_date__lt=today)

    def for_source(self, obj):
        return self.filter(
            source_content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            source_object_id=obj.pk,
        )

    def for_owner(self, user):
        return self.filter(owner=user)


class Action(TrackedModel, MarkedModel):
    title = models.CharField("what", max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions")
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    source_kind = models.CharField(max_length=24, choices=ActionSource.choices, default=ActionSource.OTHER)
    # The record the action came from (a decision, a lesson, a self-assessment answer...), by generic
    # relation so governance imports none of the registers.
    source_content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")
    pillar = models.CharField(max_length=16, choices=Pillar.choices, blank=True)
    completion_note = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="governance_action_status_due"),
            models.Index(fields=["owner", "status"], name="governance_action_owner"),
            models.Index(fields=["source_content_type", "source_object_id"], name="governance_action_source"),
        ]

    def __str__(self):
        return self.title

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open() and self.due_date < today
