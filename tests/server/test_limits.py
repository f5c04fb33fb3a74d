"""Rate limits: 429 problem with Retry-After; per address for readers, per key for keyed
clients; memory:// and Redis storage."""

from __future__ import annotations

import pytest

from .test_check_page import post_check

SEED = "http://127.0.0.1:5000/demo/seed-article.html"


def limited_app(app_factory, database_url, storage="memory://", **extra):
    return app_factory(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
                       LIMIT_BADGES_ANON="3/minute", LIMIT_BADGES_KEYED="5/minute",
                       LIMIT_REPORTS_ANON="2/minute", **extra)


def badge(client, addr="203.0.113.1", **headers):
    return client.get("/api/v1/badges", query_string={"url": SEED},
                      environ_base={"REMOTE_ADDR": addr}, headers=headers)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def storage(request):
    if request.param == "memory":
        return "memory://"
    url = request.getfixturevalue("redis_url")
    import redis

    redis.Redis.from_url(url).flushdb()  # counters from an earlier test must not leak in
    return url


def test_anonymous_limit_per_address_answers_429_with_retry_after(app_factory, sqlite_database, storage):
    app = limited_app(app_factory, sqlite_database, storage)
    client = app.test_client()
    statuses = [badge(client).status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    limited = badge(client)
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert limited.json["type"].endswith("/rate-limited")
    retry = int(limited.headers["Retry-After"])
    assert 0 < retry <= 60
    assert badge(client, addr="203.0.113.2").status_code == 404  # another reader is not limited


def test_keyed_clients_are_limited_per_key(app_factory, sqlite_database, storage):
    app = limited_app(app_factory, sqlite_database, storage)
    runner = app.test_cli_runner()
    key_a = runner.invoke(args=["apikey", "create", "a"]).output.strip().splitlines()[-1]
    key_b = runner.invoke(args=["apikey", "create", "b"]).output.strip().splitlines()[-1]
    client = app.test_client()
    a = {"Authorization": f"Bearer {key_a}"}
    assert [badge(client, addr=f"198.51.100.{i}", **a).status_code for i in range(5)] == [404] * 5
    assert badge(client, addr="198.51.100.99", **a).status_code == 429  # same key, new address
    assert badge(client, **{"X-API-Key": key_b}).status_code == 404  # other key: own budget


def test_reports_are_rate_limited(app_factory, sqlite_database):
    app = limited_app(app_factory, sqlite_database)
    client = app.test_client()
    codes = [client.post("/api/v1/reports", json={"url": f"https://n.example/{i}"},
                         environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code for i in range(3)]
    assert codes == [202, 202, 429]


def test_unreachable_limiter_storage_does_not_fail_readers(app_factory, sqlite_database):
    app = limited_app(app_factory, sqlite_database, "redis://127.0.0.1:1/0")
    response = badge(app.test_client())
    assert response.status_code == 404  # the lookup still answers; never a 500


@pytest.mark.parametrize("address,key", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
    ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2::FFFF", "2001:db8:1:2::/64"),
    ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4-mapped: the IPv4 client, not one shared /64
    ("fe80::1%eth0", "fe80::/64"),
    ("::1", "::/64"),
    ("not-an-address", "not-an-address"),
])
def test_client_address_keys_ipv6_by_its_64(address, key):
    from server.limits import client_address

    assert client_address(address) == key


def test_rotating_ipv6_addresses_in_one_64_share_a_budget(app_factory, sqlite_database, storage):
    app = limited_app(app_factory, sqlite_database, storage)
    client = app.test_client()
    statuses = [badge(client, addr=f"2001:db8:1:2::{i:x}").status_code for i in range(1, 4)]
    assert statuses == [404, 404, 404]
    assert badge(client, addr="2001:db8:1:2:ffff:ffff:ffff:fffe").status_code == 429
    assert badge(client, addr="2001:db8:1:3::1").status_code == 404  # the next /64: another reader


def test_429_detail_names_the_limit_and_when_to_retry(app_factory, sqlite_database, storage):
    app = limited_app(app_factory, sqlite_database, storage)
    client = app.test_client()
    for _ in range(3):
        badge(client)
    limited = badge(client)
    detail = limited.json["detail"]
    assert "3 per 1 minute" in detail and "client address" in detail
    assert f"retry in {limited.headers['Retry-After']} seconds" in detail  # the header's figure


@pytest.mark.parametrize("request_kind,status", [
    ("badge-missing", 404),
    ("badge-invalid", 422),
    ("analysis", 200),
    ("report", 202),
])
def test_only_429_carries_retry_after(app_factory, sqlite_database, request_kind, status):
    """Flask-Limiter sets Retry-After on every limited response; only a 429 may say it."""
    app = limited_app(app_factory, sqlite_database)
    client = app.test_client()
    response = {
        "badge-missing": lambda: badge(client),
        "badge-invalid": lambda: client.get("/api/v1/badges", query_string={"url": "ftp://x.example/"}),
        "analysis": lambda: client.post("/api/v1/analyses",
                                        json={"url": "https://n.example/a", "html": "<p>x</p>"}),
        "report": lambda: client.post("/api/v1/reports", json={"url": "https://n.example/r"}),
    }[request_kind]()
    assert response.status_code == status
    assert "Retry-After" not in response.headers
    assert "X-RateLimit-Limit" in response.headers  # the RateLimit headers stay


def test_a_503_keeps_its_own_retry_after(app_factory):
    """Not the limiter's window end (up to a minute or a day): the 5 seconds the 503 asks for."""
    app = app_factory("postgresql+psycopg://nobody@127.0.0.1:1/none", AUTO_MIGRATE=False,
                      RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    response = badge(app.test_client())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


@pytest.mark.parametrize("first,then", [("api", "check"), ("check", "api")])
def test_check_page_and_api_share_one_analysis_budget(app_factory, sqlite_database, storage, first, then):
    """docs/api.md: /check's Check button runs under the same anonymous limit as POST /api/v1/analyses."""
    app = limited_app(app_factory, sqlite_database, storage, LIMIT_ANALYSES_ANON="2/minute")
    client = app.test_client()
    env = {"REMOTE_ADDR": "203.0.113.30"}
    ask = {
        "api": lambda: client.post("/api/v1/analyses", json={"url": SEED}, environ_base=env),
        "check": lambda: post_check(client, SEED, environ_base=env),
    }
    assert [ask[first]().status_code for _ in range(2)] == [200, 200]
    assert ask[first]().status_code == 429
    refused = ask[then]()
    assert refused.status_code == 429  # not a fresh budget on the other door
    assert refused.headers["Retry-After"]
    if then == "api":
        assert "2 per 1 minute" in refused.json["detail"]
    else:  # a page for people, saying which limit and when to try again
        assert refused.mimetype == "text/html"
        page = refused.get_data(as_text=True)
        assert "2 per 1 minute" in page and "Too many requests" in page
    other_reader = post_check(client, SEED, environ_base={"REMOTE_ADDR": "203.0.113.31"})
    assert other_reader.status_code == 200
