"""A Redis outage under the rate limiter: limits still hold (each process counts in memory),
a hung Redis costs a short timeout, not 5 s per request, the outage is logged once, /readyz says
the service is degraded. Redis is simulated by a closed port, a listener that never answers, and
a relay to the real Redis that is stopped and started again."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .log_capture import Collect
from .tcp_faults import Blackhole, closed_port

SEED = "http://127.0.0.1:5000/demo/seed-article.html"
REPO = Path(__file__).resolve().parents[2]


def limited_app(app_factory, database_url, storage, **extra):
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage,
              "LIMIT_BADGES_ANON": "3/minute", **extra}
    return app_factory(database_url, **config)


def badge(client, addr="203.0.113.1"):
    return client.get("/api/v1/badges", query_string={"url": SEED}, environ_base={"REMOTE_ADDR": addr})


@pytest.fixture
def limiter_log():
    collect = Collect()
    logger = logging.getLogger("flask-limiter")
    logger.addHandler(collect)
    yield collect
    logger.removeHandler(collect)


def test_refused_redis_falls_back_to_limits_in_memory(app_factory, sqlite_database, limiter_log):
    app = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{closed_port()}/0")
    client = app.test_client()
    assert [badge(client).status_code for _ in range(3)] == [404, 404, 404]
    limited = badge(client)
    assert limited.status_code == 429  # the limit still holds, counted in this process
    assert limited.json["type"].endswith("/rate-limited")
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert badge(client, addr="203.0.113.2").status_code == 404  # per address, as always


def test_an_outage_is_logged_once_not_per_request(app_factory, sqlite_database, limiter_log):
    app = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{closed_port()}/0",
                      LIMIT_BADGES_ANON="100/minute")
    client = app.test_client()
    for i in range(40):
        assert badge(client, addr=f"203.0.113.{i + 1}").status_code == 404
    events = [getattr(r, "event", None) for r in limiter_log.records]
    assert events == ["ratelimit-storage-down"]
    assert limiter_log.records[0].levelno == logging.WARNING
    handlers = logging.getLogger("flask-limiter").handlers
    assert any(getattr(h, "_reliability", False) for h in handlers)  # the service's JSON log


def test_breaches_are_not_logged_with_the_client_address(app_factory, sqlite_database, limiter_log):
    """Flask-Limiter logs every breach with its key (our key holds the client's address)."""
    app = limited_app(app_factory, sqlite_database, "memory://")
    client = app.test_client()
    statuses = [badge(client, addr="203.0.113.77").status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert not [r for r in limiter_log.records if "203.0.113.77" in r.getMessage()]


def test_hung_redis_costs_a_short_timeout_and_limits_still_hold(app_factory, sqlite_database):
    with Blackhole() as hung:
        app = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{hung.port}/0")
        client = app.test_client()
        timings, statuses = [], []
        for _ in range(5):
            started = time.monotonic()
            statuses.append(badge(client).status_code)
            timings.append(time.monotonic() - started)
    assert statuses == [404, 404, 404, 429, 429]
    # redis-py's default: 5 s on every limited request (25 s here); ours about 1 s for the first
    # (connect and reply timeouts), then the fallback answers at once; room left for a busy machine
    assert max(timings) < 3.5, timings
    assert sum(timings) < 4.5, timings


def test_configured_storage_options_win_over_the_short_defaults(app_factory, sqlite_database):
    app = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{closed_port()}/0",
                      RATELIMIT_STORAGE_OPTIONS={"socket_timeout": 2.0})
    assert app.config["RATELIMIT_STORAGE_OPTIONS"] == {"socket_connect_timeout": 0.5,
                                                       "socket_timeout": 2.0}


@pytest.mark.redis
def test_readyz_is_ready_with_redis_and_degraded_without(app_factory, sqlite_database, redis_url):
    up = limited_app(app_factory, sqlite_database, redis_url)
    response = up.test_client().get("/readyz")
    assert (response.status_code, response.json) == (200, {"status": "ready"})

    refused = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{closed_port()}/0")
    response = refused.test_client().get("/readyz")
    assert response.status_code == 200  # still serving, with per-process limits
    assert response.json["status"] == "ready"
    assert "rate-limit storage" in response.json["degraded"]["rate_limit_storage"]


def test_readyz_answers_quickly_when_redis_hangs(app_factory, sqlite_database):
    with Blackhole() as hung:
        app = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{hung.port}/0")
        started = time.monotonic()
        response = app.test_client().get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 200 and "rate_limit_storage" in response.json["degraded"]
    assert elapsed < 2.0


def test_healthz_does_not_wait_for_a_hung_redis(app_factory, sqlite_database):
    with Blackhole() as hung:
        app = limited_app(app_factory, sqlite_database, f"redis://127.0.0.1:{hung.port}/0")
        client = app.test_client()
        badge(client)  # the limiter notices the outage and falls back
        started = time.monotonic()
        for _ in range(10):  # the limiter re-checks a dead storage on requests, not on these
            assert client.get("/healthz").status_code == 200
        # redis-py's default would be 5 s for each; room left for a busy machine
        assert time.monotonic() - started < 3.0


_OUTAGE_SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    sys.path.insert(0, os.environ["TEST_TESTS_DIR"])
    from tcp_faults import Relay
    from server import create_app

    relay = Relay(int(os.environ["TEST_REDIS_PORT"])).start()
    db_number = os.environ["TEST_REDIS_DB"]
    app = create_app({
        "TESTING": True, "SECRET_KEY": "k", "SESSION_COOKIE_SECURE": False, "JSON_LOGS": True,
        "PRELOAD_ANALYZER": False, "DATABASE_URL": "sqlite:///" + os.environ["TEST_DB_FILE"],
        "RATELIMIT_ENABLED": True, "LIMIT_BADGES_ANON": "1000/minute",
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{relay.port}/{db_number}",
    })
    client = app.test_client()

    def badges(n):
        return [client.get("/api/v1/badges", query_string={"url": "https://news.example/a"},
                           environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code for _ in range(n)]

    out = {"up": badges(3)}
    relay.stop()
    out["down"] = badges(40)
    relay.start()  # same port: Redis is back
    time.sleep(2.5)  # Flask-Limiter re-checks a dead storage after 1, 2, 4 ... 32 s
    out["back"] = badges(3)
    print(json.dumps(out))
""")


@pytest.mark.redis
def test_outage_and_recovery_reach_the_json_log_once_each(redis_url, tmp_path):
    """A real process, its real stderr: one JSON line when Redis goes, one when it is back."""
    parts = urlsplit(redis_url)
    env = dict(os.environ, PYTHONPATH=str(REPO), TEST_TESTS_DIR=str(Path(__file__).parent),
               TEST_REDIS_PORT=str(parts.port or 6379), TEST_REDIS_DB=parts.path.strip("/") or "0",
               TEST_DB_FILE=str(tmp_path / "outage.sqlite3"))
    done = subprocess.run([sys.executable, "-c", _OUTAGE_SCRIPT], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    statuses = json.loads(done.stdout.strip().splitlines()[-1])
    assert statuses == {"up": [404] * 3, "down": [404] * 40, "back": [404] * 3}
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    limiter_lines = [line for line in lines if line["logger"] == "flask-limiter"]
    assert [(line["level"], line["event"]) for line in limiter_lines] == [
        ("WARNING", "ratelimit-storage-down"), ("INFO", "ratelimit-storage-recovered")]
    assert "203.0.113.5" not in done.stderr


def test_repeated_swallowed_errors_are_logged_once_a_minute():
    """Without the fallback (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False) Flask-Limiter logs a
    swallowed storage error on every request: the service's log keeps the first of a minute."""
    from server.logs import LimiterLogFilter

    keep = LimiterLogFilter(repeat_seconds=60)

    def record(msg, level=logging.ERROR):
        return logging.LogRecord("flask-limiter", level, __file__, 1, msg, None, None)

    kept = [keep.filter(record("Failed to rate limit. Swallowing error")) for _ in range(30)]
    assert kept == [True] + [False] * 29
    assert keep.filter(record("Failed to update rate limit headers. Swallowing error"))
    assert not keep.filter(record("ratelimit 3 per 1 minute (addr:203.0.113.1) exceeded at endpoint: x",
                                  logging.INFO))
