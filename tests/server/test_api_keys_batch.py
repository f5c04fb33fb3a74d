"""API keys (CLI, keyed hash, revocation) and the keyed batch endpoint."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import select

from server.store import db
from server.store.models import ApiClient

SEED = "http://127.0.0.1:5000/demo/seed-article.html"
SOBER = "http://127.0.0.1:5000/demo/sober-article.html"


def create_key(runner, name="newsroom-tool") -> str:
    result = runner.invoke(args=["apikey", "create", name])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_apikey_create_prints_key_once_and_stores_only_a_keyed_hash(app, runner):
    key = create_key(runner)
    assert key.startswith("rlk_") and len(key) > 40
    with app.app_context():
        client = db.session.scalar(select(ApiClient))
        assert client.name == "newsroom-tool"
        assert key not in (client.key_hash, client.prefix)
        assert client.key_hash == hmac.new(app.config["SECRET_KEY"].encode(), key.encode(),
                                           hashlib.sha256).hexdigest()
        assert client.key_hash != hashlib.sha256(key.encode()).hexdigest()  # keyed, not plain
    listing = runner.invoke(args=["apikey", "list"])
    assert "newsroom-tool" in listing.output and key not in listing.output


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_batch_with_key(app, runner, header):
    key = create_key(runner)
    value = f"Bearer {key}" if header == "Authorization" else key
    items = [{"url": SEED}, {"url": "ftp://example.com/"}, {"url": SOBER},
             {"url": "http://10.0.0.1/"}, {"url": SEED + "?utm_source=a"}]
    response = app.test_client().post("/api/v1/analyses/batch", json={"items": items},
                                      headers={header: value})
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert len(results) == 5
    assert results[0]["badge"]["level"] == "unreliable"
    assert results[1]["status"] == 422 and results[1]["type"].endswith("/unsupported-scheme")
    assert results[2]["badge"]["level"] == "reliable"
    assert results[3]["type"].endswith("/forbidden-destination")
    assert results[4]["cached"] is True and results[4]["url"] == SEED


def test_batch_without_key_is_401(sqlite_client):
    response = sqlite_client.post("/api/v1/analyses/batch", json={"items": [{"url": SEED}]})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/api-key-required")
    assert "Bearer" in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("key", ["rlk_not-a-real-key-at-all-000000000000000000", "garbage", "x" * 500])
def test_unknown_key_is_401_even_on_reader_endpoints(sqlite_client, key):
    response = sqlite_client.get("/api/v1/badges", query_string={"url": SEED},
                                 headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401
    assert response.json["type"].endswith("/invalid-api-key")


def test_revoked_key_is_refused(app, runner):
    key = create_key(runner, "old-tool")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/v1/analyses/batch", json={"items": [{"url": SEED}]},
                       headers=headers).status_code == 200
    result = runner.invoke(args=["apikey", "revoke", "old-tool"])
    assert result.exit_code == 0 and "revoked" in result.output
    response = client.post("/api/v1/analyses/batch", json={"items": [{"url": SEED}]}, headers=headers)
    assert response.status_code == 401
    assert runner.invoke(args=["apikey", "revoke", "no-such-client"]).exit_code != 0


@pytest.mark.parametrize("items,status", [
    ([], 422),
    ([{"url": SEED}] * 101, 422),
    ("not a list", 422),
    ([{"nourl": 1}], 422),
])
def test_batch_bounds(app, runner, items, status):
    key = create_key(runner)
    response = app.test_client().post("/api/v1/analyses/batch", json={"items": items},
                                      headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_batch_deadline_bounds_total_work(app_factory, sqlite_database):
    app = app_factory(sqlite_database, BATCH_DEADLINE_SECONDS=0)
    key = create_key(app.test_cli_runner())
    response = app.test_client().post("/api/v1/analyses/batch",
                                      json={"items": [{"url": SEED}, {"url": SOBER}]},
                                      headers={"Authorization": f"Bearer {key}"})
    results = response.json["results"]
    assert [r.get("type", "").rsplit("/", 1)[-1] for r in results] == ["batch-deadline-exceeded"] * 2
