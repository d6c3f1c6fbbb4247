"""Documents built from records (board packs, evidence bundles): a registry, so that when personal data
is redacted from a record, or a record is disposed of, every built document that still holds it is
found and withdrawn or rebuilt.

An app that builds documents registers them in its `AppConfig.ready()`:

    documents.register(BuiltDocuments(
        key="governance.boardpack",
        label="board pack",
        candidates=lambda record: BoardPack.objects.filter(status="ready", finished_at__gte=record.created_at),
        open_file=lambda pack: pack.file,
        withdraw=board_pack_withdraw,   # (document, reason=..., by=...) -> str describing what was done
    ))

`candidates(record)` narrows the search (documents built while the record existed); whether one really
holds the text is read from its PDF (`pdf_contains`), so a document is withdrawn only when it holds
the words, whichever part of it (a panel, an appendix) put them there.
"""

import logging
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuiltDocuments:
    key: str
    label: str
    candidates: Callable[[models.Model], Iterable]
    open_file: Callable[[object], object]
    withdraw: Callable[..., str]


_registry: dict[str, BuiltDocuments] = {}


def register(kind: BuiltDocuments) -> None:
    _registry[kind.key] = kind


def registered() -> list[BuiltDocuments]:
    return list(_registry.values())


def _squash(text: str) -> str:
    """Text as compared: compatibility forms folded (ligatures), case folded, all white space removed, so
    words wrapped across lines or table cells in a PDF still match."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def probes_from(texts: Iterable[str], *, min_length: int = 6) -> list[str]:
    """The pieces of text to look for: each line of each text (a long value is found by any of its lines,
    even when a page break splits another)."""
    probes = set()
    for text in texts:
        for line in (text or "").splitlines():
            squashed = _squash(line)
            if len(squashed) >= min_length:
                probes.add(squashed)
    return sorted(probes)


def pdf_text(file) -> str:
    from pypdf import PdfReader

    file.open("rb")
    try:
        reader = PdfReader(file)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    finally:
        file.close()


def pdf_contains(file, probes: list[str]) -> bool:
    """True when the PDF holds any probe. A PDF that cannot be read counts as holding it (fail closed:
    withdrawing a document is safe, leaving personal data in one is not)."""
    if not probes:
        return False
    try:
        text = _squash(pdf_text(file))
    except FileNotFoundError:
        return False
    except Exception:  # noqa: BLE001 - any unreadable PDF is treated as holding the text
        log.warning("built document could not be read; treated as holding the redacted text", exc_info=True)
        return True
    return any(probe in text for probe in probes)


@dataclass
class FoundDocument:
    kind: BuiltDocuments
    document: object


def documents_holding(record: models.Model, texts: Iterable[str]) -> list[FoundDocument]:
    """Every built document (of every registered kind) that holds any of `texts` from `record`."""
    probes = probes_from(texts)
    found = []
    for kind in registered():
        for document in kind.candidates(record):
            file = kind.open_file(document)
            if file and getattr(file, "name", "") and pdf_contains(file, probes):
                found.append(FoundDocument(kind, document))
    return found


def withdraw_all(found: list[FoundDocument], *, reason: str, by) -> list[str]:
    """Withdraw (or rebuild) each document; returns what was done, one line each, for the log."""
    return [item.kind.withdraw(item.document, reason=reason, by=by) for item in found]
