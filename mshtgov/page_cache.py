"""Pages served from the cache, per reader (issue 15; first the operations register's, issue 12): building a
list page (its filters, the rows the reader may see, their count) or a record's page costs several times the
page around it. An app's view passes a `build()` that returns plain values; this module keeps them.

An entry is the reader's alone (key: their user, roles and permissions, `mshtgov.dashboard.audience`), for this
very query string and today (what is overdue moves at midnight), and it is built watched
(`mshtgov.summaries.build_watched`): every table its queries read (the records, the people, the reader's roles
and grants...) and every cached figure it consulted is a model whose change invalidates it, so a page is never
older than the last committed change. What the page logs (the records shown, the filters in use) is kept in
the entry and logged on every view, hit or miss: the cache spares the building, never the access log.

Nothing typed is stored: a search (`q`) is built afresh every time, never cached (the entry would keep the
typed words in the filter form), and so are refused filters (their error summary needs the form)."""

import hashlib
import secrets
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import BlockNode
from django.utils import timezone

from mshtgov import dashboard, summaries

TYPED = ("q",)


def listing(request, name: str, build) -> dict:
    """`build()` -> a dict of plain values (with "cacheable": False when it may not be kept), from the cache
    when it was built for this reader, query string and day and nothing it read has changed since."""
    if any(value.strip() for field in TYPED for value in request.GET.getlist(field)):
        return build()
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    return _cached(request, f"{name}:{hashlib.sha256(query.encode()).hexdigest()[:24]}", build)


def record_page(request, name: str, build) -> dict:
    """`listing` for a record's page, which reads no query string: `name` names the record ("operation:12").

    For either, an entry whose page moves with the clock before the day ends (a board's "next meeting" once it
    has begun) names the moment with "until" (a POSIX timestamp): from then on it is built afresh."""
    return _cached(request, name, build)


def _cached(request, name: str, build) -> dict:
    today = timezone.localdate()
    key = f"page:{name}:{dashboard.audience(request.user)}:{today.isoformat()}"
    entry = summaries.read_watched([key]).get(key)
    if entry is not None and entry.get("until") is not None and timezone.now().timestamp() >= entry["until"]:
        entry = None  # what it showed moved with the clock, no table changing (see `record_page`)
    if entry is None:
        entry, versions = summaries.build_watched(build, summaries.every_version())
        if entry.get("cacheable", True):
            summaries.store_watched({key: (entry, versions)})
    return entry


class Shown(NamedTuple):
    """A record on the page, as far as the page needs it once its rows are drawn."""

    pk: int
    reference: str


def page_of(entry: dict, size: int) -> Page:
    """The page the entry was built for, for `{% include "includes/pagination.html" %}` and the count: its
    object list names the records shown (`Shown`; the rows themselves are drawn already)."""
    paginator = Paginator([], size)
    paginator.count = entry["count"]  # counted when the entry was built (a cached property)
    return Page([Shown(*row) for row in entry["shown"]], entry["number"], paginator)


class DrawnForm:
    """The filter form as drawn when the entry was built: `{{ filter_form }}` writes it out; `errors` is empty
    (an entry is kept only for filters that were accepted)."""

    errors = ()

    def __init__(self, html: str):
        self.html = html

    def __html__(self) -> str:
        return self.html  # drawn by the form itself, every value escaped

    __str__ = __html__


def drawn_without_token(template_name: str, context: dict, request) -> list[str]:
    """The template drawn for the cache: a form that POSTs carries the reader's CSRF token, which must never be
    stored (it would be served on to a later session), so the template is drawn with a one-off stand-in for the
    token and cut where the stand-in fell. `with_token` joins the pieces round the reader's own token."""
    stand_in = secrets.token_hex(20)  # random: no text of a record can contain it
    return render_to_string(template_name, {**context, "csrf_token": stand_in}, request=request).split(stand_in)


def with_token(request, pieces: list[str]) -> str:
    """The pieces `drawn_without_token` kept, with the reader's CSRF token where the template drew it (the
    markup of `{% csrf_token %}`, as drawn live)."""
    return get_token(request).join(pieces) if len(pieces) > 1 else pieces[0]


def drawn_blocks(template_name: str, context: dict, request, names=("title", "content")) -> dict[str, str]:
    """The named blocks of a page template drawn on their own, for the cache: the page around them
    (`base.html`: menu, marking, session, CSRF token) is drawn live on every view. Plain HTML, every value
    escaped by the template; the request is in the context for the query string its links keep. Context
    processors are not run: the blocks drawn must not need them."""
    template = get_template(template_name).template
    blocks = {node.name: node for node in template.nodelist.get_nodes_by_type(BlockNode)}
    context = Context({**context, "request": request})
    with context.bind_template(template):
        return {name: blocks[name].nodelist.render(context) for name in names}
