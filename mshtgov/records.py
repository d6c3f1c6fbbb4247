"""Kinds of record the apps show each other: how to name one, and who may see it.

The core knows no domain app, yet a page about one record often shows records of other apps (the golden
thread, an answer's cited evidence, an evidence bundle). Each app registers its kinds here in
`AppConfig.ready()`; whoever shows another app's record asks this registry how to describe it and filters
through the kind's visibility rule. A model that is not registered, or whose queryset has no
`visible_to(user)`, is never shown: the registry fails closed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class Described:
    """What a reader is told about a record in someone else's page: its name, state and date."""

    name: str
    state: str = ""
    on: date | None = None
    url: str = ""


@dataclass(frozen=True)
class RecordKind:
    label: str  # the model's label, lower case: "learning.lesson"
    noun: str  # "lesson"
    plural: str  # "lessons"
    describe: Callable[[models.Model], Described]
    # visible(user, queryset) -> the records of the queryset the user may open. Default: queryset.visible_to(user).
    visible: Callable | None = None
    # Related rows fetched with each record, so describing a list costs no query per record.
    select_related: tuple[str, ...] = ()
    citable: bool = True  # may be cited as evidence (answers, findings)
    search_fields: tuple[str, ...] = ()  # what the evidence picker searches
    order: int = 100  # where the kind sits in pickers and lists
    # Whether actions may be raised from it: an action with no board is then visible to whoever may see it.
    raises_actions: bool = False
    linkable_group: str = ""  # the heading under which an agenda item may cover it ("" = it cannot be covered)
    # name(obj) -> the name alone, for pickers listing many records: `describe` also reverses a URL per record.
    # Default: `describe(obj).name`.
    name: Callable[[models.Model], str] | None = None

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.label)


_kinds: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> None:
    _kinds[kind.label] = kind
    if kind.raises_actions:
        from django.db.models.signals import post_delete

        # One receiver per model (not for every model: a receiver for all senders would stop Django's fast
        # deletes everywhere); the dispatch uid makes registering twice harmless.
        post_delete.connect(_source_deleted, sender=kind.model, dispatch_uid=f"records-source-deleted-{kind.label}")


# Called with (model, pk) when a record of a kind that raises actions is deleted: whoever keeps a generic
# relation to such records (the action log) learns that it now points at nothing.
_deleted_listeners: list[Callable] = []


def on_source_deleted(listener: Callable) -> None:
    if listener not in _deleted_listeners:
        _deleted_listeners.append(listener)


def _source_deleted(sender, instance, **kwargs) -> None:
    for listener in _deleted_listeners:
        listener(sender, instance.pk)


def kinds(*, citable: bool | None = None) -> list[RecordKind]:
    found = [k for k in _kinds.values() if citable is None or k.citable == citable]
    return sorted(found, key=lambda k: (k.order, k.label))


def kind_of(model_or_obj) -> RecordKind | None:
    meta = model_or_obj._meta
    return _kinds.get(meta.label_lower)


def kind_by_label(label: str) -> RecordKind | None:
    return _kinds.get(label)


def visible_of(user, label: str) -> models.QuerySet:
    """Every record of the kind `label` the user may open; none for an unknown kind (fail closed)."""
    kind = _kinds.get(label)
    if kind is None:
        from django.apps import apps

        try:
            return apps.get_model(label)._default_manager.none()
        except (LookupError, ValueError):
            raise LookupError(f"No record kind {label!r}") from None
    return visible(user, kind.model._default_manager.all())


def marking_of(obj) -> str:
    """A record's protective marking: its own, or the lowest one for a kind that carries none."""
    from mshtgov.marking import Marking

    return getattr(obj, "marking", "") or Marking.OFFICIAL


def visible_generic_q(
    user, ct_field: str, id_field: str, *, raising_actions: bool = False, gone_field: str = ""
) -> models.Q:
    """A filter on a generic relation (`ct_field`, `id_field`): rows pointing at a record the user may open,
    of any registered kind (or, with `raising_actions`, of kinds that raise actions). A row pointing at a kind
    nobody registered matches nothing (fail closed). One subquery per kind, no query of its own beyond the
    content types (cached per process).

    `gone_field` names a boolean the caller keeps true on rows whose record was deleted (through
    `on_source_deleted`). With it, a kind whose every record the user may open (its rule leaves the whole
    table) is matched on the content type and that flag alone, without a subquery over the kind's table: the
    same rows, as long as the flag is kept."""
    from django.contrib.contenttypes.models import ContentType

    q = models.Q(pk__in=[])
    whole = []
    for kind in kinds():
        if raising_actions and not kind.raises_actions:
            continue
        try:
            model = kind.model
        except LookupError:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        shown = visible(user, model._default_manager.all())
        if gone_field and sees_every(shown):
            whole.append(content_type.pk)
            continue
        q |= models.Q(**{ct_field: content_type.pk, f"{id_field}__in": shown.values("pk")})
    if whole:
        q |= models.Q(**{f"{ct_field}__in": whole, gone_field: False})
    return q


def sees_every(queryset: models.QuerySet) -> bool:
    """Whether a kind's visibility rule left its queryset whole: no condition, no slice, not `.none()`.
    Conservative: any filter at all (even one that happens to match every row) answers False."""
    query = queryset.query
    return (
        not query.where.children
        and not query.is_empty()
        and query.low_mark == 0
        and query.high_mark is None
        and not query.combinator
    )


def visible(user, queryset: models.QuerySet) -> models.QuerySet:
    """The records of `queryset` that `user` may open; none for a kind nobody registered (fail closed)."""
    kind = kind_of(queryset.model)
    if kind is not None and kind.visible is not None:
        return kind.visible(user, queryset)
    if kind is not None and hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset.none()


def with_relations(queryset: models.QuerySet) -> models.QuerySet:
    kind = kind_of(queryset.model)
    if kind is not None and kind.select_related:
        return queryset.select_related(*kind.select_related)
    return queryset


def describe(obj) -> Described:
    kind = kind_of(obj)
    if kind is None:
        return Described(name=str(obj))
    return kind.describe(obj)


def name_of(obj) -> str:
    """A record's name without the rest of `describe` (no URL reversed): what a picker shows."""
    kind = kind_of(obj)
    if kind is None:
        return str(obj)
    return kind.name(obj) if kind.name is not None else kind.describe(obj).name


def noun(model_or_obj) -> str:
    kind = kind_of(model_or_obj)
    return kind.noun if kind else model_or_obj._meta.verbose_name


def split_visible(user, queryset: models.QuerySet) -> tuple[list, int]:
    """(records the user may open, how many others there are). One query whatever the size: each record of
    `queryset` is read with whether the reader may open it, and only those are kept."""
    model = queryset.model
    openable = visible(user, model._default_manager.filter(pk=models.OuterRef("pk")))
    rows = with_relations(model._default_manager.filter(pk__in=queryset.values("pk")))
    rows = list(rows.annotate(_reader_may_open=models.Exists(openable)))
    shown = [row for row in rows if row._reader_may_open]
    return shown, len(rows) - len(shown)


def related(request, queryset: models.QuerySet) -> tuple[list, int]:
    """A related list on a page: (the records of `queryset` the reader may open, in its order and with its
    annotations; how many others there are, to be counted, never named). The page's marking rises to cover
    what is shown. One query whatever the size: each row carries whether the reader may open it."""
    shown, rows = related_rows(request, queryset)
    return shown, len(rows) - len(shown)


def related_rows(request, queryset: models.QuerySet) -> tuple[list, list]:
    """`related`, with every row instead of the hidden count: (shown, all rows). For a page that also counts
    something over the hidden rows (a lesson's open actions, seen or not) without querying them again. The
    hidden rows must only ever be counted, never named."""
    model = queryset.model
    openable = visible(request.user, model._default_manager.filter(pk=models.OuterRef("pk")))
    rows = list(queryset.annotate(_reader_may_open=models.Exists(openable)))
    shown = [row for row in rows if row._reader_may_open]
    from mshtgov.marking import mark_page

    mark_page(request, *[marking_of(obj) for obj in shown])
    return shown, rows


def group_by_kind(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """{content type id: {object ids}} from (content type id, object id) pairs."""
    grouped: dict[int, set[int]] = {}
    for ct_id, object_id in pairs:
        grouped.setdefault(ct_id, set()).add(object_id)
    return grouped


# Links another app adds to a record's page ("Evidence bundles" on a self-assessment), so the page's own app
# need not know the app above it. provider(user, record) -> (text, url) or None.
_page_links: list[tuple[str, Callable]] = []


def register_page_link(label: str, provider: Callable) -> None:
    if (label, provider) not in _page_links:
        _page_links.append((label, provider))


def page_links(user, record) -> list[tuple[str, str]]:
    label = record._meta.label_lower
    return [link for wanted, provider in _page_links if wanted == label and (link := provider(user, record))]


# Text fields that quote another record's reference (a lesson's "investigation or operation" holds an
# operation's reference): a page shows the quoted reference only to a reader who may open the record it
# names. Registered by the app that owns the quoted kind, so the quoting app need not know it exists.
WITHHELD_REFERENCE = "Withheld: it names a record you cannot see"
_quoted_references: dict[tuple[str, str], tuple[str, str]] = {}


def register_quoted_reference(model_label: str, field_name: str, *, kind: str, reference_field: str = "reference"):
    _quoted_references[(model_label.lower(), field_name)] = (kind, reference_field)


def withheld_references(user, model, field_name: str, values: Iterable[str]) -> set[str]:
    """Of `values` of `model.field_name`, those that are the reference of a record the user may not open.
    One query whatever the number of values (each named record read with whether the reader may open it);
    none for a field that quotes nothing."""
    quoted = _quoted_references.get((model._meta.label_lower, field_name))
    wanted = {value for value in values if value}
    if quoted is None or not wanted:
        return set()
    label, reference_field = quoted
    kind = _kinds.get(label)
    if kind is None:
        return set()
    manager = kind.model._default_manager
    openable = visible(user, manager.filter(pk=models.OuterRef("pk")))
    named = manager.filter(**{f"{reference_field}__in": wanted}).annotate(_reader_may_open=models.Exists(openable))
    rows = list(named.values_list(reference_field, "_reader_may_open"))
    # A reference some record the reader may open holds is not withheld (as when two records share it).
    return {value for value, _ in rows} - {value for value, may_open in rows if may_open}


def quoted_fields(model) -> list[str]:
    label = model._meta.label_lower
    return [field for (model_label, field) in _quoted_references if model_label == label]


def shown_reference(user, obj, field_name: str) -> str:
    """The value of a quoting field as the user may read it."""
    value = getattr(obj, field_name)
    return WITHHELD_REFERENCE if value in withheld_references(user, type(obj), field_name, [value]) else value


_SENTINEL_PK = 987654321987


def url_for_pk(url_name: str) -> Callable[[object], str]:
    """`url_for_pk("app:thing-detail")(pk)`: the URL of one record's page, for a table that links every row.
    Reversed once per process (the URL of a sentinel id, cut around it): reversing a URL cost about as much
    as printing the rest of a row."""
    head, tail = _url_around_pk(url_name, get_script_prefix(), get_urlconf())
    return lambda pk: f"{head}{int(pk)}{tail}"


@lru_cache(maxsize=512)
def _url_around_pk(url_name: str, prefix: str, urlconf) -> tuple[str, str]:
    head, found, tail = reverse(url_name, args=[_SENTINEL_PK], urlconf=urlconf).partition(str(_SENTINEL_PK))
    if not found:
        raise ValueError(f"{url_name} does not take a record id")
    return head, tail
