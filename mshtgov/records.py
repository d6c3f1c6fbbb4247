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

from django.db import models


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

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.label)


_kinds: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> None:
    _kinds[kind.label] = kind


def kinds(*, citable: bool | None = None) -> list[RecordKind]:
    found = [k for k in _kinds.values() if citable is None or k.citable == citable]
    return sorted(found, key=lambda k: (k.order, k.label))


def kind_of(model_or_obj) -> RecordKind | None:
    meta = model_or_obj._meta
    return _kinds.get(meta.label_lower)


def kind_by_label(label: str) -> RecordKind | None:
    return _kinds.get(label)


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


def noun(model_or_obj) -> str:
    kind = kind_of(model_or_obj)
    return kind.noun if kind else model_or_obj._meta.verbose_name


def split_visible(user, queryset: models.QuerySet) -> tuple[list, int]:
    """(records the user may open, how many others there are). Two queries whatever the size."""
    every = set(queryset.values_list("pk", flat=True))
    if not every:
        return [], 0
    shown = list(with_relations(visible(user, queryset.model._default_manager.filter(pk__in=every))))
    return shown, len(every) - len(shown)


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
