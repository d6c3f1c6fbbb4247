"""The board pack's figures agree with their drill-downs, as the dashboard's do (issue 10).

A pack is a PDF, so its figures are printed as plain text; but each was gathered as a `Figure` with the
list that proves it, for the pack's period (the 12 months to the meeting) and for the pack's readers. On
the demo data a pack is composed for the next meeting of every board, and every figure in it is checked
as each of the pack's readers would check it on the web: the list it counts answers, and its count equals
the figure (a percentage or value is shown on its page under the same key). The figure is also printed in
the pack. No panel is named here: a panel added later is checked the same way.
"""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from governance.models import BoardPack, Meeting, MeetingStatus
from governance.packs.audience import audience_for
from governance.packs.compose import compose_pack
from mshtgov.figures import COUNT
from tests.drilldown import figure_values, result_count

# Not in the fixed-date runs: the demo is dated from today and the dashboard's drill-down test, which shares
# these selectors, already runs at every one of them.
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", password="a-demo-password-2026", verbosity=0)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_pack_figure_agrees_with_its_drill_down_for_every_reader(demo):
    problems, checked, clients = [], 0, {}
    meetings = (
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED).select_related("board").order_by("board", "starts_at")
    )
    seen_boards = set()
    for meeting in meetings:
        if meeting.board_id in seen_boards:
            continue
        seen_boards.add(meeting.board_id)
        secretary = meeting.board.secretary or meeting.board.chair
        pack = BoardPack(meeting=meeting, requested_by=secretary, sections=[])
        composed = compose_pack(pack)
        printed = _text(composed.html)
        # One reader per set of roles: readers holding the same roles see the same lists.
        readers = list(
            {
                frozenset(r.groups.values_list("name", flat=True)): r
                for r in audience_for(meeting.board, secretary).readers
            }.values()
        )
        for figure in composed.figures:
            where = f"{meeting.board.name}: {figure.key}={figure.display}"
            if figure.display not in printed:
                problems.append(f"{where} is not printed in the pack")
            if not figure.url:
                continue
            for reader in readers:
                response = clients.setdefault(reader.pk, _client(reader)).get(figure.url)
                if response.status_code != 200:
                    problems.append(f"{where}: {reader.username} opens {figure.url} and gets {response.status_code}")
                    continue
                page = response.content.decode()
                checked += 1
                if figure.kind == COUNT:
                    if result_count(page) != figure.value:
                        problems.append(f"{where}: {figure.url} counts {result_count(page)} for {reader.username}")
                elif figure.comparable not in figure_values(page).get(figure.key, set()):
                    problems.append(f"{where}: {figure.url} does not show it to {reader.username}")
    assert not problems, "\n".join(problems)
    assert len(seen_boards) >= 2
    assert checked > 10
