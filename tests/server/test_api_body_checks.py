"""server/api/__init__.py, before any view reads a body: routing errors come before body errors
(405 with Allow, 404), and a chunked body over the size limit is a 413, not malformed JSON."""

from __future__ import annotations

import http.client
import threading

import pytest
from werkzeug.serving import make_server

ROUTING_ERRORS = [
    # method, path, request, status, problem kind: no body, a form body, a JSON body alike
    ("post", "/api/v1/badges", {}, 405, "method-not-allowed"),
    ("post", "/api/v1/badges", {"data": "url=x", "content_type": "application/x-www-form-urlencoded"},
     405, "method-not-allowed"),
    ("post", "/api/v1/openapi.json", {}, 405, "method-not-allowed"),
    ("post", "/api/v1/openapi.json", {"json": {"url": "x"}}, 405, "method-not-allowed"),
    ("put", "/api/v1/analyses", {"data": "x", "content_type": "text/plain"}, 405, "method-not-allowed"),
    ("post", "/api/v1/nope", {}, 404, "not-found"),
    ("post", "/api/v1/nope", {"data": "{not json", "content_type": "application/json"}, 404, "not-found"),
    ("post", "/api/v2/analyses", {"json": {"url": "x"}}, 404, "not-found"),
]


@pytest.mark.parametrize("method,path,request_args,status,kind", ROUTING_ERRORS,
                         ids=[f"{m} {p} {s}" for m, p, _, s, _ in ROUTING_ERRORS])
def test_a_routing_error_comes_before_any_body_error(sqlite_client, method, path, request_args,
                                                     status, kind):
    response = getattr(sqlite_client, method)(path, **request_args)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/" + kind)
    if status == 405:
        assert response.headers["Allow"]


@pytest.fixture
def loopback_server(sqlite_app):
    """The app behind werkzeug's server on a free loopback port: real HTTP, real chunked bodies
    (the test client cannot send one)."""
    server = make_server("127.0.0.1", 0, sqlite_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(10)


def post_chunked(server, body: bytes) -> tuple[int, dict]:
    import json

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
        conn.request("POST", "/api/v1/analyses", body=chunks, encode_chunked=True,
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


LIMIT = 5 * 1024 * 1024  # MAX_CONTENT_LENGTH


def json_body(size: int) -> bytes:
    """An analysis request of exactly `size` bytes."""
    head, tail = b'{"url": "https://news.example/a", "html": "<p>', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


@pytest.mark.parametrize("size,status,kind", [
    (6 * 1024 * 1024, 413, "request-too-large"),  # werkzeug stops reading at the limit, silently
    (LIMIT + 1, 413, "request-too-large"),
    (LIMIT, 413, "html-too-large"),  # read whole: then its HTML is over MAX_HTML_CHARS
    (1000, 200, None),
])
def test_a_chunked_body_is_measured_like_a_declared_one(loopback_server, size, status, kind):
    got, answer = post_chunked(loopback_server, json_body(size))
    assert got == status, answer
    if kind:
        assert answer["type"].endswith("/" + kind)
