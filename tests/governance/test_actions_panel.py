"""The dashboard's actions panel is cached, and moves as soon as an action changes."""

import re
from datetime import timedelta

from django.utils import timezone

from governance.models import ActionStatus
from tests.governance.factories import ActionFactory


def _overdue_figure(client) -> int:
    body = client.get("/").content.decode()
    match = re.search(r"Overdue</dt><dd class=\"govuk-summary-list__value\">(\d+)</dd>", body)
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
