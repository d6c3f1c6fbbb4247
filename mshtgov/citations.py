"""Citing records as evidence: an answer to a requirement, or an inspection finding, names the lessons,
actions, decisions, board papers... that show what the force does.

A citation keeps the cited record's name, so a record deleted later still reads as "deleted" in the
answer and in any bundle, and a record the reader may no longer open is counted, never named.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from mshtgov import records
from mshtgov.models import Citation
from mshtgov.thread import Relation, register_relations
from mshtgov.tracking import save_tracked, stamp

SEARCH_LIMIT = 50


def _type(obj_or_model) -> ContentType:
    return ContentType.objects.get_for_model(obj_or_model, for_concrete_model=False)


def citations_of(citing) -> models.QuerySet:
    return Citation.objects.filter(citing_type=_type(citing), citing_id=citing.pk)


def citations_of_many(model, ids) -> models.QuerySet:
    return Citation.objects.filter(citing_type=_type(model), citing_id__in=ids)


def has_citations(citing) -> bool:
    return citing.pk is not None and citations_of(citing).exists()


@transaction.atomic
def cite(*, citing, cited, by, note: str = "") -> Citation:
    """Cite `cited` as evidence for `citing`. Refuses a kind that cannot be cited and a record cited twice."""
    kind = records.kind_of(cited)
    if kind is None or not kind.citable:
        raise ValidationError("That kind of record cannot be cited as evidence.")
    if citing._meta.label_lower == cited._meta.label_lower and citing.pk == cited.pk:
        raise ValidationError("A record cannot be cited as evidence for itself.")
    if citations_of(citing).filter(cited_type=_type(cited), cited_id=cited.pk).exists():
        raise ValidationError(f"{kind.describe(cited).name} is already cited.")
    citation = Citation(
        citing_type=_type(citing),
        citing_id=citing.pk,
        cited_type=_type(cited),
        cited_id=cited.pk,
        label=kind.describe(cited).name[:300],
        note=note,
        cited_by=by,
    )
    return save_tracked(citation, by=by, reason=f"Cited as evidence for {citing}"[:100])


@transaction.atomic
def uncite(*, citation: Citation, by) -> None:
    stamp(citation, by=by, reason="Citation removed")
    citation.delete()


@dataclass
class CitedEntry:
    citation: Citation
    record: models.Model | None  # None: deleted, or not visible to the reader
    exists: bool
    noun: str

    @property
    def deleted(self) -> bool:
        return not self.exists

    @property
    def hidden(self) -> bool:
        return self.exists and self.record is None

    @property
    def described(self):
        return records.describe(self.record) if self.record is not None else None


def resolve(citations: list[Citation], user) -> list[CitedEntry]:
    """Each citation with its record when `user` may open it; None when deleted or hidden. Two queries a kind.

    `user=None` means the caller has already authorised every record (a bundle built for its builder)."""
    by_type = records.group_by_kind((c.cited_type_id, c.cited_id) for c in citations)
    found: dict[tuple[int, int], models.Model] = {}
    exists: set[tuple[int, int]] = set()
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None or records.kind_of(model) is None:
            continue
        every = model._default_manager.filter(pk__in=ids)
        exists.update((ct_id, pk) for pk in every.values_list("pk", flat=True))
        shown = every if user is None else records.visible(user, every)
        for obj in records.with_relations(shown):
            found[(ct_id, obj.pk)] = obj
    entries = []
    for citation in citations:
        key = (citation.cited_type_id, citation.cited_id)
        model = ContentType.objects.get_for_id(citation.cited_type_id).model_class()
        noun = records.noun(model) if model is not None else "record"
        entries.append(CitedEntry(citation, found.get(key), key in found or key in exists, noun))
    return entries


def candidates(user, kind: records.RecordKind, query: str = "") -> list:
    """Records of `kind` the user may open, matching `query` in the kind's search fields (at most 50)."""
    queryset = records.visible(user, kind.model._default_manager.all())
    query = query.strip()
    if query and kind.search_fields:
        condition = models.Q()
        for name in kind.search_fields:
            condition |= models.Q(**{f"{name}__icontains": query})
        queryset = queryset.filter(condition)
    return list(records.with_relations(queryset)[:SEARCH_LIMIT])


def _cited_by(record):
    """Cited side: the answers and findings that cite this record as evidence."""
    rows = Citation.objects.filter(cited_type=_type(record), cited_id=record.pk).values_list("citing_type", "citing_id")
    for ct_id, ids in records.group_by_kind(rows).items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is not None:
            yield Relation("Cited as evidence by", model._default_manager.filter(pk__in=ids))


def register() -> None:
    # Only the cited side joins the thread: answers and findings show the evidence they cite in a section of
    # their own (includes/cited_evidence.html), which would otherwise be said twice on their pages.
    register_relations(_cited_by)
