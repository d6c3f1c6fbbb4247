"""Reading the register: the filtered list, lessons from other apps, and the figures."""

from mshtgov import records
from mshtgov.summaries import cached_summary

LESSON_KIND = "learning.lesson"


def lessons_for(reference: str, user=None):
    """Lessons logged under the operation's reference, found through the core's record registry (this app
    does not import learning). With `user`: only those the user may open."""
    kind = records.kind_by_label(LESSON_KIND)
    if kind is None:
        return None
    # An exact match, so the lessons' index on the reference serves it (references are written in capitals).
    queryset = kind.model._default_manager.filter(operation_reference=reference)
    return records.visible(user, queryset) if user is not None else queryset


def units() -> list[str]:
    """The lead units in the register, for the filter. Cached until an operation changes (the register asked
    for them with a DISTINCT over every operation on each request, issue 12): a unit's name is no record, so
    the same list serves every reader, as the uncached query did."""
    from operations.models import Operation

    def compute():
        return list(Operation.objects.order_by("lead_unit").values_list("lead_unit", flat=True).distinct())

    return cached_summary("operations:lead-units", compute, models=[Operation])[0]


def filter_operations(operations, criteria: dict, today):
    """Apply the register's filters (validated by `OperationFilterForm`). Each derived measure's drill-down
    is one of these filters, so the list's count is the measure's figure."""
    from django.db.models import Q

    from operations.models import Disruption

    if criteria.get("q"):
        text = criteria["q"].strip()
        operations = operations.filter(Q(reference__icontains=text) | Q(title__icontains=text))
    if criteria.get("status"):
        operations = operations.filter(status=criteria["status"])
    if criteria.get("exploitation"):
        operations = operations.with_exploitation(criteria["exploitation"])
    if criteria.get("priority"):
        operations = operations.filter(priority_band=criteria["priority"])
    if criteria.get("unit"):
        operations = operations.filter(lead_unit=criteria["unit"])
    if criteria.get("disruption_level"):
        operations = operations.filter(
            pk__in=Disruption.objects.at_level(criteria["disruption_level"]).values("operation")
        )
    if criteria.get("debrief_overdue") == "yes":
        operations = operations.filter(debrief_overdue=True)
    elif criteria.get("debrief_overdue") == "no":
        operations = operations.filter(debrief_overdue=False)
    if criteria.get("opened_from"):
        operations = operations.filter(opened_on__gte=criteria["opened_from"])
    if criteria.get("opened_to"):
        operations = operations.filter(opened_on__lte=criteria["opened_to"])
    if criteria.get("live_on"):
        operations = operations.live_on(criteria["live_on"])
    if criteria.get("pip_min"):
        operations = operations.filter(oic_pip_level__gte=criteria["pip_min"])
    if criteria.get("pnd") == "yes":
        operations = operations.filter(
            outcome__pnd_operation=True, outcome__pnd_operation_on__lte=criteria.get("live_on") or today
        )
    elif criteria.get("pnd") == "no":
        operations = operations.exclude(
            outcome__pnd_operation=True, outcome__pnd_operation_on__lte=criteria.get("live_on") or today
        )
    if criteria.get("debrief_due_by"):
        operations = operations.debrief_due_by(criteria["debrief_due_by"])
    if criteria.get("debriefed_by"):
        operations = operations.debriefed_by(criteria["debriefed_by"])
    if criteria.get("ended") == "yes":
        operations = operations.ended()
    if criteria.get("closed_from"):
        operations = operations.filter(closed_on__gte=criteria["closed_from"])
    if criteria.get("closed_to"):
        operations = operations.filter(closed_on__lte=criteria["closed_to"])
    if criteria.get("charged_from"):
        operations = operations.filter(outcome__first_charged_on__gte=criteria["charged_from"])
    if criteria.get("charged_to"):
        operations = operations.filter(outcome__first_charged_on__lte=criteria["charged_to"])
    return operations


def operation_list(user, criteria: dict, today):
    from operations.forms import SORTS
    from operations.models import Operation

    operations = Operation.objects.visible_to(user).with_debrief_overdue(today).select_related("officer_in_charge")
    operations = filter_operations(operations, criteria, today)
    return operations.order_by(*SORTS.get(criteria.get("sort") or "-opened", SORTS["-opened"]))


def filter_disruptions(disruptions, criteria: dict):
    from operations.models.vocabulary import COUNTED_REVIEWS

    if criteria.get("review"):
        disruptions = disruptions.filter(review_status=criteria["review"])
    if criteria.get("level"):
        disruptions = disruptions.filter(level_after_review=criteria["level"])
    if criteria.get("pillar"):
        disruptions = disruptions.filter(pillar=criteria["pillar"])
    if criteria.get("counted") == "yes":
        disruptions = disruptions.filter(review_status__in=COUNTED_REVIEWS)
    elif criteria.get("counted") == "no":
        disruptions = disruptions.exclude(review_status__in=COUNTED_REVIEWS)
    if criteria.get("date_from"):
        disruptions = disruptions.filter(disrupted_on__gte=criteria["date_from"])
    if criteria.get("date_to"):
        disruptions = disruptions.filter(disrupted_on__lte=criteria["date_to"])
    return disruptions


def disruption_list(user, criteria: dict):
    from operations.models import Disruption

    disruptions = (
        Disruption.objects.visible_to(user)
        .with_final_level()
        .select_related("operation", "assessed_by", "reviewed_by")
        .order_by("-disrupted_on", "-id")
    )
    return filter_disruptions(disruptions, criteria)
