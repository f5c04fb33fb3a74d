"""POST /api/v1/reports: accepted, bounded, de-duplicated, flagged, and not tied to the reader."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, func, select

from server.store import db
from server.store.models import DedupeKey, Page, ReaderReport

URL = "https://news.example/story?id=7"


def report(client, addr="203.0.113.5", **body):
    return client.post("/api/v1/reports", json={"url": URL, **body},
                       environ_base={"REMOTE_ADDR": addr})


def test_report_is_accepted_and_flags_the_page(app, client):
    response = report(client, signal="promotions", comment="The 'promotion' is the article's own link.")
    assert response.status_code == 202
    assert response.json == {"status": "accepted", "duplicate": False}
    with app.app_context():
        page = db.session.scalar(select(Page))
        assert page.url_key == URL
        assert page.report_count == 1
        assert page.moderation_state == "open"
        stored = db.session.scalar(select(ReaderReport))
        assert stored.signal == "promotions"
        assert stored.comment.startswith("The 'promotion'")


def test_same_reader_same_url_same_day_is_deduplicated(app, client):
    assert report(client).json["duplicate"] is False
    assert report(client, comment="again").json["duplicate"] is True
    assert report(client, addr="198.51.100.7").json["duplicate"] is False  # another reader
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReaderReport)) == 2
        assert db.session.scalar(select(Page.report_count)) == 2


def test_nothing_stored_ties_the_reader_to_the_url(app, client):
    addr = "203.0.113.77"
    report(client, addr=addr, comment="wrong label")
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        with db.engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(table.select()):
                    assert addr not in " ".join(str(v) for v in row), table.name
        # the dedupe key of the day is random and rotates (the HMAC also mixes in SECRET_KEY)
        key = db.session.scalar(select(DedupeKey))
        assert len(key.key) == 64


def test_a_copy_of_the_database_alone_cannot_test_an_address(app, client):
    """The dedupe HMAC's key mixes the day's key (stored) with SECRET_KEY (not stored): the
    stored day key alone does not reproduce a reader's hash from a guessed address."""
    import hashlib
    import hmac

    from server.store.models import utcnow

    addr = "203.0.113.77"
    report(client, addr=addr)
    with app.app_context():
        stored = db.session.scalar(select(ReaderReport.dedupe_hash))
        row = db.session.scalar(select(DedupeKey))
        day = utcnow().strftime("%Y-%m-%d")
        message = f"{addr}\n{URL}\n{day}".encode()
        from_database_alone = hmac.new(bytes.fromhex(row.key), message, hashlib.sha256).hexdigest()
        secret = str(app.config["SECRET_KEY"]).encode()
        with_secret = hmac.new(hmac.new(secret, bytes.fromhex(row.key), hashlib.sha256).digest(),
                               message, hashlib.sha256).hexdigest()
    assert stored != from_database_alone
    assert stored == with_secret


@pytest.mark.parametrize("body,status,kind", [
    ({"url": URL, "comment": "x" * 1001}, 422, "validation-error"),
    ({"url": URL, "signal": "a" * 65}, 422, "validation-error"),
    ({"url": URL, "signal": "<script>"}, 422, "validation-error"),
    ({"url": URL, "comment": 5}, 422, "validation-error"),
    ({"comment": "no url"}, 422, "validation-error"),
    ({"url": "javascript:alert(1)"}, 422, "unsupported-scheme"),
    ({"url": "http://u:p@news.example/"}, 422, "credentials-in-url"),
])
def test_bad_reports_are_problems(sqlite_client, body, status, kind):
    response = sqlite_client.post("/api/v1/reports", json=body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/" + kind)


@pytest.mark.parametrize("signal", ["badge", "clickbait", "unattributed_claims", "promotions",
                                    "duplication", "other", None])
def test_documented_signals_are_accepted(sqlite_client, signal):
    response = sqlite_client.post("/api/v1/reports", json={"url": URL, "signal": signal})
    assert response.status_code == 202, response.json


@pytest.mark.parametrize("signal", ["anything", "Clickbait", "clickbait ", "", "unattributed-claims",
                                    "a" * 64])
def test_undocumented_signals_are_refused(sqlite_client, signal):
    response = sqlite_client.post("/api/v1/reports", json={"url": URL, "signal": signal})
    assert response.status_code == 422
    assert response.json["type"].endswith("/validation-error")
    assert response.json["detail"].startswith("signal: unknown signal: use one of badge, clickbait")


def test_report_signals_are_the_analyzers_and_are_documented(sqlite_client):
    """The extension offers the report's signal names: a new signal must be accepted too."""
    from heuristics.analyze import SIGNALS
    from server.api.schemas import REPORT_SIGNALS

    assert REPORT_SIGNALS == ["badge", *SIGNALS, "other"]
    spec = sqlite_client.get("/api/v1/openapi.json").json
    schema = spec["components"]["schemas"]["ReportIn"]["properties"]["signal"]
    assert schema["enum"][: len(REPORT_SIGNALS)] == REPORT_SIGNALS


def test_report_body_size_is_bounded(sqlite_client):
    response = sqlite_client.post("/api/v1/reports", data=b'{"url": "' + b"a" * (6 * 1024 * 1024) + b'"}',
                                  content_type="application/json")
    assert response.status_code == 413


def test_control_characters_in_comments_are_dropped(app, client):
    response = report(client, comment="bad\x00 label\x07\nsecond line")
    assert response.status_code == 202
    with app.app_context():
        assert db.session.scalar(select(ReaderReport.comment)) == "bad label\nsecond line"


def test_report_does_not_undo_a_decision_that_lands_meanwhile(app, client, monkeypatch):
    """The page is flagged with a conditional UPDATE ('none' -> 'open'), not read-then-write."""
    from server import analysis as analysis_module

    from .test_api_analyses import SOBER, _decide_meanwhile

    assert client.post("/api/v1/analyses", json={"url": SOBER}).json["moderation"]["state"] == "none"
    _decide_meanwhile(app, monkeypatch, analysis_module)
    response = client.post("/api/v1/reports", json={"url": SOBER, "signal": "badge"},
                           environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 202
    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.url_key == SOBER))
        assert page.moderation_state == "decided" and page.report_count == 1


def test_ipv6_reader_rotating_within_a_64_is_deduplicated(app, client):
    assert report(client, addr="2001:db8:5:6::1").json["duplicate"] is False
    assert report(client, addr="2001:db8:5:6:dead:beef:0:1").json["duplicate"] is True
    assert report(client, addr="2001:db8:5:7::1").json["duplicate"] is False  # another /64
    assert report(client, addr="203.0.113.5").json["duplicate"] is False
    assert report(client, addr="203.0.113.6").json["duplicate"] is False  # IPv4: per address
    with app.app_context():
        assert db.session.scalar(select(Page.report_count)) == 4


def _days(*offsets):
    from datetime import timedelta

    from server.store.models import utcnow

    return [(utcnow() - timedelta(days=n)).strftime("%Y-%m-%d") for n in offsets]


def _keep_keys(app, days):
    with app.app_context():
        for day in days:
            db.session.add(DedupeKey(day=day, key="ab" * 32))
        db.session.commit()


def _key_days(app):
    with app.app_context():
        return sorted(db.session.scalars(select(DedupeKey.day)), reverse=True)


def test_only_today_and_yesterday_keys_exist_after_any_report(app, client):
    """Old keys go on every report, not only on the first report of a day."""
    _keep_keys(app, _days(0, 1, 2, 10))  # today's key already exists
    assert report(client).status_code == 202
    assert _key_days(app) == _days(0, 1)


def test_old_keys_are_purged_at_start(app, app_factory, database):
    _keep_keys(app, _days(1, 2, 3))
    app_factory(database)  # another worker starting on the same database
    assert _key_days(app) == _days(1)
