"""The set-up QR code as an SVG data URI.

An `<img>` with a data URI, like the charts (mshtgov.charts), because the Content Security Policy
allows no inline style or script; segno is pure Python, so the image needs no native library.
"""

import base64
import io

import segno


def qr_data_uri(content: str) -> str:
    qr = segno.make(content, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=5, border=4, dark="#0b0c0c", light="#ffffff", xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def grouped(secret: str, size: int = 4) -> str:
    """ABCD EFGH ... : a secret typed by hand is easier to read (and check) in groups of four."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
