"""What the tests of pages served from the cache (mshtgov.page_cache) share: comparing two views of a page,
and seeing which entries were kept. Registered for every test in tests/conftest.py."""

import re

import pytest

from mshtgov import summaries


def same_page(text: str) -> str:
    """The page without what differs between two views of it by design: the CSRF token (masked afresh each
    time) and the session's seconds left."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text)
    return re.sub(r'data-session-timeout="\d+"', "", text)


@pytest.fixture
def stored(monkeypatch):
    """The keys of the entries the page cache kept during the test, in order."""
    kept = []
    original = summaries.store_watched
    monkeypatch.setattr(summaries, "store_watched", lambda entries, **kw: kept.extend(entries) or original(entries))
    return kept


def page_text(response) -> str:
    """The page's HTML, once it is known to have been served (200)."""
    assert response.status_code == 200
    return response.content.decode()
