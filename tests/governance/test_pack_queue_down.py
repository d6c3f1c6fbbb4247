"""Redis down when a pack is asked for: the request returns quickly, the row is kept, the user is told."""

import socket
import time
from contextlib import contextmanager

import pytest
from django.urls import reverse

from governance.models import BoardPack, PackStatus
from tests.governance.factories import BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: connections are refused


@contextmanager
def broker_at(url):
    """Point the Celery app at `url` with eager mode off, as production runs, then put it back."""
    from mshtgov.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.update(**saved)
        _reset_pools(app)


def _reset_pools(app):
    # Connection pools remember the broker URL they were made for.
    app._pool = None
    app.amqp._producer_pool = None


def test_queue_down_keeps_the_request_and_says_so(client_for, users, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(board=BoardFactory(secretary=users["secretary"]))
    with broker_at(f"redis://127.0.0.1:{_closed_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("secretary").post(reverse("governance:pack-request", args=[meeting.pk]),
                                                    {"sections": ["agenda"]}, follow=True)
        elapsed = time.monotonic() - started
    assert elapsed < 10, f"the request hung for {elapsed:.1f}s"
    pack = BoardPack.objects.get(meeting=meeting)
    assert pack.status == PackStatus.QUEUED and pack.enqueued_at is None
    page = response.content.decode()
    assert "will be built when the service is back" in page
    assert "Try to queue it again now" in page

    # When the service is back (here: eager again), the sweeper sends it and it builds.
    from governance.services.packs import board_pack_sweep

    assert board_pack_sweep()["resent"] == 1
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
