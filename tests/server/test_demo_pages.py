"""The packaged demo pages: served for loopback demo URLs, one page each, off in production."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from server.config import from_environment
from server.store import db
from server.store.models import Page

SEED = "http://127.0.0.1:5000/demo/seed-article.html"


def test_query_variants_of_a_demo_url_are_one_page(client, app):
    for suffix in ("", "?x=1", "?x=2&y=3", "#top"):
        response = client.post("/api/v1/analyses", json={"url": SEED + suffix})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["url"] == SEED
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Page)) == 1


def test_a_query_still_makes_another_page_elsewhere(client, app):
    for n in (1, 2):
        assert client.post("/api/v1/reports", json={"url": f"https://news.example/a?id={n}"}).status_code < 300
    with app.app_context():
        keys = set(db.session.scalars(select(Page.url_key)).all())
    assert keys == {"https://news.example/a?id=1", "https://news.example/a?id=2"}


def test_demo_switched_off_serves_no_packaged_page(sqlite_database, app_factory):
    app = app_factory(sqlite_database, DEMO_ENABLED=False)
    response = app.test_client().post("/api/v1/analyses", json={"url": SEED})
    assert response.status_code == 422
    assert response.get_json()["type"].endswith("forbidden-destination")


def test_environment_switches_the_demo():
    assert from_environment({"RELIABILITY_DEMO": "0"}) == {"DEMO_ENABLED": False}
    assert from_environment({"RELIABILITY_DEMO": "1"}) == {"DEMO_ENABLED": True}


def test_gunicorn_settings_switch_the_demo_off_unless_asked():
    code = "import os, server.gunicorn_conf; print(os.environ['RELIABILITY_DEMO'])"
    repo = Path(__file__).resolve().parents[2]

    def run(env):
        return subprocess.run([sys.executable, "-c", code], env=env, cwd=repo, capture_output=True,
                              text=True, check=True).stdout.strip()

    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(repo)}
    assert run(base) == "0"
    assert run(dict(base, RELIABILITY_DEMO="1")) == "1"


def test_demo_switched_off_offers_and_serves_no_demo_page(sqlite_database, app_factory):
    """Production (gunicorn_conf: RELIABILITY_DEMO=0): no page promises a demo that answers 422."""
    client = app_factory(sqlite_database, DEMO_ENABLED=False).test_client()
    for path in ("/", "/check", "/api/v1/docs"):
        page = client.get(path).get_data(as_text=True)
        assert "/demo/" not in page and "demo article" not in page.lower(), path
    start = client.get("/").get_data(as_text=True)
    assert "/check" in start and "/api/v1/analyses" in start  # what does work is still there
    for path in ("/demo/", "/demo/seed-article.html", "/demo/sober-article.html",
                 "/demo/not-an-article.html"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"


def test_demo_on_offers_and_serves_the_demo_pages(client):
    start = client.get("/").get_data(as_text=True)
    assert "/demo/seed-article.html" in start and "See the demo article" in start
    assert client.get("/demo/").status_code == 200
    assert client.get("/demo/seed-article.html").status_code == 200


def test_no_demo_promised_on_a_host_whose_demo_urls_are_not_packaged(client):
    """Served on a LAN address, the demo URLs would be fetched, and refused (private address)."""
    start = client.get("/", base_url="http://192.168.1.5:5000").get_data(as_text=True)
    assert "/demo/" not in start
    assert "192.168.1.5:5000/check" in start
