"""Local stand-ins for a backing service in trouble (Redis, PostgreSQL), on 127.0.0.1:

- `closed_port()`: a port nothing listens on (connections are refused).
- `Blackhole`: accepts connections and never answers (a hung server).
- `Relay`: forwards to a real server until stopped; `start()` again brings it back on the same
  port (an outage that ends).
The machine's own services are never touched.
"""

from __future__ import annotations

import socket
import threading


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Listener:
    def __init__(self, port: int = 0) -> None:
        self.port = port
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self.accepted = 0  # connections accepted so far

    def start(self) -> "_Listener":
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(100)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()
        return self

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed by stop()
                return
            with self._lock:
                self._conns.append(conn)
                self.accepted += 1
            self.serve(conn)

    def serve(self, conn: socket.socket) -> None:
        """Blackhole: keep the connection, never answer."""

    def stop(self) -> None:
        if self._server is not None:
            try:  # wakes the accepting thread; close() alone leaves the port listening
                self._server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._server.close()
            self._server = None
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Blackhole(_Listener):
    """Accepts every connection and never sends a byte."""


class Relay(_Listener):
    """Forwards each connection to `target_port` on 127.0.0.1, both ways."""

    def __init__(self, target_port: int, port: int = 0) -> None:
        super().__init__(port)
        self.target_port = target_port

    def serve(self, conn: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            conn.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._conns.append(upstream)
        for src, dst in ((conn, upstream), (upstream, conn)):
            threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
