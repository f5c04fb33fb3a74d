"""Revision 0003: pages stored with a reader's click ids keep only the normalised URL."""

from __future__ import annotations

from sqlalchemy import text

from server.store import current_revision, head_revision, make_engine, upgrade


def test_stored_click_ids_are_scrubbed(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/m.sqlite3")
    upgrade(engine, "0002_moderation")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO pages (url_key, url, site, first_seen, request_count, report_count, "
            "moderation_state) VALUES (:key, :url, 'news.example', CURRENT_TIMESTAMP, 0, 0, 'none')"),
            [{"key": "https://news.example/a?id=5", "url": "https://news.example/a?id=5&fbclid=IwAR_x"},
             {"key": "https://news.example/b", "url": "https://news.example/b"}])
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0003_page_urls_normalised"
    with engine.connect() as conn:
        urls = sorted(conn.execute(text("SELECT url FROM pages")).scalars())
    assert urls == ["https://news.example/a?id=5", "https://news.example/b"]
