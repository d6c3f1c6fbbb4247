"""A page's access-log row is committed by the writer thread while the page renders (mshtgov.audit), and the
page never leaves the server before its row is committed: if the writer fails, the row is written on the
request's own connection; if that fails too, the reader gets an error page, not the record.

These tests run outside a transaction (the writer thread's connection must see committed rows), with the
overlap on as in production (the test settings turn it off for every other test)."""

from unittest import mock

import pytest
from django.db import DatabaseError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mshtgov import audit
from mshtgov.models import AccessAction, AccessLog
from tests.operations.factories import make_operation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overlap(settings):
    settings.ACCESS_LOG_OVERLAP = True
    yield
    # The writer thread keeps a connection of its own: close it, or the test database cannot be dropped.
    audit._writer().submit(lambda: connections["default"].close()).result()


def _consults(operation):
    return AccessLog.objects.filter(
        action=AccessAction.CONSULT, object_type="operations.operation", object_id=str(operation.pk)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer thread runs on PostgreSQL only")
def test_the_row_is_committed_by_the_writer_before_the_page_is_served(overlap, client_for, users):
    operation = make_operation(users["analyst"])
    with CaptureQueriesContext(connection) as request_queries:
        response = client_for("leader").get(reverse("operations:operation-detail", args=[operation.pk]))
    assert response.status_code == 200
    row = _consults(operation).get()
    assert row.username == "leader" and row.marking == "official-sensitive"
    assert row.path == reverse("operations:operation-detail", args=[operation.pk])
    # Not written on the request's connection: the writer's own committed it.
    assert not [q for q in request_queries.captured_queries if "mshtgov_accesslog" in q["sql"]]


def test_a_row_the_writer_could_not_write_is_written_on_the_request_connection(overlap, client_for, users):
    operation = make_operation(users["analyst"])
    with mock.patch.object(audit, "_write_on_own_connection", side_effect=DatabaseError("server gone")):
        response = client_for("leader").get(reverse("operations:operation-detail", args=[operation.pk]))
    assert response.status_code == 200
    assert _consults(operation).get().username == "leader"


def test_no_page_is_served_when_its_view_cannot_be_logged(overlap, users):
    operation = make_operation(users["analyst"])
    client = Client(raise_request_exception=False)
    client.force_login(users["leader"])
    failing_save = mock.patch.object(audit, "insert_row", side_effect=DatabaseError("disk full"))
    with failing_save:
        response = client.get(reverse("operations:operation-detail", args=[operation.pk]))
    assert response.status_code == 500
    assert operation.reference not in response.content.decode()
    assert not _consults(operation).exists()


def test_a_row_written_inside_a_transaction_stays_in_it(overlap, users, rf):
    """A service's row (a pack built, a record disposed of) rolls back with the service's transaction."""
    from django.db import transaction

    operation = make_operation(users["analyst"])
    request = rf.get("/operations/")
    request.user = users["leader"]
    request._access_log_pending = []
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.log_access(request, AccessAction.CONSULT, operation)
        assert request._access_log_pending == []  # written in the transaction, not handed to the writer
        raise RuntimeError
    assert not _consults(operation).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer thread runs on PostgreSQL only")
def test_the_writer_has_taken_the_row_before_the_page_goes_on_rendering(overlap, users, rf):
    """log_access returns once the writer thread has the row (issue 15), so its INSERT goes out while the page
    renders rather than after it; the page still waits for the commit before it is served."""
    import threading

    operation = make_operation(users["analyst"])
    request = rf.get("/operations/")
    request.user = users["leader"]
    request._access_log_pending = []
    taken, release = threading.Event(), threading.Event()
    write = audit._write_on_own_connection

    def held_write(row):
        taken.set()
        release.wait(5)
        write(row)

    with (
        mock.patch.object(audit, "_write_on_own_connection", side_effect=held_write),
        mock.patch.object(audit, "_PICKUP_WAIT", 5),  # a loaded test machine must not time the hand-over out
    ):
        audit.log_access(request, AccessAction.CONSULT, operation)
        (_row, future), *_ = request._access_log_pending
        assert future.running()  # already with the writer, not waiting for this thread to let it run
        assert taken.wait(5)
        assert not _consults(operation).exists()  # not committed yet: the page must still wait
        release.set()
        audit.wait_for_pending(request._access_log_pending)
    assert _consults(operation).get().username == "leader"
