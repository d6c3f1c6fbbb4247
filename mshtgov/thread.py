"""The golden thread: from any record, the records it came from and the ones that came from it.

Each app registers relation providers: `register_relations(provider, label="learning.lesson")` (or no
label: asked about every record). A provider takes a record and yields `Relation(heading, queryset)` for
each kind of neighbour it knows: the lesson an action was raised from, the actions a decision took, the
agenda items that discussed a record, the answers that cite it as evidence, the finding it answers...
Registers never import each other: each provider speaks only of its own app's records (or of the core's
citations and the generic action source), so the thread is put together here, not in any one app.

`golden_thread(request, record)` asks every provider, filters each neighbour list through its kind's
visibility rule (`mshtgov.records`), counts what the reader may not open without naming it, and raises
the page's marking to cover what is shown. The include `includes/golden_thread.html` renders it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

from mshtgov import records
from mshtgov.marking import mark_page


@dataclass(frozen=True)
class Relation:
    heading: str  # read before the records: "Raised from", "Cited as evidence by"
    queryset: models.QuerySet
    missing: tuple[str, ...] = ()  # names of records that were linked and have since been deleted


@dataclass
class ThreadItem:
    noun: str
    described: records.Described
    marking: str


@dataclass
class ThreadGroup:
    heading: str
    items: list[ThreadItem] = field(default_factory=list)
    hidden: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.items or self.hidden or self.missing)


_providers: list[tuple[str | None, Callable[[models.Model], Iterable[Relation]]]] = []


def register_relations(provider: Callable[[models.Model], Iterable[Relation]], *, label: str | None = None) -> None:
    """`provider(record)` yields Relations; `label` ("app.model") limits it to one kind of record."""
    if (label, provider) not in _providers:
        _providers.append((label, provider))


def relations_of(record: models.Model) -> Iterable[Relation]:
    label = record._meta.label_lower
    for wanted, provider in _providers:
        if wanted is None or wanted == label:
            yield from provider(record) or ()


def golden_thread(request, record: models.Model, *, listed_on_page: tuple[str, ...] = ()) -> list[ThreadGroup]:
    """The related records `request.user` may open, grouped by heading, with the hidden ones counted.

    `listed_on_page` names kinds ("governance.action") the page already lists, with their hidden ones counted,
    in a section of its own: the thread leaves them out rather than say them twice (and query them twice).

    Built once per reader, record and day, then read from the cache (issue 15: a provider's query per kind of
    neighbour, each with the reader's visibility rule, was a third of a detail page). The entry is built
    watched (`summaries.build_watched`): every table its queries read (the neighbours, the links between
    them, the reader's roles and grants) is a model whose next change invalidates it, so it never shows an
    older thread than the database holds. The key carries the reader (`dashboard.audience`: their user,
    roles and permissions) and today (a described state such as "overdue" moves at midnight)."""
    from django.utils import timezone

    from mshtgov import dashboard, summaries

    key = ":".join(
        (
            "golden-thread",
            record._meta.label_lower,
            str(record.pk),
            ",".join(sorted(listed_on_page)),
            dashboard.audience(request.user),
            timezone.localdate().isoformat(),
        )
    )
    groups = summaries.read_watched([key]).get(key)
    if groups is None:
        groups, versions = summaries.build_watched(
            lambda: _thread(request.user, record, listed_on_page), summaries.every_version()
        )
        summaries.store_watched({key: (groups, versions)})
    mark_page(request, *[item.marking for group in groups for item in group.items])
    return groups


def _thread(user, record: models.Model, listed_on_page: tuple[str, ...]) -> list[ThreadGroup]:
    groups: dict[str, ThreadGroup] = {}
    for relation in relations_of(record):
        queryset = relation.queryset
        if queryset.model._meta.label_lower in listed_on_page:
            continue
        group = groups.setdefault(relation.heading, ThreadGroup(relation.heading))
        if queryset.model._meta.label_lower == record._meta.label_lower:
            queryset = queryset.exclude(pk=record.pk)  # a record is not its own neighbour
        shown, hidden = records.split_visible(user, queryset)
        group.hidden += hidden
        group.missing.extend(relation.missing)
        for other in shown:
            group.items.append(ThreadItem(records.noun(other), records.describe(other), records.marking_of(other)))
    for group in groups.values():
        group.items.sort(key=lambda item: (item.noun, item.described.name))
    return [group for group in groups.values() if not group.empty]


def hidden_total(groups: list[ThreadGroup]) -> int:
    return sum(group.hidden for group in groups)
