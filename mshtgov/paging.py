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
        queryset = self.object_list
        if not _totally_ordered(queryset) or bottom * 2 <= self.count:
            return self._get_page(queryset[bottom:top], number, self)
        rows = list(queryset.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)


def _totally_ordered(queryset) -> bool:
    """Ordered explicitly and ending on the primary key, so the reversed order is exactly this one turned
    round (ties on the other keys would otherwise come back in any order)."""
    query = getattr(queryset, "query", None)
    if query is None:
        return False
    order_by = query.order_by or (query.default_ordering and query.get_meta().ordering) or ()
    return bool(order_by) and isinstance(order_by[-1], str) and order_by[-1].lstrip("-") in ("id", "pk")
