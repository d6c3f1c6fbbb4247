"""Redis down when a pack is asked for: the request returns quickly, the row is kept, the user is told."""

import time

import pytest
from django.urls import reverse

from governance.models import BoardPack, PackStatus
from tests.celery_support import broker_at, closed_port
from tests.governance.factories import BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_queue_down_keeps_the_request_and_says_so(client_for, users, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(board=BoardFactory(secretary=users["secretary"]))
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("secretary").post(
                reverse("governance:pack-request", args=[meeting.pk]), {"sections": ["agenda"]}, follow=True
            )
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
