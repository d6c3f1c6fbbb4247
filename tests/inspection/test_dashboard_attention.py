"""Overdue inspection findings are on the dashboard's "needs your attention" list, counted as the reader
may see them, and the line opens the register filtered to exactly those findings."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from inspection.models import FindingStatus
from tests.drilldown import result_count
from tests.governance.factories import BoardFactory
from tests.inspection.factories import make_finding

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

LINE = re.compile(
    r'<a class="govuk-link" href="([^"]+)"><strong class="app-attention__count">(\d+)</strong> inspection finding'
)


@pytest.fixture
def findings(users):
    today = timezone.localdate()
    leader = users["leader"]
    board = BoardFactory(name="Strategic board", chair=leader, secretary=users["secretary"])
    make_finding(leader, reference="R1", due=today - timedelta(days=1), board=board)
    make_finding(leader, reference="R2", due=today - timedelta(days=40))
    make_finding(leader, reference="R3", due=today + timedelta(days=30))  # not yet due
    closed = make_finding(leader, reference="R4", due=today - timedelta(days=5))
    closed.status, closed.closed_by, closed.closed_on = FindingStatus.CLOSED, leader, today
    closed.closure_note = "Answered by the new referral pathway."
    closed.save()


@pytest.mark.parametrize("role, expected", [("leader", 2), ("analyst", 2), ("secretary", 1)])
def test_overdue_findings_head_the_dashboard_and_open_the_filtered_register(client_for, findings, role, expected):
    client = client_for(role)
    home = client.get("/").content.decode()
    attention = home.split('id="attention-heading"', 1)[1].split("</section>", 1)[0]
    found = LINE.findall(attention.replace("&amp;", "&"))
    assert [int(count) for _, count in found] == [expected], attention
    register = client.get(found[0][0])
    assert register.status_code == 200
    assert result_count(register.content.decode()) == expected


def test_no_line_when_nothing_is_overdue_and_none_for_partners(client_for, users):
    make_finding(users["leader"], reference="R9", due=timezone.localdate() + timedelta(days=3))
    assert "inspection finding" not in client_for("leader").get("/").content.decode().split("</section>", 1)[0]
    assert "inspection finding" not in client_for("partner").get("/").content.decode()
