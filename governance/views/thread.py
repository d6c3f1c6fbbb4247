"""A board decision's and an agenda item's own pages: what was decided or discussed, and its golden thread."""

from django.shortcuts import render

from governance.access import get_agenda_item_for_user, get_decision_for_user, may_run_boards
from mshtgov.access import require
from mshtgov.audit import log_consult_if_sensitive
from mshtgov.marking import mark_page
from mshtgov.thread import golden_thread

from .meetings import _crumbs


@require(perms=("governance.view_decision",))
def decision_detail(request, pk):
    decision = get_decision_for_user(request.user, pk)
    mark_page(request, decision, decision.meeting)
    log_consult_if_sensitive(request, decision)
    return render(
        request,
        "governance/decision_detail.html",
        {
            "decision": decision,
            "meeting": decision.meeting,
            "may_run": may_run_boards(request.user),
            "thread": golden_thread(request, decision),
            "breadcrumbs": _crumbs(decision.meeting, ("Decision", "")),
        },
    )


@require(perms=("governance.view_meeting",), partners=True)
def agenda_item_detail(request, pk):
    item = get_agenda_item_for_user(request.user, pk)
    mark_page(request, item.meeting)
    return render(
        request,
        "governance/agenda_item_detail.html",
        {
            "item": item,
            "meeting": item.meeting,
            "thread": golden_thread(request, item),
            "breadcrumbs": _crumbs(item.meeting, (item.title[:60], "")),
        },
    )
