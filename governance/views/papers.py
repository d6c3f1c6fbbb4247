"""Meeting papers: upload (secretaries and leaders) and download (anyone who may see the meeting)."""

from urllib.parse import quote

from django.http import FileResponse, Http404

from governance.access import get_meeting_for_user, get_paper_for_user
from governance.forms import PaperForm
from governance.models import RUN_BOARDS
from governance.services.papers import paper_upload
from mshtgov.access import require
from mshtgov.audit import log_access
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import cached_edit_page

from .meetings import _crumbs


@require(perms=("governance.view_meeting",), partners=True)
def paper_upload_view(request, pk):
    # The blank form served from the reader's page cache (issue 15); the upload (a POST) runs live.
    def page():
        meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
        mark_page(request, meeting)
        return PaperForm(request.POST or None, request.FILES or None, meeting=meeting), {
            "save": lambda form: paper_upload(
                meeting=meeting,
                upload=form.cleaned_data["file"],
                by=request.user,
                title=form.cleaned_data["title"],
                agenda_item=form.cleaned_data["agenda_item"],
                marking=form.cleaned_data["marking"],
            ),
            "success_url": meeting.get_absolute_url() + "#papers",
            "success_message": "The paper has been uploaded.",
            "title": "Upload a paper",
            "submit": "Upload paper",
            "upload": True,
            "back_url": meeting.get_absolute_url(),
            "breadcrumbs": _crumbs(meeting, ("Upload a paper", "")),
        }

    return cached_edit_page(request, f"governance:paper-upload:{int(pk)}", page)


def attachment_response(file, *, filename: str, content_type="application/pdf"):
    """A download that the browser saves rather than shows, with a header no user text can break."""
    response = FileResponse(file.open("rb"), content_type=content_type)
    ascii_name = "".join(ch for ch in filename if ch.isascii() and (ch.isalnum() or ch in "-_.")) or "download.pdf"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@require(perms=("governance.view_paper",), partners=True)
def paper_download(request, pk):
    paper = get_paper_for_user(request.user, pk)
    if not paper.file or not paper.file.storage.exists(paper.file.name):
        raise Http404
    log_access(request, AccessAction.DISCLOSE, paper, detail={"meeting": paper.meeting_id})
    return attachment_response(paper.file, filename=paper.original_name or "paper.pdf")
