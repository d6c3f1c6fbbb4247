"""The dashboard's actions panel is cached, and moves as soon as an action changes."""

import re
from datetime import timedelta

from django.utils import timezone

from governance.models import ActionStatus
from tests.governance.factories import ActionFactory


def _overdue_figure(client) -> int:
    body = client.get("/").content.decode()
    match = re.search(r'data-figure-key="actions:overdue" data-figure-value="(\d+)"', body)
    assert match, "the actions panel is not on the dashboard"
    return int(match.group(1))


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
