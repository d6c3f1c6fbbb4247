"""A real Celery worker on Redis builds a board pack (CI sets REQUIRE_WORKER_TESTS, so a skip fails)."""

import pytest

from governance.models import BoardPack, PackStatus
from governance.services.packs import board_pack_request
from tests.celery_support import wait_for_worker
from tests.governance.factories import AgendaItemFactory, BoardFactory, MeetingFactory


@pytest.fixture(scope="session")
def celery_includes():
    return ["governance.tasks"]


@pytest.fixture(scope="session")
def celery_worker_parameters():
    return {"queues": ("celery", "pdf")}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pack(redis_required, users, celery_app, celery_worker):
    celery_app.control.purge()  # messages left by an earlier run name packs of another database
    board = BoardFactory(name="Worker board", secretary=users["secretary"])
    meeting = MeetingFactory(board=board)
    AgendaItemFactory(meeting=meeting, title="Built by the worker")
    pack, created = board_pack_request(meeting=meeting, by=users["secretary"], sections=["agenda"])
    assert created
    wait_for_worker(pack, (PackStatus.READY, PackStatus.FAILED))
    assert pack.status == PackStatus.READY, pack.failure_reason or pack.status
    assert pack.enqueued_at is not None and pack.attempts == 1
    assert pack.file.read().startswith(b"%PDF-")
    assert BoardPack.objects.filter(meeting=meeting).count() == 1
