"""Finds every page a role can reach by following links from the dashboard, one URL per kind of page.

A "kind" is the path with its numbers replaced (`/governance/actions/<n>/`) plus the names of its query
parameters, so a list, the same list sorted, filtered or on another page are separate kinds, while the
8,000 action pages are one. Lists that page also get their second and last pages (page=99999:
`Paginator.get_page` answers the last). Downloads (CSV, Excel, PDF, ZIP), the admin and sign-out are left
out: they are not pages.

Used over HTTP by `bench_pages.py` and in-process (Django's test client) by `bench_queries.py`.
"""

import html
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

SKIP = re.compile(
    r"^/(static|admin|accounts/(logout|login|two-step))/|/export\.|\.(csv|xlsx|pdf|zip|svg|png)$|/download/?$|"
    r"/healthz|/file/?$|/pack/?$|/pdf/?$"
)
HREF = re.compile(r'href="([^"#]+)')
NUMBER = re.compile(r"/\d+(?=/|$)")


@dataclass(frozen=True)
class Page:
    url: str
    kind: str
    user: str

    @property
    def is_list(self) -> bool:
        return "<n>" not in self.kind.split("?")[0]


def kind_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    path = NUMBER.sub("/<n>", parts.path)
    names = set()
    for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if name == "page":  # page 2 and the last page are kinds of their own (an OFFSET grows with it)
            name = "page=2" if value == "2" else ("page=1" if value in {"", "1"} else "page=last")
        names.add(name)
    names = sorted(names)
    return path + ("?" + "&".join(names) if names else "")


def _links(base_path: str, body: str) -> list[str]:
    found = []
    for raw in HREF.findall(body):
        href = html.unescape(raw)
        if href.startswith("?"):
            href = base_path + href
        if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
            continue
        parts = urllib.parse.urlsplit(href)
        # Drop empty parameters (a filter form's blank fields): they select nothing.
        query = urllib.parse.urlencode([(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if v])
        found.append(parts.path + ("?" + query if query else ""))
    return found


def _last_page(url: str, body: str) -> str | None:
    """The last page of a paged list: lists page with Paginator.get_page, which answers a number past
    the end with the last page (pagination links show only the neighbours)."""
    numbers = [int(n) for n in re.findall(r"[?&]page=(\d+)", html.unescape(body))]
    if not numbers:
        return None
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "page"] + [("page", "99999")]
    return parts.path + "?" + urllib.parse.urlencode(query)


def crawl(
    get: Callable[[str, str], tuple[int, bytes]],
    user: str,
    *,
    start: tuple[str, ...] = ("/",),
    known: set[str] | None = None,
    limit: int = 400,
) -> list[Page]:
    """Breadth-first from `start` as `user`; returns one Page per kind not already in `known`
    (which it updates), each one answered 200. `get(path, user) -> (status, body)`."""
    known = known if known is not None else set()
    seen_kinds: set[str] = set()
    queue = list(start)
    pages: list[Page] = []
    fetched = 0
    while queue and fetched < limit:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        status, body = get(url, user)
        fetched += 1
        if status != 200:
            continue
        text = body.decode("utf-8", "replace")
        if kind not in known:
            known.add(kind)
            pages.append(Page(url, kind, user))
        last = _last_page(url, text)
        if last:
            queue.insert(0, last)
        path = urllib.parse.urlsplit(url).path
        queue.extend(link for link in _links(path, text) if kind_of(link) not in seen_kinds)
    return pages


def label(page: Page) -> str:
    """A short readable name: the path kind and its parameters with their values for lists."""
    parts = urllib.parse.urlsplit(page.url)
    path = NUMBER.sub("/<n>", parts.path)
    return path + ("?" + parts.query if parts.query else "")
