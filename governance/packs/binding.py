"""Binding a meeting's uploaded PDF papers into its board pack as appendices.

The pack's HTML holds, for every page of every paper, one empty page of its own (on the named page
`paper`, with narrow margins): WeasyPrint numbers those pages, lists each appendix in the contents with
its page number, and prints the pack's marking and "Page X of Y" in their header and footer like any
other page. As WeasyPrint writes the PDF (its finisher hook), each paper page is drawn, scaled to fit,
into the free area of its page (`PAPER_BOX`). So the numbering, the contents and the marking are
WeasyPrint's own, and the document stays the tagged PDF WeasyPrint made (structure tree, language,
title), its papers inside it.

A paper that cannot be read (damaged, password-protected, missing from storage, no pages) is named in
the pack with the reason, in the contents, the agenda and the appendices list, never dropped silently.
"""

import io
import logging
from dataclasses import dataclass, field

import pydyf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject, StreamObject

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


class _Raw(pydyf.Object):
    """An object copied from a paper, already in PDF syntax (its references renumbered for the pack)."""

    def __init__(self, is_stream=False):
        super().__init__()
        self.body = b""
        self.is_stream = is_stream

    @property
    def data(self):
        return self.body

    @property
    def compressible(self):
        return not self.is_stream


class _Copier:
    """Copies a paper page's objects into the pack's PDF as WeasyPrint writes it (pydyf), renumbering
    references, so the pack's own PDF is never parsed again: re-reading a tagged pack (thousands of
    structure objects) with pypdf cost more than rendering it."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.copied = {}

    def ref(self, indirect) -> bytes:
        key = (id(indirect.pdf), indirect.idnum)
        if key not in self.copied:
            target = indirect.get_object()
            raw = _Raw(is_stream=isinstance(target, StreamObject))
            self.copied[key] = raw
            self.pdf.add_object(raw)
            raw.body = self.stream(target) if raw.is_stream else self.value(target)
        return self.copied[key].reference

    def stream(self, obj, extra=None) -> bytes:
        data = obj._data
        entries = {k: v for k, v in obj.items() if k != "/Length"} | (extra or {})
        head = self._dict(entries, length=len(data))
        return head + b"\nstream\n" + data + b"\nendstream"

    def _dict(self, entries, length=None) -> bytes:
        parts = [self._leaf(NameObject(k)) + b" " + self.value(v) for k, v in entries.items()]
        if length is not None:
            parts.append(b"/Length " + str(length).encode())
        return b"<<" + b" ".join(parts) + b">>"

    def value(self, obj) -> bytes:
        if isinstance(obj, IndirectObject):
            return self.ref(obj)
        if isinstance(obj, DictionaryObject):
            return self._dict(obj)
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self.value(v) for v in obj) + b"]"
        return self._leaf(obj)

    @staticmethod
    def _leaf(obj) -> bytes:
        out = io.BytesIO()
        obj.write_to_stream(out)
        return out.getvalue()

    def form(self, page) -> "_Raw":
        """The paper page as a Form XObject: its content, resources and box."""
        box = page.mediabox
        content = page.get_contents()
        data = content.get_data() if content is not None else b""
        resources = page.get("/Resources")
        form = _Raw(is_stream=True)
        self.pdf.add_object(form)
        bbox = ArrayObject([FloatObject(float(v)) for v in (box.left, box.bottom, box.right, box.top)])
        entries = {"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"), "/BBox": bbox}
        if resources is not None:
            entries["/Resources"] = resources
        form.body = self._dict(entries, length=len(data)) + b"\nstream\n" + data + b"\nendstream"
        return form


def _placement(page) -> tuple[float, float, float]:
    """(scale, x, y): the paper page scaled to fit the free area of its pack page, centred across it and
    hung from the top, as a paper page is read."""
    left, bottom, right, top = PAPER_BOX
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    scale = min((right - left) / width, (top - bottom) / height)
    x = left + ((right - left) - width * scale) / 2 - float(box.left) * scale
    y = top - height * scale - float(box.bottom) * scale
    return scale, x, y


def finisher(appendices: list[Appendix]):
    """A WeasyPrint `write_pdf(finisher=...)` that draws each readable appendix's pages into the pages the
    pack kept for them (found by their anchors in the rendered document)."""
    readable = [a for a in appendices if a.reader is not None and a.pages]

    def finish(document, pdf):
        if not readable:
            return
        anchors = {name: index for index, page in enumerate(document.pages) for name in page.anchors}
        pages = [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]
        copier = _Copier(pdf)
        save = pydyf.Stream([b"q"])
        pdf.add_object(save)
        for appendix in readable:
            for number in appendix.page_numbers:
                source = appendix.reader.pages[number - 1]
                if source.rotation:
                    # A landscape page stored rotated: turn its content instead, so it is drawn upright.
                    source = PdfWriter().add_page(source)
                    source.transfer_rotation_to_content()
                form = copier.form(source)
                name = f"PackPaper{appendix.letter}{number}"
                page = pages[anchors[appendix.page_anchor(number)]]
                resources = page["Resources"]
                if isinstance(resources, bytes):
                    resources = pdf.objects[int(resources.split()[0])]
                own = pydyf.Dictionary(dict(resources))
                xobjects = own.get("XObject")
                if isinstance(xobjects, bytes):
                    xobjects = pdf.objects[int(xobjects.split()[0])]
                own["XObject"] = pydyf.Dictionary(dict(xobjects or {}))
                own["XObject"][name] = form.reference
                page["Resources"] = own
                scale, x, y = _placement(source)
                # WeasyPrint's own content flips the coordinates and leaves them so: it is wrapped in q ... Q
                # for the paper to be drawn in the page's own coordinates.
                draw = pydyf.Stream([f"Q q {scale:f} 0 0 {scale:f} {x:f} {y:f} cm /{name} Do Q".encode()])
                pdf.add_object(draw)
                page["Contents"] = pydyf.Array([save.reference, page["Contents"], draw.reference])

    return finish
