"""Pages for people, the OpenAPI document, headers, CORS, and errors as problems."""

from __future__ import annotations

import re

import pytest

SEED = "http://127.0.0.1:5000/demo/seed-article.html"


@pytest.mark.parametrize("path,needle", [
    ("/", "/demo/seed-article.html"),
    ("/", "Load unpacked"),
    ("/demo/", "sober-article.html"),
    ("/demo/seed-article.html", "YOU MAY ALSO LIKE"),
    ("/demo/sober-article.html", "City council approves"),
    ("/demo/not-an-article.html", "Latest"),
    ("/api/v1/docs", "/api/v1/analyses"),
    ("/api/v1/docs", "/api/v1/badges"),
    ("/", "reliability apikey create NAME"),  # how to get an API key, not only in docs/api.md
    ("/api/v1/docs", "reliability apikey create NAME"),
])
def test_pages(sqlite_client, path, needle):
    response = sqlite_client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert needle in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/api/v1/docs", "/demo/"])
def test_pages_load_nothing_from_elsewhere(sqlite_client, path):
    html = sqlite_client.get(path).get_data(as_text=True)
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not attr.startswith(("http://", "https://", "//")), attr


def test_openapi_document_is_generated_from_the_schemas(sqlite_client):
    spec = sqlite_client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert {"/api/v1/analyses", "/api/v1/analyses/batch", "/api/v1/badges", "/api/v1/reports",
            "/healthz", "/readyz"} <= set(paths)
    body = paths["/api/v1/analyses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][name]
    assert schema["required"] == ["url"] and "html" in schema["properties"]
    assert "/demo/{name}" not in paths and "/" not in paths


def test_the_openapi_document_says_how_to_get_an_api_key(sqlite_client):
    description = sqlite_client.get("/api/v1/openapi.json").json["info"]["description"]
    assert "reliability apikey create NAME" in description and "Authorization: Bearer" in description


def test_unknown_route_and_wrong_method_are_problems(sqlite_client):
    missing = sqlite_client.get("/api/v1/nothing")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong = sqlite_client.delete("/api/v1/analyses")
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"
    assert "POST" in wrong.headers["Allow"]


def test_security_headers(sqlite_client):
    for path in ("/", "/api/v1/openapi.json", "/healthz"):
        headers = sqlite_client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert sqlite_client.get("/api/v1/badges", query_string={"url": SEED}).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("origin,allowed", [
    ("chrome-extension://abcdefghijklmnopabcdefghijklmnop", True),
    ("moz-extension://0f0a6b3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", True),
    ("https://evil.example", False),
    ("null", False),
])
def test_cors_for_the_extension_only(sqlite_client, origin, allowed):
    preflight = sqlite_client.options("/api/v1/analyses", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code in (200, 204)
    got = preflight.headers.get("Access-Control-Allow-Origin")
    assert got == (origin if allowed else None)
    if allowed:
        assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
        assert "Access-Control-Allow-Credentials" not in preflight.headers
    lookup = sqlite_client.get("/api/v1/badges", query_string={"url": SEED}, headers={"Origin": origin})
    assert lookup.headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)
    assert "Retry-After" in lookup.headers.get("Access-Control-Expose-Headers", "Retry-After")


def test_no_cors_on_keyed_or_other_endpoints(sqlite_client):
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    for path in ("/api/v1/analyses/batch", "/api/v1/openapi.json", "/"):
        response = sqlite_client.get(path, headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in response.headers


def test_errors_never_show_a_trace(sqlite_app):
    @sqlite_app.get("/boom")
    def boom():  # a bug in a view
        raise RuntimeError("secret internals")

    response = sqlite_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text


# -- the OpenAPI document and docs/api.md against what the service answers -----------------

UNKNOWN_KEY = {"X-API-Key": "rlk_not-a-real-key-at-all-000000000000000000"}
NOT_JSON = {"data": b'{"url": "x"}', "content_type": "text/plain"}
BAD_JSON = {"data": b"{not json", "content_type": "application/json"}
TOO_LARGE = {"data": b'{"url": "' + b"a" * (6 * 1024 * 1024) + b'"}', "content_type": "application/json"}
POSTS = ["/api/v1/analyses", "/api/v1/analyses/batch", "/api/v1/reports"]

BEHAVIOUR = [
    # path, method, request, status, problem kind
    *[(p, "post", NOT_JSON, 415, "unsupported-media-type") for p in POSTS],
    *[(p, "post", BAD_JSON, 400, "malformed-json") for p in POSTS],
    *[(p, "post", TOO_LARGE, 413, "request-too-large") for p in POSTS],
    *[(p, "post", {"json": {"url": SEED, "items": [{"url": SEED}]}, "headers": UNKNOWN_KEY}, 401,
       "invalid-api-key") for p in POSTS],
    ("/api/v1/badges", "get", {"query_string": {"url": SEED}, "headers": UNKNOWN_KEY}, 401,
     "invalid-api-key"),
    ("/api/v1/analyses/batch", "post", {"json": {"items": [{"url": SEED}]}}, 401, "api-key-required"),
    ("/api/v1/analyses", "post", {"json": {"url": "example.com/story"}}, 422, "unsupported-scheme"),
    ("/api/v1/analyses", "post", {"json": {"url": "https://news.example/a", "html": "<p>x</p>"}}, 200, None),
    ("/api/v1/reports", "post", {"json": {"url": SEED, "signal": "nonsense"}}, 422, "validation-error"),
    ("/api/v1/reports", "post", {"json": {"url": SEED, "comments": "x"}}, 422, "validation-error"),
    ("/api/v1/analyses", "post", {"json": {"url": "http://127.0.0.1:5000/demo/nope.html"}}, 404,
     "no-demo-page"),
    ("/api/v1/badges", "get", {"query_string": {"url": SEED}, "headers": {"Authorization": "Token x"}},
     401, "invalid-api-key"),
    ("/api/v1/reports", "post", {"json": {"url": SEED, "signal": "badge"}}, 202, None),
    ("/api/v1/badges", "get", {"query_string": {"url": "https://news.example/none"}}, 404, "no-badge"),
    ("/api/v1/badges", "get", {"query_string": {"url": "ftp://news.example/"}}, 422, "unsupported-scheme"),
    ("/healthz", "get", {}, 200, None),
    ("/readyz", "get", {}, 200, None),
]


@pytest.fixture
def spec(sqlite_client):
    return sqlite_client.get("/api/v1/openapi.json").json


def assert_documented(spec, path, method, response, kind):
    documented = spec["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method.upper()} {path} answers {status}, undocumented"
    if kind is not None:
        assert response.mimetype == "application/problem+json"
        assert response.json["type"].endswith("/" + kind)
        assert "application/problem+json" in documented[status]["content"]


@pytest.mark.parametrize("path,method,request_args,status,kind", BEHAVIOUR,
                         ids=[f"{m} {p} {s}" for p, m, _, s, _ in BEHAVIOUR])
def test_every_answer_is_documented(sqlite_client, spec, path, method, request_args, status, kind):
    response = getattr(sqlite_client, method)(path, **request_args)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert_documented(spec, path, method, response, kind)


@pytest.mark.parametrize("path,method,request_args", [
    ("/api/v1/analyses", "post", {"json": {"url": "ftp://x.example/"}}),
    ("/api/v1/analyses/batch", "post", {"json": {"items": [{"url": "ftp://x.example/"}]}}),
    ("/api/v1/badges", "get", {"query_string": {"url": "https://news.example/none"}}),
    ("/api/v1/reports", "post", {"json": {"url": "https://news.example/r"}}),
])
def test_rate_limits_are_documented(app_factory, sqlite_database, path, method, request_args):
    app = app_factory(sqlite_database, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                      **{f"LIMIT_{name}_{kind}": "1/minute" for name in ("ANALYSES", "BADGES", "REPORTS")
                         for kind in ("ANON", "KEYED")}, LIMIT_BATCH_KEYED="1/minute")
    key = app.test_cli_runner().invoke(args=["apikey", "create", "t"]).output.strip().splitlines()[-1]
    client = app.test_client()
    responses = [getattr(client, method)(path, headers={"X-API-Key": key}, **request_args)
                 for _ in range(2)]
    assert responses[1].status_code == 429
    assert_documented(client.get("/api/v1/openapi.json").json, path, method, responses[1], "rate-limited")


def test_both_ways_of_sending_a_key_are_security_schemes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {"type": "http", "scheme": "bearer"}
    assert schemes["ApiKeyHeader"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    paths = spec["paths"]
    assert paths["/api/v1/analyses/batch"]["post"]["security"] == [{"ApiKey": []}, {"ApiKeyHeader": []}]
    for path, method in (("/api/v1/analyses", "post"), ("/api/v1/badges", "get"),
                         ("/api/v1/reports", "post")):
        assert {} in paths[path][method]["security"]  # optional: anonymous readers are welcome
        assert {"ApiKeyHeader": []} in paths[path][method]["security"]


def documented_problem_kinds() -> set[str]:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    table = text.split("## Problem types", 1)[1].split("\n## ", 1)[0]
    return {kind for line in table.splitlines() if line.startswith("| `")
            for kind in re.findall(r"`([a-z-]+)`", line.split("|")[1])}


def test_docs_list_every_problem_kind_the_api_answers(sqlite_client):
    kinds = {kind for *_, kind in BEHAVIOUR if kind} | {"rate-limited", "invalid-unicode"}
    for response in (sqlite_client.get("/api/v1/nothing"), sqlite_client.delete("/api/v1/analyses")):
        kinds.add(response.json["type"].rsplit("/", 1)[-1])
    assert {"not-found", "method-not-allowed"} <= kinds
    assert kinds - documented_problem_kinds() == set()
