"""Meetings of a board: agenda, papers, attendance, minutes and decisions."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel

from .boards import Board


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held, minutes in draft"
    CLOSED = "closed", "Closed, minutes final"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings follow their board: whoever may see the board may see its meetings."""
        return self.filter(board__in=Board.objects.visible_to(user).values("pk"))

    def before(self, meeting):
        return self.filter(board_id=meeting.board_id, starts_at__lt=meeting.starts_at).exclude(
            status=MeetingStatus.CANCELLED
        )


class Meeting(TrackedModel, MarkedModel):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, blank=True, help_text="Leave blank to use the board's name.")
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True, help_text="A room, or how to join online.")
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    minutes = models.TextField(blank=True)
    other_attendees = models.TextField(
        blank=True, help_text="People from partner organisations and guests, one per line (name and organisation)."
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["board", "starts_at"], name="governance_meeting_board_when")]

    def __str__(self):
        return f"{self.title or self.board.name}, {self.starts_at:%-d %B %Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:meeting-detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"


class Attendance(TrackedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="governance_attendance_once_per_meeting")
        ]

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"


class AgendaPurpose(models.TextChoices):
    INFORMATION = "information", "For information"
    DISCUSSION = "discussion", "For discussion"
    DECISION = "decision", "For decision"


class AgendaItem(TrackedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="What the board is asked to note or decide.")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_allowed = models.PositiveIntegerField("time allowed (minutes)", null=True, blank=True)
    # An item "for decision" carries the recommendation the secretary puts to the board; the pack's
    # executive summary lists these as the decisions requested.
    purpose = models.CharField(
        "the item is", max_length=16, choices=AgendaPurpose.choices, default=AgendaPurpose.INFORMATION
    )
    recommendation = models.TextField(
        blank=True,
        help_text="What the board is asked to decide, in the words you want minuted, for example "
        '"The board approves the revised referral pathway."',
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="governance_agendaitem_title_not_empty"),
            # A decision asked for without saying what it is cannot be put to the board.
            models.CheckConstraint(
                condition=~Q(purpose="decision", recommendation=""),
                name="governance_agendaitem_decision_has_recommendation",
            ),
        ]

    @property
    def for_decision(self) -> bool:
        return self.purpose == AgendaPurpose.DECISION

    def __str__(self):
        return self.title


class AgendaLink(TrackedModel):
    """An agenda item covers records of other apps (objectives, threats, measures, lessons,
    partnerships), held by generic relation so governance imports none of them."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=300, help_text="The record's name when it was linked.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "content_type", "object_id"], name="governance_agendalink_once_per_item"
            )
        ]

    def __str__(self):
        return self.label


def paper_storage_name(instance, filename):
    """Server-generated: the uploader's file name never reaches the file system."""
    return f"papers/{uuid.uuid4().hex}.pdf"


class Paper(TrackedModel, MarkedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=paper_storage_name, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["title", "id"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="governance_paper_not_empty")]

    def __str__(self):
        return self.title


class Decision(TrackedModel, MarkedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField("decision")

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="governance_decision_text_not_empty")]

    def __str__(self):
        return self.text[:80]
