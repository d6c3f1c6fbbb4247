"""Dashboard and board-pack panels: reviews due, safeguarding notifications in time, support gaps, ICTG."""

from django.db.models import Count
from django.utils import timezone

from mshtgov import panels
from mshtgov.marking import Marking
from mshtgov.roles import Role, has_role, is_external_partner
from mshtgov.summaries import cached_summary
from partnerships.models import (
    ICTGReferral,
    InformationSharingAgreement,
    Partnership,
    SafeguardingNotification,
    SupportService,
    TermsOfReference,
)
from partnerships.selectors import notification_measure, reviews_due, support_by_stage, support_stage_figures
from partnerships.views.common import may_see_reviews


def _reviews(user, period):
    from django.urls import reverse

    from mshtgov.figures import Figure

    today = timezone.localdate()
    items, as_of = cached_summary(
        f"partnerships-reviews:{today}",
        lambda: reviews_due(today),
        models=[TermsOfReference, InformationSharingAgreement],
    )
    total = Figure(key="reviews:due", value=len(items), url=reverse("partnerships:reviews"), label="reviews due")
    return {"items": items[:10], "all_items": items, "total": total, "as_of": as_of}


def _notifications(user, period):
    measure, as_of = cached_summary(
        f"partnerships-notifications:{period.start}:{period.end}",
        lambda: notification_measure(period.start, period.end),
        models=[SafeguardingNotification],
    )
    return {"measure": measure, "figures": measure.figures(period.start, period.end), "as_of": as_of}


def _support(user, period):
    today = timezone.localdate()
    stages, as_of = cached_summary(
        f"partnerships-support:{today}", lambda: support_by_stage(today), models=[SupportService]
    )
    return {"stages": support_stage_figures(stages, today), "gaps": [s for s in stages if s.gap], "as_of": as_of}


def _ictg(user, period):
    """The overdue ICTG reviews (two queries), worked out once per reader and day and read from the cache until
    a referral changes (watched: `summaries.watched_summary`)."""
    from mshtgov import dashboard, summaries

    today = timezone.localdate()
    return summaries.watched_summary(f"partnerships-ictg:{dashboard.audience(user)}:{today}", lambda: _gather_ictg())[0]


def _gather_ictg():
    from django.urls import reverse

    from mshtgov.figures import Figure, with_query

    today = timezone.localdate()
    overdue = list(ICTGReferral.objects.review_overdue(today).order_by("next_review_on")[:10])
    total = Figure(
        key="ictg:review-overdue",
        value=ICTGReferral.objects.review_overdue(today).count(),
        url=with_query(reverse("partnerships:ictg-list"), overdue=1),
        label="ICTG referral reviews overdue",
    )
    return {
        "overdue": overdue,
        "total": total,
        "today": today,
        "marking": Marking.OFFICIAL_SENSITIVE if overdue else "",
    }


def _mine(user, period):
    """An external partner's partnerships (through their organisation's grants): one query, worked out once
    per reader and then read from the cache (issue 15: the grants' lookup cost the panel's page 2.6 times the
    reference page), built watched so a partnership, a membership or a grant changed shows at once."""
    from mshtgov import dashboard, summaries

    return summaries.watched_summary(f"partnerships-mine:{dashboard.audience(user)}", lambda: _gather_mine(user))[0]


def _gather_mine(user):
    from django.urls import reverse

    from mshtgov.figures import Figure

    rows = list(
        Partnership.objects.visible_to(user)
        .select_related("coordinator")
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
    return {
        "partnerships": [
            {
                "partnership": p,
                "members": Figure(
                    key=f"partnership-{p.pk}:members",
                    value=p.member_count,
                    url=reverse("partnerships:partnership-detail", args=[p.pk]),
                    label=f"member organisations of {p.name}",
                ),
            }
            for p in rows
        ]
    }


def _reviews_attention(user, period, data):
    from django.urls import reverse

    from mshtgov.attention import DUE, URGENT, Attention
    from mshtgov.figures import Figure

    items = data.get("all_items") or []
    overdue = sum(1 for i in items if i.overdue)
    url = reverse("partnerships:reviews")
    found = []
    if overdue:
        found.append(
            Attention(
                "partnership reviews or agreements are overdue"
                if overdue != 1
                else "partnership review or agreement is overdue",
                Figure("partnerships:reviews-overdue", overdue, url, "reviews and agreements overdue"),
                order=URGENT,
            )
        )
    due = len(items) - overdue
    if due:
        found.append(
            Attention(
                "partnership reviews or agreements fall due soon"
                if due != 1
                else "partnership review or agreement falls due soon",
                Figure("partnerships:reviews-due", due, url, "reviews and agreements due soon"),
                order=DUE,
            )
        )
    return found


def _ictg_attention(user, period, data):
    from mshtgov.attention import URGENT, Attention

    total = data["total"]  # the panel's own Figure, linking to the overdue reviews
    return [
        Attention(
            "ICTG referral reviews are overdue" if total.value != 1 else "ICTG referral review is overdue",
            total,
            order=URGENT,
        )
    ]


def _notifications_headlines(user, period, previous, data):
    """The share told in time, now and in the previous period: the measure's own Figures (same key and
    drill-down as the panel)."""
    from mshtgov.attention import Headline
    from mshtgov.figures import Figure

    def labelled(figure):
        return Figure(
            figure.key,
            figure.value,
            figure.url,
            "safeguarding notifications in time",
            figure.kind,
            figure.base,
            figure.base_label,
        )

    before = _notifications(user, previous)["figures"]["percent"]
    return [Headline(labelled(data["figures"]["percent"]), before, unit="percentage points")]


def register() -> None:
    # What an external partner sees first: the partnerships their organisation belongs to.
    panels.register(
        panels.Panel(
            "partnerships-mine",
            "Your partnerships",
            5,
            "partnerships/panels/mine.html",
            _mine,
            is_external_partner,
            in_board_pack=False,
        )
    )
    panels.register(
        panels.Panel(
            "partnerships-reviews",
            "Partnership reviews due",
            40,
            "partnerships/panels/reviews.html",
            _reviews,
            may_see_reviews,
            summary_template="partnerships/panels/reviews_summary.html",
            attention=_reviews_attention,
            # It names every partnership's agreements, and a forum's pack may be read by that forum's partners.
            in_board_pack=False,
        )
    )
    panels.register(
        panels.Panel(
            "partnerships-notifications",
            "Safeguarding notifications in time",
            41,
            "partnerships/panels/notifications.html",
            _notifications,
            lambda u: not is_external_partner(u) and u.has_perm("partnerships.view_safeguardingnotification"),
            summary_template="partnerships/panels/notifications_summary.html",
            headlines=_notifications_headlines,
        )
    )
    panels.register(
        panels.Panel(
            "partnerships-support",
            "Victim support gaps by stage",
            42,
            "partnerships/panels/support.html",
            _support,
            lambda u: not is_external_partner(u) and has_role(u, Role.SENIOR_LEADER, Role.PCC_LIAISON),
            summary_template="partnerships/panels/support_summary.html",
        )
    )
    # A list of child victims, however pseudonymous: never in a board pack that partners may read.
    panels.register(
        panels.Panel(
            "partnerships-ictg",
            "ICTG reviews overdue",
            43,
            "partnerships/panels/ictg.html",
            _ictg,
            lambda u: not is_external_partner(u) and u.has_perm("partnerships.view_ictg_referrals"),
            summary_template="partnerships/panels/ictg_summary.html",
            attention=_ictg_attention,
            in_board_pack=False,
        )
    )
