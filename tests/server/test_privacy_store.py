"""What the database keeps of a page a reader asked about: never the reader's click ids."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.store import db
from server.store.models import Page

CLICK_IDS = "fbclid=IwAR_reader_click&gclid=abc&utm_source=newsletter"


@pytest.mark.parametrize("send", [
    lambda c, url: c.post("/api/v1/reports", json={"url": url, "comment": "wrong"}),
    lambda c, url: c.post("/api/v1/analyses", json={"url": url, "html": "<html><head><title>A story"
                                                    "</title></head><body>" + "<p>The council met on "
                                                    "Tuesday and voted on the budget.</p>" * 20 +
                                                    "</body></html>"}),
], ids=["report", "supplied-html"])
def test_stored_page_url_has_no_click_ids(client, app, send):
    response = send(client, f"https://news.example/story?id=5&{CLICK_IDS}#comments")
    assert response.status_code < 300, response.get_json()
    with app.app_context():
        urls = db.session.scalars(select(Page.url)).all()
    assert urls == ["https://news.example/story?id=5"]


# -- the report's own URL (article.url) is served to later readers: never a reader's token ----

READER_TOKENS = "mkt_tok=ALICE&fbclid=IwAR_alice&utm_source=mail&_hsenc=p2ANqt&pk_campaign=x"


def _article_url(answer) -> str:
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["article"]["url"]


def test_a_readers_token_is_not_served_to_the_next_reader(fetch_app, web):
    client = fetch_app.test_client()
    first = client.post("/api/v1/analyses", json={"url": web.url(f"/article?id=7&{READER_TOKENS}")})
    assert _article_url(first) == web.url("/article?id=7")
    second = client.post("/api/v1/analyses", json={"url": web.url("/article?id=7")})
    assert second.get_json()["cached"] is True
    assert "ALICE" not in second.get_data(as_text=True)
    assert _article_url(second) == web.url("/article?id=7")


def test_a_redirect_target_is_cleaned_the_same_way(fetch_app, web):
    from urllib.parse import quote

    target = quote("/article?fbclid=BOB&mkt_tok=BOB", safe="")
    answer = fetch_app.test_client().post("/api/v1/analyses", json={"url": web.url(f"/redirect?to={target}")})
    assert _article_url(answer) == web.url("/article")


def test_supplied_html_and_batch_reports_carry_the_key(client, app):
    html = (app.root_path + "/demo/sober-article.html")
    with open(html, encoding="utf-8") as fh:
        page_html = fh.read()
    url = f"https://news.example/story?id=5&{READER_TOKENS}"
    assert _article_url(client.post("/api/v1/analyses", json={"url": url, "html": page_html})) \
        == "https://news.example/story?id=5"
    with app.app_context():
        from server.keys import create_client

        _, key = create_client("tokens")
    batch = client.post("/api/v1/analyses/batch", headers={"Authorization": f"Bearer {key}"},
                        json={"items": [{"url": url.replace("story", "other"), "html": page_html}]})
    assert batch.json["results"][0]["article"]["url"] == "https://news.example/other?id=5"
    with app.app_context():
        from server.store.models import Analysis

        stored = [a.report["article"]["url"] for a in db.session.scalars(select(Analysis))]
    assert stored and not any("ALICE" in u or "utm_" in u for u in stored)


def test_the_check_page_analyses_with_the_key(fetch_app, web):
    from .test_check_page import post_check

    client = fetch_app.test_client()
    assert post_check(client, web.url(f"/article?{READER_TOKENS}")).status_code == 200
    with fetch_app.app_context():
        from server.store.models import Analysis

        assert [a.report["article"]["url"] for a in db.session.scalars(select(Analysis))] \
            == [web.url("/article")]


def test_reports_stored_before_the_fix_are_cleaned_on_the_way_out(client, app):
    """Rows written by older versions kept the URL as sent: a cached answer must not repeat it."""
    from datetime import timedelta

    from server.analysis import analyzer_version
    from server.store.models import Analysis, utcnow

    key = "https://news.example/old?id=1"
    with app.app_context():
        page = Page(url_key=key, url=key, site="news.example", first_seen=utcnow(), request_count=0,
                    report_count=0, moderation_state="none")
        db.session.add(page)
        db.session.flush()
        report = {"badge": {"level": "mixed", "score": 50}, "signals": {},
                  "article": {"url": key + "&mkt_tok=ALICE&utm_medium=mail", "title": "Old"},
                  "analyzer_version": analyzer_version(), "schema_version": 1}
        db.session.add(Analysis(page_id=page.id, url_key=key, analyzer_version=analyzer_version(),
                                source="fetched", content_hash=None, badge_level="mixed",
                                report=report, created_at=utcnow(),
                                expires_at=utcnow() + timedelta(hours=1)))
        db.session.commit()
    answer = client.post("/api/v1/analyses", json={"url": key})
    assert answer.json["cached"] is True
    assert _article_url(answer) == key


def test_the_cli_reader_hands_the_analyser_a_clean_url(web, monkeypatch):
    from server import cli as server_cli
    from server.fetch import FetchPolicy, Fetcher

    monkeypatch.setattr("server.fetch.FetchPolicy", lambda: FetchPolicy(allow_loopback=True))
    html, url = server_cli.fetch_for_cli(web.url(f"/article?{READER_TOKENS}"))
    assert "Harbour bridge" in html and url == web.url("/article")
