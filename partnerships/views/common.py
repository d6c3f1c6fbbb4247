from django.core.paginator import Paginator
from django.shortcuts import render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import BlockNode
from django.urls import reverse
from django.utils.safestring import mark_safe

from mshtgov import page_cache
from mshtgov.access import may_open
from mshtgov.audit import log_access, record_label
from mshtgov.history import history_entries, render_history
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import edit_page
from mshtgov.paging import paginate

SECTION_PAGES = [
    ("Partnerships", "partnerships:partnership-list"),
    ("Agreements", "partnerships:agreement-list"),
    ("Organisations", "partnerships:organisation-list"),
    ("Safeguarding notifications", "partnerships:notification-list"),
    ("Victim support", "partnerships:support-list"),
    ("ICTG referrals", "partnerships:ictg-list"),
    ("Reviews due", "partnerships:reviews"),
]


class RowsPaginator(Paginator):
    """A `Paginator` whose page reads its rows in one query even when nothing matches: Django's skips the
    query for an empty list, so a filter that matched nothing ran one query fewer and a page's query count
    depended on the records (issue 15). The same rows: the slice's LIMIT stops at the end of the list."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page + self.orphans >= self.count:
            return self._get_page(self.object_list[bottom : bottom + self.per_page + self.orphans], number, self)
        return super().page(number)


def may_see_reviews(user) -> bool:
    return may_open(user, "partnerships:reviews")


def section_links(user) -> list[tuple[str, str]]:
    """The partnerships pages this user may open (each page's own gate decides), for the section's navigation."""
    return [(label, reverse(name)) for label, name in SECTION_PAGES if may_open(user, name)]


def page(request, template: str, context: dict, *, status: int = 200):
    return render(request, template, {"section_links": section_links(request.user), **context}, status=status)


def listing(request, name: str, build) -> dict:
    """A list page's entry (`mshtgov.page_cache.listing`): built once per reader, query string and day, watched
    so that any change to what it read rebuilds it; a search (`q`) is never kept."""
    return page_cache.listing(request, f"partnerships:{name}", build)


def record_entry(request, name: str, build) -> dict:
    """A record's page entry (`mshtgov.page_cache.record_page`): built once per reader and day, watched."""
    return page_cache.record_page(request, f"partnerships:{name}", build)


def drawn_body(request, template: str, context: dict) -> dict:
    """The body of a list page (everything below the section's navigation) drawn for the cache, as plain HTML
    (every value escaped by the template; the request is there for the query string its links keep), with the
    section's links this reader may follow (their gates read nothing but the reader's roles and permissions,
    which the cache's key names)."""
    return {
        "body_html": render_to_string(template, {**context, "request": request}),
        "section_links": section_links(request.user),
    }


def drawn_page(request, template: str, entry: dict, context: dict | None = None):
    """A list page around the body its entry drew (`drawn_body`)."""
    body = mark_safe(entry["body_html"])  # noqa: S308 - drawn by the template, every value escaped
    return render(request, template, {"section_links": entry["section_links"], "body_html": body, **(context or {})})


def record_edit_page(request, form, trail, *, service, success_message: str):
    """The change page of a record that has its own detail page. `trail` is the breadcrumbs down to that
    page, ending with (record name, detail URL); saving goes through `service(form=..., by=...)`."""
    name, detail_url = trail[-1]
    return edit_page(
        request,
        form,
        save=lambda f: service(form=f, by=request.user),
        success_url=detail_url,
        title=f"Change {name}",
        breadcrumbs=[*trail, ("Change", "")],
        back_url=detail_url,
        success_message=success_message,
    )


def record_history_page(request, record, trail):
    """The history page of a record, after the caller's access check; `trail` ends with its detail page."""
    return render_history(request, record, back_url=trail[-1][1], breadcrumbs=[*trail, ("History", "")])


def consulted(obj) -> dict | None:
    """What the access log needs to log a view of `obj` without it (a page served from the cache): its kind,
    id, label and marking when it is OFFICIAL-SENSITIVE (`log_consult_if_sensitive`'s rule), else None."""
    if not getattr(obj, "is_sensitive", False):
        return None
    return {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": record_label(obj),
        "marking": obj.marking,
    }


def log_consulted(request, entry: dict) -> None:
    """A sensitive record's view logged on every view, the page served from the cache or not."""
    if entry.get("consulted"):
        log_access(request, AccessAction.CONSULT, **entry["consulted"])


def drawn_blocks(template_name: str, context: dict, request, names=("title", "content")) -> dict[str, str]:
    """The named blocks of a page template drawn on their own (the page around them, `base.html`, is drawn
    live for each view): plain HTML, every value escaped by the template; the request is there for the
    query string its links keep. Context processors are not run: the blocks drawn must not need them."""
    template = get_template(template_name).template
    blocks = {node.name: node for node in template.nodelist.get_nodes_by_type(BlockNode)}
    context = Context({**context, "request": request})
    with context.bind_template(template):
        return {name: blocks[name].nodelist.render(context) for name in names}


def cached_history_page(request, name: str, load, trail_of):
    """A record's history page (`mshtgov.history.render_history`'s page, the same HTML) drawn once per reader,
    page and day, then served from the cache until anything it read changes. `load()` finds the record or
    answers 404 (nothing is kept then); `trail_of(record)` is the breadcrumbs down to its page. The record's
    marking and those of the records its history names raise the page's marking, and a sensitive record is
    logged on every view, hit or miss."""
    entry = page_cache.listing(request, f"partnerships:history:{name}", lambda: _history_entry(request, load, trail_of))
    mark_page(request, *entry["markings"])
    log_consulted(request, entry)
    return render(
        request,
        "partnerships/history_drawn.html",
        {
            "title_html": mark_safe(entry["title_html"]),  # noqa: S308 - drawn by mshtgov/history.html
            "body_html": mark_safe(entry["body_html"]),  # noqa: S308 - drawn by mshtgov/history.html
            "breadcrumbs": entry["breadcrumbs"],
        },
    )


def _history_entry(request, load, trail_of) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.utils.http import urlencode

    from mshtgov.personal_data.redaction import DPO_PERMISSION

    record = load()
    trail = trail_of(record)
    named_markings: list = []
    page = paginate(request, record.history.order_by("-history_date", "-history_id"))
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
    breadcrumbs = [*trail, ("History", "")]
    blocks = drawn_blocks(
        "mshtgov/history.html",
        {
            "record": record,
            "record_type": record._meta.verbose_name,
            "entries": entries,
            "page": page,
            "back_url": trail[-1][1],
            "breadcrumbs": breadcrumbs,
            "redact_url": redact_url,
        },
        request,
    )
    return {
        "title_html": blocks["title"],
        "body_html": blocks["content"],
        "breadcrumbs": breadcrumbs,
        "markings": [getattr(record, "marking", None), *named_markings],
        "consulted": consulted(record),
    }
