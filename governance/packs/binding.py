"""Binding a meeting's uploaded PDF papers into its board pack as appendices.

The pack's HTML holds, for every page of every paper, one empty page of its own (on the named page
`paper`, with narrow margins): WeasyPrint numbers those pages, lists each appendix in the contents with
its page number, and prints the pack's marking and "Page X of Y" in their header and footer like any
other page. After rendering, each paper page is drawn, scaled to fit, into the free area of its page
(`PAPER_BOX`). So the numbering, the contents and the marking are WeasyPrint's own, and the document
stays the tagged PDF WeasyPrint made (structure tree, language, title), its papers inside it.

A paper that cannot be read (damaged, password-protected, missing from storage, no pages) is named in
the pack with the reason, in the contents, the agenda and the appendices list, never dropped silently.
"""

import io
import logging
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter, Transformation

log = logging.getLogger(__name__)

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# The named page `paper` (see PAPER_PAGE_CSS): margins that leave room for the running header and
# footer, and a label line at the top of the page's content area naming the appendix and page.
PAPER_MARGIN_MM = (14, 8)  # top and bottom, left and right
PAPER_LABEL_MM = 7
PAPER_BOX = (
    PAPER_MARGIN_MM[1] * MM,  # left
    PAPER_MARGIN_MM[0] * MM,  # bottom
    A4[0] - PAPER_MARGIN_MM[1] * MM,  # right
    A4[1] - (PAPER_MARGIN_MM[0] + PAPER_LABEL_MM) * MM,  # top
)
PAPER_PAGE_CSS = (
    f"@page paper {{ size: A4; margin: {PAPER_MARGIN_MM[0]}mm {PAPER_MARGIN_MM[1]}mm; }}"
    f" .pack-paper-page {{ page: paper; break-before: page; height: {PAPER_LABEL_MM}mm; margin: 0; }}"
)


@dataclass
class Appendix:
    letter: str
    title: str
    item_number: int | None  # its agenda item's number, None for a paper on no item
    item_title: str
    pages: int = 0
    error: str = ""  # why it could not be bound in; empty when it was
    paper_id: int | None = None
    reader: PdfReader | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return f"appendix-{self.letter.lower()}"

    def page_anchor(self, number: int) -> str:
        return f"{self.key}-page-{number}"

    @property
    def page_numbers(self) -> range:
        return range(1, self.pages + 1)


def _letter(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: appendices are lettered as board papers are."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read(paper) -> tuple[PdfReader | None, int, str]:
    """(reader, pages, "") or (None, 0, reason a secretary can act on)."""
    try:
        with paper.file.open("rb") as handle:
            body = handle.read()
    except (OSError, ValueError):
        log.warning("board pack: paper file missing", extra={"paper_id": paper.pk})
        return None, 0, "the file is missing from storage"
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None, 0, "the file is protected by a password"
        pages = len(reader.pages)
        for page in reader.pages:
            _ = page.mediabox  # a page whose box cannot be read cannot be drawn either
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with the file, the pack names the paper instead
        log.warning("board pack: paper cannot be read", extra={"paper_id": paper.pk, "error": repr(exc)[:200]})
        return None, 0, "the file is damaged (it cannot be read as a PDF)"
    if pages == 0:
        return None, 0, "the file has no pages"
    return reader, pages, ""


def gather_appendices(agenda, papers) -> list[Appendix]:
    """The meeting's papers in agenda order (then those on no item, by title), each read and counted.
    `agenda`: the meeting's items in order; `papers`: all its papers."""
    numbers = {item.pk: (number, item.title) for number, item in enumerate(agenda, start=1)}
    ordered = sorted(
        papers,
        key=lambda p: (numbers.get(p.agenda_item_id, (len(numbers) + 1, ""))[0], p.title.lower(), p.pk),
    )
    found = []
    for index, paper in enumerate(ordered):
        number, item_title = numbers.get(paper.agenda_item_id, (None, ""))
        reader, pages, error = _read(paper)
        found.append(
            Appendix(
                letter=_letter(index),
                title=paper.title,
                item_number=number,
                item_title=item_title,
                pages=pages,
                error=error,
                paper_id=paper.pk,
                reader=reader,
            )
        )
    return found


def bind(content: bytes, anchors: dict[str, int], appendices: list[Appendix]) -> bytes:
    """Draw each readable appendix's pages into the pages the pack kept for them. `anchors`: element id
    -> page index, from the render (mshtgov.pdf.RenderedPdf.anchors)."""
    readable = [a for a in appendices if a.reader is not None and a.pages]
    if not readable:
        return content
    writer = PdfWriter(clone_from=io.BytesIO(content))
    # Keep WeasyPrint's version line (PDF/UA needs 1.7; pypdf would write its own default).
    writer.pdf_header = content.split(b"\n", 1)[0]
    left, bottom, right, top = PAPER_BOX
    for appendix in readable:
        for number in appendix.page_numbers:
            target = writer.pages[anchors[appendix.page_anchor(number)]]
            source = appendix.reader.pages[number - 1]
            if source.rotation:
                # A landscape page stored rotated: turn its content instead, so it is drawn upright.
                source = PdfWriter().add_page(source)
                source.transfer_rotation_to_content()
            box = source.mediabox
            width, height = float(box.width), float(box.height)
            scale = min((right - left) / width, (top - bottom) / height)
            # Centred across the page, hung from the top of the free area, as a paper page is read.
            x = left + ((right - left) - width * scale) / 2 - float(box.left) * scale
            y = top - height * scale - float(box.bottom) * scale
            target.merge_transformed_page(source, Transformation().scale(scale).translate(x, y))
            target.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
