"""The dashboard's actions panel is cached, and moves as soon as an action changes."""

import re
from datetime import timedelta

from django.utils import timezone

from governance.models import ActionStatus
from tests.governance.factories import ActionFactory


def _figure(client, key: str) -> int:
    """A figure of the actions panel as the dashboard shows it to this client's user."""
    body = client.get("/").content.decode()
    match = re.search(rf'data-figure-key="actions:{key}" data-figure-value="(\d+)"', body)
    assert match, "the actions panel is not on the dashboard"
    return int(match.group(1))


def _overdue_figure(client) -> int:
    return _figure(client, "overdue")


def _open_figure(client) -> int:
    return _figure(client, "open")


def test_overdue_count_moves_when_an_action_goes_overdue_or_is_done(users, client_for):
    client = client_for("leader")
    yesterday = timezone.localdate() - timedelta(days=1)
    ActionFactory(owner=users["analyst"], due_date=yesterday)
    assert _overdue_figure(client) == 1
    late = ActionFactory(owner=users["analyst"], due_date=yesterday - timedelta(days=3))
    assert _overdue_figure(client) == 2
    late.status = ActionStatus.DONE
    late.completion_note = "Finished"
    late.save()
    assert _overdue_figure(client) == 1


def test_actions_without_a_board_are_counted_and_named_under_the_chart(users, client_for):
    """The headline counts every open action; the by-board chart covers those of a board and says how many
    it leaves out, so the two add up (issue 10: 78 open in the headline, 19 in the chart)."""
    from tests.governance.factories import BoardFactory

    board = BoardFactory()
    due = timezone.localdate() + timedelta(days=30)
    ActionFactory(owner=users["analyst"], board=board, due_date=due)
    for _ in range(2):
        ActionFactory(owner=users["analyst"], board=None, due_date=due)
    body = client_for("leader").get("/dashboard/governance-actions/").content.decode()  # the panel in full
    assert 'data-figure-key="actions:open" data-figure-value="3"' in body
    assert f'data-figure-key="actions:board-{board.pk}:open" data-figure-value="1"' in body
    assert 'data-figure-key="actions:no-board:open" data-figure-value="2"' in body
    assert "open actions" in body and "have no board" in body


def test_an_action_leaves_the_panel_when_its_source_becomes_one_the_reader_may_not_open(users, client_for):
    """An action with no board follows its source's visibility (issue 9), so the panel's cached figures
    must follow a change to the source too, not only to actions (issue 10 item 6: never an older truth)."""
    from governance.models import ActionSource
    from governance.services import action_create
    from mshtgov.marking import Marking
    from mshtgov.tracking import save_tracked
    from tests.learning.factories import make_lesson

    pcc = client_for("pcc")  # PCC liaisons read OFFICIAL lessons only
    before = _open_figure(pcc)
    lesson = make_lesson(users["analyst"], title="Lesson on a car wash visit", marking=Marking.OFFICIAL)
    action_create(
        title="Share the car wash lesson with trading standards",
        owner=users["analyst"],
        due_date=timezone.localdate() + timedelta(days=20),
        by=users["analyst"],
        source=lesson,
        source_kind=ActionSource.LESSON,
    )
    assert _open_figure(pcc) == before + 1

    lesson.marking = Marking.OFFICIAL_SENSITIVE
    save_tracked(lesson, by=users["analyst"], reason="Names a safe house")

    assert _open_figure(pcc) == before


def test_a_role_given_to_the_reader_shows_the_actions_it_opens_at_once(users, client_for):
    """The panel's figures are cached per reader with their roles: given the analyst role, a PCC liaison
    sees the actions of OFFICIAL-SENSITIVE lessons on the next page, not when an action next changes."""
    from django.contrib.auth.models import Group

    from governance.models import ActionSource
    from governance.services import action_create
    from mshtgov.marking import Marking
    from mshtgov.roles import Role
    from tests.learning.factories import make_lesson

    pcc = client_for("pcc")
    lesson = make_lesson(users["analyst"], title="Lesson naming a safe house", marking=Marking.OFFICIAL_SENSITIVE)
    action_create(
        title="Review the safe house lesson",
        owner=users["analyst"],
        due_date=timezone.localdate() + timedelta(days=20),
        by=users["analyst"],
        source=lesson,
        source_kind=ActionSource.LESSON,
    )
    before = _open_figure(pcc)

    users["pcc"].groups.add(Group.objects.get(name=Role.ANALYST.label))

    assert _open_figure(pcc) == before + 1


def test_the_card_is_marked_sensitive_only_while_an_open_action_it_counts_is(users):
    """The marking comes from the same grouped query as the figures (`action_figures`): a closed
    OFFICIAL-SENSITIVE action leaves the card OFFICIAL, an open one marks it."""
    from governance.panels import _actions_summary
    from mshtgov.marking import Marking

    today = timezone.localdate()
    ActionFactory(owner=users["analyst"])
    ActionFactory(
        owner=users["analyst"],
        marking=Marking.OFFICIAL_SENSITIVE,
        status=ActionStatus.DONE,
        completed_on=today,
        completion_note="Finished",
    )
    assert _actions_summary(users["leader"], today)["marking"] == Marking.OFFICIAL
    ActionFactory(owner=users["analyst"], marking=Marking.OFFICIAL_SENSITIVE)
    summary = _actions_summary(users["leader"], today)
    assert summary["marking"] == Marking.OFFICIAL_SENSITIVE
    assert summary["figures"].open.value == 2
