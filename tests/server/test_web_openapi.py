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
