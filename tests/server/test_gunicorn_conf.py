"""server/gunicorn_conf.py: gunicorn must not face clients directly (slowloris holds gthread
threads), so a bind other machines can reach is warned about at start."""

from __future__ import annotations

import importlib
import logging
import os
from types import SimpleNamespace

import pytest


@pytest.fixture
def gunicorn_conf(monkeypatch):
    """The settings module, imported without leaving its RELIABILITY_DEMO=0 in the environment
    of the tests that follow (their apps would lose the demo pages)."""
    monkeypatch.setenv("RELIABILITY_DEMO", "0")
    return importlib.import_module("server.gunicorn_conf")


def fake_arbiter(binds=("127.0.0.1:8000",), workers=1, app_config=None, log=None):
    """What when_ready sees of gunicorn's arbiter: its settings, its logger, and the app it
    loaded (preload_app: `callable`, the Flask app; None before it is loaded)."""
    app = SimpleNamespace(config=app_config) if app_config is not None else None
    return SimpleNamespace(cfg=SimpleNamespace(bind=list(binds), workers=workers),
                           app=SimpleNamespace(callable=app), log=log or logging.getLogger("test.gunicorn"))


@pytest.mark.parametrize("binds, exposed", [
    (["127.0.0.1:8000"], []),
    (["[::1]:8000", "localhost:8000", "unix:/run/labels.sock"], []),
    (["0.0.0.0:8000"], ["0.0.0.0:8000"]),
    (["[::]:8000", "127.0.0.1:8001"], ["[::]:8000"]),
    (["192.168.1.5:8000"], ["192.168.1.5:8000"]),
])
def test_binds_other_machines_reach_are_warned_about(gunicorn_conf, binds, exposed, caplog):
    logger = logging.getLogger("test.gunicorn")
    server = fake_arbiter(binds=binds, log=logger)
    with caplog.at_level(logging.WARNING, logger="test.gunicorn"):
        gunicorn_conf.when_ready(server)
    warned = [r.getMessage() for r in caplog.records if r.name == "test.gunicorn"]
    assert len(warned) == len(exposed)
    for address, message in zip(exposed, warned):
        assert address in message and "reverse proxy" in message


def test_the_default_bind_is_loopback(gunicorn_conf):
    assert gunicorn_conf.bind.startswith("127.0.0.1:") or "GUNICORN_BIND" in os.environ


def test_the_deployment_docs_require_a_proxy_and_do_not_suggest_an_open_bind():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    assert "GUNICORN_BIND=0.0.0.0" not in docs and "e.g. `0.0.0.0:8000`" not in docs
    deployment = docs.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    assert "nginx" in deployment and "slowloris" in deployment


@pytest.mark.parametrize("workers, app_config, environ, warned", [
    (2, {"RATELIMIT_STORAGE_URI": "memory://"}, {}, True),  # the production default
    (4, {"RATELIMIT_STORAGE_URI": "memory://"}, {"RATELIMIT_STORAGE_URI": "redis://x:6379/0"}, True),
    (2, None, {}, True),  # the app not loaded (no preload): the environment's, else the default
    (2, None, {"RATELIMIT_STORAGE_URI": "memory://"}, True),
    (1, {"RATELIMIT_STORAGE_URI": "memory://"}, {}, False),  # one process: limits hold
    (2, {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, {}, False),
    (2, None, {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, False),
])
def test_several_workers_on_per_process_limit_storage_are_warned_about_once(
        gunicorn_conf, monkeypatch, caplog, workers, app_config, environ, warned):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with caplog.at_level(logging.WARNING, logger="test.gunicorn"):
        gunicorn_conf.when_ready(fake_arbiter(workers=workers, app_config=app_config))
    messages = [r.getMessage() for r in caplog.records if r.name == "test.gunicorn"]
    if not warned:
        assert messages == []
        return
    assert len(messages) == 1
    assert f"{workers} workers" in messages[0] and "memory://" in messages[0]
    assert "RATELIMIT_STORAGE_URI" in messages[0] and "lock-out" in messages[0]
