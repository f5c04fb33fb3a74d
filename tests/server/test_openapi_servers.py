"""The OpenAPI document's `servers` is fixed ("/"), whatever Host header a client sends first.

APIFlask builds the document once per process, on the first request that needs it; left to
itself it puts that request's Host header in `servers`, so one hostile request decided what every
later reader of /api/v1/openapi.json (and /api/v1/docs) was told, differently per worker.
Real HTTP on loopback: the app in a threaded server, and gunicorn with several workers.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from .test_server_cli import free_port

REPO = Path(__file__).resolve().parents[2]
HOSTILE = "attacker.example"


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@pytest.fixture
def served(sqlite_app):
    server = make_server("127.0.0.1", 0, sqlite_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=10)


def test_a_hostile_host_header_does_not_reach_the_document(served):
    status, page = get(served, "/api/v1/docs", host=HOSTILE)  # the first to build the document
    assert status == 200 and HOSTILE not in page
    for host in (None, HOSTILE, "other.example:8443"):
        status, body = get(served, "/api/v1/openapi.json", host=host)
        assert status == 200
        assert json.loads(body)["servers"] == [{"url": "/"}]
        assert HOSTILE not in body


@pytest.mark.slow
def test_every_gunicorn_worker_documents_the_same_servers(tmp_path):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        pytest.skip("gunicorn is not installed in this environment")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/servers.sqlite3",
               SECRET_KEY="servers-test-secret-" + "k" * 32, RELIABILITY_PRELOAD_ANALYZER="0",
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="3", GUNICORN_THREADS="2")
    proc = subprocess.Popen([gunicorn, "-c", "python:server.gunicorn_conf", "server:create_app()"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        # a fresh connection each time, so the hostile requests reach every worker first
        for _ in range(30):
            assert get(port, "/api/v1/openapi.json", host=HOSTILE)[0] == 200
        documents = {get(port, "/api/v1/openapi.json")[1] for _ in range(30)}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert len(documents) == 1  # identical on every worker
    assert json.loads(documents.pop())["servers"] == [{"url": "/"}]
