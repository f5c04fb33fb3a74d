"""`reliability serve` stopped with SIGTERM (systemd, docker, kill) stops as cleanly as Ctrl-C:
exit status 0, its "stopped" line, and the page request counts still in memory written out.

A real `reliability serve` process on a free loopback port, real HTTP, the real SQLite file.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import urllib.request
from urllib.parse import quote

from .test_server_cli import RELIABILITY, env_for, free_port, wait_for

BADGE_LOOKUPS = 5


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, method="POST", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def test_sigterm_stops_serve_cleanly_and_flushes_the_request_counts(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    page = base + "/demo/seed-article.html"
    proc = subprocess.Popen([*RELIABILITY, "serve", "--port", str(port)], cwd=tmp_path,
                            env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        wait_for(base + "/healthz", seconds=60)
        assert post_json(base + "/api/v1/analyses", {"url": page})["cached"] is False
        # counted in memory; written every REQUEST_COUNT_FLUSH_SECONDS (5 s), so these are pending
        for _ in range(BADGE_LOOKUPS):
            with urllib.request.urlopen(f"{base}/api/v1/badges?url={quote(page, safe='')}",
                                        timeout=10) as response:
                assert response.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out.rstrip().endswith("stopped"), out
    with sqlite3.connect(tmp_path / "serve.sqlite3") as conn:
        (count,) = conn.execute("SELECT request_count FROM pages").fetchone()
    assert count == 1 + BADGE_LOOKUPS  # the analysis and every badge lookup
