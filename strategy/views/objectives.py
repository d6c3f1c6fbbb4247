"""4P objectives of a force strategy."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.audit import consult_to_log
from mshtgov.history import render_history
from mshtgov.marking import mark_page
from mshtgov.pages import cached_edit_page, form_page
from strategy.forms import ObjectiveForm
from strategy.models import ForceStrategy, Objective, StrategyStatus
from strategy.views import cached
from strategy.views.common import show_record


def _crumbs(strategy, *more):
    return [
        ("Strategy", reverse("strategy:index")),
        (f"Version {strategy.version}", reverse("strategy:strategy-detail", kwargs={"pk": strategy.pk})),
        *more,
    ]


def _url(objective):
    return reverse("strategy:objective-detail", kwargs={"pk": objective.pk})


@require(perms=("strategy.add_objective",))
def objective_create(request, strategy_pk):
    strategy = get_visible_or_404(
        ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), strategy_pk
    )
    if not strategy.is_editable:
        messages.error(request, "Objectives are added to a draft version: start a new version to change them.")
        return redirect("strategy:strategy-detail", pk=strategy.pk)
    show_record(request, strategy)
    form = ObjectiveForm(request.POST or None, initial={"pillar": request.GET.get("pillar")})
    form.instance.strategy = strategy
    if request.method == "POST" and form.is_valid():
        objective = form.save()
        messages.success(request, f"Objective “{objective}” added.")
        return redirect("strategy:strategy-detail", pk=strategy.pk)
    return form_page(
        request,
        form,
        title="Add an objective",
        breadcrumbs=_crumbs(strategy, ("Add an objective", "")),
    )


@require(perms=("strategy.view_objective",))
def objective_detail(request, pk):
    # Drawn once per reader and day, served from the cache until anything it read changes (strategy.views.cached);
    # an objective the reader may not open answers 404 and nothing is kept; a sensitive one is logged on every view.
    entry = cached.record_entry(
        request, f"strategy:objective:{int(pk)}", "strategy/objective_detail_body.html", lambda d: _detail_page(d, pk)
    )
    return cached.render_entry(request, entry, title=entry["title"], breadcrumbs=entry["breadcrumbs"])


def _detail_page(drawing, pk) -> tuple[dict, dict]:
    request = drawing.request
    objective = get_visible_or_404(Objective.objects.visible_to(request.user).select_related("strategy", "owner"), pk)
    drawing.show(objective)
    context = {
        "objective": objective,
        "nationals": objective.national_strategies.all(),
        "threats": objective.threats.all(),
        "measures": objective.measures.all(),
        "may_edit": user_may(request.user, perms=("strategy.change_objective",))
        and objective.strategy.status != StrategyStatus.SUPERSEDED,
    }
    crumbs = [(str(label), str(url)) for label, url in _crumbs(objective.strategy, (objective.title, ""))]
    return context, {"title": str(objective), "breadcrumbs": crumbs}


@require(perms=("strategy.change_objective",))
def objective_edit(request, pk):
    def page():
        objective = get_visible_or_404(
            Objective.objects.visible_to(request.user).select_related("strategy", "owner"), pk
        )
        if objective.strategy.status == StrategyStatus.SUPERSEDED:  # served, never kept
            messages.error(request, "This objective belongs to a superseded version and is kept as it was.")
            return redirect("strategy:objective-detail", pk=pk)
        mark_page(request, objective)
        form = ObjectiveForm(request.POST or None, instance=objective)
        return form, {
            "save": lambda f: f.save(),  # a ValidationError: saved by someone else meanwhile
            "success_url": _url(objective),
            "success_message": "Objective saved.",
            "consulted": consult_to_log(objective),  # a sensitive objective's view is logged on every view
            "title": f"Change {objective}",
            "record": objective,
            "breadcrumbs": _crumbs(objective.strategy, (objective.title, _url(objective)), ("Change", "")),
        }

    return cached_edit_page(request, f"strategy:objective:{int(pk)}", page)


@require(perms=("strategy.view_objective",))
def objective_history(request, pk):
    objective = get_visible_or_404(Objective.objects.visible_to(request.user).select_related("strategy", "owner"), pk)
    return render_history(
        request,
        objective,
        back_url=_url(objective),
        breadcrumbs=_crumbs(objective.strategy, (objective.title, _url(objective)), ("History", "")),
    )
