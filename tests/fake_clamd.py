"""A stand-in for clamd that speaks its INSTREAM protocol over TCP, so the real client code is tested.

It reports the EICAR test signature when the stream contains the EICAR test string, and OK otherwise.
"""

import socketserver
import struct
import threading
from contextlib import contextmanager

# The industry-standard anti-virus test string: harmless, and every scanner reports it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0", command
        received = bytearray()
        while True:
            (size,) = struct.unpack("!L", self._read(4))
            if size == 0:
                break
            received += self._read(size)
        self.server.streams.append(bytes(received))
        found = EICAR in received
        self.request.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")

    def _read(self, n):
        data = b""
        while len(data) < n:
            part = self.request.recv(n - len(data))
            if not part:
                raise ConnectionError("client closed early")
            data += part
        return data


@contextmanager
def fake_clamd():
    """Yields (address, server); server.streams lists every stream scanned."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.streams = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address
        yield f"{host}:{port}", server
    finally:
        server.shutdown()
        server.server_close()
