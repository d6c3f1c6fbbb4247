"""The strategy section's front page and the 4P alignment matrix."""

from django.urls import reverse

from mshtgov.access import get_visible_or_404, require
from mshtgov.marking import mark_page
from strategy.models import Assessment, ForceStrategy
from strategy.selectors.plans import alignment_matrix, objectives_by_pillar_and_rag
from strategy.views import cached


@require(perms=("strategy.view_forcestrategy",))
def index(request):
    # Drawn once per reader and day, served from the cache until anything it read changes (strategy.views.cached).
    entry = cached.record_entry(request, "strategy:index", "strategy/index_body.html", _index_page)
    return cached.render_entry(request, entry, title="Strategy", breadcrumbs=[("Strategy", "")])


def _index_page(drawing) -> tuple[dict, dict]:
    strategy = ForceStrategy.objects.current()
    latest_assessment = Assessment.objects.order_by("-period_end", "-id").first()
    counts = objectives_by_pillar_and_rag(strategy)
    mark_page(drawing.request, strategy, latest_assessment)
    context = {
        "strategy": strategy,
        "warnings": strategy.warnings() if strategy else [],
        "counts": counts,
        "latest_assessment": latest_assessment,
    }
    return context, {}


@require(perms=("strategy.view_objective", "strategy.view_nationalstrategy"))
def alignment(request, pk=None):
    # Drawn once per reader and day (for the version in force, or version `pk`), served from the cache until
    # anything it read changes (strategy.views.cached); a version the reader may not open answers 404.
    entry = cached.record_entry(
        request,
        f"strategy:alignment:{int(pk) if pk else 'current'}",
        "strategy/alignment_body.html",
        lambda drawing: _alignment_page(drawing, pk),
    )
    return cached.render_entry(
        request,
        entry,
        title="4P alignment matrix",
        breadcrumbs=[("Strategy", reverse("strategy:index")), ("4P alignment", "")],
    )


def _alignment_page(drawing, pk) -> tuple[dict, dict]:
    """The matrix's body as its template draws it."""
    request = drawing.request
    strategy = (
        get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
        if pk
        else ForceStrategy.objects.current()
    )
    matrix = alignment_matrix(strategy) if strategy else None
    mark_page(request, strategy)
    if strategy:
        mark_page(request, strategy.objectives.all())
    context = {
        "strategy": strategy,
        "matrix": matrix,
        "upcoming": None if pk else ForceStrategy.objects.upcoming(),
    }
    return context, {}
