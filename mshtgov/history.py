"""Reading a record's history as a person would: who changed which field from what to what, and why.

One query for the history rows plus one per kind of related record named in them, whatever the
number of versions.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.safestring import mark_safe

from mshtgov import page_cache
from mshtgov.audit import consult_to_log, log_consult, log_consult_if_sensitive
from mshtgov.marking import mark_page

_SKIPPED = {"id", "created_at", "updated_at"}
_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in _SKIPPED]


def _display(f, value, related_names) -> str:
    if value is None or value == "":
        return "(blank)"
    if f.is_relation:
        return related_names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


HIDDEN_NAME = "a record you cannot see"


def _names_for(model, ids, user, markings=None) -> dict:
    """{id: name} of the related records a history names. With a reader, a record of a kind that has a
    visibility rule (the core registry's, or the model's own `visible_to`) is named only if the reader may
    open it; the others read "a record you cannot see". People, themes and other lookups are named."""
    from mshtgov import records

    # An empty `pk__in` would be answered without asking the database: ask it anyway (see history_entries).
    queryset = model._default_manager.filter(pk__in=ids) if ids else model._default_manager.filter(pk__isnull=True)
    if user is not None and (records.kind_of(model) is not None or hasattr(queryset, "visible_to")):
        queryset = records.visible(user, queryset) if records.kind_of(model) else queryset.visible_to(user)
        named = {}
        for related in queryset:
            named[related.pk] = str(related)
            if markings is not None:
                markings.append(records.marking_of(related))
        return {pk: named.get(pk, HIDDEN_NAME) for pk in ids}
    return {related.pk: str(related) for related in queryset}


def _versions(obj):
    return obj.history.order_by("-history_date", "-history_id")


def history_entries(obj, *, limit: int = 200, offset: int = 0, user=None, markings=None) -> list[HistoryEntry]:
    """The record's changes, newest first, `limit` of them from the `offset`-th. With `user`, related records
    are named only if they may open them; with `markings` (a list), the markings of the related records named
    are added to it."""
    # One version more than shown: the oldest shown is compared with the one before it.
    records = list(_versions(obj).select_related("history_user")[offset : offset + limit + 1])
    fields = _tracked_fields(type(obj))

    # Names of related records, fetched once per related model.
    # One query per kind of related record the model can name, whether or not the versions shown name one: a
    # page costs the same queries whichever record it shows (issue 15: counts constant, whatever the data).
    wanted: dict = {}
    for f in fields:
        if f.is_relation:
            wanted.setdefault(f.related_model, set()).update({getattr(r, f.attname) for r in records} - {None})
    related_names = {}
    for model, ids in wanted.items():
        for pk, name in _names_for(model, ids, user, markings).items():
            related_names[(model, pk)] = name
    # A field quoting another record's reference reads as withheld where the reader may not open that record.
    withheld = {}
    if user is not None:
        from mshtgov import records as record_kinds

        for name in record_kinds.quoted_fields(type(obj)):
            values = {getattr(r, name) for r in records}
            withheld[name] = record_kinds.withheld_references(user, type(obj), name, values)

    def shown(f, value):
        if value and value in withheld.get(f.name, ()):
            from mshtgov.records import WITHHELD_REFERENCE

            return WITHHELD_REFERENCE
        return _display(f, value, related_names)

    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and record.history_type == "+":
                if new not in (None, ""):
                    changes.append(FieldChange(str(f.verbose_name), "", shown(f, new)))
            elif previous is not None and old != new:
                changes.append(FieldChange(str(f.verbose_name), shown(f, old), shown(f, new)))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "System",
                kind=_KINDS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def render_history(request, obj, *, back_url: str, breadcrumbs: list[tuple[str, str]] | None = None):
    """The history page of one record. Call only after the view has checked the user may see `obj`.

    Drawn once per reader, page of history and day, then served from the cache (`mshtgov.page_cache`; issue
    15: naming every related record a version points at, checking the reader may open each, and drawing a
    table per version cost several times the page around it) until anything it read changes: a change to the
    record writes its history table, which the entry watches, and so does a change to a record it names. The
    page's marking and the access log of a sensitive record are applied on every view, hit or miss."""
    breadcrumbs = breadcrumbs or []
    name = f"history:{obj._meta.label_lower}:{obj.pk}"
    entry = page_cache.listing(request, name, lambda: _history_page(request, obj, back_url, breadcrumbs))
    mark_page(request, obj, *entry["markings"])
    log_consult_if_sensitive(request, obj)
    return _drawn(request, entry, breadcrumbs)


def render_scoped_history(request, name: str, load, crumbs_of, *, consult=consult_to_log):
    """`render_history` for a record behind a scoped access check that costs as much as the page itself (a
    partner's grants, a secretary's boards): `load()`, which finds the record or answers 404 for one the
    reader may not know of, runs inside the cached build with the history, so a view served from the cache
    pays for neither. The entry is the reader's alone and watched: a change to the record, to a record it
    names, or to the grants, roles and memberships the check read voids it; a refused reader gets 404 and
    nothing is kept. `crumbs_of(record)` -> (the record's page, the breadcrumbs down to its history).
    The page's marking and a sensitive record's access log on every view, hit or miss (`consult(record)`: what
    a view logs, by default `consult_to_log`)."""
    entry = page_cache.listing(request, f"history:{name}", lambda: _scoped_page(request, load, crumbs_of, consult))
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])
    return _drawn(request, entry, entry["breadcrumbs"])


def _scoped_page(request, load, crumbs_of, consult) -> dict:
    record = load()
    back_url, breadcrumbs = crumbs_of(record)
    entry = _history_page(request, record, back_url, breadcrumbs)
    return {
        **entry,
        "breadcrumbs": breadcrumbs,
        "markings": [getattr(record, "marking", None), *entry["markings"]],
        "consulted": consult(record),  # logged on every view, hit or miss
    }


def _drawn(request, entry: dict, breadcrumbs: list):
    return render(
        request,
        "mshtgov/history_drawn.html",
        {
            "title_html": mark_safe(entry["title_html"]),  # noqa: S308 - drawn by mshtgov/history.html, escaped
            "body_html": mark_safe(entry["body_html"]),  # noqa: S308 - drawn by mshtgov/history.html, escaped
            "breadcrumbs": breadcrumbs,
        },
    )


def _history_page(request, obj, back_url: str, breadcrumbs: list) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django.utils.http import urlencode

    from mshtgov.paging import paginate
    from mshtgov.personal_data.redaction import DPO_PERMISSION

    # Read again inside the watched build: its name (and whatever records that name reads) is then watched too,
    # where the caller's copy may have come with its related records already loaded.
    record = type(obj)._base_manager.get(pk=obj.pk)
    named_markings: list = []
    # A record edited for years has hundreds of versions: page them (one count query), never read them all.
    page = paginate(request, _versions(record))
    entries = history_entries(
        record,
        limit=page.paginator.per_page,
        offset=(page.number - 1) * page.paginator.per_page,
        user=request.user,
        markings=named_markings,
    )
    redact_url = ""
    if request.user.has_perm(DPO_PERMISSION):
        content_type = ContentType.objects.get_for_model(record)
        redact_url = reverse("data-protection-redact", args=[content_type.pk, record.pk])
        redact_url += "?" + urlencode({"next": request.get_full_path()})
    context = {
        "record": record,
        "record_type": record._meta.verbose_name,
        "entries": entries,
        "page": page,
        "back_url": back_url,
        "breadcrumbs": breadcrumbs,
        "redact_url": redact_url,
    }
    blocks = page_cache.drawn_blocks("mshtgov/history.html", context, request)
    # The page carries the marking of the record and of every related record it names.
    return {"title_html": blocks["title"], "body_html": blocks["content"], "markings": named_markings}
