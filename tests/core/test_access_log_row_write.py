"""Writing an access-log row costs one statement and nothing else (issue 15): the row is written as a save would
write it, no cached figure's version moves for it, and a cached entry that read the log is never served (nothing
voids it when the next row is written)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mshtgov import audit, summaries
from mshtgov.models import AccessAction, AccessLog
from strategy.models import Threat

pytestmark = pytest.mark.django_db


def _row(user, **values):
    return AccessLog(
        user=user,
        username=user.username,
        action=AccessAction.SEARCH,
        object_type="learning.lesson",
        object_repr="Lessons search: 2 found",
        path="/learning/lessons/",
        ip_address="192.0.2.7",
        detail={"filters": {"q": {"hash": "ab", "length": 5}}, "ids": [4, 9]},
        **values,
    )


@time_machine.travel(datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC), tick=False)
def test_a_row_reads_back_as_written_with_its_time_and_id(users):
    row = _row(users["analyst"])
    with CaptureQueriesContext(connection) as queries:
        audit.insert_row(row)
    assert len(queries.captured_queries) == 1  # one statement, seen by query counts like any other
    stored = AccessLog.objects.get(pk=row.pk)
    assert stored.at == datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC)
    assert (stored.user_id, stored.username, stored.action) == (users["analyst"].pk, "analyst", "search")
    assert (stored.ip_address, stored.path, stored.marking, stored.justification) == (
        "192.0.2.7",
        "/learning/lessons/",
        "",
        "",
    )
    assert stored.detail == {"filters": {"q": {"hash": "ab", "length": 5}}, "ids": [4, 9]}
    assert not row._state.adding


def test_logging_a_view_moves_no_cached_figure(users):
    summaries.cached_summary("t-log", lambda: "figure", models=[Threat])
    before = dict(cache.get_many([summaries._version_key(Threat)]))
    audit.log_access(None, AccessAction.CONSULT, user=users["leader"], object_type="strategy.threat", object_id="1")
    assert cache.get_many([summaries._version_key(Threat)]) == before
    assert AccessLog.objects.filter(username="leader").count() == 1
    with pytest.raises(ValueError, match="read live only"):
        summaries.cached_summary("t-log-figure", lambda: 0, models=[AccessLog])


def test_an_entry_that_read_the_access_log_is_never_served(users):
    audit.insert_row(_row(users["leader"]))
    built = summaries.build_watched(lambda: AccessLog.objects.count())
    summaries.store_watched({"t-reads-the-log": built})
    assert built[0] == 1
    assert summaries.read_watched(["t-reads-the-log"]) == {}


def test_a_served_entry_is_read_with_its_versions_in_one_round_trip_and_still_voided_by_a_change():
    from tests.strategy.factories import ThreatFactory

    ThreatFactory()
    summaries.store_watched({"t-threats": summaries.build_watched(lambda: Threat.objects.count())})
    calls = []
    real_get_many = cache.get_many
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "get_many", lambda keys: calls.append(list(keys)) or real_get_many(keys))
        assert summaries.read_watched(["t-threats"]) == {"t-threats": 1}
        assert len(calls) == 1 and summaries._version_key(Threat) in calls[0]
        ThreatFactory()  # a change after the entry was built
        assert summaries.read_watched(["t-threats"]) == {}
