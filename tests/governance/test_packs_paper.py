"""The board pack read as a board paper: its cover, one action section, RAG in words, flowing sections,
and nothing meant for developers."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import BoardPack, MeetingStatus, PackStatus
from governance.services.packs import board_pack_request
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
    previous = MeetingFactory(
        board=board,
        starts_at=at(timezone.localdate() - timedelta(days=60)),
        status=MeetingStatus.CLOSED,
        minutes="The board reviewed NRM referrals.",
    )
    DecisionFactory(meeting=previous, text="Commission a problem profile on car washes.")
    meeting = MeetingFactory(board=board, location="Force headquarters, room 2.14")
    AgendaItemFactory(meeting=meeting, title="Threat picture: labour exploitation", position=1)
    for i in range(30):
        ActionFactory(
            title=f"Visit hand car wash {i}",
            owner=users["analyst"],
            board=board,
            due_date=timezone.localdate() + timedelta(days=i - 15),
        )
    return meeting


def pdf_pages(path, layout=True) -> list[str]:
    """The text of each page, as pdftotext reads it (`layout`: laid out as on the page; without it, in
    reading order, a table cell's wrapped words together)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [
        subprocess.run(
            ["pdftotext", *(["-layout"] if layout else []), "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def build(meeting, by, after_commit, tmp_path, sections=()):
    pack, _ = after_commit(board_pack_request, meeting=meeting, by=by, sections=list(sections))
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.failure_reason
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack.file.read())
    return pack, path, pdf_pages(path)


def test_cover_names_force_board_meeting_marking_and_who_prepared_it(meeting, users, after_commit, tmp_path, settings):
    settings.FORCE_NAME = "Northmoor Police"
    users["secretary"].first_name, users["secretary"].last_name = "Alex", "Byrne"
    users["secretary"].save()
    _, _, pages = build(meeting, users["secretary"], after_commit, tmp_path)
    cover = pages[0]
    assert "Northmoor Police" in cover
    assert "MSHT Strategic Board" in cover
    assert f"{meeting.starts_at:%-d %B %Y}" in cover
    assert "Force headquarters, room 2.14" in cover
    assert re.search(r"Prepared by\s+Alex Byrne, Board secretary", cover)
    assert re.search(r"Protective marking\s+OFFICIAL", cover)


def test_cover_logo_from_settings_is_embedded_and_a_missing_one_is_left_out(meeting, users, tmp_path, settings):
    from governance.packs.compose import compose_pack

    logo = tmp_path / "logo.png"
    logo.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    settings.FORCE_NAME = "Northmoor Police"
    settings.FORCE_LOGO = str(logo)
    pack = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"])
    assert 'src="data:image/png;base64,' in compose_pack(pack).html
    settings.FORCE_LOGO = str(tmp_path / "gone.png")
    html = compose_pack(pack).html
    assert "pack-cover__logo" not in html and "Northmoor Police" in html


def test_one_action_section_with_status_in_words(meeting, users, after_commit, tmp_path):
    _, _, pages = build(meeting, users["secretary"], after_commit, tmp_path)
    text = "\n".join(pages)
    contents = pages[1]
    assert "Action log" not in text
    # One "Actions" entry in the contents (the registers' actions are a part of "Since the last meeting").
    assert len(re.findall(r"^\s*\d+\.\s+Actions\b", contents, re.M)) == 1, contents
    assert "Overdue actions (15)" in text
    # Overdue is said in words beside its colour, on each overdue row.
    assert text.count("Overdue") >= 15


def test_long_tables_repeat_their_header_and_short_sections_share_pages(meeting, users, after_commit, tmp_path):
    for i in range(60):
        ActionFactory(
            title=f"Check licensing record {i}",
            owner=users["analyst"],
            board=meeting.board,
            due_date=timezone.localdate() + timedelta(days=30 + i),
        )
    _, _, pages = build(meeting, users["secretary"], after_commit, tmp_path, ["agenda", "previous", "actions"])
    # Agenda and previous minutes are short: they share a page instead of taking one each.
    agenda_page = next(i for i, p in enumerate(pages) if "Items for this meeting" in p)
    assert "Previous minutes and decisions" in pages[agenda_page]
    # Every page the open-actions table runs on to starts with its header row.
    continued = [p for p in pages if "Check licensing record" in p]
    assert len(continued) >= 2
    for page in continued:
        assert re.search(r"Action\s+Owner\s+Due\s+Status\s+Pillar", page), page[:400]


def test_no_developer_notes_in_the_pack(meeting, users, after_commit, tmp_path):
    from strategy.models import Threat  # noqa: F401 - the strategy app's providers are registered

    _, _, pages = build(meeting, users["secretary"], after_commit, tmp_path)
    text = "\n".join(pages)
    for slip in ("confirm locally", "mshtgov.", "{#", "#}", "table_caption", "TODO"):
        assert slip not in text, slip


def test_executive_summary_says_what_needs_attention_decisions_and_figures_against_the_last_meeting(
    meeting, users, after_commit, tmp_path
):
    AgendaItemFactory(
        meeting=meeting,
        title="Referral pathway for adult victims",
        position=2,
        purpose="decision",
        recommendation="The board approves the revised referral pathway.",
        presenter=users["analyst"],
    )
    AgendaItemFactory(meeting=meeting, title="Partnership updates", position=3)
    _, path, pages = build(meeting, users["secretary"], after_commit, tmp_path)
    assert "Executive summary" in pages[1]  # listed in the contents
    summary = next(p for p in pages if "Needs the board's attention" in p)
    assert pages.index(summary) == 2, "the summary follows the cover and the contents"
    flat = " ".join(pdf_pages(path, layout=False)[2].split())
    assert "Urgent 15 of this board's actions are overdue" in flat
    assert "Item 2: Referral pathway for adult victims" in flat
    assert "Recommendation: The board approves the revised referral pathway." in flat
    assert "Partnership updates" not in flat  # for information: not a decision requested
    from governance.selectors import previous_meeting

    last = f"{previous_meeting(meeting).date:%-d %B %Y}"
    assert f"Figures now and at the last meeting, on {last}" in flat
    # The 30 actions were all raised after the last meeting, 15 of them now overdue.
    assert "This board's open actions 0 30 Up 30, worse" in flat
    assert "This board's overdue actions 0 15 Up 15, worse" in flat


# The dashboard's lines from panels a board pack never carries (governance/panels.py, inspection/panels.py:
# `in_board_pack=False`: the pack's own Actions section, and findings have no board-pack section).
NOT_IN_PACKS = ("overdue in all", "inspection finding")


def test_summary_lines_are_the_dashboards_for_the_same_reader(users, client_for, after_commit, tmp_path):
    """One definition per figure: the pack's "Needs the board's attention" prints what the dashboard's "Needs
    your attention" lists for the same reader and period, panel by panel (here the chair is the only reader,
    and the meeting is today, so the pack's 12 months are the dashboard's)."""
    from pypdf import PdfReader

    from governance.packs.audience import audience_for
    from tests.learning.factories import make_lesson

    leader = users["leader"]
    board = BoardFactory(name="Chair-only board", chair=leader)
    meeting = MeetingFactory(board=board, starts_at=at(timezone.localdate(), hour=23))
    assert [u.pk for u in audience_for(board).readers] == [leader.pk]
    lesson = make_lesson(users["analyst"])
    type(lesson).objects.filter(pk=lesson.pk).update(status="implemented")  # awaits the leader's validation

    dashboard = [
        (item.figure.value if item.figure is not None else None, item.text)
        for item in client_for("leader").get("/").context["attention"]
        if not item.mine and not any(words in item.text for words in NOT_IN_PACKS)
    ]
    assert len(dashboard) >= 2, dashboard  # enough to compare: the strategy's warnings, the lesson, the measures

    pack, path, _ = build(meeting, users["secretary"], after_commit, tmp_path)
    reader = PdfReader(str(path))
    page = next(p.extract_text() for p in reader.pages if "Needs the board's attention" in p.extract_text())
    flat = " ".join(page.split())
    printed = flat[flat.index("Needs the board's attention") : flat.index("Decisions requested")]
    for count, text in dashboard:
        assert (f"{count} {text}" if count is not None else text) in printed, (count, text, printed)
    # Nothing else: one tag (Urgent, Due or Waiting) per line.
    assert sum(printed.count(tag) for tag in ("Urgent ", "Due ", "Waiting ")) == len(dashboard), printed


def test_a_line_not_every_reader_would_read_is_left_out_of_the_summary(monkeypatch):
    from types import SimpleNamespace

    from governance.packs import summary
    from mshtgov.attention import URGENT, WAITING, Attention
    from mshtgov.figures import Figure

    red = Attention("measures are red (failing its target)", Figure("measures:red", 2, "/m/"), order=URGENT)
    lesson = Attention("lesson is implemented and awaits your validation", Figure("l", 1, "/l/"), order=WAITING)
    chair, partner = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    by_reader = {chair.pk: [red, lesson], partner.pk: [red]}
    monkeypatch.setattr("mshtgov.attention.needs_attention", lambda reader, period, gathered=None: by_reader[reader.pk])
    lines = summary.panel_attention([chair, partner], None, {})
    assert [(line.label, line.count, line.text) for line in lines] == [
        ("Urgent", 2, "measures are red (failing its target)")
    ]
    log = SimpleNamespace(overdue=[1, 2, 3])
    ordered = summary.needs_attention(action_log=log, lines=lines)
    assert [(line.label, line.count) for line in ordered] == [("Urgent", 3), ("Urgent", 2)]


def _paper_pdf(title: str, pages: int) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<p style="page-break-before:always">{title} body, page {n} of the paper.</p>' for n in range(1, pages + 1)
    )
    return HTML(string=f"<html><head><title>{title}</title></head><body>{body}</body></html>").write_pdf()


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def test_uploaded_papers_are_bound_in_agenda_order_marked_and_numbered_as_pack_pages(
    meeting, users, after_commit, tmp_path
):
    from pypdf import PdfReader

    from governance.models import Paper
    from tests.governance.factories import make_paper

    first = AgendaItemFactory(meeting=meeting, title="Performance", position=2)
    second = AgendaItemFactory(meeting=meeting, title="Partnerships", position=3)
    # Uploaded out of agenda order, and one on no item: the pack binds them in agenda order.
    Paper.objects.filter(
        pk=make_paper(meeting, title="Zeta partnership update", content=_paper_pdf("Zeta", 1)).pk
    ).update(agenda_item=second)
    Paper.objects.filter(
        pk=make_paper(meeting, title="Alpha performance report", content=_paper_pdf("Alpha", 3)).pk
    ).update(agenda_item=first, marking="official-sensitive")
    make_paper(meeting, title="Beta note on no item", content=_paper_pdf("Beta", 1))

    pack, path, pages = build(meeting, users["secretary"], after_commit, tmp_path)
    total = len(pages)
    assert pack.pages == total
    contents = " ".join(pages[1].split())
    for letter, title in (
        ("A", "Alpha performance report"),
        ("B", "Zeta partnership update"),
        ("C", "Beta note on no item"),
    ):
        assert re.search(rf"Appendix {letter}: {title} \.+ \d+", contents), contents
    paper_pages = [n for n, page in enumerate(pages, start=1) if " body, page " in page]
    assert len(paper_pages) == 5 and paper_pages == list(range(total - 4, total + 1)), paper_pages
    order = [re.search(r"(\w+) body, page (\d)", pages[n - 1]).groups() for n in paper_pages]
    assert order == [("Alpha", "1"), ("Alpha", "2"), ("Alpha", "3"), ("Zeta", "1"), ("Beta", "1")]
    # The contents' page number for appendix A is the page its first page is on.
    listed = int(re.search(r"Appendix A: Alpha performance report \.+ (\d+)", contents).group(1))
    assert listed == paper_pages[0]
    for n in paper_pages:
        lines = _lines(pages[n - 1])
        # The pack's marking (raised by the sensitive paper) and its numbering, on the paper's own pages.
        assert lines[0] == "OFFICIAL-SENSITIVE", lines[:2]
        assert lines[-1] == f"OFFICIAL-SENSITIVE — Page {n} of {total}", lines[-2:]
        assert re.match(r"Appendix [ABC]: .+, page \d of \d", lines[1])
    # Still a tagged PDF with its title and language after binding.
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Board pack: MSHT Strategic Board")
    assert path.read_bytes()[:8] == b"%PDF-1.7"


def test_a_paper_that_cannot_be_read_is_named_in_the_pack_not_dropped(meeting, users, after_commit, tmp_path):
    from tests.governance.factories import make_paper

    make_paper(meeting, title="Scanned letter from the CPS", content=b"%PDF-1.4\nthis scan was cut short")
    make_paper(meeting, title="Training report", content=_paper_pdf("Training", 1))
    pack, path, _ = build(meeting, users["secretary"], after_commit, tmp_path)
    text = " ".join("\n".join(pdf_pages(path, layout=False)).split())
    assert "Appendix A: Scanned letter from the CPS (could not be bound in)" in text
    assert "Could not be bound in: the file is damaged (it cannot be read as a PDF)." in text
    assert "Training body, page 1" in text
    assert pack.warnings == [
        'Paper "Scanned letter from the CPS" (appendix A) could not be bound in: the file is damaged '
        "(it cannot be read as a PDF)."
    ]


def test_no_page_of_the_pack_is_nearly_empty(meeting, users, after_commit, tmp_path):
    from tests.governance.factories import make_paper

    make_paper(meeting, title="Training report", content=_paper_pdf("Training", 1))
    _, _, pages = build(meeting, users["secretary"], after_commit, tmp_path)
    for number, page in enumerate(pages, start=1):
        lines = _lines(page)[1:-1]  # without the marking at the top and the numbering at the bottom
        assert len(lines) >= 6 or " body, page " in page, (number, lines)
