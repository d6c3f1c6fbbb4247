"""mshtgov.exports.export_links_html writes the download links the lesson list showed through
templates/includes/export_links.html (issue 15), the same markup: the filters kept, the page number dropped, every
value escaped as the template escaped it."""

import pytest
from django.template import engines
from django.test import RequestFactory

from mshtgov.exports import export_links_html

INCLUDE = engines["django"].from_string(
    '{% include "includes/export_links.html" with export_url="learning:lesson-export" what=what %}'
)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=interpreter+suspects",
        "q=interpreter&page=3",
        "page=2",
        "q=%3Cscript%3E%22&status=open&theme=4&theme=5",
        "q=caf%C3%A9+%26+bar&observed_from=2025-01-01",
    ],
)
@pytest.mark.parametrize("what", ["these lessons", "<b>these</b> & those"])
def test_the_same_links_as_the_include(query, what):
    request = RequestFactory().get(f"/learning/lessons/?{query}")
    drawn = INCLUDE.render({"what": what, "request": request})
    assert export_links_html(request, "learning:lesson-export", what) == drawn
    assert "page=" not in drawn
