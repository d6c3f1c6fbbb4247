"""Force strategy versions: approve one, or start the next version from it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mshtgov.access import user_may
from mshtgov.tracking import save_tracked
from strategy.models import ForceStrategy, StrategyStatus


@transaction.atomic
def strategy_approve(*, strategy: ForceStrategy, by) -> ForceStrategy:
    """Approve a draft. Side effects, in order: the approved version (if any) becomes superseded and
    stays readable; this version becomes approved, recording who approved it and when."""
    if not user_may(by, perms=("strategy.approve_forcestrategy",)):
        raise PermissionDenied("Only a senior leader can approve a strategy.")
    strategy = ForceStrategy.objects.select_for_update().get(pk=strategy.pk)
    if strategy.status != StrategyStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be approved: this version is already {strategy.get_status_display().lower()}."
        )
    for previous in ForceStrategy.objects.select_for_update().filter(status=StrategyStatus.APPROVED):
        previous.status = StrategyStatus.SUPERSEDED
        save_tracked(previous, by=by, reason=f"Superseded by version {strategy.version}")
    strategy.status = StrategyStatus.APPROVED
    strategy.approved_by = by
    strategy.approved_on = timezone.localdate()
    save_tracked(strategy, by=by, reason="Approved")
    return strategy


@transaction.atomic
def strategy_new_version(*, source: ForceStrategy, by) -> ForceStrategy:
    """A new draft copying `source` and its objectives (with their links), numbered after the newest."""
    if ForceStrategy.objects.filter(status=StrategyStatus.DRAFT).exists():
        raise ValidationError("There is already a draft version: finish or approve it before starting another.")
    newest = ForceStrategy.objects.order_by("-version").values_list("version", flat=True).first() or 0
    draft = ForceStrategy(
        title=source.title,
        version=newest + 1,
        period_start=source.period_start,
        period_end=source.period_end,
        summary=source.summary,
        marking=source.marking,
        pcc_briefed_on=None,
        pcc_support=source.pcc_support,
        msht_in_control_strategy=source.msht_in_control_strategy,
        control_strategy_rank=source.control_strategy_rank,
    )
    save_tracked(draft, by=by, reason=f"New version started from version {source.version}")
    for objective in source.objectives.prefetch_related("national_strategies", "threats", "measures"):
        links = (
            list(objective.national_strategies.all()),
            list(objective.threats.all()),
            list(objective.measures.all()),
        )
        objective.pk = None
        objective.id = None
        objective._state.adding = True
        objective.strategy = draft
        objective._prefetched_objects_cache = {}  # else set() compares against the source's links
        save_tracked(objective, by=by, reason=f"Carried forward from version {source.version}")
        objective.national_strategies.set(links[0])
        objective.threats.set(links[1])
        objective.measures.set(links[2])
    return draft
