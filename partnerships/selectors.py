"""Reads the pages share: comparisons, reviews due, measures and gaps. Each is a fixed number of queries."""

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.html import escape
from django.utils.safestring import mark_safe

from partnerships.models import (
    InformationSharingAgreement,
    SafeguardingNotification,
    SupportService,
    SupportStage,
    TermsOfReference,
)
from partnerships.models.terms import TERMS_TEXT_FIELDS

# How far ahead a review or expiry counts as "near".
REVIEW_HORIZON_DAYS = 60


def word_diff(left: str, right: str) -> tuple[str, str]:
    """Both texts as HTML with the words removed from the left in <del> and added on the right in <ins>,
    each with words a screen reader speaks ("removed", "added"). Every piece of user text is escaped."""
    # Words keep their trailing space, so runs of changed words come out as one <ins> or <del>.
    a, b = re.findall(r"\S+\s*|\s+", left or ""), re.findall(r"\S+\s*|\s+", right or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out_left, out_right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            out_left.append(old)
            out_right.append(new)
            continue
        if old.strip():
            out_left.append(f'<del><span class="govuk-visually-hidden">removed: </span>{old}</del>')
        else:
            out_left.append(old)
        if new.strip():
            out_right.append(f'<ins><span class="govuk-visually-hidden">added: </span>{new}</ins>')
        else:
            out_right.append(new)
    # Escaped above, token by token; only our own tags and <br> are added.
    return (
        mark_safe("".join(out_left).replace("\n", "<br>")),  # noqa: S308
        mark_safe("".join(out_right).replace("\n", "<br>")),  # noqa: S308
    )


@dataclass
class ComparedText:
    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left.strip() != self.right.strip()

    @property
    def marked_up(self) -> tuple[str, str]:
        return word_diff(self.left, self.right)


@dataclass
class ComparedRow:
    organisation: str
    left_responsibilities: str | None
    right_responsibilities: str | None
    left_powers: str | None
    right_powers: str | None

    @property
    def changed(self) -> bool:
        return (self.left_responsibilities, self.left_powers) != (self.right_responsibilities, self.right_powers)


def terms_compare(left: TermsOfReference, right: TermsOfReference) -> tuple[list[ComparedText], list[ComparedRow]]:
    """Two versions side by side: each text field, then the matrix row by member organisation."""
    texts = [
        ComparedText(
            str(TermsOfReference._meta.get_field(name).verbose_name).capitalize(),
            getattr(left, name),
            getattr(right, name),
        )
        for name in TERMS_TEXT_FIELDS
    ]
    texts.append(
        ComparedText(
            "Review date",
            f"{left.review_date:%-d %B %Y}" if left.review_date else "",
            f"{right.review_date:%-d %B %Y}" if right.review_date else "",
        )
    )
    lefts = {r.organisation.name: r for r in left.member_rows.select_related("organisation")}
    rights = {r.organisation.name: r for r in right.member_rows.select_related("organisation")}
    rows = []
    for name in sorted(set(lefts) | set(rights)):
        a, b = lefts.get(name), rights.get(name)
        rows.append(
            ComparedRow(
                name,
                a.responsibilities if a else None,
                b.responsibilities if b else None,
                a.powers if a else None,
                b.powers if b else None,
            )
        )
    return texts, rows


@dataclass
class ReviewItem:
    kind: str
    title: str
    partnership: str
    due: object
    overdue: bool
    url: str
    owner_id: int | None
    marking: str = "official"  # the record's protective marking, carried into the emailed digest


def reviews_due(today, *, owner=None, horizon_days: int = REVIEW_HORIZON_DAYS) -> list[ReviewItem]:
    """Current terms of reference whose review date is past or near, and live agreements near their end or
    review date, soonest first. Two queries."""
    from django.urls import reverse

    by = today + timedelta(days=horizon_days)
    items = []
    terms = TermsOfReference.objects.review_due(by).select_related("partnership")
    agreements = InformationSharingAgreement.objects.review_due(by).select_related("partnership")
    if owner is not None:
        terms = terms.filter(partnership__coordinator=owner)
        agreements = agreements.filter(Q(owner=owner) | Q(owner__isnull=True, partnership__coordinator=owner))
    for t in terms:
        items.append(
            ReviewItem(
                "Terms of reference review",
                f"{t.partnership.name}: terms of reference version {t.version}",
                t.partnership.name,
                t.review_date,
                t.review_date < today,
                reverse("partnerships:terms-detail", args=[t.partnership_id, t.pk]),
                t.partnership.coordinator_id,
                t.marking,
            )
        )
    for a in agreements:
        dates = [d for d in (a.end_date, a.review_date) if d is not None and d <= by]
        due = min(dates)
        kind = "Agreement expiry" if a.end_date and due == a.end_date else "Agreement review"
        items.append(
            ReviewItem(
                kind,
                a.title,
                a.partnership.name,
                due,
                due < today,
                reverse("partnerships:agreement-detail", args=[a.pk]),
                a.owner_id or a.partnership.coordinator_id,
                a.marking,
            )
        )
    items.sort(key=lambda i: (i.due, i.title))
    return items


def notification_target_days() -> int:
    """The force's target for telling a safeguarding body about an MSHT incident (settings, default 3)."""
    return int(getattr(settings, "SAFEGUARDING_NOTIFICATION_TARGET_DAYS", 3))


@dataclass
class NotificationMeasure:
    incidents: int
    in_time: int
    target_days: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.in_time / self.incidents) if self.incidents else None

    def figures(self, start, end) -> dict:
        """The measure as Figures linked to the notification register for the same incidents: the share
        told in time (with its base), the incidents and those told in time."""
        from django.urls import reverse

        from mshtgov.figures import PERCENT, Figure, with_query

        url = reverse("partnerships:notification-list")
        window = {"start": start.isoformat(), "end": end.isoformat()}
        key = f"notifications:{start}:{end}"
        return {
            "percent": Figure(
                key=f"{key}:percent",
                value=self.percent,
                url=with_query(url, **window),
                label=f"of {self.incidents} incidents told in time",
                kind=PERCENT,
                base=self.incidents,
                base_label="MSHT incidents",
            ),
            "incidents": Figure(
                key=f"{key}:incidents", value=self.incidents, url=with_query(url, **window), label="MSHT incidents"
            ),
            "in_time": Figure(
                key=f"{key}:in-time",
                value=self.in_time,
                url=with_query(url, in_time="yes", **window),
                label="incidents told in time",
            ),
        }


def incidents_told(start, end) -> dict[str, bool]:
    """{incident reference: told some safeguarding body within the target days} for MSHT incidents recorded
    in [start, end]. An incident counts once however many bodies were told. One query."""
    return incidents_told_many([(start, end)])[0]


def incidents_told_many(spans: list[tuple]) -> list[dict[str, bool]]:
    """`incidents_told(start, end)` for each (start, end) in order, from one query over the days they span:
    a year of monthly figures costs one query, not twelve."""
    if not spans:
        return []
    target = notification_target_days()
    rows = SafeguardingNotification.objects.filter(
        incident_recorded_on__gte=min(start for start, _ in spans),
        incident_recorded_on__lte=max(end for _, end in spans),
    ).values_list("incident_reference", "incident_recorded_on", "notified_on")
    rows = list(rows)
    told = []
    for start, end in spans:
        incidents: dict[str, bool] = {}
        for ref, recorded, notified in rows:
            if start <= recorded <= end:
                in_time = notified is not None and (notified - recorded).days <= target
                incidents[ref] = incidents.get(ref, False) or in_time
        told.append(incidents)
    return told


def notification_measure(start, end, *, told: dict[str, bool] | None = None) -> NotificationMeasure:
    """Share of MSHT incidents recorded in [start, end] that some safeguarding body was told of within the
    target days: the one definition the dashboard, the register page, the board pack and the derived
    performance measure share. One query (none given `told`, `incidents_told(start, end)` read already)."""
    incidents = incidents_told(start, end) if told is None else told
    return NotificationMeasure(len(incidents), sum(incidents.values()), notification_target_days())


def notifications_for_incidents(start, end, *, in_time: bool | None = None, told: dict[str, bool] | None = None):
    """The notifications of incidents recorded in [start, end]; with `in_time`, only those of incidents
    told in time (True) or not (False). Two queries when filtered (one given `told`, as `incidents_told`)."""
    rows = SafeguardingNotification.objects.filter(incident_recorded_on__gte=start, incident_recorded_on__lte=end)
    if in_time is not None:
        told = incidents_told(start, end) if told is None else told
        refs = [ref for ref, was_told in told.items() if was_told is in_time]
        # No incident: a condition the database answers (no row has no id), not Django's empty `__in`, which
        # skips the page's queries and made its query count depend on the records (issue 15).
        rows = rows.filter(incident_reference__in=refs) if refs else rows.filter(pk__isnull=True)
    return rows


@dataclass
class StageProvision:
    stage: str
    label: str
    services: int
    places: int
    ending_soon: int

    @property
    def gap(self) -> str:
        if not self.services:
            return "No provision"
        if self.ending_soon == self.services:
            return "All provision ends within 90 days"
        return ""


def support_stage_figures(stages: list[StageProvision], today) -> list[dict]:
    """The stage table's cells as Figures, each linked to the support register filtered to the services it
    counts (active today; ending within 90 days). Places are a sum of capacity, shown on that page too."""
    from django.urls import reverse

    from mshtgov.figures import VALUE, Figure, with_query

    url = reverse("partnerships:support-list")
    soon = today + timedelta(days=90)
    rows = []
    for s in stages:
        active = {"stage": s.stage, "active_on": today.isoformat()}
        rows.append(
            {
                "stage": s,
                "services": Figure(
                    key=f"support:{s.stage}:{today}:services",
                    value=s.services,
                    url=with_query(url, **active),
                    label=f"services at {s.label.lower()}",
                ),
                "places": Figure(
                    key=f"support:{s.stage}:{today}:places",
                    value=s.places,
                    url=with_query(url, **active),
                    label=f"places at {s.label.lower()}",
                    kind=VALUE,
                ),
                "ending_soon": Figure(
                    key=f"support:{s.stage}:{today}:ending",
                    value=s.ending_soon,
                    url=with_query(url, **active, ending_by=soon.isoformat()),
                    label=f"services at {s.label.lower()} ending within 90 days",
                ),
            }
        )
    return rows


def support_by_stage(today) -> list[StageProvision]:
    """Provision active today for each stage, and the stages with a gap. One query."""
    soon = today + timedelta(days=90)
    figures = {
        row["stage"]: row
        for row in SupportService.objects.active_on(today)
        .values("stage")
        .annotate(services=Count("id"), places=Sum("capacity"), ending=Count("id", filter=Q(end_date__lte=soon)))
    }
    result = []
    for stage in SupportStage:
        row = figures.get(stage.value, {})
        result.append(
            StageProvision(
                stage.value, stage.label, row.get("services", 0), row.get("places") or 0, row.get("ending", 0)
            )
        )
    return result
