"""Query-count guard: a page must run the same number of queries whatever the data volume."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def _capture(client, url):
    # Cold summaries both times: a cached figure must not hide the queries that compute it.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(client, url: str, grow, *, max_queries: int | None = None) -> int:
    """Load `url`, call `grow()` to add more data, load it again: the counts must match.

    Prints both lists of SQL on failure so the extra query is easy to find. Returns the count."""
    client.get(url)  # warm per-process caches (content types, templates)
    small = _capture(client, url)
    grow()
    large = _capture(client, url)
    if len(small) != len(large):
        detail = "\n".join(["-- small:", *small, "-- large:", *large])
        raise AssertionError(f"{url}: {len(small)} queries with less data, {len(large)} with more\n{detail}")
    if max_queries is not None:
        assert len(large) <= max_queries, f"{url}: {len(large)} queries, more than {max_queries}\n" + "\n".join(large)
    return len(large)
