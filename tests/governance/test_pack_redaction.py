"""Redaction and disposal reach built board packs: a pack that held the words is withdrawn (its file
deleted) and, for a meeting still to come, built again without them. Checked in the PDFs themselves."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from governance.models import BoardPack, MeetingStatus, PackStatus
from governance.services.packs import board_pack_request
from mshtgov.documents import pdf_text
from mshtgov.personal_data.redaction import redact
from tests.governance.factories import AgendaItemFactory, BoardFactory, MeetingFactory, at

pytestmark = pytest.mark.django_db

NAME = "Jane Smith"


def _built_pack(meeting, user, after_commit):
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=user, sections=["agenda"])
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.failure_reason
    return pack


@pytest.fixture
def board(users):
    return BoardFactory(name="MSHT Strategic Board", chair=users["leader"], secretary=users["secretary"])


def test_a_pack_holding_redacted_words_is_withdrawn_and_built_again(board, users, after_commit):
    meeting = MeetingFactory(board=board)  # two weeks ahead
    item = AgendaItemFactory(meeting=meeting, title=f"Case review: victim {NAME} and the car wash")
    pack = _built_pack(meeting, users["secretary"], after_commit)
    old_file = pack.file.name
    assert NAME in " ".join(pdf_text(pack.file).split())

    after_commit(redact, record=item, field_name="title", passage=NAME, reason="name in error", by=users["admin"])

    pack.refresh_from_db()
    assert pack.status == PackStatus.WITHDRAWN and not pack.file
    assert "redacted" in pack.failure_reason
    assert not default_storage.exists(old_file)
    rebuilt = BoardPack.objects.exclude(pk=pack.pk).get(meeting=meeting)
    assert rebuilt.status == PackStatus.READY and rebuilt.requested_by == users["secretary"]
    text = " ".join(pdf_text(rebuilt.file).split())
    assert NAME not in text and "Smith" not in text
    assert "[redacted on" in text and "car wash" in text


def test_a_past_meetings_pack_is_withdrawn_not_rebuilt_and_other_packs_are_left_alone(board, users, after_commit):
    past = MeetingFactory(board=board, starts_at=at(timezone.localdate() - timedelta(days=30)))
    item = AgendaItemFactory(meeting=past, title=f"Victim {NAME}: debrief")
    held = _built_pack(past, users["secretary"], after_commit)
    other_meeting = MeetingFactory(board=board, starts_at=at(timezone.localdate() - timedelta(days=10)))
    AgendaItemFactory(meeting=other_meeting, title="Threat picture: labour exploitation")
    other = _built_pack(other_meeting, users["secretary"], after_commit)

    after_commit(redact, record=item, field_name="title", passage=NAME, reason="name in error", by=users["admin"])

    held.refresh_from_db()
    other.refresh_from_db()
    assert held.status == PackStatus.WITHDRAWN
    assert BoardPack.objects.filter(meeting=past).count() == 1  # not built again
    assert other.status == PackStatus.READY and default_storage.exists(other.file.name)


def test_disposing_of_a_meeting_withdraws_its_pack_and_leaves_no_history(board, users, after_commit):
    from mshtgov.personal_data.models import DisposalTombstone
    from mshtgov.personal_data.retention import dispose

    past = MeetingFactory(
        board=board, starts_at=at(timezone.localdate() - timedelta(days=3000)), status=MeetingStatus.CLOSED
    )
    item = AgendaItemFactory(meeting=past, title="Operation Kestrel debrief for the board")
    pack = _built_pack(past, users["secretary"], after_commit)
    file_name = pack.file.name
    meeting_pk, item_pk, pack_pk = past.pk, item.pk, pack.pk

    tombstone = after_commit(dispose, record=past, reason="Past its review date", by=users["leader"])

    assert not default_storage.exists(file_name)
    assert not past.history.model.objects.filter(id=meeting_pk).exists()
    assert not item.history.model.objects.filter(id=item_pk).exists()
    assert not pack.history.model.objects.filter(id=pack_pk).exists()
    assert tombstone == DisposalTombstone.objects.get(kind="governance.meeting", object_id=meeting_pk)
    assert tombstone.also_disposed["Agenda items"] == 1 and tombstone.also_disposed["Board packs"] == 1
