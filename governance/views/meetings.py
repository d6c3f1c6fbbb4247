"""Meetings: schedule, view, edit, attendance, minutes, close, decisions, history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from governance import linkables
from governance.access import (
    get_board_for_user,
    get_meeting_for_user,
    may_run_boards,
    sees_internal_record,
)
from governance.forms import AttendanceForm, DecisionForm, MeetingForm, MinutesForm
from governance.models import RUN_BOARDS, Action, AgendaItem, Attendance, AttendanceStatus, BoardPack, Decision, Paper
from governance.services.meetings import (
    attendance_version,
    decision_record,
    meeting_close,
    meeting_record_attendance,
    meeting_record_minutes,
    meeting_save,
)
from mshtgov import page_cache, records
from mshtgov.access import require
from mshtgov.audit import consult_to_log, log_consult
from mshtgov.history import render_history
from mshtgov.marking import mark_page, markings_raised
from mshtgov.pages import apply_service_errors, cached_edit_page, form_page


def _crumbs(meeting, *tail):
    return [
        ("Boards", reverse("governance:board-list")),
        (meeting.board.name, meeting.board.get_absolute_url()),
        (f"Meeting of {meeting.date:%-d %B %Y}", meeting.get_absolute_url() if tail else ""),
        *tail,
    ]


@require(perms=("governance.view_board",), partners=True)
def meeting_create(request, board_pk):
    board = get_board_for_user(request.user, board_pk, perm=RUN_BOARDS)
    form = MeetingForm(request.POST or None, initial={"marking": board.marking})
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.board = board
        try:
            meeting_save(meeting=meeting, by=request.user, reason="Meeting scheduled")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The meeting has been scheduled. Now build its agenda.")
            return redirect(meeting.get_absolute_url())
    return form_page(
        request,
        form,
        title=f"Schedule a meeting of {board.name}",
        submit="Schedule meeting",
        back_url=board.get_absolute_url(),
        breadcrumbs=[
            ("Boards", reverse("governance:board-list")),
            (board.name, board.get_absolute_url()),
            ("Schedule a meeting", ""),
        ],
    )


@require(perms=("governance.view_meeting",), partners=True)
def meeting_detail(request, pk):
    # Drawn once per reader and day, then served from the cache until anything it read changes
    # (mshtgov.page_cache); a meeting the reader may not open answers 404 and is never kept. The CSRF token
    # of its forms is the reader's own, put in live; a sensitive meeting is logged on every view.
    entry = page_cache.record_page(request, f"governance:meeting:{int(pk)}", lambda: _detail_page(request, pk))
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])  # a sensitive one, on every view, hit or miss
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "title": entry["title"],
            "body_html": mark_safe(page_cache.with_token(request, entry["body"])),  # noqa: S308 - drawn escaped
            "breadcrumbs": entry["breadcrumbs"],
        },
    )


def _detail_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        entry = _detail_body(request, pk)
    return {**entry, "markings": raised.kept()}


def _detail_body(request, pk) -> dict:
    """The meeting's page as the reader sees it, with what the page's marking and the access log need: plain
    values, kept in the cache (its forms' CSRF token left out)."""
    meeting = get_meeting_for_user(request.user, pk)
    internal = sees_internal_record(request.user)
    # Lists, not querysets: each is read once here whatever the template does with it.
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related("links", Prefetch("papers", queryset=Paper.objects.order_by("title")))
        .order_by("position", "id")
    )
    papers = list(Paper.objects.filter(meeting=meeting).select_related("agenda_item"))
    # What each item covers, checked against the reader (a partner at a forum must not read an internal
    # lesson's or threat's title), never against whoever linked it.
    covers = linkables.covered_for(agenda, request.user)
    for item in agenda:
        item.covered = covers[item.pk]
        mark_page(request, *item.covered.markings)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "papers": papers,
        "internal": internal,
        "may_run": may_run_boards(request.user),
    }
    mark_page(request, meeting, *papers)
    if internal:
        decisions = list(Decision.objects.filter(meeting=meeting).select_related("agenda_item"))
        # The reader may sit on this board and not on the one an action was given to: that one is counted.
        decision_actions, hidden_actions = records.related(
            request,
            Action.objects.filter(
                source_content_type__app_label="governance",
                source_content_type__model="decision",
                source_object_id__in=Decision.objects.filter(meeting=meeting).values("pk"),
            )
            .with_overdue(timezone.localdate())
            .select_related("owner"),
        )
        attendance = Attendance.objects.filter(meeting=meeting).select_related("person")
        packs = list(BoardPack.objects.filter(meeting=meeting).select_related("requested_by")[:5])
        mark_page(request, *decisions)
        context |= {
            "decisions": decisions,
            "decision_actions": decision_actions,
            "hidden_actions": hidden_actions,
            "present": [a for a in attendance if a.status == AttendanceStatus.PRESENT],
            "apologies": [a for a in attendance if a.status == AttendanceStatus.APOLOGIES],
            "packs": packs,
        }
    body = page_cache.drawn_without_token("governance/includes/meeting_detail_body.html", context, request)
    return {
        "title": f"{meeting.board.name}: meeting of {date_format(timezone.localtime(meeting.starts_at), 'j F Y')}",
        "consulted": consult_to_log(meeting),
        "breadcrumbs": _crumbs(meeting),
        "body": body,
    }


@require(perms=("governance.view_meeting",), partners=True)
def meeting_edit(request, pk):
    # The form before any input served from the reader's page cache (issue 15); a reader who may not run the
    # meeting's board is refused every time, nothing kept.
    def page():
        meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
        mark_page(request, meeting)
        form = MeetingForm(request.POST or None, instance=meeting)
        return form, {
            "save": lambda f: meeting_save(
                meeting=f.save(commit=False), by=request.user, reason=f.cleaned_data["change_reason"]
            ),
            "success_url": meeting.get_absolute_url(),
            "success_message": "The meeting has been updated.",
            "title": "Edit the meeting's details",
            "submit": "Save changes",
            "back_url": meeting.get_absolute_url(),
            "record": meeting,
            "breadcrumbs": _crumbs(meeting, ("Edit", "")),
        }

    return cached_edit_page(request, f"governance:meeting-edit:{int(pk)}", page)


@require(perms=("governance.view_meeting",), partners=True)
def meeting_attendance(request, pk):
    def page():
        meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
        mark_page(request, meeting)
        current = list(Attendance.objects.filter(meeting=meeting))
        initial = {
            "present": [a.person_id for a in current if a.status == AttendanceStatus.PRESENT],
            "apologies": [a.person_id for a in current if a.status == AttendanceStatus.APOLOGIES],
            "other_attendees": meeting.other_attendees,
            "seen_version": attendance_version(meeting),
        }
        form = AttendanceForm(request.POST or None, meeting=meeting, initial=initial)
        return form, {
            "save": lambda f: meeting_record_attendance(meeting=meeting, by=request.user, **f.cleaned_data),
            "success_url": meeting.get_absolute_url(),
            "success_message": "Attendance has been recorded.",
            "title": "Record attendance and apologies",
            "submit": "Save attendance",
            "back_url": meeting.get_absolute_url(),
            "breadcrumbs": _crumbs(meeting, ("Attendance", "")),
            "intro": "Board members, its chair and its secretary are listed.",
        }

    return cached_edit_page(request, f"governance:attendance:{int(pk)}", page)


@require(perms=("governance.view_meeting",), partners=True)
def meeting_minutes(request, pk):
    meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
    if meeting.is_closed:
        messages.error(request, "The minutes of this meeting are final: the meeting was closed.")
        return redirect(meeting.get_absolute_url())
    form = MinutesForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_record_minutes(
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                by=request.user,
                reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The minutes have been saved.")
            return redirect(meeting.get_absolute_url())
    mark_page(request, meeting)
    return form_page(
        request,
        form,
        title="Minutes",
        submit="Save minutes",
        back_url=meeting.get_absolute_url(),
        record=meeting,
        breadcrumbs=_crumbs(meeting, ("Minutes", "")),
        intro="Minutes can be changed until the meeting is closed; after that they are final.",
    )


@require_POST
@require(perms=("governance.view_meeting",), partners=True)
def meeting_close_view(request, pk):
    meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
    try:
        meeting_close(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The meeting is closed and its minutes are final.")
    return redirect(meeting.get_absolute_url())


@require(perms=("governance.view_meeting",), partners=True)
def decision_add(request, pk):
    # The blank form served from the reader's page cache (issue 15), one entry per meeting.
    def page():
        meeting = get_meeting_for_user(request.user, pk, perm=RUN_BOARDS)
        mark_page(request, meeting)
        return DecisionForm(request.POST or None, meeting=meeting), {
            "save": lambda form: decision_record(meeting=meeting, by=request.user, **form.cleaned_data),
            "success_url": meeting.get_absolute_url() + "#decisions",
            "success_message": "The decision has been recorded.",
            "title": "Record a decision",
            "submit": "Save decision",
            "back_url": meeting.get_absolute_url(),
            "breadcrumbs": _crumbs(meeting, ("Decision", "")),
        }

    return cached_edit_page(request, f"governance:decision-add:{int(pk)}", page)


@require(perms=("governance.view_meeting",), partners=True)
def meeting_history(request, pk):
    meeting = get_meeting_for_user(request.user, pk, internal=True)
    return render_history(
        request, meeting, back_url=meeting.get_absolute_url(), breadcrumbs=_crumbs(meeting, ("History", ""))
    )
