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
    # a problem item names its input: the URL as sent and its position
    assert (results[1]["index"], results[1]["url"]) == (1, "ftp://example.com/")
    assert (results[3]["index"], results[3]["url"]) == (3, "http://10.0.0.1/")


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


# An Authorization header that is not `Bearer KEY` is refused, whatever it holds: ignoring it
# served a client that meant to send its key as anonymous. "{key}" is a real, active key.
OTHER_AUTHORIZATION = [
    "Token {key}",
    "{key}",  # bare, no scheme
    "Basic cmxrOnNlY3JldA==",
    "ApiKey {key}",
    "Bearer{key}",  # no space: not the Bearer scheme
]


@pytest.mark.parametrize("value", OTHER_AUTHORIZATION)
@pytest.mark.parametrize("method,path,request_args", [
    ("get", "/api/v1/badges", {"query_string": {"url": SEED}}),
    ("post", "/api/v1/analyses", {"json": {"url": SEED}}),
    ("post", "/api/v1/analyses/batch", {"json": {"items": [{"url": SEED}]}}),
])
def test_an_authorization_header_other_than_bearer_is_401(app, runner, value, method, path,
                                                          request_args):
    key = create_key(runner)
    response = getattr(app.test_client(), method)(
        path, headers={"Authorization": value.format(key=key)}, **request_args)
    assert response.status_code == 401, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/invalid-api-key")
    assert "Authorization: Bearer KEY" in response.json["detail"]
    assert key not in response.get_data(as_text=True)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("headers", [
    lambda key: {"Authorization": f"Bearer {key}"},
    lambda key: {"Authorization": f"bearer   {key} "},
    lambda key: {"X-API-Key": key},
    lambda key: {"Authorization": "", "X-API-Key": key},  # an empty header is no header
])
def test_the_documented_ways_to_send_a_key_work(app, runner, headers):
    key = create_key(runner)
    response = app.test_client().post("/api/v1/analyses/batch", json={"items": [{"url": SEED}]},
                                      headers=headers(key))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


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
    assert [(r["index"], r["url"]) for r in results] == [(0, SEED), (1, SOBER)]


def test_batch_item_that_fails_on_our_side_names_its_url(app, runner, monkeypatch):
    from server import analysis

    original = analysis.analyse

    def buggy(url, html=None, refresh=False):
        if "sober" in url:
            raise RuntimeError("a bug")
        return original(url, html, refresh)

    monkeypatch.setattr(analysis, "analyse", buggy)
    key = create_key(runner)
    response = app.test_client().post("/api/v1/analyses/batch",
                                      json={"items": [{"url": SEED}, {"url": SOBER}]},
                                      headers={"Authorization": f"Bearer {key}"})
    first, second = response.json["results"]
    assert "index" not in first and first["badge"]["level"] == "unreliable"
    assert second["type"].endswith("/internal-error")
    assert (second["index"], second["url"]) == (1, SOBER)


# -- `apikey revoke NAME` means one key ---------------------------------------------------

def revoke(runner, ident):
    return runner.invoke(args=["apikey", "revoke", ident])


def active_names(app):
    with app.app_context():
        return sorted(c.name for c in db.session.scalars(select(ApiClient))
                      if c.revoked_at is None)


def test_apikey_create_refuses_a_second_active_key_with_the_same_name(app, runner):
    create_key(runner, "tool")
    again = runner.invoke(args=["apikey", "create", "tool"])
    assert again.exit_code != 0
    assert "already named 'tool'" in again.output and "rlk_" not in again.output
    assert revoke(runner, "tool").exit_code == 0
    create_key(runner, "tool")  # once revoked, the name is free for a rotated key
    assert active_names(app) == ["tool"]


def test_revoke_by_name_twice_says_already_revoked(app, runner):
    create_key(runner, "tool")
    first = revoke(runner, "tool")
    assert first.exit_code == 0 and first.output.startswith("revoked API client")
    second = revoke(runner, "tool")
    assert second.exit_code == 0 and "already revoked" in second.output


def test_revoke_by_name_picks_the_active_key_not_the_newest(app, runner):
    old_key = create_key(runner, "tool")
    assert revoke(runner, "tool").exit_code == 0
    new_key = create_key(runner, "tool")
    result = revoke(runner, "tool")
    assert result.exit_code == 0 and "already" not in result.output  # the active one, revoked now
    client = app.test_client()
    for key in (old_key, new_key):
        assert client.get("/api/v1/badges", query_string={"url": SEED},
                          headers={"X-API-Key": key}).status_code == 401
    assert "already revoked" in revoke(runner, "tool").output


def test_ambiguous_revoke_lists_the_candidates_and_revoke_by_id_works(app, runner):
    """Databases from before names were unique may hold two active keys under one name."""
    from server.keys import ClientError, create_client

    with app.app_context():
        first, _ = create_client("tool")
        with pytest.raises(ClientError):
            create_client("tool")
        second = ApiClient(name="tool", prefix="rlk_legacy01", key_hash="0" * 64,
                           created_at=first.created_at)
        db.session.add(second)
        db.session.commit()
        ids = (first.id, second.id)
    result = revoke(runner, "tool")
    assert result.exit_code != 0
    assert f"id {ids[0]} " in result.output and f"id {ids[1]} " in result.output
    assert "by its id" in result.output
    assert active_names(app) == ["tool", "tool"]  # nothing revoked on a guess
    assert revoke(runner, str(ids[1])).output.startswith(f"revoked API client {ids[1]} ")
    assert revoke(runner, "tool").output.startswith(f"revoked API client {ids[0]} ")
    assert active_names(app) == []
