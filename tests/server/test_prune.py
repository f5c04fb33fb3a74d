"""`prune`: expired analyses and unused pages are deleted; nothing moderators need or wrote is,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from server.store import db
from server.store.models import Analysis, Page, ReaderReport, utcnow

LONG_AGO = timedelta(days=3)


def add_page(name: str, *, state: str = "none", seen_ago: timedelta = LONG_AGO) -> int:
    key = f"https://news.example/{name}"
    page = Page(url_key=key, url=key, site="news.example", first_seen=utcnow() - seen_ago,
                last_requested=utcnow() - seen_ago, request_count=1, report_count=0,
                moderation_state=state)
    db.session.add(page)
    db.session.flush()
    return page.id


def add_analysis(page_id: int, source: str, *, expired: bool, age: timedelta = LONG_AGO) -> int:
    created = utcnow() - age
    expires = utcnow() - timedelta(minutes=1) if expired else utcnow() + timedelta(hours=1)
    analysis = Analysis(page_id=page_id, url_key=f"page-{page_id}", analyzer_version="v", source=source,
                        content_hash="h" if source == "supplied" else None, badge_level="mixed",
                        report={"article": {"title": "t"}}, created_at=created, expires_at=expires)
    db.session.add(analysis)
    db.session.flush()
    return analysis.id


def add_decision(page_id: int, analysis_id: int | None = None) -> None:
    from server.moderation.models import Decision, Moderator

    moderator = Moderator(email=f"m{page_id}@example.org", password_hash="x", role="moderator")
    db.session.add(moderator)
    db.session.flush()
    db.session.add(Decision(page_id=page_id, moderator_id=moderator.id, action="clear",
                            analysis_id=analysis_id, item_version=1, created_at=utcnow() - LONG_AGO))


def test_prune_deletes_expired_analyses_and_unused_pages_only(app, runner):
    with app.app_context():
        only_supplied = add_page("only-supplied")
        add_analysis(only_supplied, "supplied", expired=True)
        current = add_page("current")
        stale_fetched = add_analysis(current, "fetched", expired=True, age=timedelta(days=2))
        fresh_fetched = add_analysis(current, "fetched", expired=False, age=timedelta(minutes=5))
        awaiting = add_page("awaiting-moderators", state="open")
        older = add_analysis(awaiting, "fetched", expired=True, age=timedelta(days=2))
        newest = add_analysis(awaiting, "fetched", expired=True, age=timedelta(days=1))
        awaiting_supplied = add_analysis(awaiting, "supplied", expired=True)
        reported = add_page("reported")
        db.session.add(ReaderReport(page_id=reported, signal="badge", dedupe_hash="d" * 64,
                                    created_at=utcnow() - LONG_AGO))
        decided_then_cleared = add_page("cleared")
        judged = add_analysis(decided_then_cleared, "fetched", expired=True)  # a decision rests on it
        add_decision(decided_then_cleared, judged)
        brand_new = add_page("brand-new", seen_ago=timedelta(seconds=5))
        forgotten = add_page("forgotten")
        db.session.commit()

    dry = runner.invoke(args=["prune", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would delete 2 supplied and 2 fetched" in dry.output

    result = runner.invoke(args=["prune", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "supplied analyses: 2 deleted so far" in result.output  # progress, batch by batch
    assert "deleted 2 supplied and 2 fetched analyses, 2 pages" in result.output

    with app.app_context():
        left = set(db.session.scalars(select(Analysis.id)))
        assert left == {fresh_fetched, newest, judged}  # moderators need or judged these
        assert not {stale_fetched, older, awaiting_supplied} & left
        pages = set(db.session.scalars(select(Page.id)))
        assert pages == {current, awaiting, reported, decided_then_cleared, brand_new}
        assert only_supplied not in pages and forgotten not in pages

    again = runner.invoke(args=["prune"])
    assert "deleted 0 supplied and 0 fetched analyses, 0 pages" in again.output


def test_the_api_still_answers_after_a_prune(app, client, runner):
    seed = "http://127.0.0.1:5000/demo/seed-article.html"
    assert client.post("/api/v1/analyses", json={"url": seed}).status_code == 200
    assert runner.invoke(args=["prune"]).exit_code == 0
    assert client.get("/api/v1/badges", query_string={"url": seed}).status_code == 200


def test_prune_is_a_service_command():
    from server.cli import SERVICE_COMMANDS

    assert "prune" in {command.name for command in SERVICE_COMMANDS}
