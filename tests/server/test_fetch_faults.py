"""The fetcher against real misbehaving servers on loopback (the test-only loopback switch)."""

from __future__ import annotations

import time

import pytest

from server.errors import Problem
from server.fetch import FetchPolicy, Fetcher

POLICY = FetchPolicy(allow_loopback=True, total_timeout=1.5, connect_timeout=1.0,
                     max_bytes=1024 * 1024, max_redirects=5)


@pytest.fixture
def fetcher():
    return Fetcher(POLICY)


FAULTS = [
    # path, status, problem kind
    ("/hang", 504, "upstream-timeout"),
    ("/drip", 504, "upstream-timeout"),
    ("/slow-headers", 504, "upstream-timeout"),
    ("/reset", 502, "upstream-connection-error"),
    ("/loop", 502, "redirect-loop"),
    ("/loop-a", 502, "redirect-loop"),
    ("/chain/5", 502, "too-many-redirects"),
    ("/gzip-bomb", 502, "upstream-too-large"),
    ("/deflate-bomb", 502, "upstream-too-large"),
    ("/corrupt-gzip", 502, "upstream-encoding"),
    ("/brotli", 502, "upstream-encoding"),
    ("/lie-long", 502, "upstream-truncated"),
    ("/big", 502, "upstream-too-large"),
    ("/big-declared", 502, "upstream-too-large"),
    ("/pdf", 422, "not-html"),
    ("/json", 422, "not-html"),
    ("/image", 422, "not-html"),
    ("/no-type-binary", 422, "not-html"),
    ("/status/404", 502, "upstream-status"),
    ("/status/500", 502, "upstream-status"),
    ("/status/418", 502, "upstream-status"),
    ("/redirect?to=ftp://example.com/", 502, "bad-redirect"),
    ("/redirect?to=http://user:pw@127.0.0.1/", 502, "bad-redirect"),
    ("/redirect?to=http://10.0.0.1/", 502, "redirect-forbidden-destination"),
    ("/redirect?to=http://169.254.169.254/latest/meta-data/", 502, "redirect-forbidden-destination"),
    ("/redirect?to=http://0x7f.1/", 502, "bad-redirect"),
]


@pytest.mark.parametrize("path,status,kind", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_gives_specific_problem_quickly(fetcher, web, path, status, kind):
    started = time.monotonic()
    with pytest.raises(Problem) as info:
        fetcher.fetch(web.url(path))
    elapsed = time.monotonic() - started
    assert (info.value.status, info.value.kind) == (status, kind), info.value.detail
    assert info.value.detail  # every refusal says why
    assert elapsed < POLICY.total_timeout + 1.0  # never a hang


GOOD = [
    ("/article", "Harbour bridge reopens"),
    ("/gzip-article", "Harbour bridge reopens"),
    ("/chain/4", "Harbour bridge reopens"),  # 5 redirects: exactly the allowed number of redirects
    ("/no-type", "Harbour bridge reopens"),  # sniffed as HTML
    ("/latin1", "Caf\u00e9 cr\u00e8me"),
    ("/lie-short", "<!doctype"),  # only the promised bytes are read
]


@pytest.mark.parametrize("path,expected", GOOD, ids=[g[0] for g in GOOD])
def test_good_pages_fetch(fetcher, web, path, expected):
    result = fetcher.fetch(web.url(path))
    assert result.status == 200
    assert expected in result.text
    assert result.content_type == "text/html"


def test_redirects_are_followed_and_recorded(fetcher, web):
    result = fetcher.fetch(web.url("/chain/2"))
    assert result.url == web.url("/article")
    assert result.redirects == [web.url("/chain/2"), web.url("/chain/1"), web.url("/chain/0")]


def test_fetch_sends_identifying_headers(fetcher, web):
    web.server.headers_seen.clear()
    fetcher.fetch(web.url("/article"))
    seen = web.server.headers_seen[-1]
    assert seen["Host"] == f"127.0.0.1:{web.port}"
    assert seen["User-Agent"].startswith("ReliabilityLabelsBot")
    assert "gzip" in seen["Accept-Encoding"]


def test_decoded_size_cap_counts_decompressed_bytes(web):
    """The bomb is ~10 KB on the wire: the cap must be on the decoded bytes."""
    small = Fetcher(FetchPolicy(allow_loopback=True, max_bytes=50_000, total_timeout=2))
    assert len(web.server.gzip_bomb) < 50_000
    with pytest.raises(Problem) as info:
        small.fetch(web.url("/gzip-bomb"))
    assert info.value.kind == "upstream-too-large"


def test_connection_refused_is_502(fetcher):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(Problem) as info:
        fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert (info.value.status, info.value.kind) == (502, "upstream-unreachable")


def test_loopback_refused_without_the_switch(web, network):
    with pytest.raises(Problem) as info:
        Fetcher(FetchPolicy(allow_loopback=False)).fetch(web.url("/article"))
    assert (info.value.status, info.value.kind) == (422, "forbidden-destination")
    assert network.connects() == []


def test_the_switch_does_not_open_ports_elsewhere():
    """With the switch on, a public host on another port is still refused (before connecting)."""
    fetcher = Fetcher(FetchPolicy(allow_loopback=True), resolver=lambda h, p: ["93.184.216.34"])
    with pytest.raises(Problem) as info:
        fetcher.fetch("http://example.test:8080/")
    assert info.value.kind == "forbidden-port"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on loopback with a self-signed certificate for 'news.test'."""
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import ThreadingHTTPServer

    from .loopback_web import Handler

    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed (Debian package openssl) to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    from collections import Counter

    server.hits, server.headers_seen, server.stopping = Counter(), [], threading.Event()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], cert
    server.shutdown()
    server.server_close()


def test_https_verifies_the_certificate_against_the_host_name(tls_server):
    port, _cert = tls_server
    fetcher = Fetcher(POLICY, resolver=lambda host, p: ["127.0.0.1"])
    with pytest.raises(Problem) as info:  # self-signed: not trusted by the system store
        fetcher.fetch(f"https://news.test:{port}/article")
    assert (info.value.status, info.value.kind) == (502, "upstream-tls-error")


def test_https_to_the_checked_address_with_sni(tls_server):
    port, cert = tls_server
    policy = FetchPolicy(allow_loopback=True, total_timeout=3, ca_file=str(cert))
    fetcher = Fetcher(policy, resolver=lambda host, p: ["127.0.0.1"])
    result = fetcher.fetch(f"https://news.test:{port}/article")
    assert result.status == 200 and "Harbour bridge" in result.text
    with pytest.raises(Problem) as info:  # the same server under another name: hostname mismatch
        fetcher.fetch(f"https://other.test:{port}/article")
    assert info.value.kind == "upstream-tls-error"


@pytest.mark.parametrize("path", ["/slow-headers", "/drip"])
def test_https_stops_at_the_total_deadline(tls_server, path):
    """The watchdog must reach the TLS socket too: header lines dripped over TLS held a fetch
    thread for minutes when it shut down only the plain socket the TLS one had taken over."""
    port, cert = tls_server
    policy = FetchPolicy(allow_loopback=True, total_timeout=1.0, connect_timeout=1.0, ca_file=str(cert))
    fetcher = Fetcher(policy, resolver=lambda host, p: ["127.0.0.1"])
    started = time.monotonic()
    with pytest.raises(Problem) as info:
        fetcher.fetch(f"https://news.test:{port}{path}")
    assert (info.value.status, info.value.kind) == (504, "upstream-timeout")
    assert time.monotonic() - started < policy.total_timeout + 1.0


def test_https_handshake_that_never_ends_stops_at_the_deadline():
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    policy = FetchPolicy(allow_loopback=True, total_timeout=1.0, connect_timeout=1.0)
    fetcher = Fetcher(policy, resolver=lambda host, p: ["127.0.0.1"])
    started = time.monotonic()
    try:
        with pytest.raises(Problem) as info:
            fetcher.fetch(f"https://news.test:{listener.getsockname()[1]}/")
    finally:
        listener.close()
        for conn, _ in held:
            conn.close()
    assert (info.value.status, info.value.kind) == (504, "upstream-timeout")
    assert time.monotonic() - started < policy.total_timeout + 1.0


def test_an_extra_ca_file_adds_to_the_system_store(tls_server):
    from server.fetch import tls_context

    _port, cert = tls_server
    system = tls_context().cert_store_stats()["x509_ca"]
    if system == 0:
        pytest.skip("no system CA bundle on this machine (Debian package ca-certificates)")
    assert tls_context(str(cert)).cert_store_stats()["x509_ca"] == system + 1


def test_non_ascii_paths_are_sent_percent_encoded(fetcher, web):
    web.server.headers_seen.clear()
    with pytest.raises(Problem) as info:
        fetcher.fetch(web.url("/straße?q=ü ü".replace(" ", "%20")))
    assert info.value.kind == "upstream-status"  # the server saw a valid request and said 404
    assert web.hits["/stra%C3%9Fe"] == 1


ODD_CHARSETS = ["idna", "undefined", "punycode", "unicode_escape", "base64", "zlib", "rot13",
                "no-such-charset", "utf-8", "ISO-8859-1"]


@pytest.mark.parametrize("route", ["/charset", "/meta-charset"])
@pytest.mark.parametrize("charset", ODD_CHARSETS)
def test_odd_charsets_decode_without_error(fetcher, web, route, charset):
    """Whatever charset a page declares (header or <meta>), its text decodes: a name that is
    not a text encoding falls back to UTF-8 with replacement characters, never an exception."""
    result = fetcher.fetch(web.url(f"{route}?cs={charset}"))
    assert result.charset == charset.lower()
    assert "Harbour bridge reopens" in result.text
