"""The one action log: every board's and every register's actions, wherever they came from."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mshtgov.marking import MarkedModel, Marking, highest
from mshtgov.models import TrackedModel
from mshtgov.reference import Pillar
from mshtgov.roles import INTERNAL_ROLES, has_role, is_external_partner

from .boards import RUN_BOARDS, Board


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
REMINDER_HORIZON = timedelta(days=7)


class ActionSource(models.TextChoices):
    DECISION = "decision", "Board decision"
    LESSON = "lesson", "Lesson learned"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment gap"
    INSPECTION = "inspection", "Inspection recommendation"
    OTHER = "other", "Other"


def overdue_on_q(day) -> Q:
    """The condition of `ActionQuerySet.overdue_on(day)`, for counting several days in one query."""
    from datetime import datetime, time

    from django.utils import timezone

    raised_by = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    not_done = Q(status__in=OPEN_STATUSES) | Q(completed_on__gt=day)
    return not_done & Q(created_at__lt=raised_by, due_date__lt=day)


def reads_action_log(user) -> bool:
    """Whether the user may see any action at all (internal users only): the gate of `visible_to`."""
    if not getattr(user, "is_authenticated", False) or is_external_partner(user):
        return False
    return user.has_perm(RUN_BOARDS) or has_role(user, *INTERNAL_ROLES)


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """Overdue is derived, never stored: open and past its due date."""
        return self.open().filter(due_date__lt=today)

    def with_overdue(self, today):
        """Each action annotated `overdue` (the rule of `overdue()` and `Action.is_overdue`), for lists
        that show it: templates read the flag, they never compare dates."""
        return self.annotate(
            overdue=models.Case(
                models.When(status__in=OPEN_STATUSES, due_date__lt=today, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def overdue_on(self, day):
        """Overdue as things stood at the end of `day`: raised by then, not completed by then (still open,
        or completed after it) and due before it. For today it is `overdue(today)`."""
        return self.filter(overdue_on_q(day))

    def due_soon(self, today):
        """Open and due within the reminder horizon (a week), overdue ones included."""
        return self.open().filter(due_date__lte=today + REMINDER_HORIZON)

    def for_source(self, obj):
        return self.filter(
            source_content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            source_object_id=obj.pk,
        )

    def for_owner(self, user):
        return self.filter(owner=user)

    def visible_to(self, user):
        """Internal users only. An action on a board follows the board: leaders and secretaries see every
        board's actions; analysts, coordinators and PCC liaisons those of boards they sit on. An action on no
        board follows the record it was raised from (a lesson's action is for whoever may open the lesson:
        its title says what the lesson found), through that kind's own rule in the core registry; one raised
        from nothing is for every internal role, and one raised from a kind nobody registered for no one
        (fail closed). Owners always see their own."""
        if not reads_action_log(user):
            return self.none()
        from mshtgov.records import visible_generic_q

        if user.has_perm(RUN_BOARDS):
            on_board = Q(board__isnull=False)
        else:
            on_board = Q(board__in=Board.objects.visible_to(user).values("pk"))
        unsourced = Q(board__isnull=True, source_content_type__isnull=True)
        sourced = Q(board__isnull=True) & visible_generic_q(
            user, "source_content_type", "source_object_id", raising_actions=True, gone_field="source_deleted"
        )
        return self.filter(on_board | unsourced | sourced | Q(owner_id=user.pk))

    def with_list_relations(self):
        return self.select_related("owner", "board", "source_content_type")


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
    # Kept true once the source record is deleted (`governance.records._actions_lose_their_source`): the
    # visibility rule then matches a reader who may open every record of the source's kind on the content type
    # and this flag, not on a lookup over the kind's table (issue 15).
    source_deleted = models.BooleanField(default=False, editable=False)
    pillar = models.CharField(max_length=16, choices=Pillar.choices, blank=True)
    completion_note = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # The log's default order: paging through it reads the index instead of sorting every action.
            models.Index(fields=["due_date", "id"], name="governance_action_due"),
            models.Index(fields=["status", "due_date"], name="governance_action_status_due"),
            # "Overdue on a past day" counts actions still open or completed after that day: with the index
            # above, the two arms of that OR are read from indexes instead of scanning the whole log.
            models.Index(fields=["completed_on"], name="governance_action_completed"),
            models.Index(fields=["owner", "status"], name="governance_action_owner"),
            models.Index(fields=["source_content_type", "source_object_id"], name="governance_action_source"),
            models.Index(fields=["board", "status"], name="governance_action_board"),
            # Every column of the reader's visibility rule (board, the record it was raised from, owner): the
            # log's count of the actions a reader may see reads this narrow index, not every action's row.
            models.Index(
                fields=["board", "source_content_type", "source_object_id", "owner", "source_deleted"],
                name="governance_action_reach",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:action-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # An action says what its source found: never marked lower than the record it was raised from.
        if self.source_content_type_id and self.source_object_id and self.marking != Marking.OFFICIAL_SENSITIVE:
            model = self.source_content_type.model_class()
            source_marking = (
                model._default_manager.filter(pk=self.source_object_id).values_list("marking", flat=True).first()
                if model is not None and any(f.name == "marking" for f in model._meta.get_fields())
                else None
            )
            self.marking = highest(self.marking, source_marking)
        super().save(*args, **kwargs)

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open() and self.due_date < today
