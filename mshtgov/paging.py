"""One page size and one way to page a list (issue 13): every list that can grow past a page is paged.

A page is `django.core.paginator.Page`; templates render it with `{% include "includes/pagination.html" %}`
(which reads `page`). A page number out of range or malformed answers the nearest page (`get_page`), never
an error, so a bookmarked link to a list that has shrunk still opens.

`TwoEndedPaginator` (issue 15): with OFFSET paging the database walks every row before the page: the last
page of a long list reads the whole list (or, rather than walking the index that far, PostgreSQL sorts the
whole table). A page in the later half of the list is read from the other end instead, in the reverse order
with the smaller offset, and turned round in Python: the last page then costs what the first does, and no
page walks more than half of the list. The count, which a page needs anyway, says which end is nearer."""

from django.core.paginator import Paginator
from django.db.models import Count, Window

PAGE_SIZE = 50


def paginate(request, items, *, size: int = PAGE_SIZE, param: str = "page"):
    """The page of `items` (an ordered queryset or a list) that `request` asks for in `param`."""
    return Paginator(items, size).get_page(request.GET.get(param))


class TwoEndedPaginator(Paginator):
    """A `Paginator` over an ordered queryset that reads pages in its later half from the far end."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if not _totally_ordered(self.object_list) or bottom * 2 <= self.count:
            return self._get_page(self._slice(bottom, top), number, self)
        rows = list(self._slice(self.count - top, self.count - bottom, backwards=True))
        rows.reverse()
        return self._get_page(rows, number, self)

    def _slice(self, start: int, stop: int, *, backwards: bool = False):
        """Items `start` to `stop` of the list in its order, or (`backwards`) in the reverse order."""
        return (self.object_list.reverse() if backwards else self.object_list)[start:stop]


def _totally_ordered(queryset) -> bool:
    """Ordered explicitly and ending on the primary key, so the reversed order is exactly this one turned
    round (ties on the other keys would otherwise come back in any order)."""
    query = getattr(queryset, "query", None)
    if query is None:
        return False
    order_by = query.order_by or (query.default_ordering and query.get_meta().ordering) or ()
    return bool(order_by) and isinstance(order_by[-1], str) and order_by[-1].lstrip("-") in ("id", "pk")


def counted_page(queryset, number, *, size: int = PAGE_SIZE):
    """`Paginator(queryset, size).get_page(number)` in one query instead of two (issue 12): the page's rows
    carry the list's count (`COUNT(*) OVER ()`, computed before the LIMIT), so no separate COUNT is sent.
    Falls back to the paginator when that cannot work: a page number that is not a positive whole number, a
    page past the end (no rows to carry the count: `get_page` then answers the last page, as before), or a
    DISTINCT query (the window would count rows before DISTINCT removes duplicates)."""
    paginator = Paginator(queryset, size)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 0
    if wanted < 1 or queryset.query.distinct or queryset.query.combinator:
        return paginator.get_page(number)
    bottom = (wanted - 1) * size
    rows = list(queryset.annotate(_list_count=Window(Count("*")))[bottom : bottom + size])
    if not rows and wanted == 1:  # an empty list: its count is 0, and its one page is empty
        paginator.count = 0
        return paginator._get_page([], 1, paginator)
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0]._list_count  # the cached property, set from the rows
    return paginator._get_page(rows, wanted, paginator)


_PREVIOUS = (
    '<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="{}" rel="prev">'
    '<span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span>'
    "</a></div>"
)
_NEXT = (
    '<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="{}" rel="next">'
    '<span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span>'
    "</a></div>"
)


def pagination_html(request, page) -> str:
    """templates/includes/pagination.html written out in one pass, the same markup (issue 15: drawn through the
    include, the links' query strings and the page's properties were a tenth of drawing a lesson search's
    content): links to the previous and next pages with the current query string, every value escaped as the
    template escaped it. Nothing but a line break when the list fits on one page."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from mshtgov.templatetags.govuk import querystring_with

    if not page.has_other_pages():
        return mark_safe("\n")  # noqa: S308 - no value
    context = {"request": request}
    previous = (
        _PREVIOUS.format(escape(querystring_with(context, page=page.previous_page_number())))
        if page.has_previous()
        else ""
    )
    following = _NEXT.format(escape(querystring_with(context, page=page.next_page_number()))) if page.has_next() else ""
    return mark_safe(  # noqa: S308 - every value escaped
        f'\n<nav class="govuk-pagination" aria-label="Pages">\n  {previous}\n'
        f'  <p class="govuk-body govuk-!-margin-bottom-0">Page {int(page.number)} of {int(page.paginator.num_pages)}'
        f"</p>\n  {following}\n</nav>\n\n"
    )
