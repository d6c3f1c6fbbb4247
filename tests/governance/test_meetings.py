"""Agenda builder, attendance, minutes, decisions and their actions, with the refusals a secretary meets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, ActionSource, AgendaItem, Attendance, Decision, MeetingStatus
from tests.governance.factories import AgendaItemFactory, BoardFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="Tactical group", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["coordinator"]])
    return MeetingFactory(board=board)


def test_secretary_builds_reorders_and_trims_the_agenda(client_for, meeting):
    client = client_for("secretary")
    for title in ("Welcome", "Threat picture", "Any other business"):
        response = client.post(reverse("governance:agenda-item-add", args=[meeting.pk]), {"title": title})
        assert response.status_code == 302
    items = list(meeting.agenda_items.order_by("position"))
    assert [i.title for i in items] == ["Welcome", "Threat picture", "Any other business"]

    client.post(reverse("governance:agenda-item-move", args=[items[2].pk]), {"direction": "up"})
    assert [i.title for i in meeting.agenda_items.order_by("position")] == [
        "Welcome",
        "Any other business",
        "Threat picture",
    ]

    client.post(reverse("governance:agenda-item-remove", args=[items[0].pk]))
    assert [i.title for i in meeting.agenda_items.order_by("position")] == ["Any other business", "Threat picture"]
    history = AgendaItem.history.filter(title="Welcome").order_by("history_date")
    assert history.last().history_type == "-" and history.last().history_user.username == "secretary"

    page = client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    agenda = page[page.index('id="agenda"') : page.index('id="papers"')]
    assert agenda.index("Any other business") < agenda.index("Threat picture")


def test_moving_the_first_item_up_changes_nothing(client_for, meeting):
    first = AgendaItemFactory(meeting=meeting, position=1, title="First")
    AgendaItemFactory(meeting=meeting, position=2, title="Second")
    client_for("secretary").post(reverse("governance:agenda-item-move", args=[first.pk]), {"direction": "up"})
    assert [i.title for i in meeting.agenda_items.order_by("position")] == ["First", "Second"]


def test_an_empty_agenda_item_is_refused_with_a_message(client_for, meeting):
    response = client_for("secretary").post(
        reverse("governance:agenda-item-add", args=[meeting.pk]), {"title": "   ", "summary": "Kept text"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Enter the agenda item" in html and "Kept text" in html
    assert not meeting.agenda_items.exists()


def test_the_database_refuses_an_empty_agenda_title(meeting):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, title="")


def test_attendance_and_apologies(client_for, users, meeting):
    meeting.starts_at = timezone.now() - timedelta(hours=2)  # who was present is recorded once it has met
    meeting.save()
    response = client_for("secretary").post(
        reverse("governance:meeting-attendance", args=[meeting.pk]),
        {
            "present": [users["leader"].pk, users["analyst"].pk],
            "apologies": [users["coordinator"].pk],
            "other_attendees": "A. Partner, Northmoor City Council",
        },
    )
    assert response.status_code == 302
    rows = {(a.person.username, a.status) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {("leader", "present"), ("analyst", "present"), ("coordinator", "apologies")}
    page = client_for("leader").get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Northmoor City Council" in page


@pytest.mark.date_sensitive
def test_nobody_is_present_at_a_meeting_that_has_not_started(client_for, users, meeting):
    url = reverse("governance:meeting-attendance", args=[meeting.pk])
    response = client_for("secretary").post(url, {"present": [users["leader"].pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The meeting has not started yet" in html and "govuk-error-summary" in html
    assert not Attendance.objects.exists()
    # Apologies come in advance.
    assert client_for("secretary").post(url, {"apologies": [users["leader"].pk]}).status_code == 302


def test_someone_cannot_be_present_and_send_apologies(client_for, users, meeting):
    response = client_for("secretary").post(
        reverse("governance:meeting-attendance", args=[meeting.pk]),
        {"present": [users["leader"].pk], "apologies": [users["leader"].pk]},
    )
    assert response.status_code == 200
    assert "both present and sending apologies" in response.content.decode()
    assert not Attendance.objects.exists()


def _minutes(client, meeting, text, reason="Draft"):
    return client.post(
        reverse("governance:meeting-minutes", args=[meeting.pk]),
        {
            "minutes": text,
            "change_reason": reason,
            "seen_version": meeting.__class__.objects.get(pk=meeting.pk).updated_at.isoformat(),
        },
    )


def test_minutes_are_final_once_the_meeting_is_closed(client_for, meeting):
    client = client_for("secretary")
    assert _minutes(client, meeting, "The board agreed the plan.").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert client.post(reverse("governance:meeting-close", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED

    response = _minutes(client, meeting, "Rewritten after the event.", reason="Fix")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("final" in m for m in messages)
    meeting.refresh_from_db()
    assert meeting.minutes == "The board agreed the plan."

    from django.core.exceptions import ValidationError

    from governance.services.meetings import meeting_record_minutes

    with pytest.raises(ValidationError, match="final"):
        meeting_record_minutes(meeting=meeting, minutes="Again", by=meeting.board.secretary, reason="x")


def test_a_meeting_without_minutes_cannot_be_closed(client_for, meeting):
    response = client_for("secretary").post(reverse("governance:meeting-close", args=[meeting.pk]), follow=True)
    assert "Record the minutes before closing" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_decision_and_its_action(client_for, users, meeting):
    client = client_for("secretary")
    client.post(
        reverse("governance:decision-add", args=[meeting.pk]),
        {"text": "Fund a further PIP2 course", "marking": "official"},
    )
    decision = Decision.objects.get(meeting=meeting)
    url = reverse("governance:action-create") + f"?decision={decision.pk}"
    form_page = client.get(url).content.decode()
    assert "Fund a further PIP2 course" in form_page
    response = client.post(
        url,
        {
            "title": "Book the course",
            "owner": users["analyst"].pk,
            "due_date": meeting.date + timedelta(days=30),
            "pillar": "pursue",
            "marking": "official",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.source == decision and action.source_kind == ActionSource.DECISION
    assert action.board == meeting.board
    assert list(Action.objects.for_source(decision)) == [action]


def test_a_due_date_before_the_meeting_is_refused(client_for, users, meeting):
    decision = DecisionFactory(meeting=meeting)
    url = reverse("governance:action-create") + f"?decision={decision.pk}"
    response = client_for("secretary").post(
        url,
        {
            "title": "Too early",
            "owner": users["analyst"].pk,
            "due_date": meeting.date - timedelta(days=1),
            "marking": "official",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "must be on or after the meeting date" in html and 'value="Too early"' in html
    assert not Action.objects.exists()


def test_meeting_detail_shows_the_marking_of_its_most_sensitive_paper(client_for, meeting):
    from mshtgov.marking import Marking
    from tests.governance.factories import make_paper

    paper = make_paper(meeting)
    paper.marking = Marking.OFFICIAL_SENSITIVE
    paper.save()
    page = client_for("secretary").get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert page.count(">OFFICIAL-SENSITIVE</p>") == 2


def test_scheduling_a_meeting(client_for, meeting):
    when = (timezone.localdate() + timedelta(days=40)).strftime("%Y-%m-%dT10:00")
    response = client_for("secretary").post(
        reverse("governance:meeting-create", args=[meeting.board.pk]),
        {"starts_at": when, "location": "HQ", "marking": "official"},
    )
    assert response.status_code == 302
    assert meeting.board.meetings.count() == 2


def test_an_agenda_item_links_to_the_records_it_covers(client_for, meeting):
    """Records of any kind registered as coverable (here a threat) can be linked; a value of a kind nobody
    registered (a board) or of no record is refused."""
    from django.contrib.contenttypes.models import ContentType

    from governance.models import AgendaLink
    from tests.strategy.factories import ThreatFactory

    threat = ThreatFactory(title="Regional group")
    client = client_for("leader")
    form = client.post(
        reverse("governance:agenda-item-add", args=[meeting.pk]),
        {"title": "Regional update", "covers_q": "regional", "covers_search": "1"},
    ).content.decode()
    assert ">Threats</legend>" in form and "Regional group" in form

    value = f"{ContentType.objects.get_for_model(threat).pk}:{threat.pk}"
    board_value = f"{ContentType.objects.get_for_model(meeting.board).pk}:{meeting.board.pk}"
    for wrong in ("999:999", board_value):
        refused = client.post(
            reverse("governance:agenda-item-add", args=[meeting.pk]),
            {"title": "Regional update", "links": [value, wrong]},
        )
        assert f"“{wrong}” is not a record you can link" in refused.content.decode()
    assert not AgendaLink.objects.exists()
    response = client.post(
        reverse("governance:agenda-item-add", args=[meeting.pk]), {"title": "Regional update", "links": [value]}
    )
    assert response.status_code == 302
    link = AgendaLink.objects.get()
    assert link.record == threat and link.label == "Regional group"
    page = client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Covers: " in page and ">Regional group</a>" in page


def test_secretary_puts_an_item_to_the_board_for_decision_with_a_recommendation(client_for, meeting):
    client = client_for("secretary")
    url = reverse("governance:agenda-item-add", args=[meeting.pk])
    form = client.get(url).content.decode()
    assert 'value="information" checked' in form and 'value="decision"' in form

    refused = client.post(url, {"title": "Referral pathway", "purpose": "decision", "recommendation": "  "})
    html = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in html
    assert "Enter the recommendation the board is asked to decide on" in html
    assert not meeting.agenda_items.exists()

    client.post(
        url,
        {"title": "Referral pathway", "purpose": "decision", "recommendation": "The board approves the pathway."},
    )
    item = meeting.agenda_items.get()
    assert item.for_decision and item.recommendation == "The board approves the pathway."
    assert item.history.first().history_user.username == "secretary"
    page = client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert "For decision" in page and "Recommendation: The board approves the pathway." in page


def test_the_database_refuses_a_decision_item_without_a_recommendation(meeting):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, title="Pathway", purpose="decision", recommendation="")
