"""`reliability serve` and `reliability apikey` as a reader would run them (real processes)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from server.cli import apikey, serve

REPO = Path(__file__).resolve().parents[2]
RELIABILITY = [sys.executable, "-c", "from server.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/serve.sqlite3"
    env["SECRET_KEY"] = "cli-test-secret-" + "k" * 32
    env.pop("RELIABILITY_FETCH_ALLOW_LOOPBACK", None)
    return env


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.mark.slow
def test_serve_migrates_serves_the_demo_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    proc = subprocess.Popen([*RELIABILITY, "serve", "--port", str(port)], cwd=tmp_path,
                            env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        request = urllib.request.Request(
            base + "/api/v1/analyses", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"url": base + "/demo/seed-article.html"}).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        assert body["badge"]["level"] == "unreliable"  # the red badge, without any fetch
        with urllib.request.urlopen(f"{base}/api/v1/badges?url={base}/demo/seed-article.html",
                                    timeout=5) as response:
            assert json.load(response)["badge"]["level"] == "unreliable"
        with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
            assert response.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "revision" in out and "serving on" in out and "stopped" in out
    assert (tmp_path / "serve.sqlite3").exists()
    assert "seed-article" not in err  # the request log has routes, not URLs


def test_apikey_create_prints_the_key_alone_on_the_last_line(tmp_path):
    result = subprocess.run([*RELIABILITY, "apikey", "create", "partner"], cwd=tmp_path,
                            env=env_for(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("rlk_") and " " not in last
    listed = subprocess.run([*RELIABILITY, "apikey", "list"], cwd=tmp_path, env=env_for(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert "partner" in listed.stdout and last not in listed.stdout


def test_service_commands_join_the_reliability_group():
    result = subprocess.run([*RELIABILITY, "--help"], capture_output=True, text=True, timeout=60,
                            cwd=REPO)
    assert result.returncode == 0
    for name in ("analyze", "serve", "apikey", "db"):
        assert name in result.stdout
    assert serve.name == "serve" and apikey.name == "apikey"


@pytest.mark.parametrize("args", [["db", "current"], ["db", "upgrade"]])
def test_db_commands(runner, args):
    from server.store import head_revision

    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert head_revision() in result.output


@pytest.mark.parametrize("port, says", [
    ("70000", "70000 is not in the range"),  # it used to announce :70000 and listen elsewhere
    ("-1", "-1 is not in the range"),
    ("http", "'http' is not a valid integer"),
])
def test_serve_refuses_a_port_that_cannot_be(tmp_path, port, says):
    result = subprocess.run([*RELIABILITY, "serve", "--port", port], cwd=tmp_path,
                            env=env_for(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert says in result.stderr
    assert "serving on" not in result.stdout and "Traceback" not in result.stderr


def test_serve_on_a_taken_port_says_so_in_one_line_and_announces_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([*RELIABILITY, "serve", "--port", str(port)], cwd=tmp_path,
                                env=env_for(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""  # no "serving on …" before the failure
    assert result.stderr.strip().splitlines() == [f"Error: port {port} is in use; try --port {port + 1}"]


def test_serve_on_port_0_announces_the_port_it_listens_on(tmp_path):
    proc = subprocess.Popen([*RELIABILITY, "serve", "--port", "0"], cwd=tmp_path,
                            env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        for line in proc.stdout:
            if line.startswith("serving on "):
                break
        address = line.split()[2]
        assert not address.endswith(":0/")
        wait_for(address + "healthz")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)
    assert proc.returncode == 0


@pytest.mark.parametrize("revision", ["bogus", "0003_page_urls_normalised@nonsense"])
def test_db_upgrade_to_an_unknown_revision_is_one_line(runner, revision):
    result = runner.invoke(args=["db", "upgrade", "--revision", revision])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not alembic's CommandError
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot upgrade to"), result.output
