"""The PDF renderer fetches only the app's own static files: no local files, no network."""

import pytest
from weasyprint.urls import FatalURLFetchingError

from mshtgov.pdf import STATIC_BASE, StaticOnlyFetcher, html_to_pdf


def test_static_files_are_served_from_disk():
    response = StaticOnlyFetcher().fetch(f"{STATIC_BASE}static/css/pdf.css")
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x",
        "https://example.org/a.css",
        f"{STATIC_BASE}../../../etc/passwd",
        f"{STATIC_BASE}static/%2e%2e/%2e%2e/etc/passwd",
        f"{STATIC_BASE}/etc/passwd",
        "ftp://host/file",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(FatalURLFetchingError):
        StaticOnlyFetcher().fetch(url)


def test_a_document_linking_a_local_file_does_not_render(tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-CONTENT-8812")
    html = f'<html lang="en-GB"><head><title>t</title></head><body><img src="file://{canary}"></body></html>'
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(html)


def test_rendered_pdf_is_tagged_with_title_and_language():
    html = '<html lang="en-GB"><head><title>Pack title</title></head><body><h1>Hello</h1></body></html>'
    pdf = html_to_pdf(html, uncompressed=True)
    assert pdf.pages == 1
    assert pdf.content.startswith(b"%PDF-")
    for marker in (b"/StructTreeRoot", b"/MarkInfo", b"/Lang (en-GB)", b"/Title (Pack title)"):
        assert marker in pdf.content, marker
