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
