"""Boards: list, detail, create, edit, history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from governance import hooks
from governance.access import get_board_for_user, may_run_boards, sees_internal_record
from governance.forms import BoardForm
from governance.models import OPEN_STATUSES, RUN_BOARDS, Board, Meeting
from governance.services.meetings import board_save
from mshtgov import page_cache
from mshtgov.access import may_open, require
from mshtgov.history import render_history
from mshtgov.marking import mark_page, markings_raised
from mshtgov.pages import apply_service_errors, cached_edit_page, form_page
from mshtgov.paging import paginate


@require(perms=("governance.view_board",), partners=True)
def board_list(request):
    # Drawn once per reader and day, then served from the cache until anything it read changes (mshtgov.page_cache,
    # issue 15), or until the first of the next meetings shown begins (the board's next meeting is then another).
    entry = page_cache.record_page(request, "governance:boards", lambda: _list_page(request, timezone.now()))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "mshtgov/drawn_page.html",
        {"title": "Boards", "body_html": mark_safe(entry["body"]), "breadcrumbs": [("Boards", "")]},  # noqa: S308
    )


def _list_page(request, now) -> dict:
    next_meeting = Meeting.objects.filter(board=OuterRef("pk"), starts_at__gte=now).order_by("starts_at")
    boards = list(
        Board.objects.visible_to(request.user)
        .select_related("chair")
        .annotate(
            next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)),
        )
        .order_by("name")
    )
    context = {"boards": boards, "may_run": may_run_boards(request.user)}
    body = page_cache.drawn_blocks("governance/board_list.html", context, request, names=("content",))
    upcoming = [board.next_meeting_at for board in boards if board.next_meeting_at is not None]
    return {
        "body": body["content"],
        "markings": sorted({board.marking for board in boards}),
        "until": min(upcoming).timestamp() if upcoming else None,
    }


def _terms_for(user, board):
    """The forum's terms (summary, link), the link kept only when the reader may open that page: a board
    secretary without access to partnership records got a 403 from "Read the full terms of reference"."""
    from django.urls import resolve

    terms = hooks.terms_of_reference(board)
    if not terms or not terms[1]:
        return terms
    match = resolve(terms[1])
    url_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    return terms if may_open(user, url_name, **match.kwargs) else (terms[0], "")


@require(perms=("governance.view_board",), partners=True)
def board_detail(request, pk):
    # Drawn once per reader, page of meetings and day, then served from the cache until anything it read
    # changes (mshtgov.page_cache, issue 15); a board the reader may not open answers 404 and is never kept.
    entry = page_cache.listing(request, f"governance:board:{int(pk)}", lambda: _detail_page(request, pk))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": entry["title"],
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": [("Boards", reverse("governance:board-list")), (entry["title"], "")],
        },
    )


def _detail_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        board = get_board_for_user(request.user, pk)
        # A board meets monthly for years: its meetings are paged like any list (issue 13).
        page = paginate(request, Meeting.objects.filter(board=board).order_by("-starts_at", "-id"))
        meetings = list(page.object_list)
        mark_page(request, board, *meetings)
        context = {
            "board": board,
            "meetings": meetings,
            "page": page,
            "members": list(board.members.order_by("last_name", "first_name")),
            "partner_organisations": hooks.partner_organisations(board) if sees_internal_record(request.user) else [],
            "terms": _terms_for(request.user, board),
            "may_run": may_run_boards(request.user),
        }
        body = page_cache.drawn_blocks("governance/board_detail.html", context, request, names=("content",))
    return {"title": board.name, "body": body["content"], "markings": raised.kept()}


def _save_board(request, form, *, reason_default):
    try:
        board = form.save(commit=False)
        board_save(
            board=board,
            members=form.cleaned_data["members"],
            by=request.user,
            reason=form.cleaned_data.get("change_reason") or reason_default,
        )
        return board
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@require(perms=(RUN_BOARDS,))
def board_create(request):
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        board = _save_board(request, form, reason_default="Board set up")
        if board:
            messages.success(request, f"{board.name} has been set up.")
            return redirect(board.get_absolute_url())
    return form_page(
        request,
        form,
        title="Set up a board",
        submit="Save board",
        back_url=reverse("governance:board-list"),
        breadcrumbs=[("Boards", reverse("governance:board-list")), ("Set up a board", "")],
    )


@require(perms=("governance.view_board",), partners=True)
def board_edit(request, pk):
    # The form before any input served from the reader's page cache (issue 15); a reader who may not run the
    # board is refused every time, nothing kept.
    def page():
        board = get_board_for_user(request.user, pk, perm=RUN_BOARDS)
        mark_page(request, board)
        form = BoardForm(request.POST or None, instance=board)
        return form, {
            "save": lambda f: board_save(
                board=f.save(commit=False),
                members=f.cleaned_data["members"],
                by=request.user,
                reason=f.cleaned_data.get("change_reason") or "Edited",
            ),
            "success_url": board.get_absolute_url(),
            "success_message": "The board has been updated.",
            "title": f"Edit {board.name}",
            "submit": "Save changes",
            "back_url": board.get_absolute_url(),
            "record": board,
            "breadcrumbs": [
                ("Boards", reverse("governance:board-list")),
                (board.name, board.get_absolute_url()),
                ("Edit", ""),
            ],
        }

    return cached_edit_page(request, f"governance:board-edit:{int(pk)}", page)


@require(perms=("governance.view_board",), partners=True)
def board_history(request, pk):
    board = get_board_for_user(request.user, pk, perm=RUN_BOARDS)
    return render_history(
        request,
        board,
        back_url=board.get_absolute_url(),
        breadcrumbs=[
            ("Boards", reverse("governance:board-list")),
            (board.name, board.get_absolute_url()),
            ("History", ""),
        ],
    )
