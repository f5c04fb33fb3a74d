"""A real HTTP server on 127.0.0.1 that misbehaves on demand: the outside world for the tests.

Routes (GET):
  /article          a small HTML article            /sober   the packaged sober demo article
  /hang             accepts, never answers           /drip    sends a byte every 0.2 s, forever
  /reset            resets the connection (RST)      /slow-headers  drips the header lines
  /loop             redirects to itself              /loop-a, /loop-b  redirect to each other
  /chain/N          N redirects, then the article    /redirect?to=URL  302 to URL
  /gzip-bomb        ~10 MB of zeros, gzip'd (~10 KB)  /deflate-bomb  the same with deflate
  /gzip-article     the article, gzip'd              /corrupt-gzip  claims gzip, is not
  /lie-long         Content-Length 100000, sends 20 bytes, closes
  /lie-short        Content-Length 10, sends a whole page
  /big              4 MB of HTML                      /big-declared  Content-Length 50 MB
  /pdf, /json, /image   non-HTML types               /no-type  HTML without Content-Type
  /status/CODE      that status                      /latin1  an ISO-8859-1 page
  /binary           text/html that is binary junk
  /charset?cs=NAME  the article, Content-Type charset=NAME
  /meta-charset?cs=NAME  the article, no charset header, <meta charset="NAME">
Every request is counted per path in `hits`.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ARTICLE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Harbour bridge reopens "
    "after repairs</title></head><body><article><h1>Harbour bridge reopens after repairs</h1>"
    + "".join(
        f"<p>The harbour bridge reopened on Monday after {n} weeks of repairs, the city's "
        f"transport department said in a statement. Engineer Lisa Moe told reporters that the "
        f"steel joints had been replaced and that traffic counts would be published in June.</p>"
        for n in range(3, 9))
    + "</article></body></html>"
)
SOBER = (Path(__file__).resolve().parents[2] / "server" / "demo" / "sober-article.html").read_text()
BOMB_SIZE = 10 * 1024 * 1024


def _gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * BOMB_SIZE, compresslevel=9)


def _deflate_bomb() -> bytes:
    return zlib.compress(b" " * BOMB_SIZE, 9)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "Server"

    def log_message(self, *args) -> None:  # quiet
        return

    def _send(self, status: int, body: bytes, ctype: str | None = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", headers={"Location": location})

    def _wait(self, seconds: float) -> None:
        self.server.stopping.wait(seconds)

    def do_GET(self) -> None:  # noqa: C901 - a routing table
        parts = urlsplit(self.path)
        path = parts.path
        self.server.hits[path] += 1
        self.server.headers_seen.append(dict(self.headers))
        if path == "/article":
            self._send(200, ARTICLE.encode())
        elif path == "/sober":
            self._send(200, SOBER.encode())
        elif path == "/slow-sober":  # a site that takes its time: concurrent readers wait on one fetch
            self._wait(0.6)
            self._send(200, SOBER.encode())
        elif path == "/slow-hang":
            self._wait(0.6)
            self._wait(30)
            self.close_connection = True
        elif path == "/hang":
            self._wait(30)
            self.close_connection = True
        elif path == "/drip":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>")
            for _ in range(300):
                if self.server.stopping.is_set():
                    break
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    break
                self._wait(0.2)
            self.close_connection = True
        elif path == "/slow-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(300):
                if self.server.stopping.is_set():
                    break
                try:
                    self.wfile.write(f"X-Slow-{i}: y\r\n".encode())
                    self.wfile.flush()
                except OSError:
                    break
                self._wait(0.2)
            self.close_connection = True
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/loop-a":
            self._redirect("/loop-b", 301)
        elif path == "/loop-b":
            self._redirect("/loop-a", 307)
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/chain/{n - 1}" if n > 0 else "/article")
        elif path == "/redirect":
            self._redirect(parse_qs(parts.query)["to"][0])
        elif path == "/gzip-bomb":
            self._send(200, self.server.gzip_bomb, headers={"Content-Encoding": "gzip"})
        elif path == "/deflate-bomb":
            self._send(200, self.server.deflate_bomb, headers={"Content-Encoding": "deflate"})
        elif path == "/gzip-article":
            self._send(200, gzip.compress(ARTICLE.encode()), headers={"Content-Encoding": "gzip"})
        elif path == "/corrupt-gzip":
            self._send(200, b"this is not gzip at all" * 10, headers={"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self._send(200, b"\x8b\x03\x80hello\x03", headers={"Content-Encoding": "br"})
        elif path == "/lie-long":
            self._send(200, b"<html><p>short</p>", length=100000)
        elif path == "/lie-short":
            self._send(200, ARTICLE.encode(), length=10)
        elif path == "/big":
            self._send(200, b"<html><body>" + b"<p>filler text here</p>" * (4 * 1024 * 1024 // 23))
        elif path == "/big-declared":
            self._send(200, b"<html>", length=50 * 1024 * 1024)
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4 junk", ctype="application/pdf")
        elif path == "/json":
            self._send(200, b'{"a": 1}', ctype="application/json")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n", ctype="image/png")
        elif path == "/no-type":
            self._send(200, ARTICLE.encode(), ctype=None)
        elif path == "/no-type-binary":
            self._send(200, b"\x00\x01\x02\x03binary", ctype=None)
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"<html>error</html>")
        elif path == "/latin1":
            body = ("<html><head><title>Caf\u00e9</title></head><body><p>Caf\u00e9 cr\u00e8me "
                    "\u00e0 la carte</p></body></html>").encode("latin-1")
            self._send(200, body, ctype="text/html; charset=iso-8859-1")
        elif path == "/charset":
            name = parse_qs(parts.query)["cs"][0]
            self._send(200, ARTICLE.encode(), ctype=f"text/html; charset={name}")
        elif path == "/meta-charset":
            name = parse_qs(parts.query)["cs"][0]
            body = ARTICLE.replace("<meta charset='utf-8'>", f'<meta charset="{name}">')
            self._send(200, body.encode(), ctype="text/html")
        elif path == "/binary":
            self._send(200, bytes(range(256)) * 40, ctype="text/html")
        else:
            self._send(404, b"<html>not found</html>")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.headers_seen: list[dict] = []
        self.stopping = threading.Event()
        self.gzip_bomb = _gzip_bomb()
        self.deflate_bomb = _deflate_bomb()


class LoopbackWeb:
    def __init__(self) -> None:
        self.server = Server()
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def hits(self) -> Counter[str]:
        return self.server.hits

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        time.sleep(0.05)
