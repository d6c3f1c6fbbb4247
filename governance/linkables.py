"""Records an agenda item can cover, from the core record-kind registry (mshtgov.records).

A kind is offered when its app registered it with a `linkable_group` ("Lessons", "Threats"...): governance
imports none of the registers (they sit above it). Everything fails closed: a value of a kind nobody
registered is dropped, and a link to one is never shown. What an item covers is checked against the person
READING the page (or the audience of a pack), not the one who added the link: `covered_for`."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q

from mshtgov import records

SEARCH_LIMIT = 50  # results a search lists, across kinds: "showing 50 of N, refine your search"
QUERY_MAX_LENGTH = 100


def linkable_kinds() -> list[records.RecordKind]:
    return [kind for kind in records.kinds() if kind.linkable_group]


def _content_type(kind) -> ContentType | None:
    try:
        return ContentType.objects.get_for_model(kind.model, for_concrete_model=False)
    except LookupError:
        return None


@dataclass(frozen=True)
class Option:
    """One record a picker offers: its form value, its name (never its URL: `records.name_of`), its kind's
    heading and its marking (the page showing it is marked for it)."""

    value: str
    name: str
    group: str
    noun: str
    marking: str

    def as_json(self) -> dict:
        return {"value": self.value, "name": self.name, "group": self.group, "noun": self.noun, "marking": self.marking}


def option_for(obj, content_type_id: int, kind: records.RecordKind) -> Option:
    return Option(
        f"{content_type_id}:{obj.pk}",
        records.name_of(obj)[:200],
        kind.linkable_group,
        kind.noun,
        records.marking_of(obj),
    )


@dataclass
class Found:
    """What a search found: the options listed (at most `SEARCH_LIMIT`) and how many records matched."""

    query: str = ""
    options: list[Option] = field(default_factory=list)
    total: int = 0

    @property
    def groups(self) -> list[tuple[str, list[Option]]]:
        grouped: dict[str, list[Option]] = {}
        for option in self.options:
            grouped.setdefault(option.group, []).append(option)
        return list(grouped.items())

    @property
    def capped(self) -> bool:
        return self.total > len(self.options)


def search(user, query: str, *, limit: int = SEARCH_LIMIT) -> Found:
    """The records `user` may open whose name or reference contains `query`, across every coverable kind in
    the kinds' order: at most `limit` listed, all counted. Two queries per kind, whatever the data."""
    query = (query or "").strip()[:QUERY_MAX_LENGTH]
    found = Found(query=query)
    if not query:
        return found
    for kind in linkable_kinds():
        content_type = _content_type(kind)
        if content_type is None or not kind.search_fields:
            continue
        condition = Q()
        for name in kind.search_fields:
            condition |= Q(**{f"{name}__icontains": query})
        queryset = records.visible_of(user, kind.label).filter(condition)
        found.total += queryset.count()
        # Each kind's first `limit` are fetched even once the list is full: the same queries whatever matched.
        rows = list(records.with_relations(queryset)[:limit])
        room = limit - len(found.options)
        found.options += [option_for(obj, content_type.pk, kind) for obj in rows[: max(room, 0)]]
    return found


def options_for(objs) -> list[Option]:
    """Options for records already in hand (an item's current links), in the kinds' order."""
    order = {kind.label: index for index, kind in enumerate(linkable_kinds())}
    options = []
    for obj in sorted(objs, key=lambda obj: order.get(obj._meta.label_lower, len(order))):
        kind = records.kind_of(obj)
        content_type = _content_type(kind) if kind is not None else None
        if content_type is not None and kind.linkable_group:
            options.append(option_for(obj, content_type.pk, kind))
    return options


def _by_kind(pairs) -> dict[int, set[int]]:
    wanted: dict[int, set[int]] = {}
    for ct_id, pk in pairs:
        wanted.setdefault(int(ct_id), set()).add(int(pk))
    return wanted


def _kind_of_type(ct_id: int) -> records.RecordKind | None:
    try:
        model = ContentType.objects.get_for_id(ct_id).model_class()
    except ContentType.DoesNotExist:
        return None
    kind = records.kind_of(model) if model is not None else None
    return kind if kind is not None and kind.linkable_group else None


def visible_records(pairs, user) -> dict[tuple[int, int], object]:
    """{(content type id, id): record} of the (content type id, id) pairs that `user` may open. Pairs of a kind
    that cannot be covered, or records the user may not open, are absent. One query per kind."""
    found = {}
    for ct_id, pks in _by_kind(pairs).items():
        kind = _kind_of_type(ct_id)
        if kind is None:
            continue
        queryset = records.visible(user, kind.model._default_manager.filter(pk__in=pks))
        for obj in records.with_relations(queryset):
            found[(ct_id, obj.pk)] = obj
    return found


def parse(value) -> tuple[int, int] | None:
    ct_id, _, pk = str(value).partition(":")
    if ct_id.isdigit() and pk.isdigit() and len(ct_id) < 10 and len(pk) < 19:
        return int(ct_id), int(pk)
    return None


def sort_values(values, user) -> tuple[list, list[str]]:
    """(records the "<content type id>:<id>" `values` name that `user` may open and that can be covered, in
    the order given; the values that are malformed or name no such record). One query per kind."""
    pairs, refused = {}, []
    for value in values:
        pair = parse(value)
        if pair is None:
            refused.append(str(value))
        else:
            pairs.setdefault(pair, str(value))
    seen = visible_records(list(pairs), user) if pairs else {}
    refused += [value for pair, value in pairs.items() if pair not in seen]
    return [seen[pair] for pair in pairs if pair in seen], refused


def refusal(value: str) -> str:
    """What the person is told about a value naming no record they may link. It names the value they sent,
    never a record: one they may not open must not be named."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    return (
        f"“{shown}” is not a record you can link: it does not exist, cannot be covered by an agenda item, or you "
        "may not open it. Search for the record and tick it."
    )


def resolve(values, user) -> list:
    """The records the "<content type id>:<id>" `values` name, if the user may open every one of them; a
    malformed value, or one naming a record the user may not open (or of a kind that cannot be covered), is
    refused with a `ValidationError` naming the value."""
    found, refused = sort_values(values, user)
    if refused:
        raise ValidationError([refusal(value) for value in refused])
    return found


def value_for(link) -> str:
    return f"{link.content_type_id}:{link.object_id}"


@dataclass
class Covered:
    """What an agenda item covers, for one reader: the records they may open, and how many others."""

    shown: list = field(default_factory=list)  # [(Described, marking)]
    hidden: int = 0

    @property
    def markings(self) -> list[str]:
        return [marking for _described, marking in self.shown]


def covered_for(items, user) -> dict[int, Covered]:
    """{item id: Covered} for agenda items whose `links` are prefetched: each link named only if `user` may
    open its record now (the label stored when it was linked is never shown). One query per kind linked."""
    every = [(link.content_type_id, link.object_id) for item in items for link in item.links.all()]
    seen = visible_records(every, user) if every else {}
    result = {}
    for item in items:
        covered = Covered()
        for link in item.links.all():
            obj = seen.get((link.content_type_id, link.object_id))
            if obj is None:
                covered.hidden += 1
            else:
                covered.shown.append((records.describe(obj), records.marking_of(obj)))
        result[item.pk] = covered
    return result


def unseen_linked(item, user) -> list:
    """The records `item` covers that `user` may not open: an editor who cannot see them keeps them linked
    (the form offers only what the editor may see, and the item's links are made exactly what it returns)."""
    links = list(item.links.all())
    seen = visible_records([(link.content_type_id, link.object_id) for link in links], user)
    return [
        link.record for link in links if (link.content_type_id, link.object_id) not in seen and link.record is not None
    ]
