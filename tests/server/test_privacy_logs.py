"""Logs are JSON and never tie a reader's address to a URL (nor contain the URL at all)."""

from __future__ import annotations

import json
import logging

from .log_capture import Collect

SECRET_URL = "https://news.example/private-story-4711?utm_source=x"
ADDR = "203.0.113.42"


def test_request_log_has_route_not_url_nor_address(sqlite_client):
    collect = Collect()
    logging.getLogger("server").addHandler(collect)
    try:
        _requests(sqlite_client)
    finally:
        logging.getLogger("server").removeHandler(collect)
    records = [r for r in collect.records if r.name == "server.requests"]
    assert len(records) == 3
    assert {r.route for r in records} == {"/api/v1/badges", "/api/v1/reports", "/api/v1/analyses"}
    everything = " ".join(r.getMessage() + json.dumps(r.__dict__, default=str) for r in collect.records)
    assert "private-story-4711" not in everything
    assert ADDR not in everything


def _requests(sqlite_client):
    sqlite_client.get("/api/v1/badges", query_string={"url": SECRET_URL}, environ_base={"REMOTE_ADDR": ADDR})
    sqlite_client.post("/api/v1/reports", json={"url": SECRET_URL, "comment": "wrong"},
                       environ_base={"REMOTE_ADDR": ADDR})
    sqlite_client.post("/api/v1/analyses", json={"url": "http://10.0.0.1/private-story-4711"},
                       environ_base={"REMOTE_ADDR": ADDR})


def test_log_lines_are_json(sqlite_app):
    from server.logs import JSONFormatter

    record = logging.LogRecord("server.requests", logging.INFO, __file__, 1, "request", None, None)
    record.route, record.status, record.method, record.ms = "/api/v1/badges", 200, "GET", 1.2
    line = json.loads(JSONFormatter().format(record))
    assert line["route"] == "/api/v1/badges" and line["status"] == 200


def test_the_development_server_logs_no_request_lines(sqlite_app):
    """`flask run` serves with werkzeug's own request handler: its access line (client address,
    query string) and its error lines (a bad request line, quoted) must not be written."""
    import socket
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    werkzeug_log = logging.getLogger("werkzeug")
    collect = Collect()
    werkzeug_log.addHandler(collect)
    server = make_server("127.0.0.1", 0, sqlite_app, threaded=True)  # as `flask run` does
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/badges?url=https%3A%2F%2F"
                                    "news.example%2Fprivate-story-4711", timeout=5) as response:
            pass
    except urllib.error.HTTPError as refused:
        assert refused.code == 404
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /check?url=private-story-4711 HTTP/9.9 junk\r\n\r\n")
            sock.recv(1024)
    finally:
        server.shutdown()
        server.server_close()
        werkzeug_log.removeHandler(collect)
    written = " ".join(r.getMessage() for r in collect.records)
    assert "private-story-4711" not in written
    assert "127.0.0.1 - -" not in written
