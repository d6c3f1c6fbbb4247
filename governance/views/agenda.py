"""The agenda builder: add, edit, move and remove items (and link them to records)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from governance import linkables
from governance.access import get_agenda_item_for_user, get_meeting_for_user
from governance.forms import AgendaItemForm
from governance.models import RUN_BOARDS, AgendaItem
from governance.services.agenda import agenda_item_move, agenda_item_remove, agenda_item_save
from mshtgov.access import require
from mshtgov.marking import mark_page
from mshtgov.pages import apply_service_errors

from .meetings import _crumbs


def _save(request, form, item, reason):
    try:
        agenda_item_save(item=item, links=form.linked_records(), by=request.user, reason=reason)
        return True
    except ValidationError as error:
        apply_service_errors(form, error)
        return False


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
    form = AgendaItemForm(request.POST or None, instance=AgendaItem(meeting=meeting), user=request.user)
    if request.method == "POST" and form.is_valid() and _save(request, form, form.instance, "Added to the agenda"):
        messages.success(request, f"“{form.instance.title}” has been added to the agenda.")
        if "add_another" in request.POST:
            return redirect("governance:agenda-item-add", pk=meeting.pk)
        return redirect(meeting.get_absolute_url() + "#agenda")
    mark_page(request, meeting, *form.markings)
    return render(
        request,
        "governance/agenda_item_form.html",
        {
            "form": form,
            "meeting": meeting,
            "adding": True,
            "breadcrumbs": _crumbs(meeting, ("Add an agenda item", "")),
        },
    )


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_edit(request, pk):
    item = get_agenda_item_for_user(request.user, pk, perm=RUN_BOARDS)
    meeting = item.meeting
    form = AgendaItemForm(request.POST or None, instance=item, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, form.instance, form.cleaned_data["change_reason"])
    ):
        messages.success(request, "The agenda item has been updated.")
        return redirect(meeting.get_absolute_url() + "#agenda")
    mark_page(request, meeting, *form.markings)
    return render(
        request,
        "governance/agenda_item_form.html",
        {
            "form": form,
            "meeting": meeting,
            "adding": False,
            "item": item,
            "breadcrumbs": _crumbs(meeting, ("Edit an agenda item", "")),
        },
    )


@require_POST
@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_move_view(request, pk):
    item = get_agenda_item_for_user(request.user, pk, perm=RUN_BOARDS)
    try:
        agenda_item_move(item=item, direction=request.POST.get("direction", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(item.meeting.get_absolute_url() + "#agenda")


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_remove_view(request, pk):
    item = get_agenda_item_for_user(request.user, pk, perm=RUN_BOARDS)
    meeting = item.meeting
    if request.method == "POST":
        try:
            agenda_item_remove(item=item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{item.title}” has been removed from the agenda.")
        return redirect(meeting.get_absolute_url() + "#agenda")
    mark_page(request, meeting)
    return render(
        request,
        "governance/agenda_item_remove.html",
        {
            "item": item,
            "meeting": meeting,
            "breadcrumbs": _crumbs(meeting, ("Remove an agenda item", "")),
        },
    )


@require(perms=(RUN_BOARDS,))
def linkable_search(request):
    """JSON for the covers picker's autocomplete: the records the reader may open matching `q` (the same
    search, visibility and cap as the form's "Search records" button). Only those who build agendas use it."""
    found = linkables.search(request.user, request.GET.get("q", ""))
    return JsonResponse(
        {"query": found.query, "total": found.total, "results": [option.as_json() for option in found.options]}
    )
