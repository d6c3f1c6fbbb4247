from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from mshtgov import page_cache
from mshtgov.access import may_open
from mshtgov.audit import log_consult
from mshtgov.history import render_history, render_scoped_history
from mshtgov.marking import mark_page
from mshtgov.pages import cached_edit_page

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


def served_record_page(request, entry: dict, breadcrumbs: list):
    """A record's page around the body its entry drew without the CSRF token (`page_cache.drawn_without_token`),
    with what every view does, hit or miss: the page's marking and the access log of a sensitive record."""
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "title": entry["title"],
            "section_links": entry["section_links"],
            "body_html": mark_safe(page_cache.with_token(request, entry["body"])),  # noqa: S308 - drawn escaped
            "breadcrumbs": breadcrumbs,
        },
    )


def record_edit_page(request, name: str, load, form_of, trail_of, *, service, success_message: str):
    """The change page of a record that has its own detail page, its form before any input served from the
    reader's page cache (`mshtgov.pages.cached_edit_page`; issue 15). `load()` finds the record through the
    reader's access check (a 404 or 403 there is raised inside the build: refused every time, nothing kept) and
    the page carries its marking; `form_of(record)` builds the form from `request.POST or None`;
    `trail_of(record)` is the breadcrumbs down to its page, ending with (record name, detail URL); saving goes
    through `service(form=..., by=...)`. `name` names the record ("partnership:12")."""

    def page():
        record = load()
        mark_page(request, record)  # the form shows the record: the page carries its marking
        return form_of(record), record_edit_keywords(
            request, trail_of(record), service=service, success_message=success_message
        )

    return cached_edit_page(request, f"partnerships:{name}", page)


def record_edit_keywords(request, trail, *, service, success_message: str) -> dict:
    """`record_edit_page`'s keywords of `edit_page`, for a view whose form is served from the cache
    (`mshtgov.pages.cached_edit_page`)."""
    name, detail_url = trail[-1]
    return {
        "save": lambda f: service(form=f, by=request.user),
        "success_url": detail_url,
        "title": f"Change {name}",
        "breadcrumbs": [*trail, ("Change", "")],
        "back_url": detail_url,
        "success_message": success_message,
    }


def record_history_page(request, record, trail):
    """The history page of a record, after the caller's access check; `trail` ends with its detail page."""
    return render_history(request, record, back_url=trail[-1][1], breadcrumbs=[*trail, ("History", "")])


def scoped_history_page(request, name: str, load, trail_of):
    """`record_history_page` for a record behind a scoped access check (a partner's partnerships), made
    inside the cached build (`mshtgov.history.render_scoped_history`); `trail_of(record)` ends with its page."""

    def crumbs_of(record):
        trail = trail_of(record)
        return trail[-1][1], [*trail, ("History", "")]

    return render_scoped_history(request, f"partnerships:{name}", load, crumbs_of)
