"""PDF rendering with WeasyPrint, locked down.

WeasyPrint's default fetcher reads file:// and http(s):// URLs, so user text holding such a link could
pull local files or internal pages into a PDF. Ours serves only the app's own static files (resolved
in-process through the staticfiles finders) and data: URIs; every other URL stops the render.
"""

import mimetypes
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# A base URL that is never contacted: relative URLs in templates resolve under it and map to local files.
STATIC_BASE = "https://static.invalid/"


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(timeout=5, allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_BASE):
            relative = unquote(url[len(STATIC_BASE) :].split("?", 1)[0].split("#", 1)[0])
            if relative.startswith("static/"):
                relative = relative[len("static/") :]
            if relative and ".." not in relative.split("/") and not relative.startswith("/") and "\\" not in relative:
                path = finders.find(relative)
                if path:
                    with open(path, "rb") as handle:
                        body = handle.read()
                    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, {"Content-Type": content_type})
        raise FatalURLFetchingError(f"Refused to fetch {url[:100]!r}: PDFs may use only the app's own static files")


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # element id -> index of the page it is on


def html_to_pdf(html: str, *, uncompressed: bool = False, finisher=None) -> RenderedPdf:
    """Tagged, accessible PDF (PDF/UA) from our own HTML. The HTML must set <title> and <html lang>.

    `uncompressed` leaves the PDF's objects readable, for tests that inspect its structure. `finisher`:
    WeasyPrint's hook that may add to the PDF before it is written (the board pack binds papers with it)."""
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).render(pdf_variant="pdf/ua-1")
    content = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=uncompressed, finisher=finisher)
    anchors = {name: index for index, page in enumerate(document.pages) for name in page.anchors}
    return RenderedPdf(content=content, pages=len(document.pages), anchors=anchors)


def render_pdf(template_name: str, context: dict) -> RenderedPdf:
    """Render a template that extends `pdf/base_pdf.html` (context needs `title` and `marking`)."""
    return html_to_pdf(render_to_string(template_name, {**context, "for_pdf": True}))
