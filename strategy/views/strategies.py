"""Force strategy versions: list, create, edit, approve, start the next version, history."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.history import render_history
from mshtgov.marking import mark_page
from mshtgov.pages import apply_service_errors, form_page
from mshtgov.reference import Pillar
from mshtgov.templatetags.govuk import status_tag
from strategy.forms import ForceStrategyForm, NationalStrategyForm
from strategy.models import ForceStrategy, NationalStrategy, StrategyStatus
from strategy.models.common import Rag
from strategy.services import strategy_approve, strategy_new_version
from strategy.views import cached
from strategy.views.common import confirm, do_transition, messages_from, paginate, show_record


@dataclass(frozen=True)
class ObjectiveRow:
    """One line of a version's objectives table, ready to print: the page lists every objective (48 at
    scale), and resolving each cell in the template (a URL, a name, a tag, a date, a list) cost as much as
    the rest of the page."""

    url: str
    title: str
    owner: str  # "" when it has none
    rag: SafeString
    due: str
    aligns: str

    @classmethod
    def of(cls, objective) -> "ObjectiveRow":
        owner = objective.owner
        return cls(
            url=reverse("strategy:objective-detail", args=[objective.pk]),
            title=objective.title,
            owner=(owner.get_full_name() or owner.username) if owner else "",
            rag=status_tag(objective.get_rag_display(), objective.rag_colour),
            due=date_format(objective.due_date, "j M Y") if objective.due_date else "–",
            aligns=", ".join(n.short_name for n in objective.national_strategies.all()) or "–",
        )


def _crumbs(*more):
    return [("Strategy", reverse("strategy:index")), ("Versions", reverse("strategy:strategy-list")), *more]


@require(perms=("strategy.view_forcestrategy",))
def strategy_list(request):
    # Drawn once per reader, page and day, served from the cache until a version (or anything else it read)
    # changes (strategy.views.cached; issue 15: labelling each version's status read every version twice).
    entry = cached.listing_entry(request, "strategy:versions", "strategy/strategy_list_body.html", _versions_page)
    return cached.render_entry(
        request, entry, title="Force strategy versions", breadcrumbs=_crumbs()[:1] + [("Versions", "")]
    )


def _versions_page(drawing) -> tuple[dict, dict]:
    page = paginate(drawing.request, ForceStrategy.objects.select_related("approved_by").order_by("-version"))
    mark_page(drawing.request, *page.object_list)
    ForceStrategy.label_statuses(page.object_list)
    return {"page": page}, {}


@require(perms=("strategy.add_forcestrategy",))
def strategy_create(request):
    form = ForceStrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        strategy = form.save()
        messages.success(request, f"Version {strategy.version} saved as a draft.")
        return redirect("strategy:strategy-detail", pk=strategy.pk)
    return form_page(request, form, title="New force strategy", breadcrumbs=_crumbs(("New", "")))


@require(perms=("strategy.view_forcestrategy", "strategy.view_objective"))
def strategy_detail(request, pk):
    # Drawn once per reader, query string (`?pillar=&rag=`) and day, served from the cache until anything it
    # read changes (strategy.views.cached); a sensitive version is logged on every view; a version the reader
    # may not open answers 404 and is never kept.
    entry = cached.listing_entry(
        request,
        f"strategy:version:{int(pk)}",
        "strategy/strategy_detail_body.html",
        lambda drawing: _strategy_page(drawing, pk),
    )
    return cached.render_entry(
        request, entry, title=entry["title"], breadcrumbs=_crumbs((f"Version {entry['version']}", ""))
    )


def _strategy_page(drawing, pk) -> tuple[dict, dict]:
    """A version's body as its template draws it, and its title and number."""
    request = drawing.request
    strategy = get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
    drawing.show(strategy)
    objectives = strategy.objectives.select_related("owner").prefetch_related("national_strategies")
    # `?pillar=&rag=`: the dashboard's objectives-by-pillar-and-RAG cells open this page filtered.
    pillar = request.GET.get("pillar") if request.GET.get("pillar") in Pillar.values else ""
    rag = request.GET.get("rag") if request.GET.get("rag") in Rag.values else ""
    if pillar:
        objectives = objectives.filter(pillar=pillar)
    if rag:
        objectives = objectives.filter(rag=rag)
    objectives = list(objectives.order_by("pillar", "title"))
    mark_page(request, *objectives)
    by_pillar = [
        (p, [ObjectiveRow.of(o) for o in objectives if o.pillar == p]) for p in Pillar if not pillar or p == pillar
    ]
    context = {
        "strategy": strategy,
        "by_pillar": by_pillar,
        "objective_count": len(objectives),
        "filtered": (Pillar(pillar).label if pillar else "", Rag(rag).label if rag else "") if pillar or rag else None,
        "warnings": strategy.warnings(),
        "may_edit": user_may(request.user, perms=("strategy.change_forcestrategy",))
        and strategy.status != StrategyStatus.SUPERSEDED,
        "may_approve": user_may(request.user, perms=("strategy.approve_forcestrategy",))
        and strategy.status == StrategyStatus.DRAFT,
        "may_add_objective": user_may(request.user, perms=("strategy.add_objective",)) and strategy.is_editable,
        "may_new_version": user_may(request.user, perms=("strategy.add_forcestrategy",))
        and strategy.status != StrategyStatus.DRAFT,
    }
    return context, {"title": str(strategy), "version": strategy.version}


@require(perms=("strategy.change_forcestrategy",))
def strategy_edit(request, pk):
    strategy = get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
    if strategy.status == StrategyStatus.SUPERSEDED:
        messages.error(request, "A superseded version cannot be changed: it is kept as it was.")
        return redirect("strategy:strategy-detail", pk=pk)
    show_record(request, strategy)
    form = ForceStrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:  # saved by someone else meanwhile
            apply_service_errors(form, error)
        else:
            messages.success(request, "Strategy saved.")
            return redirect("strategy:strategy-detail", pk=pk)
    return form_page(
        request,
        form,
        title=f"Change {strategy}",
        record=strategy,
        breadcrumbs=_crumbs((f"Version {strategy.version}", strategy_url(strategy)), ("Change", "")),
    )


def strategy_url(strategy):
    return reverse("strategy:strategy-detail", kwargs={"pk": strategy.pk})


@require_http_methods(["GET", "POST"])
@require(perms=("strategy.approve_forcestrategy",))
def strategy_approve_view(request, pk):
    strategy = get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
    if request.method == "POST":
        return do_transition(
            request,
            lambda: strategy_approve(strategy=strategy, by=request.user),
            success=f"Version {strategy.version} approved. Any earlier approved version is now superseded.",
            then=strategy_url(strategy),
        )
    current = ForceStrategy.objects.approved().first()
    return confirm(
        request,
        obj=strategy,
        title=f"Approve {strategy}",
        button="Approve this version",
        body="Approving makes this the force's strategy for MSHT.",
        warning=f"Version {current.version} will be superseded. It stays readable." if current else "",
        action_url=reverse("strategy:strategy-approve", kwargs={"pk": pk}),
        back_url=strategy_url(strategy),
        breadcrumbs=_crumbs((f"Version {strategy.version}", strategy_url(strategy)), ("Approve", "")),
    )


@require_http_methods(["GET", "POST"])
@require(perms=("strategy.add_forcestrategy", "strategy.add_objective"))
def strategy_new_version_view(request, pk):
    source = get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
    if request.method == "POST":
        try:
            draft = strategy_new_version(source=source, by=request.user)
        except ValidationError as error:
            messages_from(request, error)
            return redirect("strategy:strategy-detail", pk=pk)
        messages.success(request, f"Version {draft.version} started as a draft from version {source.version}.")
        return redirect("strategy:strategy-detail", pk=draft.pk)
    return confirm(
        request,
        obj=source,
        title=f"Start a new version from {source}",
        button="Start a new version",
        body="The new draft copies this version's details and objectives, ready to change.",
        action_url=reverse("strategy:strategy-new-version", kwargs={"pk": pk}),
        back_url=strategy_url(source),
        breadcrumbs=_crumbs((f"Version {source.version}", strategy_url(source)), ("New version", "")),
    )


@require(perms=("strategy.view_forcestrategy",))
def strategy_history(request, pk):
    strategy = get_visible_or_404(ForceStrategy.objects.visible_to(request.user).select_related("approved_by"), pk)
    return render_history(
        request,
        strategy,
        back_url=strategy_url(strategy),
        breadcrumbs=_crumbs((f"Version {strategy.version}", strategy_url(strategy)), ("History", "")),
    )


@require(perms=("strategy.view_nationalstrategy",))
def national_list(request):
    return render(
        request,
        "strategy/national_list.html",
        {
            "strategies": NationalStrategy.objects.annotate(objective_count=Count("objectives")),
            "may_add": user_may(request.user, perms=("strategy.add_nationalstrategy",)),
            "breadcrumbs": [("Strategy", reverse("strategy:index")), ("National strategies", "")],
        },
    )


@require(perms=("strategy.add_nationalstrategy",))
def national_create(request):
    form = NationalStrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        national = form.save()
        messages.success(request, f"{national} added: objectives can now align with it.")
        return redirect("strategy:national-list")
    return form_page(
        request,
        form,
        title="Add a national strategy",
        breadcrumbs=[
            ("Strategy", reverse("strategy:index")),
            ("National strategies", reverse("strategy:national-list")),
            ("Add", ""),
        ],
    )


@require(perms=("strategy.change_nationalstrategy",))
def national_edit(request, pk):
    national = get_visible_or_404(NationalStrategy.objects.all(), pk)
    form = NationalStrategyForm(request.POST or None, instance=national)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:  # saved by someone else meanwhile
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{national} saved.")
            return redirect("strategy:national-list")
    return form_page(
        request,
        form,
        title=f"Change {national}",
        record=national,
        breadcrumbs=[
            ("Strategy", reverse("strategy:index")),
            ("National strategies", reverse("strategy:national-list")),
            ("Change", ""),
        ],
    )
