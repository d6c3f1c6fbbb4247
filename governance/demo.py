"""Demo boards (order 20) and a year of their meetings, decisions and actions (order 60).

Volumes grow with `ctx.scale` (decisions and actions per meeting); a board that already has
meetings is left alone, so a second run adds nothing."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from governance.models import (
    Action,
    ActionSource,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Attendance,
    AttendanceStatus,
    Board,
    BoardKind,
    Cadence,
    Decision,
    Meeting,
    MeetingStatus,
)
from mshtgov.marking import Marking
from mshtgov.reference import Pillar
from mshtgov.summaries import bump
from mshtgov.tracking import save_tracked

BOARDS = {
    "strategic": dict(
        name="Northmoor Police MSHT Strategic Board",
        kind=BoardKind.STRATEGIC,
        cadence=Cadence.QUARTERLY,
        purpose="Sets the force's modern slavery and human trafficking strategy, holds delivery to account "
        "and reports to the Police and Crime Commissioner.",
        terms_of_reference="Chaired by the Assistant Chief Constable (Crime). Quorate with the chair and three "
        "members. Receives the tactical group's highlight report and the performance framework quarterly.",
    ),
    "tactical": dict(
        name="MSHT Tactical Delivery Group",
        kind=BoardKind.TACTICAL,
        cadence=Cadence.MONTHLY,
        purpose="Delivers the 4P plan: tasks disruption, safeguarding and training, and tracks the action log.",
        terms_of_reference="Chaired by the MSHT detective superintendent. Meets monthly; escalates risks to the "
        "strategic board.",
    ),
    "forum": dict(
        name="Northmoor Modern Slavery Partnership Forum",
        kind=BoardKind.PARTNERSHIP_FORUM,
        cadence=Cadence.BIMONTHLY,
        purpose="Brings the force, the council, health, the CPS, the NCA and charities together to agree joint "
        "priorities and share learning.",
    ),
}

MEMBERS = {
    "strategic": ("leader", "secretary", ["leader", "analyst", "coordinator", "pcc"]),
    "tactical": ("leader", "secretary", ["analyst", "coordinator"]),
    "forum": ("coordinator", "secretary", ["leader", "coordinator", "pcc"]),
}
CADENCE_MONTHS = {"strategic": 3, "tactical": 1, "forum": 2}

AGENDA = [
    "Welcome, apologies and declarations of interest",
    "Minutes and action log of the last meeting",
    "Performance framework: NRM referrals, charges and disruptions",
    "Threat picture: labour exploitation in car washes and agriculture",
    "County lines and criminal exploitation update",
    "Safeguarding: victims supported before and after NRM referral",
    "Training: investigator national curriculum coverage",
    "Lessons from recent operations and case reviews",
    "Partnership updates",
    "Risks and escalations",
    "Any other business",
]
# Agenda items (by position in AGENDA) put to the board for decision, with the secretary's recommendation.
RECOMMENDATIONS = {
    3: "The board adopts labour exploitation as the first priority of the control strategy for the next "
    "quarter and asks the analyst for a problem profile by the next meeting.",
    5: "The board approves the revised referral pathway for adult victims, with the local authority's "
    "safeguarding hub as the single point of contact.",
}
DECISIONS = [
    "Adopt the revised control strategy priority for labour exploitation.",
    "Commission a problem profile on sexual exploitation in short-let properties.",
    "Fund a further PIP2 investigator course for the MSHT team.",
    "Ask the council to lead a joint visit plan for hand car washes.",
    "Adopt the first-responder aide-memoire for response officers.",
    "Escalate the shortage of safe-house places to the regional group.",
    "Refresh the information-sharing agreement with health partners.",
]
ACTION_TITLES = [
    "Report NRM referral timeliness by district",
    "Draft the problem profile terms of reference",
    "Book investigators onto the national curriculum course",
    "Arrange joint visits with licensing and HMRC",
    "Publish the first-responder aide-memoire on the intranet",
    "Write to the regional lead about safe-house capacity",
    "Review PND submissions for MSHT intelligence",
    "Brief neighbourhood teams on nail bar indicators",
    "Update the threat assessment for county lines",
    "Collect debrief findings from operation OP-2026-0142",
    "Agree the referral pathway with the ICTG service",
    "Check victim support provision for adults declining NRM",
]
MINUTES = (
    "The chair welcomed members. Apologies were noted.\n\n"
    "The board reviewed the performance framework. NRM referrals rose against the same quarter last year; "
    "charging remains below target and the CPS lead described the evidential challenges.\n\n"
    "The analyst presented the threat picture. Labour exploitation remains the highest-scoring threat.\n\n"
    "Members agreed the decisions and actions recorded below."
)
STAFF = ["leader", "analyst", "coordinator", "secretary", "pcc"]
PILLARS = [Pillar.PURSUE, Pillar.PREVENT, Pillar.PROTECT, Pillar.PREPARE]


def seed_boards(ctx):
    users = ctx.users
    boards = {}
    for key, fields in BOARDS.items():
        chair, secretary, members = MEMBERS[key]
        board = Board.objects.filter(name=fields["name"]).first()
        if board is None:
            board = Board(**fields, chair=users[chair], secretary=users[secretary])
            save_tracked(board, by=users["secretary"], reason="Demo board")
            board.members.set([users[m] for m in members])
        boards[key] = board
    ctx.shared["boards"] = boards
    ctx.log(f"  {len(boards)} boards")


def _meeting_dates(key, today):
    """A year of past meetings and the next one, on the second Tuesday at 10:00."""
    step = CADENCE_MONTHS[key]
    first = (today - relativedelta(months=12)).replace(day=1)
    months = []
    current = first
    while current <= today + relativedelta(months=step):
        months.append(current)
        current += relativedelta(months=step)
    dates = []
    for month in months:
        day = month + timedelta(days=(1 - month.weekday()) % 7 + 7)
        dates.append(timezone.make_aware(datetime.combine(day, time(10, 0))))
    past = [d for d in dates if d.date() < today]
    future = [d for d in dates if d.date() >= today][:1]
    return past, future


def seed_meetings(ctx):
    boards = ctx.shared.get("boards") or {k: Board.objects.get(name=v["name"]) for k, v in BOARDS.items()}
    secretary = ctx.users["secretary"]
    total_actions = 0
    for key, board in boards.items():
        if Meeting.objects.filter(board=board).exists():
            continue
        past, future = _meeting_dates(key, ctx.today)
        for when in past:
            total_actions += _seed_meeting(ctx, board, when, held=True, secretary=secretary)
        for when in future:
            total_actions += _seed_meeting(ctx, board, when, held=False, secretary=secretary)
    bump(Action, Meeting, AgendaItem, Decision)
    ctx.log(f"  {total_actions} actions")


def _seed_meeting(ctx, board, when, *, held, secretary) -> int:
    rng = ctx.rng
    meeting = Meeting(
        board=board,
        starts_at=when,
        location="Force headquarters, room 2.14",
        status=MeetingStatus.CLOSED if held else MeetingStatus.SCHEDULED,
        minutes=MINUTES if held else "",
        marking=board.marking,
    )
    save_tracked(meeting, by=secretary, reason="Demo meeting", clean=False)
    items = [
        AgendaItem(
            meeting=meeting,
            position=i + 1,
            title=title,
            presenter=ctx.users[STAFF[i % len(STAFF)]],
            minutes_allowed=10 + 5 * (i % 3),
            purpose=AgendaPurpose.DECISION if i in RECOMMENDATIONS else AgendaPurpose.INFORMATION,
            recommendation=RECOMMENDATIONS.get(i, ""),
        )
        for i, title in enumerate(AGENDA[: 6 + min(5, ctx.scale // 3)])
    ]
    bulk_create_with_history(items, AgendaItem, default_user=secretary, default_change_reason="Demo agenda")
    if not held:
        return 0
    people = [
        ctx.users[u]
        for u in {board.chair.username, board.secretary.username, *board.members.values_list("username", flat=True)}
    ]
    attendance = [
        Attendance(meeting=meeting, person=p, status=AttendanceStatus.APOLOGIES if i == 0 else AttendanceStatus.PRESENT)
        for i, p in enumerate(sorted(people, key=lambda u: u.username))
    ]
    bulk_create_with_history(attendance, Attendance, default_user=secretary, default_change_reason="Demo attendance")
    decisions = [
        Decision(
            meeting=meeting,
            text=DECISIONS[(i + when.month) % len(DECISIONS)],
            marking=Marking.OFFICIAL_SENSITIVE if i % 5 == 4 else board.marking,
        )
        for i in range(2 + ctx.scale // 4)
    ]
    decisions = bulk_create_with_history(
        decisions, Decision, default_user=secretary, default_change_reason="Demo decision"
    )
    if not all(d.pk for d in decisions):
        decisions = list(Decision.objects.filter(meeting=meeting).order_by("id"))
    from django.contrib.contenttypes.models import ContentType

    decision_type = ContentType.objects.get_for_model(Decision)
    today = ctx.today
    actions = []
    for i in range(3 * ctx.scale):
        decision = decisions[i % len(decisions)]
        due = when.date() + timedelta(days=rng.randint(14, 150))
        if due < today and rng.random() < 0.88:
            status, completed = ActionStatus.DONE, min(due + timedelta(days=rng.randint(-10, 20)), today)
        else:
            status, completed = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]), None
        actions.append(
            Action(
                title=ACTION_TITLES[(i + when.month) % len(ACTION_TITLES)],
                owner=ctx.users[rng.choice(STAFF)],
                due_date=due,
                status=status,
                completed_on=completed,
                board=board,
                source_kind=ActionSource.DECISION,
                source_content_type=decision_type,
                source_object_id=decision.pk,
                pillar=PILLARS[i % 4],
                completion_note="Completed and reported to the board." if completed else "",
                marking=decision.marking,
            )
        )
    created = bulk_create_with_history(
        actions, Action, default_user=secretary, default_change_reason="Raised from a board decision"
    )
    # Demo history: the actions were raised on the day of the meeting, not today.
    Action.objects.filter(pk__in=[a.pk for a in created if a.pk]).update(created_at=when)
    return len(actions)
