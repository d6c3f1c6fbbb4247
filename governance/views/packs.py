"""Board packs: ask for one, watch it build, download it, retry a failed one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from governance.access import get_meeting_for_user, get_pack_for_user, may_run_boards
from governance.forms import PackRequestForm
from governance.models import RUN_BOARDS, PackStatus
from governance.packs.audience import audience_for
from governance.packs.sections import available_sections
from governance.services.packs import board_pack_request, board_pack_retry
from mshtgov.access import require
from mshtgov.audit import log_access
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import form_page

from .meetings import _crumbs
from .papers import attachment_response

WAITING_MESSAGE = (
    "The background service that builds packs is not available at the moment. Your request has been "
    "kept and the pack will be built when the service is back: check this page later."
)


def _announce(request, pack, created):
    if pack.waiting_for_background_service:
        messages.warning(request, WAITING_MESSAGE)
    elif not created:
        messages.info(request, "A pack for this meeting is already being built: this is it.")
    elif pack.status == PackStatus.READY:
        messages.success(request, "The board pack is ready to download.")
    elif pack.status == PackStatus.FAILED:
        messages.error(request, "The board pack could not be built. The reason is below.")
    else:
        messages.success(request, "The board pack has been queued. This page shows when it is ready.")


@require(perms=("governance.view_meeting",), partners=True)
def pack_request(request, pk):
    meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
    audience = audience_for(meeting.board, request.user)
    form = PackRequestForm(request.POST or None, audience=audience)
    if request.method == "POST" and form.is_valid():
        pack, created = board_pack_request(meeting=meeting, by=request.user, sections=form.cleaned_data["sections"])
        _announce(request, pack, created)
        return redirect(pack.get_absolute_url())
    mark_page(request, meeting)
    return form_page(
        request,
        form,
        title="Ask for the board pack",
        submit="Build the pack",
        back_url=meeting.get_absolute_url(),
        breadcrumbs=_crumbs(meeting, ("Board pack", "")),
        intro=f"The pack is built in the background; it usually takes under a minute. {audience.describe()}",
    )


@require(perms=("governance.view_boardpack",), partners=True)
def pack_detail(request, pk):
    """The pack's state. With htmx, only the state fragment is returned (polled while it builds)."""
    pack = get_pack_for_user(request.user, pk)
    mark_page(request, pack, pack.meeting)
    titles = dict((s.key, s.title) for s in available_sections())
    context = {
        "pack": pack,
        "meeting": pack.meeting,
        "section_titles": [titles.get(key, key) for key in pack.sections],
        # Until it is built, who it will be built for (the board as it stands now).
        "built_for": "" if pack.built_for else audience_for(pack.meeting.board, pack.requested_by).describe(),
        "may_run": may_run_boards(request.user),
        "breadcrumbs": _crumbs(pack.meeting, ("Board pack", "")),
    }
    if request.htmx:
        return TemplateResponse(request, "governance/includes/pack_status.html", context)
    return render(request, "governance/pack_detail.html", context)


@require(perms=("governance.view_boardpack",), partners=True)
def pack_download(request, pk):
    pack = get_pack_for_user(request.user, pk)
    if pack.status != PackStatus.READY or not pack.file or not pack.file.storage.exists(pack.file.name):
        raise Http404
    log_access(
        request,
        AccessAction.DISCLOSE,
        pack,
        recipients=request.user.get_username(),
        detail={"meeting": pack.meeting_id, "sha256": pack.sha256},
    )
    return attachment_response(pack.file, filename=pack.download_name())


@require_POST
@require(perms=("governance.view_boardpack",), partners=True)
def pack_retry(request, pk):
    pack = get_pack_for_user(request.user, pk, perm=RUN_BOARDS)
    pack, sent = board_pack_retry(pack=pack, by=request.user)
    if not sent:
        messages.info(request, "This pack is not waiting for a retry.")
    else:
        _announce(request, pack, True)
    return redirect(pack.get_absolute_url())
