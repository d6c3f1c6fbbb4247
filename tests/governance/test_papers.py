"""Papers: PDF only, size-limited, stored under server-made names, downloaded as attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Paper
from mshtgov.models import AccessAction, AccessLog
from tests.fake_clamd import EICAR, fake_clamd
from tests.governance.factories import MINIMAL_PDF, AgendaItemFactory, BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(users):
    board = BoardFactory(secretary=users["secretary"])
    board.members.set([users["analyst"]])
    return MeetingFactory(board=board)


def _upload(client, meeting, name, content, **extra):
    return client.post(
        reverse("governance:paper-upload", args=[meeting.pk]),
        {
            "title": "Quarterly performance",
            "marking": "official",
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            **extra,
        },
    )


def test_a_pdf_paper_is_stored_under_a_server_name_outside_the_web_root(client_for, meeting, private_root):
    item = AgendaItemFactory(meeting=meeting)
    response = _upload(client_for("secretary"), meeting, "../../etc/passwd.pdf", MINIMAL_PDF, agenda_item=item.pk)
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.file.name.startswith("papers/") and "passwd" not in paper.file.name
    assert len(paper.file.name) == len("papers/") + 32 + len(".pdf")
    assert (private_root / paper.file.name).read_bytes() == MINIMAL_PDF
    assert paper.original_name == "passwd.pdf"
    assert paper.sha256 and paper.size == len(MINIMAL_PDF) and paper.agenda_item == item


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("paper.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF"),
        ("paper.PDF.html", MINIMAL_PDF, "must be a PDF file"),
        ("paper.docx", MINIMAL_PDF, "must be a PDF file"),
    ],
)
def test_non_pdf_papers_are_refused_and_nothing_is_saved(client_for, meeting, private_root, name, content, message):
    response = _upload(client_for("secretary"), meeting, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "govuk-error-summary" in html
    assert 'value="Quarterly performance"' in html
    assert not Paper.objects.exists()
    assert not (private_root / "papers").exists() or not any((private_root / "papers").iterdir())


def test_an_empty_file_is_refused(client_for, meeting):
    response = _upload(client_for("secretary"), meeting, "paper.pdf", b"")
    assert response.status_code == 200
    assert not Paper.objects.exists()


def test_an_oversized_paper_is_refused(client_for, meeting, settings):
    settings.GOVERNANCE_PAPER_MAX_BYTES = 1024
    response = _upload(client_for("secretary"), meeting, "paper.pdf", MINIMAL_PDF + b"0" * 1024)
    assert "or smaller" in response.content.decode()
    assert not Paper.objects.exists()


@pytest.mark.parametrize("name", ['a"; b.pdf', "x\r\nSet-Cookie: a=b.pdf", "CON.pdf", "é" * 300 + ".pdf"])
def test_download_is_an_attachment_whose_header_user_text_cannot_break(client_for, users, meeting, name):
    from governance.services.papers import paper_upload

    paper = paper_upload(
        meeting=meeting,
        title="Report",
        by=users["secretary"],
        upload=SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf"),
    )
    # Were the stored name ever unsanitised, the header must still hold.
    Paper.objects.filter(pk=paper.pk).update(original_name=name[:200])
    response = client_for("analyst").get(reverse("governance:paper-download", args=[paper.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "\r" not in disposition and "\n" not in disposition and disposition.count('"') == 2
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert AccessLog.objects.filter(action=AccessAction.DISCLOSE, object_id=str(paper.pk), username="analyst").exists()


def test_a_member_of_another_board_cannot_download(client_for, meeting):
    _upload(client_for("secretary"), meeting, "paper.pdf", MINIMAL_PDF)
    paper = Paper.objects.get()
    assert client_for("coordinator").get(reverse("governance:paper-download", args=[paper.pk])).status_code == 404


@pytest.fixture
def scanner(settings):
    with fake_clamd() as (address, server):
        settings.CLAMD_ADDRESS = address
        yield server


def test_a_clean_paper_is_scanned_once_then_stored(client_for, meeting, private_root, scanner):
    assert _upload(client_for("secretary"), meeting, "paper.pdf", MINIMAL_PDF).status_code == 302
    assert scanner.streams == [MINIMAL_PDF]
    assert (private_root / Paper.objects.get().file.name).read_bytes() == MINIMAL_PDF


def test_a_paper_carrying_a_virus_is_refused_beside_the_field(client_for, meeting, private_root, scanner):
    response = _upload(client_for("secretary"), meeting, "paper.pdf", MINIMAL_PDF + EICAR)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "contains a virus" in page and 'href="#id_file"' in page
    assert not Paper.objects.exists()
    assert not any(private_root.rglob("*.pdf"))  # nothing half-saved


def test_a_paper_is_refused_when_the_scanner_is_down(client_for, meeting, private_root, settings):
    with fake_clamd() as (address, _):
        pass  # the port is closed again: nothing listens there now
    settings.CLAMD_ADDRESS = address
    response = _upload(client_for("secretary"), meeting, "paper.pdf", MINIMAL_PDF)
    assert "could not be checked for viruses" in response.content.decode()
    assert not Paper.objects.exists()


def test_without_a_scanner_configured_papers_are_not_scanned(client_for, meeting, private_root, settings):
    settings.CLAMD_ADDRESS = ""
    assert _upload(client_for("secretary"), meeting, "paper.pdf", MINIMAL_PDF + EICAR).status_code == 302
