from django.conf import settings
from django.db import models

from mshtgov.marking import MarkedModel, Marking, MarkingField
from mshtgov.models import TrackedModel
from mshtgov.validators import PSEUDONYMOUS_HELP, validate_pseudonymous_reference
from partnerships.models.partnerships import Partnership


class NotifiedBody(models.TextChoices):
    MASH = "mash", "Multi-agency safeguarding hub (MASH)"
    LOCAL_SAFEGUARDING_PARTNERSHIP = "local_safeguarding_partnership", "Local safeguarding children partnership"
    ADULTS_BOARD = "adults_board", "Safeguarding adults board"


class SafeguardingNotification(TrackedModel, MarkedModel):
    """An MSHT incident the force must tell a safeguarding body about, and when it did.

    Left without a notification date it is still owed; the measure counts it as not yet in time."""

    incident_reference = models.CharField(
        "incident reference", max_length=40, validators=[validate_pseudonymous_reference], help_text=PSEUDONYMOUS_HELP
    )
    incident_recorded_on = models.DateField("incident recorded on")
    body = models.CharField("body told", max_length=40, choices=NotifiedBody.choices)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text="The MASH or safeguarding partnership told, if it is one of ours.",
    )
    notified_on = models.DateField("notified on", null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="notified by",
    )

    class Meta:
        ordering = ["-incident_recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notified_on__isnull=True)
                | models.Q(notified_on__gte=models.F("incident_recorded_on")),
                name="partnerships_notification_after_incident",
            ),
        ]
        indexes = [models.Index(fields=["incident_recorded_on"], name="partnerships_notification_date")]

    def __str__(self):
        return f"{self.incident_reference} to {self.get_body_display()}"


class ICTGStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ALLOCATED = "allocated", "Guardian allocated"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined by the service"


ICTG_OPEN = (ICTGStatus.REFERRED, ICTGStatus.ALLOCATED, ICTGStatus.ACTIVE)


class ICTGReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ICTG_OPEN)

    def review_overdue(self, today):
        """Overdue is derived, never stored: open with its next review before today."""
        return self.open().filter(next_review_on__lt=today)

    def with_review_overdue(self, today):
        """Each referral annotated `review_overdue` (the rule above), for lists that show it."""
        return self.annotate(
            review_overdue=models.Case(
                models.When(status__in=ICTG_OPEN, next_review_on__lt=today, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def review_overdue_on(self, day, today):
        """Referrals whose review was overdue at the end of `day`, as the records stood then (from their
        history: status and review dates change as reviews happen). For today, `review_overdue(today)`."""
        if day >= today:
            return self.review_overdue(today)
        then = ICTGReferral.history.as_of(end_of_day(day)).filter(status__in=ICTG_OPEN, next_review_on__lt=day)
        return self.filter(pk__in=[r.pk for r in then])

    def review_overdue_counts(self, days, today) -> list[int]:
        """`review_overdue_on(day, today).count()` for each of `days`, in order, from at most three queries
        whatever the number of days (the referrals' history is read once and replayed for each day)."""
        past = sorted({day for day in days if day < today})
        counts = {}
        if past:
            existing = set(self.values_list("pk", flat=True))
            history = ICTGReferral.history.filter(history_date__lte=end_of_day(past[-1])).values_list(
                "id", "history_date", "history_type", "status", "next_review_on"
            )
            by_referral: dict[int, list] = {}
            for pk, *record in history.order_by():
                if pk in existing:
                    by_referral.setdefault(pk, []).append(record)
            for day in past:
                counts[day] = sum(_was_overdue(records, day) for records in by_referral.values())
        if any(day >= today for day in days):
            counts[today] = self.review_overdue(today).count()
        return [counts[min(day, today)] for day in days]


def end_of_day(day):
    """The first instant after `day` in the force's time zone: history as it stood when `day` ended."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _was_overdue(records, day) -> bool:
    """As `history.as_of(end_of_day(day))` decides for one referral: its latest records up to then (several
    when saved in the same instant), unless a deletion, open with a review due before `day`."""
    cutoff = end_of_day(day)
    upto = [record for record in records if record[0] <= cutoff]
    if not upto:
        return False
    latest = max(record[0] for record in upto)
    return any(
        when == latest and kind != "-" and status in ICTG_OPEN and review is not None and review < day
        for when, kind, status, review in upto
    )


class ICTGReferral(TrackedModel, MarkedModel):
    """A child victim referred to an Independent Child Trafficking Guardian, monitored by review dates."""

    marking = MarkingField(default=Marking.OFFICIAL_SENSITIVE)
    child_reference = models.CharField(
        "child case reference",
        max_length=40,
        validators=[validate_pseudonymous_reference],
        help_text=PSEUDONYMOUS_HELP,
    )
    referred_on = models.DateField("referred on")
    ictg_service = models.CharField("ICTG service", max_length=200)
    status = models.CharField(max_length=16, choices=ICTGStatus.choices, default=ICTGStatus.REFERRED)
    last_review_on = models.DateField("last review", null=True, blank=True)
    next_review_on = models.DateField("next review", null=True, blank=True)

    objects = ICTGReferralQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_on", "id"]
        verbose_name = "ICTG referral"
        permissions = [
            ("view_ictg_referrals", "Can see ICTG referrals (senior leaders and safeguarding leads)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_review_on__isnull=True) | models.Q(last_review_on__gte=models.F("referred_on")),
                name="partnerships_ictg_review_after_referral",
            ),
            models.CheckConstraint(
                condition=models.Q(next_review_on__isnull=True)
                | models.Q(last_review_on__isnull=True)
                | models.Q(next_review_on__gt=models.F("last_review_on")),
                name="partnerships_ictg_next_after_last",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_on"], name="partnerships_ictg_review")]

    def __str__(self):
        return self.child_reference

    def is_overdue(self, today) -> bool:
        return self.status in ICTG_OPEN and self.next_review_on is not None and self.next_review_on < today
