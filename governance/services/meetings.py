"""Boards, meetings, attendance, minutes and decisions."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import Attendance, AttendanceStatus, Board, Decision, Meeting, MeetingStatus
from mshtgov.tracking import EditConflict, conflict_message, lock_for_update, save_tracked, stamp

OTHER_ATTENDEES_REASON = "Other attendees recorded"

CLOSED_MESSAGE = (
    "The minutes of this meeting are final: the meeting was closed. Record a correction in the next "
    "meeting's minutes instead."
)


@transaction.atomic
def board_save(*, board: Board, members, by, reason: str) -> Board:
    """Save a board and its members. Member changes are named in the history's reason (M2M fields
    are not versioned by simple-history)."""
    before = set(board.members.values_list("pk", flat=True)) if board.pk else set()
    after = {m.pk for m in members}
    added = sorted(str(m) for m in members if m.pk not in before)
    removed = sorted(str(u) for u in board.members.filter(pk__in=before - after)) if board.pk else []
    notes = [reason]
    if added:
        notes.append("members added: " + ", ".join(added))
    if removed:
        notes.append("members removed: " + ", ".join(removed))
    save_tracked(board, by=by, reason="; ".join(notes))
    board.members.set(members)
    return board


@transaction.atomic
def meeting_save(*, meeting: Meeting, by, reason: str) -> Meeting:
    if meeting.pk:
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        # Once closed, the details may still be corrected but the minutes are the record: final.
        if stored.is_closed and stored.minutes != meeting.minutes:
            raise ValidationError({"minutes": CLOSED_MESSAGE})
    save_tracked(meeting, by=by, reason=reason)
    return meeting


def attendance_version(meeting: Meeting) -> str:
    """The attendance as the form showed it (who was present, who sent apologies, the other attendees), as
    a short digest: the version the attendance form carries. "" while nothing has been recorded."""
    rows = sorted(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status"))
    if not rows and not meeting.other_attendees:
        return ""
    return hashlib.sha256(repr((rows, meeting.other_attendees)).encode()).hexdigest()[:32]


def _attendance_last_saved(meeting: Meeting):
    """Who last recorded this meeting's attendance, and when (for the conflict message)."""
    rows = Attendance.history.filter(meeting_id=meeting.pk).select_related("history_user")
    others = meeting.history.filter(history_change_reason=OTHER_ATTENDEES_REASON).select_related("history_user")
    latest = max(
        (h for h in (rows.order_by("-history_date").first(), others.order_by("-history_date").first()) if h),
        key=lambda h: h.history_date,
        default=None,
    )
    return (latest.history_user, latest.history_date) if latest else (None, timezone.now())


@transaction.atomic
def meeting_record_attendance(
    *, meeting: Meeting, present, apologies, other_attendees: str, by, seen_version: str | None = None
) -> None:
    """Replace the meeting's attendance with who was there and who sent apologies.

    `seen_version`: the `attendance_version` the form was opened on. The meeting row is locked first, so
    of two secretaries saving at once the second waits, then finds the attendance changed and is refused
    (`EditConflict`) with their input kept on the form."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if seen_version is not None:
        current = attendance_version(locked)
        if current != seen_version:
            who, when = _attendance_last_saved(locked)
            raise EditConflict(conflict_message(who, when), current_version=current)
    present_ids = {p.pk for p in present}
    if present_ids and meeting.starts_at > timezone.now():
        # Apologies come before a meeting; who was present is known only once it has started.
        raise ValidationError(
            {"present": "The meeting has not started yet: record who was present once it has taken place."}
        )
    overlap = present_ids & {p.pk for p in apologies}
    if overlap:
        raise ValidationError({"apologies": "Someone cannot be both present and sending apologies."})
    wanted = {p.pk: AttendanceStatus.PRESENT for p in present} | {p.pk: AttendanceStatus.APOLOGIES for p in apologies}
    existing = {a.person_id: a for a in Attendance.objects.select_for_update().filter(meeting=meeting)}
    for person_id, row in existing.items():
        if person_id not in wanted:
            stamp(row, by=by, reason="Attendance updated").delete()
    for person_id, status in wanted.items():
        row = existing.get(person_id) or Attendance(meeting=meeting, person_id=person_id)
        if row.status != status:
            row.status = status
            save_tracked(row, by=by, reason="Attendance recorded")
    if locked.other_attendees != other_attendees:
        locked.other_attendees = other_attendees
        save_tracked(locked, by=by, reason=OTHER_ATTENDEES_REASON)
        meeting.other_attendees = other_attendees


@transaction.atomic
def meeting_record_minutes(*, meeting: Meeting, minutes: str, by, reason: str) -> Meeting:
    """Minutes may be written and changed until the meeting is closed; after that they are final. Minutes
    written by someone else after this editor opened them are never overwritten (EditConflict)."""
    meeting = lock_for_update(meeting)
    if meeting.is_closed:
        raise ValidationError({"minutes": CLOSED_MESSAGE})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"minutes": "This meeting was cancelled: it has no minutes."})
    meeting.minutes = minutes
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
    save_tracked(meeting, by=by, reason=reason)
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, by, reason: str = "Minutes agreed and meeting closed") -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError("This meeting is already closed.")
    if not meeting.minutes.strip():
        raise ValidationError("Record the minutes before closing the meeting.")
    meeting.status = MeetingStatus.CLOSED
    save_tracked(meeting, by=by, reason=reason)
    return meeting


@transaction.atomic
def decision_record(*, meeting: Meeting, text: str, agenda_item=None, marking=None, by) -> Decision:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError({"text": "This meeting is closed: its decisions are final."})
    decision = Decision(meeting=meeting, text=text, agenda_item=agenda_item)
    if marking:
        decision.marking = marking
    save_tracked(decision, by=by, reason="Decision recorded")
    return decision
