"""Strategy pages served from the per-reader page cache (issue 15): `mshtgov.page_cache`, with what every
strategy page needs around it.

A page's body (everything inside `{% block content %}`) is drawn once per reader, query string and day by
its own template, built watched so that any change to what it read rebuilds it, its forms' CSRF token left
out (`page_cache.drawn_without_token`) and put back live. What the page must do on every view, hit or miss,
is kept in the entry and done again: the marking its records raise (`mark_page`) and the consultation of an
OFFICIAL-SENSITIVE record (the access log). A record the reader may not open raises 404 inside the build:
nothing is kept for them."""

from django.shortcuts import render
from django.utils.safestring import mark_safe

from mshtgov import page_cache
from mshtgov.audit import log_access, record_label
from mshtgov.marking import mark_page, markings_raised
from mshtgov.models import AccessAction

PAGE = "strategy/cached_page.html"


class Drawing:
    """What a page's build records besides its context: the sensitive records it consulted."""

    def __init__(self, request):
        self.request = request
        self.consulted: list[tuple[str, str, str, str]] = []

    def show(self, obj) -> None:
        """`strategy.views.common.show_record` for a cached page: the record raises the page's marking and,
        when sensitive, is logged on every view (kept in the entry, logged by `serve`)."""
        mark_page(self.request, obj)
        if getattr(obj, "is_sensitive", False):
            self.consulted.append((obj._meta.label_lower, str(obj.pk), record_label(obj), obj.marking))


def _drawn(request, template: str, build) -> dict:
    """The entry: `build(drawing)` -> (context of `template`, {extra plain values}); the body drawn without
    its CSRF token, with the markings raised and the records consulted while building."""
    with markings_raised(request) as raised:
        drawing = Drawing(request)
        context, extra = build(drawing)
        body = page_cache.drawn_without_token(template, context, request)
    return {**extra, "body": body, "markings": raised.kept(), "consulted": drawing.consulted}


def record_entry(request, name: str, template: str, build) -> dict:
    """A record's page (no query string read): `name` names the record ("strategy:measure:12")."""
    return _served(request, page_cache.record_page(request, name, lambda: _drawn(request, template, build)))


def listing_entry(request, name: str, template: str, build) -> dict:
    """A page that reads its query string: one entry per query string (a typed search is never kept)."""
    return _served(request, page_cache.listing(request, name, lambda: _drawn(request, template, build)))


def _served(request, entry: dict) -> dict:
    """What happens on every view, hit or miss: the page's marking and the access log."""
    mark_page(request, *entry["markings"])
    for object_type, object_id, label, marking in entry["consulted"]:
        log_access(
            request,
            AccessAction.CONSULT,
            object_type=object_type,
            object_id=object_id,
            object_repr=label,
            marking=marking,
        )
    return entry


def render_entry(request, entry: dict, *, title: str, breadcrumbs: list, form=None) -> object:
    """The page around the cached body, the reader's CSRF token put back where its forms draw it. `form`: a
    refused form (never kept), whose errors the page's title announces."""
    return render(
        request,
        PAGE,
        {
            "title": title,
            "body_html": mark_safe(page_cache.with_token(request, entry["body"])),  # noqa: S308 - drawn by a template
            "breadcrumbs": breadcrumbs,
            "form": form,
        },
    )
