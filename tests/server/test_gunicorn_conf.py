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


@pytest.mark.parametrize("binds, exposed", [
    (["127.0.0.1:8000"], []),
    (["[::1]:8000", "localhost:8000", "unix:/run/labels.sock"], []),
    (["0.0.0.0:8000"], ["0.0.0.0:8000"]),
    (["[::]:8000", "127.0.0.1:8001"], ["[::]:8000"]),
    (["192.168.1.5:8000"], ["192.168.1.5:8000"]),
])
def test_binds_other_machines_reach_are_warned_about(gunicorn_conf, binds, exposed, caplog):
    logger = logging.getLogger("test.gunicorn")
    server = SimpleNamespace(cfg=SimpleNamespace(bind=binds), log=logger)
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
