"""The partnerships registers' contribution to the performance measures: safeguarding notifications in
time and overdue ICTG reviews, computed from the registers, never typed."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from mshtgov.figures import with_query
from mshtgov.measure_sources import Derived, MeasureSource


def notifications_in_time(start, end) -> Derived:
    from partnerships.selectors import notification_measure

    return _notifications(notification_measure(start, end))


def notifications_in_time_many(spans) -> list[Derived]:
    from partnerships.selectors import incidents_told_many, notification_measure

    return [
        _notifications(notification_measure(start, end, told=told))
        for (start, end), told in zip(spans, incidents_told_many(spans), strict=True)
    ]


def _notifications(measure) -> Derived:
    return Derived(
        value=None if measure.percent is None else Decimal(measure.percent),
        records=measure.incidents,
        base=measure.incidents,
        base_label="incidents recorded" if measure.incidents != 1 else "incident recorded",
        count=measure.incidents,
    )


def ictg_reviews_overdue(start, end) -> Derived:
    from partnerships.models import ICTGReferral

    count = ICTGReferral.objects.review_overdue_on(end, timezone.localdate()).count()
    return Derived(value=Decimal(count), records=count, count=count)


def ictg_reviews_overdue_many(spans) -> list[Derived]:
    from partnerships.models import ICTGReferral

    counts = ICTGReferral.objects.review_overdue_counts([end for _start, end in spans], timezone.localdate())
    return [Derived(value=Decimal(count), records=count, count=count) for count in counts]


NOTIFICATIONS_IN_TIME = MeasureSource(
    code="safeguarding-notifications-in-time",
    compute=notifications_in_time,
    drilldown_url=lambda start, end: with_query(
        reverse("partnerships:notification-list"), start=start.isoformat(), end=end.isoformat()
    ),
    description="It is the share of MSHT incidents recorded in the period that a safeguarding body was told "
    "of within the force's target number of days, from the safeguarding notifications register (an incident "
    "counts once however many bodies were told).",
    models=("partnerships.SafeguardingNotification",),
    compute_many=notifications_in_time_many,
    owner="Safeguarding notifications",
)

ICTG_REVIEWS_OVERDUE = MeasureSource(
    code="ictg-reviews-overdue",
    compute=ictg_reviews_overdue,
    drilldown_url=lambda start, end: with_query(reverse("partnerships:ictg-list"), overdue_on=end.isoformat()),
    description="It counts the open ICTG referrals whose next review date had passed on the period's last day "
    "(today, for the period still running), as the register stood that day.",
    models=("partnerships.ICTGReferral",),
    compute_many=ictg_reviews_overdue_many,
    valued_alike=True,
    owner="ICTG referrals",
)


def register() -> None:
    from mshtgov import measure_sources

    measure_sources.register(NOTIFICATIONS_IN_TIME)
    measure_sources.register(ICTG_REVIEWS_OVERDUE)
