"""Issue 9, first bullets: pages that list related records name only what the reader may open (the rest is
counted, "1 record you cannot see"), raise their marking to what they show, and an action with no board
follows the record it was raised from. Each test here failed on the code before the record-kind registry."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from governance.models import Action
from mshtgov.marking import Marking
from tests.governance.factories import ActionFactory, BoardFactory, DecisionFactory, MeetingFactory
from tests.learning.factories import make_lesson
from tests.strategy.factories import start_assessment

SENSITIVE_BANNER = ">OFFICIAL-SENSITIVE</p>"


def _raised_from(source, **fields) -> Action:
    return ActionFactory(
        source_content_type=ContentType.objects.get_for_model(source),
        source_object_id=source.pk,
        **fields,
    )


def _answer(users):
    return start_assessment(users["leader"]).answers.select_related("requirement").first()


def test_pcc_liaison_does_not_read_an_action_it_may_not_open_on_an_answer_page(client_for, users):
    answer = _answer(users)
    hidden_board = BoardFactory(name="Tactical group the PCC liaison does not sit on")
    action = _raised_from(
        answer, title="Covert tasking of the Northside team", board=hidden_board, marking=Marking.OFFICIAL_SENSITIVE
    )
    pcc = client_for("pcc")
    assert pcc.get(reverse("governance:action-detail", args=[action.pk])).status_code == 404

    page = pcc.get(reverse("strategy:answer-detail", args=[answer.pk])).content.decode()
    assert "Covert tasking" not in page
    assert "1 record you cannot see" in page
    assert SENSITIVE_BANNER not in page  # nothing sensitive is shown, so nothing raises the marking

    # The leader, who may open it, reads it, and the page is marked for it.
    page = client_for("leader").get(reverse("strategy:answer-detail", args=[answer.pk])).content.decode()
    assert "Covert tasking" in page and "you cannot see" not in page
    assert SENSITIVE_BANNER in page


def test_an_answer_page_is_marked_for_the_sensitive_action_it_shows(client_for, users):
    answer = _answer(users)
    _raised_from(answer, title="Review of the referral pathway", marking=Marking.OFFICIAL_SENSITIVE)
    page = client_for("pcc").get(reverse("strategy:answer-detail", args=[answer.pk])).content.decode()
    assert "Review of the referral pathway" in page
    assert SENSITIVE_BANNER in page


def test_coordinator_refused_a_lesson_is_refused_its_action_list_and_detail(client_for, users):
    lesson = make_lesson(users["analyst"], title="Informant exposed", marking=Marking.OFFICIAL_SENSITIVE)
    action = _raised_from(lesson, title="Move the informant handling to the dedicated unit")
    coordinator = client_for("coordinator")
    assert coordinator.get(reverse("learning:lesson-detail", args=[lesson.pk])).status_code in (403, 404)
    assert coordinator.get(reverse("governance:action-detail", args=[action.pk])).status_code == 404
    assert "informant handling" not in coordinator.get(reverse("governance:action-list")).content.decode()
    # Whoever may open the lesson opens its action.
    assert client_for("analyst").get(reverse("governance:action-detail", args=[action.pk])).status_code == 200


def test_a_pcc_liaison_follows_a_lessons_marking_to_its_action(client_for, users):
    """PCC liaisons read OFFICIAL lessons only: the action of a sensitive lesson is not theirs either."""
    sensitive = make_lesson(users["analyst"], title="Sensitive", marking=Marking.OFFICIAL_SENSITIVE)
    plain = make_lesson(users["analyst"], title="Plain", operation="OP-2025-0102")
    hidden = _raised_from(sensitive, title="Hidden follow-up", owner=users["coordinator"])
    shown = _raised_from(plain, title="Shown follow-up")
    visible = set(Action.objects.visible_to(users["pcc"]))
    assert shown in visible and hidden not in visible
    # The owner always sees their own action (a coordinator reads no lesson).
    assert hidden in set(Action.objects.visible_to(users["coordinator"]))


def test_an_action_is_never_marked_lower_than_its_source(users):
    lesson = make_lesson(users["analyst"], title="Sensitive", marking=Marking.OFFICIAL_SENSITIVE)
    action = _raised_from(lesson, title="Follow-up", marking=Marking.OFFICIAL)
    assert action.marking == Marking.OFFICIAL_SENSITIVE

    plain = make_lesson(users["analyst"], title="Plain", operation="OP-2025-0102")
    later = _raised_from(plain, title="Later follow-up")
    assert later.marking == Marking.OFFICIAL
    plain.marking = Marking.OFFICIAL_SENSITIVE
    plain._history_user = users["analyst"]
    plain.save()
    later.refresh_from_db()
    assert later.marking == Marking.OFFICIAL_SENSITIVE
    assert later.history.first().history_change_reason == "Marking follows its source"


def test_lesson_page_counts_an_action_on_a_board_the_reader_does_not_sit_on(client_for, users):
    lesson = make_lesson(users["analyst"], title="Plain lesson")
    board = BoardFactory(name="Board the PCC liaison does not sit on")
    _raised_from(lesson, title="Tasking held by the board", board=board)
    _raised_from(lesson, title="Open follow-up for everyone")
    page = client_for("pcc").get(reverse("learning:lesson-detail", args=[lesson.pk])).content.decode()
    assert "Open follow-up for everyone" in page
    assert "Tasking held by the board" not in page
    assert "1 record you cannot see" in page


def test_meeting_page_counts_a_decision_action_given_to_another_board(client_for, users):
    meeting = MeetingFactory(board=BoardFactory(name="Strategic board"))
    meeting.board.members.add(users["analyst"])
    decision = DecisionFactory(meeting=meeting)
    other = BoardFactory(name="Another board")
    _raised_from(decision, title="Given to another board", board=other)
    _raised_from(decision, title="Kept by this board", board=meeting.board)
    page = client_for("analyst").get(meeting.get_absolute_url()).content.decode()
    assert "Kept by this board" in page
    assert "Given to another board" not in page
    assert "1 record you cannot see" in page


def test_history_names_only_related_records_the_reader_may_open_and_is_marked_for_them(client_for, users):
    sensitive_board = BoardFactory(name="Sensitive tasking board", marking=Marking.OFFICIAL_SENSITIVE)
    action = ActionFactory(title="Plain action", owner=users["analyst"], board=None)
    action.board = sensitive_board
    action._history_user = users["leader"]
    action.save()
    url = reverse("governance:action-history", args=[action.pk])
    page = client_for("leader").get(url).content.decode()
    assert "Sensitive tasking board" in page and SENSITIVE_BANNER in page
    # The owner (an analyst not on that board) opens their own action, but not the board's name.
    page = client_for("analyst").get(url).content.decode()
    assert "Sensitive tasking board" not in page and "a record you cannot see" in page
    assert SENSITIVE_BANNER not in page
