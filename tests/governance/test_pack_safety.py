"""WeasyPrint fetches nothing: user text holding file://, attachment or loopback URLs is neither
fetched nor embedded (a canary file and a loopback server that counts hits)."""

import http.server
import threading
import uuid

import pytest
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from governance.models import BoardPack
from governance.packs.compose import compose_pack
from mshtgov.marking import Marking
from mshtgov.pdf import STATIC_BASE, StaticOnlyFetcher, html_to_pdf
from tests.governance.factories import ActionFactory, AgendaItemFactory, BoardFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary(tmp_path):
    secret = f"CANARY-{uuid.uuid4().hex}"
    path = tmp_path / "canary.txt"
    path.write_text(secret)
    return path, secret


@pytest.fixture
def loopback(canary):
    hits = []
    canary_path, _ = canary

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", f"file://{canary_path}")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def _payloads(canary_path, server):
    return [
        f'<link rel="attachment" href="file://{canary_path}">',
        f'<img src="file://{canary_path}">',
        f'<img src="{server}/img">',
        f'<a rel="attachment" href="{server}/attach">x</a>',
        f"<style>@import url({server}/css);</style>",
        f'<svg><image href="file://{canary_path}"/></svg>',
        f"{server}/plain file://{canary_path}",
    ]


def test_user_text_in_every_pack_field_is_escaped_and_nothing_is_fetched(users, canary, loopback):
    canary_path, secret = canary
    server, hits = loopback
    payload = " ".join(_payloads(canary_path, server))
    board = BoardFactory(name=f"Board {payload[:150]}", purpose=payload, secretary=users["secretary"])
    meeting = MeetingFactory(board=board, title=payload[:200], location=payload[:200])
    previous = MeetingFactory(
        board=board, starts_at=meeting.starts_at.replace(year=meeting.starts_at.year - 1), minutes=payload
    )
    DecisionFactory(meeting=previous, text=payload)
    AgendaItemFactory(meeting=meeting, title=payload[:300], summary=payload)
    ActionFactory(
        board=board, owner=users["analyst"], title=payload[:300], completion_note=payload, marking=Marking.OFFICIAL
    )
    pack = BoardPack.objects.create(meeting=meeting, requested_by=users["secretary"])

    composed = compose_pack(pack)
    assert "<img src=" not in composed.html.split("<body>", 1)[1].replace('<img class="app-chart" src="data:', "")
    assert "&lt;link rel=&quot;attachment&quot;" in composed.html
    raw = HTML(string=composed.html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=True
    )
    assert hits == []
    assert secret.encode() not in raw
    assert b"/EmbeddedFile" not in raw


@pytest.mark.parametrize("index", range(6))
def test_the_fetcher_refuses_each_url_even_in_raw_html(canary, loopback, index):
    """Were a template ever to let markup through, the fetcher still stops the render."""
    canary_path, secret = canary
    server, hits = loopback
    payload = _payloads(canary_path, server)[index]
    html = f'<!DOCTYPE html><html lang="en-GB"><head><title>t</title></head><body>{payload}</body></html>'
    try:
        rendered = html_to_pdf(html)
    except FatalURLFetchingError:
        rendered = None
    assert hits == []
    if rendered is not None:
        assert secret.encode() not in rendered.content


def test_own_static_files_are_served(db):
    fetched = StaticOnlyFetcher().fetch(STATIC_BASE + "css/pdf.css")
    assert b"@page" in fetched.read()
    with pytest.raises(FatalURLFetchingError):
        StaticOnlyFetcher().fetch(STATIC_BASE + "../mshtgov/settings.py")
