"""The agenda builder: add, edit, move and remove items (and link them to records)."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from governance import linkables
from governance.access import get_agenda_item_for_user, get_meeting_for_user
from governance.forms import AgendaItemForm
from governance.models import RUN_BOARDS, AgendaItem
from governance.services.agenda import agenda_item_move, agenda_item_remove, agenda_item_save
from mshtgov import page_cache
from mshtgov.access import require
from mshtgov.marking import mark_page, markings_raised
from mshtgov.pages import cached_edit_page

from .meetings import _crumbs


def _saved(request, form, reason):
    """`edit_page`'s save: the item and its links, or the service's refusal (a ValidationError) for the form."""
    agenda_item_save(item=form.instance, links=form.linked_records(), by=request.user, reason=reason)
    return form.instance


def _item_page(meeting, *, adding: bool, item=None) -> dict:
    """The agenda item form's page (its own template) as `edit_page` keywords, the meeting's agenda behind it."""
    title = "Add an agenda item" if adding else "Edit an agenda item"
    return {
        "title": title,
        "breadcrumbs": _crumbs(meeting, (title, "")),
        "template": "governance/agenda_item_form.html",
        "extra": {"meeting": meeting, "adding": adding, **({"item": item} if item is not None else {})},
    }


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_add(request, pk):
    def page():
        meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
        form = AgendaItemForm(request.POST or None, instance=AgendaItem(meeting=meeting), user=request.user)
        mark_page(request, meeting, *form.markings)
        return form, {
            "save": lambda f: _saved(request, f, "Added to the agenda"),
            "success_url": lambda item: (
                reverse("governance:agenda-item-add", kwargs={"pk": meeting.pk})
                if "add_another" in request.POST
                else meeting.get_absolute_url() + "#agenda"
            ),
            "success_message": lambda item: f"“{item.title}” has been added to the agenda.",
            **_item_page(meeting, adding=True),
        }

    # The blank form reads nothing of the query string: one entry per meeting.
    return cached_edit_page(request, f"governance:agenda-add:{int(pk)}", page)


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_edit(request, pk):
    def page():
        item = get_agenda_item_for_user(request.user, pk, perm=RUN_BOARDS)
        meeting = item.meeting
        form = AgendaItemForm(request.POST or None, instance=item, user=request.user)
        mark_page(request, meeting, *form.markings)
        return form, {
            "save": lambda f: _saved(request, f, f.cleaned_data["change_reason"]),
            "success_url": meeting.get_absolute_url() + "#agenda",
            "success_message": "The agenda item has been updated.",
            **_item_page(meeting, adding=False, item=item),
        }

    return cached_edit_page(request, f"governance:agenda-item:{int(pk)}", page)


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
    if request.method == "POST":
        item = get_agenda_item_for_user(request.user, pk, perm=RUN_BOARDS)
        meeting = item.meeting
        try:
            agenda_item_remove(item=item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{item.title}” has been removed from the agenda.")
        return redirect(meeting.get_absolute_url() + "#agenda")
    # The question drawn once per reader and day, then served from the cache until anything it read changes
    # (issue 15); a reader who may not run the meeting is refused every time, nothing kept. The form's CSRF token
    # is the reader's own, put in on every view.
    entry = page_cache.record_page(request, f"governance:agenda-remove:{int(pk)}", lambda: _remove_page(request, pk))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": "Remove an agenda item",
            "body_html": mark_safe(page_cache.with_token(request, entry["body"])),  # noqa: S308 - drawn escaped
            "breadcrumbs": entry["breadcrumbs"],
        },
    )


def _remove_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        item = get_agenda_item_for_user(request.user, pk, perm=RUN_BOARDS)
        meeting = item.meeting
        mark_page(request, meeting)
        stand_in = secrets.token_hex(20)  # the CSRF token's place: see page_cache.drawn_without_token
        context = {"item": item, "meeting": meeting, "csrf_token": stand_in}
        body = page_cache.drawn_blocks("governance/agenda_item_remove.html", context, request, names=("content",))
        crumbs = _crumbs(meeting, ("Remove an agenda item", ""))
    return {
        "body": body["content"].split(stand_in),
        "breadcrumbs": [(str(label), str(url)) for label, url in crumbs],
        "markings": raised.kept(),
    }


@require(perms=(RUN_BOARDS,))
def linkable_search(request):
    """JSON for the covers picker's autocomplete: the records the reader may open matching `q` (the same
    search, visibility and cap as the form's "Search records" button). Only those who build agendas use it."""
    found = linkables.search(request.user, request.GET.get("q", ""))
    return JsonResponse(
        {"query": found.query, "total": found.total, "results": [option.as_json() for option in found.options]}
    )
