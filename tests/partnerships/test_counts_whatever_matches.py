"""Issue 15: a partnerships list runs the same number of queries whether its filters match something or
nothing (a list that matched nothing skipped reading its rows, so the count depended on the records)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import SupportStage
from tests.partnerships.factories import make_registers, two_partnerships

pytestmark = pytest.mark.django_db


def _queries(client, url, query) -> int:
    cache.clear()  # cold, as the query-count benchmark counts
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, query).status_code == 200
    return len(ctx.captured_queries)


def test_the_support_filters_count_the_same_matched_or_not(client_for, users):
    make_registers(users)  # one service, before NRM referral
    client = client_for("leader")
    url = reverse("partnerships:support-list")
    client.get(url)
    today = timezone.localdate()
    for stage in (SupportStage.BEFORE_NRM, SupportStage.CHILDREN):  # the one service's stage, and an empty one
        matched = _queries(client, url, {"stage": stage, "active_on": today.isoformat()})
        ending = _queries(client, url, {"stage": stage, "active_on": today.isoformat(), "ending_by": "2099-01-01"})
        assert (matched, ending) == (
            _queries(client, url, {"stage": SupportStage.BEFORE_NRM, "active_on": today.isoformat()}),
            _queries(
                client,
                url,
                {
                    "ending_by": (today - timedelta(days=3650)).isoformat(),
                    "stage": stage,
                    "active_on": today.isoformat(),
                },
            ),
        )


def test_the_other_lists_count_the_same_matched_or_not(client_for, users):
    two_partnerships(users)
    make_registers(users)
    client = client_for("leader")
    for name, matches, nothing in (
        ("partnership-list", {"kind": "strategic_forum"}, {"kind": "mash", "page": "1"}),
        ("notification-list", {"in_time": "yes"}, {"in_time": "no"}),
        ("agreement-list", {"status": "active"}, {"status": "expired"}),
    ):
        url = reverse(f"partnerships:{name}")
        client.get(url)
        assert _queries(client, url, matches) == _queries(client, url, nothing), name
