"""GET /check: a page's label for a person without the extension (the API's analysis, as HTML)."""

from __future__ import annotations

import re

import pytest

SEED = "http://127.0.0.1:5000/demo/seed-article.html"


def form_token(client, **request) -> str:
    page = client.get("/check", **request).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post_check(client, url: str, **request):
    """What pressing Check does: the form's POST, with the token from the page's own form."""
    token = form_token(client, **request)
    return client.post("/check", data={"url": url, "csrf_token": token}, **request)


def test_demo_article_shows_its_label_and_quoted_evidence(client):
    response = post_check(client, SEED)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Unreliable" in page and "/100" in page
    assert "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE" in page  # quoted evidence
    assert "Inserted promotions" in page and "Clickbait headline" in page
    assert "reports have emerged" in page
    assert "higher is more reliable" in page  # the two scales are explained


def test_the_same_analysis_as_the_api(client):
    page = post_check(client, SEED).get_data(as_text=True)
    api = client.post("/api/v1/analyses", json={"url": SEED}).get_json()
    assert api["cached"] is True  # the page's analysis was stored and reused
    assert f"Score {api['badge']['score']}/100" in page


@pytest.mark.parametrize("url,status,says", [
    ("http://10.0.0.1/story", 422, "private address"),
    ("ftp://news.example/story", 422, "Only http and https"),
    ("not a url", 422, "URL"),
    ("http://127.0.0.1:5000/demo/missing.html", 404, "No such demo page"),
])
def test_a_refused_url_is_explained_on_the_page(client, url, status, says):
    response = post_check(client, url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert says in response.get_data(as_text=True)


def test_without_a_url_a_form_and_the_demo_button(client):
    page = client.get("/check").get_data(as_text=True)
    assert 'name="url"' in page and "demo/seed-article.html" in page
    assert 'method="post"' in page and 'name="csrf_token"' in page


def test_the_url_echoed_in_the_form_is_escaped(client):
    attack = 'http://10.0.0.1/"><script>alert(1)</script>'
    page = client.get("/check", query_string={"url": attack}).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize("path, status, advised", [
    ("/status/403", 502, True),   # the site turns servers away: the extension can send the page
    ("/hang", 504, True),
    ("/sober", 200, False),
])
def test_a_page_the_service_could_not_fetch_points_to_the_extension(fetch_app, web, path, status, advised):
    response = post_check(fetch_app.test_client(), web.url(path))
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert ("the browser extension can analyse the page as you see it" in page) == advised


def test_the_extension_knows_the_same_fetch_failures_as_the_server():
    import re
    from pathlib import Path

    from server.fetch import NOT_FETCHED_KINDS

    source = (Path(__file__).parents[2] / "extension" / "lib" / "problems.js").read_text(encoding="utf-8")
    listed = re.search(r"FETCH_FAILED_KINDS = new Set\(\[(.*?)\]\)", source, re.S).group(1)
    assert set(re.findall(r'"([a-z-]+)"', listed)) == NOT_FETCHED_KINDS
    assert 'kind.startsWith("upstream-")' in source


def test_an_intranet_page_is_not_one_to_send(client):
    """The service may not reach private addresses; readers are not nudged to send such pages."""
    response = post_check(client, "http://10.0.0.1/story")
    assert response.status_code == 422
    assert "the browser extension can analyse the page" not in response.get_data(as_text=True)


# -- GET answers from the cache only; analyses need the form's POST (security review) ----------

def test_a_get_never_fetches_nor_analyses(fetch_app, web, network):
    """Any site can embed <img src=".../check?url=https://victim/">: that must cost nothing."""
    client = fetch_app.test_client()
    before = web.hits["/sober"]
    response = client.get("/check", query_string={"url": web.url("/sober")})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No current label for this page yet" in page
    assert f'value="{web.url("/sober")}"' in page  # the form, filled in
    assert web.hits["/sober"] == before and network.connects() == []
    with fetch_app.app_context():
        from sqlalchemy import func, select

        from server.store import db
        from server.store.models import Analysis

        assert db.session.scalar(select(func.count()).select_from(Analysis)) == 0


def test_a_get_shows_a_cached_label(client):
    assert client.post("/api/v1/analyses", json={"url": SEED}).status_code == 200
    page = client.get("/check", query_string={"url": SEED}).get_data(as_text=True)
    assert "Unreliable" in page and "(cached)" in page


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_post_without_the_forms_token_runs_nothing(fetch_app, web, token):
    client = fetch_app.test_client()
    before = web.hits["/sober"]
    data = {"url": web.url("/sober")} if token is None else {"url": web.url("/sober"), "csrf_token": token}
    response = client.post("/check", data=data)
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Please press Check again" in page and 'name="csrf_token"' in page
    assert web.hits["/sober"] == before


def test_a_token_from_another_visitors_session_is_refused(fetch_app, web):
    """The token is tied to the session cookie (SameSite=Lax: not sent on another site's POST)."""
    token = form_token(fetch_app.test_client())
    response = fetch_app.test_client().post("/check", data={"url": web.url("/sober"), "csrf_token": token})
    assert response.status_code == 400


def test_a_get_does_not_spend_the_analysis_budget(app_factory, sqlite_database):
    app = app_factory(sqlite_database, RATELIMIT_ENABLED=True, LIMIT_ANALYSES_ANON="1/minute")
    client = app.test_client()
    for n in range(3):
        assert client.get("/check", query_string={"url": f"https://news.example/{n}"}).status_code == 200
    assert client.post("/api/v1/analyses", json={"url": SEED}).status_code == 200
