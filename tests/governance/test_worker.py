"""A real Celery worker on Redis builds a board pack (CI sets REQUIRE_WORKER_TESTS, so a skip fails)."""

import os
import time
from urllib.parse import urlparse

import pytest
from django.db import OperationalError

from governance.models import BoardPack, PackStatus
from governance.services.packs import board_pack_request
from tests.governance.factories import AgendaItemFactory, BoardFactory, MeetingFactory

BROKER = os.environ.get("CELERY_TEST_BROKER", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    import socket

    url = urlparse(BROKER)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def celery_config():
    from django.conf import settings

    return {
        "broker_url": BROKER,
        "result_backend": "cache+memory://",
        "task_always_eager": False,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_routes": settings.CELERY_TASK_ROUTES,
        "task_serializer": "json",
        "accept_content": ["json"],
        "broker_connection_timeout": 3,
        "task_publish_retry_policy": settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    }


@pytest.fixture(scope="session")
def celery_includes():
    return ["governance.tasks"]


@pytest.fixture(scope="session")
def celery_worker_parameters():
    return {"queues": ("celery", "pdf")}


@pytest.fixture
def redis_required():
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER}: start redis-server or set CELERY_TEST_BROKER")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_pack(redis_required, users, celery_app, celery_worker):
    celery_app.control.purge()  # messages left by an earlier run name packs of another database
    board = BoardFactory(name="Worker board", secretary=users["secretary"])
    meeting = MeetingFactory(board=board)
    AgendaItemFactory(meeting=meeting, title="Built by the worker")
    pack, created = board_pack_request(meeting=meeting, user=users["secretary"], sections=["agenda"])
    assert created
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.5)  # rarely: each read can make the worker's write meet a locked table and retry
        try:
            pack.refresh_from_db()
        except OperationalError:
            continue  # SQLite's shared in-memory test database locks tables while the worker writes
        if pack.status in (PackStatus.READY, PackStatus.FAILED):
            break
    assert pack.status == PackStatus.READY, pack.failure_reason or pack.status
    assert pack.enqueued_at is not None and pack.attempts == 1
    assert pack.file.read().startswith(b"%PDF-")
    assert BoardPack.objects.filter(meeting=meeting).count() == 1
