"""The access log's count (issue 15): the whole log is counted from a settled figure plus the entries written
since (mshtgov.access_log_paging), and the number shown is exact whatever was settled, by whom or when."""

import re
import threading
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.urls import reverse

from mshtgov import access_log_paging, audit
from mshtgov.models import AccessAction, AccessLog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the settled count is PostgreSQL's"),
]


def _entries(n):
    for i in range(n):
        audit.log_access(None, AccessAction.CONSULT, object_type="learning.lesson", object_id=str(i))


def _shown_count(client, **query):
    body = client.get(reverse("access-log"), query).content.decode()
    return int(re.search(r"(\d+) entr(?:y|ies)</caption>", body).group(1))


def test_the_count_shown_is_exact_before_and_after_the_log_settles(client_for, users, monkeypatch):
    monkeypatch.setattr(access_log_paging, "SETTLE_AFTER", 10)
    client = client_for("leader")
    _entries(30)
    assert access_log_paging.settled_count() == (0, {}, None)
    for query in ({}, {"page": "2"}, {"action": "search"}, {"page": "99999"}, {"action": "consult", "page": "2"}, {}):
        entries = AccessLog.objects.filter(action=query["action"]) if "action" in query else AccessLog.objects
        expected = entries.count()  # the view's own entry is written after its count
        assert _shown_count(client, **query) == expected, query
        last_id, settled, _at = access_log_paging.settled_count()
        settled_up_to_last = {
            action: AccessLog.objects.filter(id__lte=last_id, action=action).count() for action in ("consult", "search")
        }
        assert last_id and {action: settled.get(action, 0) for action in ("consult", "search")} == settled_up_to_last
        _entries(7)
    # Any other filter counts its own entries.
    searches = AccessLog.objects.filter(action="search", username="leader").count()
    assert _shown_count(client, action="search", username="leader") == searches


def test_a_settled_figure_whose_last_entry_is_gone_is_not_used(client_for, users):
    """A database restored or reset under a cache that kept the figure."""
    _entries(3)
    gone = (10**9, {"consult": 5000}, datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    cache.set(access_log_paging.SETTLED_KEY, gone, None)
    client = client_for("leader")
    for query in ({}, {"page": "2"}):
        expected = AccessLog.objects.count()
        assert _shown_count(client, **query) == expected
    assert access_log_paging.settled_count()[0] < 10**9


@pytest.mark.django_db(transaction=True)
def test_the_log_does_not_settle_while_a_writer_is_between_its_id_and_its_commit(users):
    """An id taken by a writer that has not committed yet may be below entries already committed: settling then
    would leave its entry out of the count for good."""
    written, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                audit.log_access(None, AccessAction.CONSULT, object_type="learning.lesson", object_id="slow")
                written.set()
                release.wait(10)
        finally:
            connections["default"].close()
            finished.set()

    threading.Thread(target=slow_writer).start()
    assert written.wait(10)
    _entries(2)  # committed after the slow writer took its id
    access_log_paging._settle()
    assert access_log_paging.settled_count() == (0, {}, None)  # refused: a writer is writing
    release.set()
    assert finished.wait(10)
    access_log_paging._settle()
    last_id, settled, _at = access_log_paging.settled_count()
    assert settled == {"consult": AccessLog.objects.count()} and AccessLog.objects.count() == 3
    assert last_id == AccessLog.objects.latest("id").id


@pytest.mark.django_db(transaction=True)
def test_settling_is_done_on_the_writer_thread_not_by_the_page(client_for, users, settings, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    settings.ACCESS_LOG_OVERLAP = True
    monkeypatch.setattr(access_log_paging, "SETTLE_AFTER", 10)
    _entries(20)
    client = client_for("leader")
    try:
        with CaptureQueriesContext(connection) as page_queries:
            assert _shown_count(client) == 20
        audit._writer().submit(lambda: None).result()  # the writer has done what it was handed
        assert not [q for q in page_queries.captured_queries if "LOCK TABLE" in q["sql"]]
        assert access_log_paging.settled_count()[1] == {"consult": 20}
    finally:
        audit._writer().submit(lambda: connections["default"].close()).result()


@pytest.mark.parametrize("action", [None, "consult"])
def test_the_whole_log_reads_the_same_rows_as_its_queryset(users, action):
    """The settled view reads its rows with a plain statement: the same rows, times to the microsecond (across
    the autumn clock change) and order as the queryset, on every page, from either end."""
    from datetime import timedelta
    from unittest import mock

    from mshtgov.views import _LOG_COLUMNS

    start = datetime(2026, 10, 25, 0, 30, 0, 123457, tzinfo=UTC)  # 01:30 BST, an hour before the clocks go back
    for i in range(130):
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=i // 3, microseconds=i)):
            audit.log_access(
                None, AccessAction.SEARCH if i % 4 else AccessAction.CONSULT, object_type="learning.lesson", object_id=i
            )
    entries = AccessLog.objects.filter(action=action) if action else AccessLog.objects.all()
    for page in ("1", "2", "3", "99999"):
        settled = access_log_paging.LogPaginator(entries.values_list(*_LOG_COLUMNS), 50, settled=True, action=action)
        plain = access_log_paging.LogPaginator(entries.values_list(*_LOG_COLUMNS), 50)
        shown, expected = settled.get_page(page), plain.get_page(page)
        assert list(shown.object_list) == list(expected.object_list) and shown.number == expected.number, page
        assert settled.count == entries.count()


def test_a_settle_that_could_not_be_handed_over_is_asked_for_again(monkeypatch):
    def no_writer(job):
        raise RuntimeError("writer gone")

    monkeypatch.setattr(audit, "aside", no_writer)
    with pytest.raises(RuntimeError):
        access_log_paging._settle_aside()
    assert access_log_paging._settling.acquire(blocking=False)  # free again for the next page
    access_log_paging._settling.release()
