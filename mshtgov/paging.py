"""One page size and one way to page a list (issue 13): every list that can grow past a page is paged.

A page is `django.core.paginator.Page`; templates render it with `{% include "includes/pagination.html" %}`
(which reads `page`). A page number out of range or malformed answers the nearest page (`get_page`), never
an error, so a bookmarked link to a list that has shrunk still opens."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, items, *, size: int = PAGE_SIZE, param: str = "page"):
    """The page of `items` (an ordered queryset or a list) that `request` asks for in `param`."""
    return Paginator(items, size).get_page(request.GET.get(param))
