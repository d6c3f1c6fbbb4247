"""The register's pages served from the cache (issue 12): `mshtgov.page_cache`, under names of the
operations app's own."""

from mshtgov import page_cache
from mshtgov.page_cache import DrawnForm, Shown, page_of  # noqa: F401 - the register's views use them from here


def listing(request, name: str, build) -> dict:
    return page_cache.listing(request, f"operations:{name}", build)


def record_page(request, name: str, build) -> dict:
    return page_cache.record_page(request, f"operations:{name}", build)
