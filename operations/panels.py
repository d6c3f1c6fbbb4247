"""The operations panel on the dashboard and in board packs: live operations by exploitation type,
accepted disruptions in the period by level, debriefs overdue. Figures only, never a reference or a
title, so it is OFFICIAL and shown to those who may not open the register (PCC liaisons, board
secretaries): for them the figures are plain text, since the lists they count would refuse them."""

from django.urls import reverse
from django.utils import timezone

from mshtgov import panels, summaries
from mshtgov.figures import Figure, with_query
from mshtgov.marking import Marking

SUMMARY = "operations.view_operation_summary"
LEVELS = ("major", "moderate", "minor", "none", "negative")


def _models():
    from operations.models import Debrief, Disruption, Operation, Outcome

    return [Operation, Outcome, Disruption, Debrief]


def operations_summary(start, end, today) -> dict:
    """The panel's numbers (one selector: the panel and the drill-downs filter the same way)."""
    from django.db.models import Count, Q

    from operations.models import Disruption, Exploitation, Operation

    # Live operations and each exploitation type among them in one aggregate (the filter of
    # `with_exploitation`, counted with it), not one count per type.
    counts = Operation.objects.live_on(today).aggregate(
        live=Count("pk"),
        **{f"type_{code}": Count("pk", filter=Q(exploitation_types__contains=code)) for code in Exploitation.values},
    )
    by_type = {code: counts[f"type_{code}"] for code in Exploitation.values}
    disruptions = Disruption.objects.counted().filter(disrupted_on__range=(start, end)).with_final_level()
    by_level = dict.fromkeys(LEVELS, 0)
    for level in disruptions.values_list("level_after_review", flat=True):
        by_level[level] += 1
    return {
        "live": counts["live"],
        "by_type": by_type,
        "by_level": by_level,
        "overdue": Operation.objects.debrief_overdue(today).count(),
    }


def gather(user, period) -> dict:
    from operations.models import DisruptionLevel, Exploitation

    today = timezone.localdate()
    end = min(period.end, today)
    numbers, as_of = summaries.cached_summary(
        f"operations-panel:{period.start}:{end}:{today}",
        lambda: operations_summary(period.start, end, today),
        models=_models(),
    )
    links = user.has_perm("operations.view_operation")
    register = reverse("operations:operation-list") if links else ""
    log = reverse("operations:disruption-list") if links else ""

    def url(base, **filters):
        return with_query(base, **filters) if base else ""

    window = {"date_from": period.start.isoformat(), "date_to": end.isoformat()}
    return {
        "marking": Marking.OFFICIAL,
        "as_of": as_of,
        "live": Figure("operations.live", numbers["live"], url(register, live_on=today.isoformat()), "live operations"),
        "by_type": [
            (
                label,
                Figure(
                    f"operations.live:{code}",
                    numbers["by_type"][code],
                    url(register, live_on=today.isoformat(), exploitation=code),
                    f"live operations with {label.lower()} exploitation",
                ),
            )
            for code, label in Exploitation.choices
        ],
        "by_level": [
            (
                label,
                Figure(
                    f"operations.disruptions:{code}",
                    numbers["by_level"][code],
                    url(log, counted="yes", level=code, **window),
                    f"accepted {label.lower()} disruptions",
                ),
            )
            for code, label in DisruptionLevel.choices
        ],
        "overdue": Figure(
            "operations.debrief-overdue",
            numbers["overdue"],
            url(register, debrief_overdue="yes"),
            "operations with their debrief overdue",
        ),
        "may_open": links,
    }


def attention(user, period, data) -> list:
    """Operations whose debrief is overdue: learning not yet captured."""
    from mshtgov.attention import DUE, Attention

    overdue = data["overdue"]
    verb = "operations have their" if overdue.value != 1 else "operation has its"
    return [Attention(f"{verb} debrief overdue", overdue, order=DUE)]


def register_panels() -> None:
    panels.register(
        panels.Panel(
            key="operations",
            title="Operations and disruptions",
            order=48,
            template="operations/panels/operations.html",
            gather=gather,
            summary_template="operations/panels/operations_summary.html",
            attention=attention,
            visible=lambda user: user.has_perm(SUMMARY),
        )
    )
