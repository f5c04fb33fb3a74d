"""POST /api/v1/badges/lookup: the badge fast path with the URL in the body (not in the query
string, which reverse proxies write to their access logs)."""

from __future__ import annotations

import pytest

SEED = "http://127.0.0.1:5000/demo/seed-article.html"
SOBER = "http://127.0.0.1:5000/demo/sober-article.html"


def lookup(client, body, **request):
    return client.post("/api/v1/badges/lookup", json=body, **request)


def test_one_url_answers_as_the_get_does(client):
    assert lookup(client, {"url": SEED}).status_code == 404
    assert client.post("/api/v1/analyses", json={"url": SEED}).status_code == 200
    posted = lookup(client, {"url": SEED + "?utm_source=x#top"})
    got = client.get("/api/v1/badges", query_string={"url": SEED})
    assert posted.status_code == 200
    assert posted.json == got.json
    assert posted.json["badge"]["level"] == "unreliable"


def test_several_urls_answer_in_order_with_problems_in_place(client):
    assert client.post("/api/v1/analyses", json={"url": SOBER}).status_code == 200
    answer = lookup(client, {"urls": ["https://news.example/none", SOBER, "ftp://x.example/"]})
    assert answer.status_code == 200
    first, second, third = answer.json["results"]
    assert first["type"].endswith("/no-badge") and first["index"] == 0
    assert first["url"] == "https://news.example/none"
    assert second["badge"]["level"] == "reliable" and second["url"] == SOBER
    assert third["type"].endswith("/unsupported-scheme") and third["index"] == 2


@pytest.mark.parametrize("body", [{}, {"url": SEED, "urls": [SEED]}, {"urls": []},
                                  {"urls": [SEED] * 101}, {"url": 5}])
def test_exactly_one_of_url_or_urls(sqlite_client, body):
    response = lookup(sqlite_client, body)
    assert response.status_code == 422
    assert response.json["type"].endswith("/validation-error")


def test_each_url_counts_against_the_badge_limit(app_factory, sqlite_database):
    app = app_factory(sqlite_database, RATELIMIT_ENABLED=True, LIMIT_BADGES_ANON="3/minute")
    client = app.test_client()
    assert lookup(client, {"urls": ["https://a.example/1", "https://a.example/2"]}).status_code == 200
    assert lookup(client, {"urls": ["https://a.example/3", "https://a.example/4"]}).status_code == 429


def test_the_extension_may_call_it(sqlite_client):
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    preflight = sqlite_client.options("/api/v1/badges/lookup", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    answer = lookup(sqlite_client, {"url": SEED}, headers={"Origin": origin})
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    assert answer.headers["Cache-Control"] == "no-store"


def test_documented_in_the_openapi_document(sqlite_client):
    spec = sqlite_client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/badges/lookup"]["post"]
    assert {"200", "404", "422", "429"} <= set(operation["responses"])
