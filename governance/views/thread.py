"""A board decision's and an agenda item's own pages: what was decided or discussed, and its golden thread.

Each is drawn once per reader and day, then served from the reader's page cache until anything it read changes
(`mshtgov.page_cache`, issue 15). The access check is made inside the build: a reader who may not open the record
(a partner asking for another forum's item, anyone without internal access asking for a decision) gets 404 every
time, and nothing is kept. The page's marking is raised, and a sensitive decision's view logged, on every view."""

from django.shortcuts import render
from django.utils.safestring import mark_safe

from governance.access import get_agenda_item_for_user, get_decision_for_user, may_run_boards
from mshtgov import page_cache
from mshtgov.access import require
from mshtgov.audit import consult_to_log, log_consult
from mshtgov.marking import mark_page, markings_raised
from mshtgov.thread import golden_thread

from .meetings import _crumbs


def _served(request, entry):
    mark_page(request, *entry["markings"])
    log_consult(request, entry.get("consulted"))
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": entry["title"],
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": entry["breadcrumbs"],
        },
    )


def _drawn(request, template: str, context: dict, title: str, breadcrumbs) -> dict:
    blocks = page_cache.drawn_blocks(template, context, request, names=("content",))
    return {
        "title": title,  # plain text: the page escapes it, as the template's title block did
        "body": blocks["content"],
        "breadcrumbs": [(str(label), str(url)) for label, url in breadcrumbs],
    }


@require(perms=("governance.view_decision",))
def decision_detail(request, pk):
    entry = page_cache.record_page(request, f"governance:decision:{int(pk)}", lambda: _decision_page(request, pk))
    return _served(request, entry)


def _decision_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        decision = get_decision_for_user(request.user, pk)
        mark_page(request, decision, decision.meeting)
        context = {
            "decision": decision,
            "meeting": decision.meeting,
            "may_run": may_run_boards(request.user),
            "thread": golden_thread(request, decision),
        }
        entry = _drawn(
            request,
            "governance/decision_detail.html",
            context,
            f"Board decision, {decision.meeting}",
            _crumbs(decision.meeting, ("Decision", "")),
        )
    return {**entry, "markings": raised.kept(), "consulted": consult_to_log(decision)}


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_detail(request, pk):
    entry = page_cache.record_page(request, f"governance:agenda:{int(pk)}", lambda: _item_page(request, pk))
    return _served(request, entry)


def _item_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        item = get_agenda_item_for_user(request.user, pk)
        mark_page(request, item.meeting)
        context = {"item": item, "meeting": item.meeting, "thread": golden_thread(request, item)}
        entry = _drawn(
            request,
            "governance/agenda_item_detail.html",
            context,
            f"Agenda item: {item.title}",
            _crumbs(item.meeting, (item.title[:60], "")),
        )
    return {**entry, "markings": raised.kept()}
