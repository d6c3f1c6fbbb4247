"""Virus scanning of uploaded files through clamd's INSTREAM command (docs/SECURITY.md FILE-3).

Off when `CLAMD_ADDRESS` is empty (the embedded demo has no scanner). When it is set, a file is
accepted only if clamd answers that it is clean: a scanner that is down or answers oddly refuses the
upload, because a paper other people will open must not get through unchecked.
"""

import logging
import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError

log = logging.getLogger("security")
CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


class ScannerUnavailable(Exception):
    pass


def _connect(address: str) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address
    else:
        host, _, port = address.rpartition(":")
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        target = (host.strip("[]"), int(port))
    sock.settimeout(TIMEOUT_SECONDS)
    sock.connect(target)
    return sock


def scan_stream(address: str, fileobj) -> str | None:
    """The signature clamd found in the stream, or None when it is clean. Raises ScannerUnavailable."""
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := fileobj.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except (OSError, ValueError) as exc:
        raise ScannerUnavailable(f"{type(exc).__name__}: {exc}") from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScannerUnavailable(f"unexpected answer {answer[:200]!r}")


def check_upload(upload) -> None:
    """Raise a ValidationError for the form when scanning is on and the file is infected or could not
    be scanned. Leaves the upload at its start, ready to be stored."""
    address = settings.CLAMD_ADDRESS
    if not address:
        return
    upload.seek(0)
    try:
        signature = scan_stream(address, upload)
    except ScannerUnavailable as exc:
        log.error("virus scanner unavailable", extra={"event": "av_unavailable"}, exc_info=exc)
        raise ValidationError(
            "The file could not be checked for viruses just now, so it has not been uploaded. Try again in a few "
            "minutes; if it keeps happening, tell the service desk.",
            code="scanner_unavailable",
        ) from exc
    finally:
        upload.seek(0)
    if signature:
        log.warning("virus found in an upload", extra={"event": "av_found", "signature": signature})
        raise ValidationError(
            "The file contains a virus or other malicious content, so it has not been uploaded. Contact the "
            "service desk before opening the original.",
            code="infected",
        )
