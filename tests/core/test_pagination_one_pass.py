"""mshtgov.paging.pagination_html writes the page links the lesson list showed through
templates/includes/pagination.html (issue 15), the same markup: first, middle, last, past the end, one page only,
none; the query string kept, escaped as the template escaped it."""

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory

from mshtgov.paging import pagination_html

INCLUDE = engines["django"].from_string('{% include "includes/pagination.html" %}')


@pytest.mark.parametrize("count", [0, 1, 25, 26, 120])
@pytest.mark.parametrize("asked", ["", "1", "2", "3", "999", "x"])
@pytest.mark.parametrize("query", ["", "q=interpreter+suspects&", "q=%3Cb%3E%22+%26&status=open&theme=4&theme=5&"])
def test_the_same_links_as_the_include(count, asked, query):
    request = RequestFactory().get(f"/learning/lessons/?{query}page={asked}")
    page = Paginator(list(range(count)), 25).get_page(asked)
    assert pagination_html(request, page) == INCLUDE.render({"page": page, "request": request})
