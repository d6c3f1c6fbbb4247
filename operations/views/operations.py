"""One operation: its page (outcomes, disruptions, debrief, lessons, actions), adding and editing it, its
outcomes and debrief, and its history."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from governance.models import Action
from mshtgov import records
from mshtgov.access import get_visible_or_404, require
from mshtgov.audit import consult_to_log, log_access, record_label
from mshtgov.history import render_scoped_history
from mshtgov.marking import mark_page, markings_raised
from mshtgov.models import AccessAction
from mshtgov.pages import cached_edit_page, edit_page
from mshtgov.thread import golden_thread
from operations.forms import DebriefForm, OperationForm, OutcomeForm
from operations.models import Debrief, Operation, Outcome
from operations.services.debriefs import debrief_record
from operations.services.disruptions import may_review
from operations.services.operations import operation_create, operation_update, outcome_update
from operations.views import cached


def _crumbs(*extra):
    return [("Operations", reverse("operations:operation-list")), *extra]


def _operation(request, pk):
    return get_visible_or_404(
        Operation.objects.visible_to(request.user)
        .with_debrief_overdue(timezone.localdate())
        .select_related("officer_in_charge", "outcome", "debrief", "debrief__recorded_by"),
        pk,
    )


def _detail_url(operation) -> str:
    return reverse("operations:operation-detail", args=[operation.pk])


@require(perms=("operations.view_operation",))
def operation_detail(request, pk):
    # Drawn once per reader and day, then served from the cache until anything it read changes
    # (operations.views.cached); an operation the reader may not open answers 404 and is never kept.
    entry = cached.record_page(request, f"operation:{int(pk)}", lambda: _detail_page(request, pk))
    mark_page(request, *entry["markings"])
    # Every view of an operation is logged, whatever its marking (issue 12): the register is case detail.
    log_access(
        request,
        AccessAction.CONSULT,
        object_type="operations.operation",
        object_id=str(entry["pk"]),
        object_repr=entry["label"],
        marking=entry["marking"],
    )
    return render(
        request,
        "operations/operation_detail.html",
        {
            "title": entry["title"],
            "body_html": mark_safe(entry["body_html"]),  # noqa: S308 - drawn by operation_detail_body.html
            "breadcrumbs": _crumbs((entry["reference"], "")),
        },
    )


def _detail_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        entry = _detail_body(request, pk)
    return {**entry, "markings": raised.kept()}


def _detail_body(request, pk) -> dict:
    """The operation page's content as the reader sees it, with what the page's marking and the access log
    need: plain values, kept in the cache."""
    operation = _operation(request, pk)
    mark_page(request, operation)
    user = request.user
    disruptions = list(
        operation.disruptions.select_related("assessed_by", "reviewed_by").order_by("-disrupted_on", "-id")
    )
    mark_page(request, *disruptions)
    # Named only if the reader may open them (an action on a board they do not sit on is counted). Most
    # operations raised none: a plain look first spares building the action visibility rule for nothing.
    raised = Action.objects.filter(
        source_content_type=ContentType.objects.get_for_model(Operation), source_object_id=operation.pk
    )
    actions, hidden_actions = [], 0
    if raised.exists():
        actions, hidden_actions = records.related(
            request, raised.select_related("owner").with_overdue(timezone.localdate()).order_by("due_date", "id")
        )
    debrief = getattr(operation, "debrief", None)  # fetched with the operation
    for disruption in disruptions:
        disruption.may_review = may_review(user, disruption) and disruption.review_status == "pending"
    body = render_to_string(
        "operations/operation_detail_body.html",
        {
            "operation": operation,
            "outcome": getattr(operation, "outcome", None),
            "disruptions": disruptions,
            "debrief": debrief,
            "actions": actions,
            "hidden_actions": hidden_actions,
            "threats": [name for name in operation.threat_names.split("; ") if name],
            # Its actions have a section of their own above (named if the reader may open them, else counted).
            "thread": golden_thread(request, operation, listed_on_page=("governance.action",)),
            "may_edit": user.has_perm("operations.change_operation"),
            "may_add_disruption": user.has_perm("operations.add_disruption") and not operation.is_ended,
            "may_debrief": user.has_perm("operations.add_debrief") and operation.is_ended and debrief is None,
        },
        request=request,
    )
    return {
        "pk": operation.pk,
        "reference": operation.reference,
        "title": f"{operation.reference}: {operation.title}",
        "label": record_label(operation),
        "marking": operation.marking,
        "body_html": str(body),
    }


@require(perms=("operations.add_operation",))
def operation_create_view(request):
    # The blank form reads no query string: one kept form per reader and day (mshtgov.pages.cached_edit_page).
    def page():
        form = OperationForm(request.POST or None)
        return form, {
            "save": lambda f: operation_create(by=request.user, threats=f.chosen_threats(), **f.operation_fields()),
            "success_url": _detail_url,
            "success_message": lambda op: f"Operation {op.reference} added.",
            "title": "Add an operation",
            "breadcrumbs": _crumbs(("Add an operation", "")),
            "intro": "Pseudonymous throughout: no names or identifying details of victims, suspects or witnesses.",
            "submit": "Add operation",
        }

    return cached_edit_page(request, "operations:operation:add", page)


@require(perms=("operations.change_operation",))
def operation_edit(request, pk):
    def page():
        operation = _operation(request, pk)
        mark_page(request, operation)
        form = OperationForm(request.POST or None, instance=operation)
        return form, {
            "save": lambda f: operation_update(
                operation=f.instance,
                by=request.user,
                reason=f.cleaned_data["change_reason"],
                threats=f.chosen_threats(),
            ),
            "success_url": _detail_url,
            "success_message": lambda op: f"Operation {op.reference} updated.",
            "title": f"Edit {operation.reference}",
            "breadcrumbs": _crumbs((operation.reference, _detail_url(operation)), ("Edit", "")),
            "record": operation,
        }

    return cached_edit_page(request, f"operations:operation:{int(pk)}", page)


@require(perms=("operations.change_outcome",))
def outcome_edit(request, pk):
    def page():
        operation = _operation(request, pk)
        mark_page(request, operation)
        # An operation without outcomes yet gets its empty row on its first view, as before. Made inside the
        # build, that save changes a table the build read, so the entry drawn then is void at once (served that
        # once, never again): the next view draws the form again from the row now there, and that one is kept.
        outcome, _ = Outcome.objects.get_or_create(operation=operation)
        form = OutcomeForm(request.POST or None, instance=outcome)
        return form, {
            "save": lambda f: outcome_update(
                outcome=f.instance, by=request.user, reason=f.cleaned_data["change_reason"]
            ),
            "success_url": _detail_url(operation),
            "success_message": f"Outcomes of {operation.reference} saved.",
            "title": f"Outcomes of {operation.reference}",
            "breadcrumbs": _crumbs((operation.reference, _detail_url(operation)), ("Outcomes", "")),
            "intro": "Counts only: never a name or identifying detail. Counts that contradict each other are refused.",
            "record": operation,
        }

    return cached_edit_page(request, f"operations:outcome:{int(pk)}", page)


@require(perms=("operations.add_debrief",))
def debrief_create(request, pk):
    operation = _operation(request, pk)
    mark_page(request, operation)
    if not operation.is_ended or Debrief.objects.filter(operation=operation).exists():
        return redirect(_detail_url(operation))
    form = DebriefForm(request.POST or None, instance=Debrief(operation=operation, recorded_by=request.user))
    return edit_page(
        request,
        form,
        save=lambda f: debrief_record(
            operation=operation,
            by=request.user,
            held_on=f.cleaned_data["held_on"],
            no_new_learning=f.cleaned_data["no_new_learning"],
            no_learning_reason=f.cleaned_data["no_learning_reason"],
            summary=f.cleaned_data["summary"],
        ),
        success_url=_detail_url(operation),
        success_message=f"Debrief of {operation.reference} recorded.",
        title=f"Record the debrief of {operation.reference}",
        breadcrumbs=_crumbs((operation.reference, _detail_url(operation)), ("Debrief", "")),
        intro=f"Log each lesson in Learning under the reference {operation.reference} first; or tick no new "
        "learning and say why.",
        record=operation,
    )


@require(perms=("operations.view_operation",))
def operation_history(request, pk):
    # The access check inside the cached build (issue 15: finding the operation through the reader's visibility
    # rules cost as much as the rest of the page); every view is logged, hit or miss, as before.
    def crumbs_of(operation):
        back = _detail_url(operation)
        return back, _crumbs((operation.reference, back), ("History", ""))

    return render_scoped_history(
        request,
        f"operations:operation:{int(pk)}",
        lambda: get_visible_or_404(Operation.objects.visible_to(request.user), pk),
        crumbs_of,
        consult=lambda operation: consult_to_log(operation, always=True, detail={"page": "history"}),
    )
