"""Errors under /moderation/ are HTML pages for people, whether a view raised them (no such page
id) or no view matched the path (a mistyped path, a non-number id, a wrong method)."""

from __future__ import annotations

import pytest

ERRORS = [
    # method, path, status
    ("get", "/moderation/pages/99999", 404),  # a view's abort(404)
    ("get", "/moderation/pages/abc", 404),
    ("get", "/moderation/nope", 404),  # no view matches
    ("get", "/moderation/pages/1/nope", 404),
    ("post", "/moderation/", 405),
    ("get", "/moderation/logout", 405),
]


def assert_error_page(response, status):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"<h1>{status} ·" in page and "Back to the queue" in page
    assert response.headers["Cache-Control"] == "no-store"
    if status == 405:
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


@pytest.mark.parametrize("method,path,status", ERRORS, ids=[f"{m} {p}" for m, p, _ in ERRORS])
def test_a_moderator_gets_an_html_error_page(browser, method, path, status):
    assert_error_page(getattr(browser.client, method)(path), status)


@pytest.mark.parametrize("path", ["/moderation/nope", "/moderation/pages/abc"])
def test_a_path_no_view_matches_is_an_html_page_before_login_too(mod_app, path):
    assert_error_page(mod_app.test_client().get(path), 404)


@pytest.mark.parametrize("path", ["/nope", "/moderationx", "/api/v1/moderation/nope"])
def test_outside_moderation_errors_stay_problems(mod_app, path):
    response = mod_app.test_client().get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
