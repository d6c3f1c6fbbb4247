"""Records an agenda item can cover, from the core record-kind registry (mshtgov.records).

A kind is offered when its app registered it with a `linkable_group` ("Lessons", "Threats"...): governance
imports none of the registers (they sit above it). Everything fails closed: a value of a kind nobody
registered is dropped, and a link to one is never shown. What an item covers is checked against the person
READING the page (or the audience of a pack), not the one who added the link: `covered_for`."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from mshtgov import records

PER_KIND_LIMIT = 300


def linkable_kinds() -> list[records.RecordKind]:
    return [kind for kind in records.kinds() if kind.linkable_group]


def _content_type(kind) -> ContentType | None:
    try:
        return ContentType.objects.get_for_model(kind.model, for_concrete_model=False)
    except LookupError:
        return None


def grouped_choices(user) -> list:
    """[(group title, [(value, label), ...]), ...]: the records `user` may open, one query per kind."""
    groups = []
    for kind in linkable_kinds():
        content_type = _content_type(kind)
        if content_type is None:
            continue
        queryset = records.with_relations(records.visible_of(user, kind.label))[:PER_KIND_LIMIT]
        rows = [(f"{content_type.pk}:{obj.pk}", records.describe(obj).name[:120]) for obj in queryset]
        if rows:
            groups.append((kind.linkable_group, rows))
    return groups


def _by_kind(pairs) -> dict[int, set[int]]:
    wanted: dict[int, set[int]] = {}
    for ct_id, pk in pairs:
        wanted.setdefault(int(ct_id), set()).add(int(pk))
    return wanted


def _kind_of_type(ct_id: int) -> records.RecordKind | None:
    model = ContentType.objects.get_for_id(ct_id).model_class()
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


def resolve(values, user) -> list:
    """Turn "<content type id>:<id>" values back into records the user may open; anything else is dropped."""
    pairs = []
    for value in values:
        ct_id, _, pk = str(value).partition(":")
        if ct_id.isdigit() and pk.isdigit():
            pairs.append((int(ct_id), int(pk)))
    return list(visible_records(pairs, user).values())


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
