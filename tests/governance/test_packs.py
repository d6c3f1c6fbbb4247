"""Board packs: asked for, built (eagerly here, as in the embedded default), downloaded, failed, retried."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardPack, MeetingStatus, PackStatus
from governance.services import packs as pack_services
from governance.services.packs import board_pack_build, board_pack_request, board_pack_retry, board_pack_sweep
from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from tests.governance.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    DecisionFactory,
    MeetingFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(users):
    board = BoardFactory(name="MSHT Strategic Board", chair=users["leader"], secretary=users["secretary"])
    board.members.set([users["analyst"], users["pcc"]])
    previous = MeetingFactory(
        board=board,
        starts_at=at(timezone.localdate() - timedelta(days=60)),
        status=MeetingStatus.CLOSED,
        minutes="The board reviewed NRM referrals.",
    )
    DecisionFactory(meeting=previous, text="Commission a problem profile on car washes.")
    meeting = MeetingFactory(board=board)
    AgendaItemFactory(meeting=meeting, title="Threat picture: labour exploitation")
    for i in range(40):
        ActionFactory(
            title=f"Visit hand car wash {i}",
            owner=users["analyst"],
            board=board,
            due_date=timezone.localdate() + timedelta(days=i - 20),
        )
    return meeting


def _pages_text(path):
    count = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        ).group(1)
    )
    for page in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        yield page, count, [line.strip() for line in text.splitlines() if line.strip()]


def _request(client_for, meeting, secretary):
    """What the secretary sends when she leaves every section offered to her ticked."""
    from governance.packs.audience import audience_for
    from governance.packs.sections import available_sections

    data = {"sections": [s.key for s in available_sections(audience_for(meeting.board, secretary))]}
    return client_for("secretary").post(reverse("governance:pack-request", args=[meeting.pk]), data)


def test_secretary_asks_for_a_pack_and_downloads_a_marked_numbered_pdf(
    client_for, meeting, users, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client_for, meeting, users["secretary"])
    pack = BoardPack.objects.get(meeting=meeting)
    assert response["Location"] == reverse("governance:pack-detail", args=[pack.pk])
    assert pack.status == PackStatus.READY, pack.failure_reason
    page = client_for("secretary").get(response["Location"]).content.decode()
    assert "Download the board pack" in page

    download = client_for("pcc").get(reverse("governance:pack-download", args=[pack.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    path = tmp_path / "pack.pdf"
    path.write_bytes(body)

    pages = list(_pages_text(str(path)))
    assert len(pages) >= 3
    for number, total, lines in pages:
        assert lines[0] == "OFFICIAL", (number, lines[:2])
        assert lines[-1] == f"OFFICIAL — Page {number} of {total}", (number, lines[-2:])
    everything = "\n".join(line for _, _, lines in pages for line in lines)
    for expected in (
        "Contents",
        "Agenda",
        "Threat picture: labour exploitation",
        "Previous minutes and decisions",
        "Commission a problem profile on car washes.",
        "Actions",
        "Overdue actions",
        "Visit hand car wash 0",
        "Since the last meeting",
    ):
        assert expected in everything
    # The contents page gives page numbers for each section.
    assert re.search(r"Actions \.+ \d+", everything)

    assert AccessLog.objects.filter(action=AccessAction.DISCLOSE, object_id=str(pack.pk), username="pcc").count() == 1
    combine = AccessLog.objects.get(action=AccessAction.COMBINE, object_id=str(pack.pk))
    assert combine.username == "secretary"
    assert set(combine.detail["sources"]["actions"]) == set(meeting.board.actions.open().values_list("pk", flat=True))


def test_pack_is_tagged_accessible_pdf_with_title_and_language(meeting, users):
    from weasyprint import HTML

    from governance.packs.compose import compose_pack
    from mshtgov.pdf import STATIC_BASE, StaticOnlyFetcher

    pack = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"])
    composed = compose_pack(pack)
    raw = HTML(string=composed.html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=True
    )
    assert b"/StructTreeRoot" in raw
    assert b"/Marked true" in raw
    assert b"/Lang (en-GB)" in raw
    assert b"/Title" in raw
    assert '<html lang="en-GB">' in composed.html
    assert "<title>Board pack: MSHT Strategic Board" in composed.html


def test_highest_marking_of_the_contents_is_on_every_page(meeting, users, tmp_path, after_commit):
    ActionFactory(
        title="Sensitive tasking", owner=users["analyst"], board=meeting.board, marking=Marking.OFFICIAL_SENSITIVE
    )
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    assert pack.marking == Marking.OFFICIAL_SENSITIVE
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.file.read())
    pages = list(_pages_text(str(path)))
    assert pages, "the pack has no pages"
    for number, total, lines in pages:
        assert lines[0] == "OFFICIAL-SENSITIVE"
        assert lines[-1] == f"OFFICIAL-SENSITIVE — Page {number} of {total}"
    assert pack.download_name().startswith("OFFICIAL-SENSITIVE-board-pack-")


def test_secretary_chooses_the_sections(meeting, users, tmp_path, after_commit):
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=["agenda"])
    pack.refresh_from_db()
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Threat picture: labour exploitation" in text
    assert "Visit hand car wash" not in text
    assert "Since the last meeting" not in text


def test_request_form_offers_every_section_ticked_including_registered_panels(client_for, meeting, users):
    """Every panel the secretary may see is offered; panels hidden from her are not."""
    from mshtgov import panels

    response = client_for("secretary").get(reverse("governance:pack-request", args=[meeting.pk]))
    html = response.content.decode()
    registered = panels.all_panels()
    assert any(panel.in_board_pack for panel in registered), "no panel offers itself to board packs"
    for panel in registered:
        offered = panel.in_board_pack and panel.visible(users["secretary"])
        assert (f'value="panel:{panel.key}" checked' in html) == offered, panel.key
    assert 'value="agenda" checked' in html and 'value="since" checked' in html


def test_a_failing_panel_is_named_in_the_pack_instead_of_failing_it(meeting, users, after_commit):
    from mshtgov import panels

    def broken(user, period):
        raise RuntimeError("figures unavailable")

    panels.register(
        panels.Panel("broken-test", "Broken figures", 99, "governance/panels/actions.html", broken, lambda u: True)
    )
    try:
        pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    finally:
        panels._panels.pop("broken-test")
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    assert "Broken figures: this section could not be produced." in pack.warnings


def test_render_error_fails_the_pack_with_a_reason_and_a_retry_button(
    client_for, meeting, users, monkeypatch, after_commit, django_capture_on_commit_callbacks
):
    def explode(html, **options):
        raise ValueError("layout exploded")

    monkeypatch.setattr(pack_services, "html_to_pdf", explode)
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert "layout exploded" in pack.failure_reason
    page = client_for("secretary").get(reverse("governance:pack-detail", args=[pack.pk])).content.decode()
    assert "layout exploded" in page and "Try again" in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("secretary").post(reverse("governance:pack-retry", args=[pack.pk]))
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    assert "Download the board pack" in client_for("secretary").get(pack.get_absolute_url()).content.decode()


def test_too_slow_render_fails_with_a_reason(meeting, users, monkeypatch, after_commit):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(html, **options):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(pack_services, "html_to_pdf", slow)
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert "took longer than" in pack.failure_reason


def test_redelivered_build_is_abandoned_after_the_cap(meeting, users, settings):
    """A render that kills its worker comes back (late ack); each start counts, and past the cap the
    pack fails with a reason instead of looping."""
    settings.CELERY_TASK_MAX_DELIVERIES = 3
    pack = BoardPack.objects.create(
        meeting=meeting, requested_by=users["secretary"], status=PackStatus.RENDERING, attempts=3
    )
    board_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert "abandoned after 3 attempts" in pack.failure_reason


def test_redelivery_after_a_killed_worker_completes_the_pack(meeting, users):
    pack = BoardPack.objects.create(
        meeting=meeting, requested_by=users["secretary"], status=PackStatus.RENDERING, attempts=1
    )
    board_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    assert pack.attempts == 2


def test_build_is_idempotent(meeting, users, after_commit):
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    pack.refresh_from_db()
    first = (pack.file.name, pack.sha256, pack.history.count())
    board_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    assert (pack.file.name, pack.sha256, pack.history.count()) == first
    assert AccessLog.objects.filter(action=AccessAction.COMBINE, object_id=str(pack.pk)).count() == 1


def test_history_of_the_pack_names_the_requester(meeting, users, after_commit):
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    assert {h.history_user for h in pack.history.all()} == {users["secretary"]}


def test_two_requests_for_one_meeting_give_one_build(meeting, users, monkeypatch, after_commit):
    sent = []
    monkeypatch.setattr(pack_services, "board_pack_enqueue", lambda pack_id: sent.append(pack_id) or True)
    first, created_first = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    second, created_second = after_commit(board_pack_request, meeting=meeting, by=users["leader"], sections=[])
    assert created_first and not created_second
    assert first.pk == second.pk
    assert BoardPack.objects.filter(meeting=meeting).count() == 1


def test_the_database_refuses_a_second_pack_in_flight(meeting, users):
    from django.db import IntegrityError, transaction

    BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"], status=PackStatus.QUEUED)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardPack.objects.create(meeting=meeting, requested_by=users["leader"], status=PackStatus.RENDERING)


def test_losing_the_race_returns_the_winner(meeting, users, monkeypatch, after_commit):
    """Between our check and our insert another request inserted: the constraint answers, we return theirs."""
    winner = BoardPack.objects.create(meeting=meeting, requested_by=users["leader"], status=PackStatus.QUEUED)
    real_in_flight = BoardPack.objects.in_flight
    calls = []

    def blind_first_time(self=None):
        calls.append(1)
        qs = real_in_flight()
        return qs.none() if len(calls) == 1 else qs

    monkeypatch.setattr(type(BoardPack.objects), "in_flight", lambda self: blind_first_time())
    pack, created = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    assert not created and pack.pk == winner.pk


def test_enqueue_happens_only_after_commit(meeting, users, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(pack_services, "board_pack_enqueue", lambda pack_id: sent.append(pack_id) or True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack, _ = board_pack_request(meeting=meeting, by=users["secretary"], sections=[])
    assert sent == []
    assert callbacks  # the job is sent on commit (beside the figure-version bumps that also wait for it)
    for callback in callbacks:
        callback()
    assert sent == [pack.pk]


def test_task_messages_carry_only_the_pack_id(meeting, users, monkeypatch, after_commit):
    from governance.tasks import build_board_pack_task

    seen = []
    monkeypatch.setattr(build_board_pack_task, "apply_async", lambda args=None, **kw: seen.append((args, kw)))
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=users["secretary"], sections=[])
    assert seen == [([pack.pk], {})]


def test_sweeper_fails_a_pack_stuck_in_rendering(meeting, users, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 600)
    stuck = BoardPack.objects.create(
        meeting=meeting, requested_by=users["secretary"], status=PackStatus.RENDERING, attempts=1, started_at=long_ago
    )
    result = board_pack_sweep()
    stuck.refresh_from_db()
    assert result["failed"] == 1
    assert stuck.status == PackStatus.FAILED and "stopped responding" in stuck.failure_reason


def test_sweeper_sends_packs_the_queue_never_took(meeting, users):
    waiting = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"], status=PackStatus.QUEUED)
    assert waiting.enqueued_at is None
    assert board_pack_sweep()["resent"] == 1
    waiting.refresh_from_db()
    assert waiting.status == PackStatus.READY  # eager here: the resent job ran at once


def test_retry_of_a_waiting_pack_resends_it(meeting, users, after_commit):
    waiting = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"], status=PackStatus.QUEUED)
    pack, sent = after_commit(board_pack_retry, pack=waiting, by=users["secretary"])
    pack.refresh_from_db()
    assert sent and pack.status == PackStatus.READY


def test_pack_page_returns_only_the_status_fragment_to_htmx(client_for, meeting, users):
    pack = BoardPack.objects.create(
        meeting=meeting, requested_by=users["secretary"], status=PackStatus.RENDERING, enqueued_at=timezone.now()
    )
    client = client_for("secretary")
    full = client.get(reverse("governance:pack-detail", args=[pack.pk])).content.decode()
    fragment = client.get(reverse("governance:pack-detail", args=[pack.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in fragment
    assert 'hx-trigger="every 3s"' in fragment and "being built" in fragment
    assert "Refresh to see whether it is ready" in full  # works without JavaScript


def test_download_of_a_pack_not_ready_is_404(client_for, meeting, users):
    pack = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"])
    assert client_for("secretary").get(reverse("governance:pack-download", args=[pack.pk])).status_code == 404


def test_build_board_pack_command_uses_the_same_code(meeting, users, tmp_path):
    from django.core.management import call_command

    output = tmp_path / "out.pdf"
    call_command("build_board_pack", str(meeting.pk), "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF-")
    pack = BoardPack.objects.get(meeting=meeting)
    assert pack.status == PackStatus.READY and pack.requested_by == users["secretary"]
    assert AccessLog.objects.filter(action=AccessAction.COMBINE, object_id=str(pack.pk)).exists()


def test_build_board_pack_command_names_a_missing_meeting(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no meeting 999"):
        call_command("build_board_pack", "999", "--output", "/tmp/never.pdf")  # noqa: S108
