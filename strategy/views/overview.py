"""The strategy section's front page and the 4P alignment matrix."""

from django.shortcuts import render
from django.urls import reverse

from mshtgov.access import get_visible_or_404, require
from mshtgov.marking import mark_page
from strategy.models import Assessment, ForceStrategy
from strategy.selectors.plans import alignment_matrix, objectives_by_pillar_and_rag


@require(perms=("strategy.view_forcestrategy",))
def index(request):
    strategy = ForceStrategy.objects.current()
    latest_assessment = Assessment.objects.order_by("-period_end", "-id").first()
    counts = objectives_by_pillar_and_rag(strategy)
    mark_page(request, strategy, latest_assessment)
    return render(
        request,
        "strategy/index.html",
        {
            "strategy": strategy,
            "warnings": strategy.warnings() if strategy else [],
            "counts": counts,
            "latest_assessment": latest_assessment,
            "breadcrumbs": [("Strategy", "")],
        },
    )


@require(perms=("strategy.view_objective", "strategy.view_nationalstrategy"))
def alignment(request, pk=None):
    strategy = (
        get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
        if pk
        else ForceStrategy.objects.current()
    )
    matrix = alignment_matrix(strategy) if strategy else None
    mark_page(request, strategy)
    if strategy:
        mark_page(request, strategy.objectives.all())
    return render(
        request,
        "strategy/alignment.html",
        {
            "strategy": strategy,
            "matrix": matrix,
            "upcoming": None if pk else ForceStrategy.objects.upcoming(),
            "breadcrumbs": [("Strategy", reverse("strategy:index")), ("4P alignment", "")],
        },
    )
