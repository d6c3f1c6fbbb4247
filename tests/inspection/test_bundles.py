"""Evidence bundles: one click builds (eagerly here, as in the embedded default) a marked, numbered, tagged PDF
in a ZIP with the cited board papers and tables of everything cited; downloads are disclosures; a failure
says why and can be retried; stuck or unsent bundles are swept; readers only get what they may open."""

import csv
import io
import re
import subprocess
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import Action
from inspection.models import BundleStatus, EvidenceBundle
from inspection.services import bundles as bundle_services
from inspection.services.bundles import bundle_build, bundle_request, bundle_retry, bundle_sweep
from mshtgov.citations import cite
from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from strategy.models import AssessmentStatus, RequirementStatus
from tests.governance.factories import ActionFactory, BoardFactory, DecisionFactory, MeetingFactory, make_paper
from tests.inspection.factories import make_finding
from tests.learning.factories import make_lesson
from tests.strategy.factories import start_assessment

pytestmark = pytest.mark.django_db
PAPER_BYTES = b"%PDF-1.4\n% the performance report\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def assessment(users):
    """A signed-off assessment whose first answer cites a lesson, a decision, a paper and a sensitive lesson."""
    leader = users["leader"]
    assessment = start_assessment(leader, title="Self-assessment 2026 to 2027")
    answers = list(assessment.answers.select_related("requirement").order_by("requirement__order"))
    first = answers[0]
    first.status = RequirementStatus.MET
    first.evidence = '=HYPERLINK("http://attacker.invalid","Reviewed at the board")'
    first.save()
    board = BoardFactory(name="Strategic board", chair=leader)
    board.members.set([users["pcc"], users["analyst"]])
    meeting = MeetingFactory(board=board, starts_at=timezone.now() - timedelta(days=20))
    paper = make_paper(meeting, title="Quarterly performance report", content=PAPER_BYTES)
    decision = DecisionFactory(meeting=meeting, text="Adopt the victim referral pathway.")
    cite(citing=first, cited=make_lesson(leader, title="Referral pathway tested on Op Tern"), by=leader)
    cite(citing=first, cited=decision, by=leader, note="Minuted at the strategic board")
    cite(citing=first, cited=paper, by=leader)
    ActionFactory(title="Train call handlers", owner=users["analyst"], board=board, source=first)
    make_finding(leader, reference="AFI 3", theme=first.requirement.theme, requirements=[first.requirement])
    assessment.status = AssessmentStatus.SIGNED_OFF
    assessment.signed_off_by, assessment.signed_off_on = leader, date(2026, 6, 1)
    assessment.save()
    return assessment


def _build(client_for, role, assessment, django_capture_on_commit_callbacks, theme=""):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(role).post(
            reverse("inspection:assessment-bundles", args=[assessment.pk]), {"theme": theme}
        )
    bundle = EvidenceBundle.objects.latest("id")
    assert response["Location"] == reverse("inspection:bundle-detail", args=[bundle.pk])
    return bundle


def _pages_text(path):
    count = int(
        re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout)[1]
    )
    for page in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-"], capture_output=True, text=True
        ).stdout
        yield page, count, [line.strip() for line in text.splitlines() if line.strip()]


def test_one_click_builds_a_zip_with_a_marked_numbered_pdf_the_paper_and_the_tables(
    client_for, users, assessment, tmp_path, django_capture_on_commit_callbacks
):
    bundle = _build(client_for, "analyst", assessment, django_capture_on_commit_callbacks)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.READY, bundle.failure_reason
    page = client_for("analyst").get(bundle.get_absolute_url()).content.decode()
    assert "Download the bundle (ZIP)" in page and "papers/" in page

    download = client_for("analyst").get(reverse("inspection:bundle-download", args=[bundle.pk, "zip"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    pdf_name = bundle.download_name("pdf")
    assert pdf_name.startswith("OFFICIAL-evidence-bundle-")
    assert set(names) == {
        pdf_name,
        "tables/requirements.csv",
        "tables/requirements.xlsx",
        "tables/cited-records.csv",
        "tables/cited-records.xlsx",
        next(n for n in names if n.startswith("papers/")),
    }
    paper_name = next(n for n in names if n.startswith("papers/"))
    assert paper_name.endswith("-quarterly-performance-report.pdf")
    assert archive.read(paper_name) == PAPER_BYTES

    path = tmp_path / "bundle.pdf"
    path.write_bytes(archive.read(pdf_name))
    pages = list(_pages_text(str(path)))
    assert len(pages) == bundle.pages and len(pages) >= 3
    for number, total, lines in pages:
        assert lines[0] == "OFFICIAL", (number, lines[:2])
        assert lines[-1] == f"OFFICIAL — Page {number} of {total}", (number, lines[-2:])
    text = " ".join(" ".join(lines) for _, _, lines in pages)  # wrapped lines read as one text
    first = assessment.answers.select_related("requirement").order_by("requirement__order").first()
    for expected in (
        "Evidence bundle",
        "Self-assessment 2026 to 2027",
        "Contents",
        f"{first.requirement.reference}: Met",
        "Referral pathway tested on Op Tern",
        "Adopt the victim referral pathway.",
        "Minuted at the strategic board",
        "Quarterly performance report",
        "Train call handlers",
        "AFI 3, MSHT force inspection 2026",
        "What the ZIP file holds",
    ):
        assert expected in text, expected
    assert re.search(r"Strategy \.+ \d+", text)  # contents give the page each theme starts on

    rows = list(csv.reader(io.StringIO(archive.read("tables/requirements.csv").decode("utf-8-sig"))))
    assert rows[0] == ["OFFICIAL"]
    assert rows[1][:4] == ["Theme", "Reference", "Requirement", "Status"]
    assert rows[2][4].startswith("'=HYPERLINK")  # spreadsheet formula injection neutralised
    assert len(rows) == 2 + assessment.answers.count()
    cited = list(csv.reader(io.StringIO(archive.read("tables/cited-records.csv").decode("utf-8-sig"))))
    kinds = {row[1] for row in cited[2:]}
    assert {"lesson", "board decision", "board paper", "open action", "inspection finding"} <= kinds
    book = load_workbook(io.BytesIO(archive.read("tables/cited-records.xlsx")))
    assert book.active["A1"].value == "OFFICIAL"

    disclosed = AccessLog.objects.get(action=AccessAction.DISCLOSE, object_id=str(bundle.pk))
    assert disclosed.username == "analyst" and any(i["name"] == pdf_name for i in disclosed.detail["contents"])
    combined = AccessLog.objects.get(action=AccessAction.COMBINE, object_id=str(bundle.pk))
    assert combined.detail["sources"]["governance.paper"]


def test_pdf_is_tagged_with_title_and_language(users, assessment):
    from inspection.bundles.compose import compose_bundle
    from mshtgov.pdf import html_to_pdf

    bundle = EvidenceBundle.objects.create(assessment=assessment, requested_by=users["leader"])
    composed = compose_bundle(bundle)
    raw = html_to_pdf(composed.html, uncompressed=True).content
    assert b"/StructTreeRoot" in raw and b"/Lang (en-GB)" in raw and b"/Title" in raw
    assert "<title>Evidence bundle: Self-assessment 2026 to 2027" in composed.html


def test_sensitive_content_marks_every_page_and_deleted_or_hidden_citations_are_named_as_such(
    users, assessment, tmp_path
):
    analyst = users["analyst"]
    first = assessment.answers.order_by("requirement__order").first()
    secret = make_lesson(users["leader"], title="Covert tasking", marking=Marking.OFFICIAL_SENSITIVE)
    cite(citing=first, cited=secret, by=users["leader"])
    hidden_board = BoardFactory(name="Gold group")  # the analyst does not sit on it
    hidden = ActionFactory(title="Gold group tasking", owner=users["leader"], board=hidden_board)
    cite(citing=first, cited=hidden, by=users["leader"])
    gone = DecisionFactory(meeting=MeetingFactory(board=hidden_board), text="A decision later deleted")
    cite(citing=first, cited=gone, by=users["leader"])
    gone.delete()
    bundle = EvidenceBundle.objects.create(assessment=assessment, requested_by=analyst)
    bundle = bundle_build(bundle_id=bundle.pk)
    assert bundle.status == BundleStatus.READY, bundle.failure_reason
    assert bundle.marking == Marking.OFFICIAL_SENSITIVE
    assert (bundle.counts["withheld"], bundle.counts["deleted"]) == (1, 1)
    path = tmp_path / "bundle.pdf"
    path.write_bytes(bundle.pdf_file.read())
    pages = list(_pages_text(str(path)))
    for number, total, lines in pages:
        assert lines[0] == "OFFICIAL-SENSITIVE"
        assert lines[-1] == f"OFFICIAL-SENSITIVE — Page {number} of {total}"
    text = " ".join(" ".join(lines) for _, _, lines in pages)
    assert "Covert tasking" in text
    assert "Gold group tasking" not in text
    assert "withheld" in text
    assert "A decision later deleted (deleted since it was cited)" in text


def test_pcc_downloads_a_signed_off_bundle_but_not_one_holding_what_they_may_not_open(
    client_for, users, assessment, django_capture_on_commit_callbacks
):
    bundle = _build(client_for, "leader", assessment, django_capture_on_commit_callbacks)
    url = reverse("inspection:bundle-download", args=[bundle.pk, "pdf"])
    assert client_for("pcc").get(url).status_code == 200
    first = assessment.answers.order_by("requirement__order").first()
    # A later bundle cites a sensitive lesson: PCC liaisons read OFFICIAL lessons only.
    cite(
        citing=first,
        cited=make_lesson(users["leader"], title="Covert", marking=Marking.OFFICIAL_SENSITIVE),
        by=users["leader"],
    )
    second = _build(client_for, "leader", assessment, django_capture_on_commit_callbacks)
    refused = client_for("pcc").get(reverse("inspection:bundle-download", args=[second.pk, "zip"]))
    assert refused.status_code == 302
    page = client_for("pcc").get(second.get_absolute_url()).content.decode()
    assert "1 record you may not open" in page and "Download the bundle" not in page
    assert not AccessLog.objects.filter(action=AccessAction.DISCLOSE, object_id=str(second.pk)).exists()
    # Of a draft assessment the PCC liaison knows no bundle at all.
    draft = start_assessment(users["leader"], title="Draft", start=date(2027, 4, 1), end=date(2028, 3, 31))
    third = _build(client_for, "leader", draft, django_capture_on_commit_callbacks)
    assert client_for("pcc").get(third.get_absolute_url()).status_code == 404
    assert client_for("pcc").post(reverse("inspection:assessment-bundles", args=[assessment.pk])).status_code == 403


def test_one_theme_only(client_for, assessment, django_capture_on_commit_callbacks, tmp_path):
    bundle = _build(client_for, "leader", assessment, django_capture_on_commit_callbacks, theme="governance")
    bundle.refresh_from_db()
    assert bundle.counts["requirements"] == assessment.answers.filter(requirement__theme="governance").count()
    path = tmp_path / "bundle.pdf"
    path.write_bytes(bundle.pdf_file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Governance" in text and "Referral pathway tested on Op Tern" not in text


def test_a_failed_build_says_why_and_can_be_retried(
    client_for, users, assessment, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html, **kwargs):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr(bundle_services, "html_to_pdf", broken)
    bundle = _build(client_for, "analyst", assessment, django_capture_on_commit_callbacks)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.FAILED
    assert bundle.failure_reason == "The bundle could not be built: RuntimeError: the fonts are missing"
    page = client_for("analyst").get(bundle.get_absolute_url()).content.decode()
    assert "the fonts are missing" in page and "Try again" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("analyst").post(reverse("inspection:bundle-retry", args=[bundle.pk]))
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.READY and bundle.attempts == 1


def test_a_second_click_while_building_gives_the_same_bundle(users, assessment):
    first, created = bundle_request(assessment=assessment, theme="", by=users["leader"])
    second, again = bundle_request(assessment=assessment, theme="", by=users["analyst"])
    assert created and not again and first.pk == second.pk


def test_sweeper_fails_stuck_bundles_and_resends_unsent_ones(users, assessment, monkeypatch):
    now = timezone.now()
    stuck = EvidenceBundle.objects.create(
        assessment=assessment,
        requested_by=users["leader"],
        status=BundleStatus.BUILDING,
        started_at=now - timedelta(hours=2),
    )
    waiting = EvidenceBundle.objects.create(assessment=assessment, theme="learning", requested_by=users["leader"])
    sent = []
    monkeypatch.setattr(bundle_services, "bundle_enqueue", lambda *, bundle_id: sent.append(bundle_id) or True)
    assert bundle_sweep(now=now) == {"failed": 1, "resent": 1}
    stuck.refresh_from_db()
    assert stuck.status == BundleStatus.FAILED and stuck.failure_reason == bundle_services.STUCK
    assert sent == [waiting.pk]


def test_a_bundle_is_never_edited_a_retry_of_a_ready_one_does_nothing(users, assessment):
    bundle = EvidenceBundle.objects.create(assessment=assessment, requested_by=users["leader"])
    bundle = bundle_build(bundle_id=bundle.pk)
    sha = bundle.sha256
    again, sent = bundle_retry(bundle=bundle, by=users["leader"])
    assert not sent and again.sha256 == sha
    assert bundle_build(bundle_id=bundle.pk).sha256 == sha
    assert Action.objects.count() == 1


def test_a_withdrawn_bundle_loses_its_files_and_says_why(
    client_for, users, assessment, django_capture_on_commit_callbacks
):
    bundle = bundle_build(
        bundle_id=EvidenceBundle.objects.create(assessment=assessment, requested_by=users["leader"]).pk
    )
    names = [bundle.pdf_file.name, bundle.zip_file.name]
    storage = bundle.pdf_file.storage
    with django_capture_on_commit_callbacks(execute=True):
        done = bundle_services.bundle_withdraw(bundle, reason="It held a name since redacted.", by=users["leader"])
    assert done == f"Evidence bundle {bundle.pk} withdrawn"
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.WITHDRAWN and not any(storage.exists(n) for n in names)
    assert client_for("leader").get(reverse("inspection:bundle-download", args=[bundle.pk, "zip"])).status_code == 404
    assert "It held a name since redacted." in client_for("leader").get(bundle.get_absolute_url()).content.decode()
    assert bundle_services.bundles_built_since(assessment) == []
