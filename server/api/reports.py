"""POST /api/v1/reports: a reader saying "this label is wrong"."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from apiflask import APIBlueprint
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import analysis
from ..limits import client_address, limit, limiter
from ..store import db
from ..store.models import DedupeKey, Page, ReaderReport, utcnow
from .problems import INVALID_KEY, JSON_BODY, OPTIONAL_KEY, RATE_LIMITED, UNAVAILABLE
from .schemas import ReportIn, ReportOut

bp = APIBlueprint("reports", __name__, tag="Reports")
log = logging.getLogger("server.api")


def previous_day(day: str) -> str:
    return (datetime.strptime(day, "%Y-%m-%d") - timedelta(days=1)).strftime("%Y-%m-%d")


def purge_dedupe_keys(executor: Any, today: str) -> None:
    """Delete every day key older than yesterday (`executor`: a session or a connection)."""
    executor.execute(delete(DedupeKey).where(DedupeKey.day < previous_day(today)))


def daily_key(day: str) -> bytes:
    """The random dedupe key of `day` (today, UTC), created on first use.

    Every call first deletes the keys of days before yesterday, and so does the app at start
    (`init_app`): only today's and yesterday's keys ever exist. Once a day's key is gone its
    hashes are irreversible: nobody can test a guessed address against them any more.
    """
    session = db.session
    purge_dedupe_keys(session, day)
    row = session.get(DedupeKey, day)
    if row is None:
        try:
            with session.begin_nested():
                session.add(DedupeKey(day=day, key=secrets.token_hex(32)))
        except IntegrityError:
            pass
        row = session.get(DedupeKey, day)
    return bytes.fromhex(row.key)


def dedupe_hash(address: str, url_key: str) -> str:
    """`address` is the client as `client_address()` gives it (an IPv6 client by its /64).

    The HMAC key mixes the day's random key (in the database) with SECRET_KEY (never in it):
    with a copy of the database alone, the day's hashes cannot be tested against all 2^32
    IPv4 addresses."""
    day = utcnow().strftime("%Y-%m-%d")
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    key = hmac.new(secret, daily_key(day), hashlib.sha256).digest()
    message = f"{address}\n{url_key}\n{day}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@bp.post("/reports")
@limiter.limit(limit("REPORTS"))
@bp.input(ReportIn, arg_name="body")
@bp.output(ReportOut, status_code=202)
@bp.doc(summary="Report a wrong label",
        responses={**JSON_BODY, **INVALID_KEY, 413: "Request too large",
                   422: "Invalid input (an unknown signal, a bad URL, an over-long comment)",
                   **RATE_LIMITED, **UNAVAILABLE},
        security=OPTIONAL_KEY)
def create_report(body):
    """Accepted (202) and de-duplicated per reader, URL and day; the page is flagged for review."""
    target, key = analysis.checked(body["url"])
    signal = body.get("signal")
    comment = body.get("comment")
    if comment is not None:  # no control characters (PostgreSQL refuses NUL in text)
        comment = "".join(c for c in comment if c >= " " or c in "\n\t").strip()
        comment = comment[: current_app.config["MAX_REPORT_COMMENT"]] or None
    session = db.session
    digest = dedupe_hash(client_address(), key)
    if session.scalar(select(ReaderReport.id).where(ReaderReport.dedupe_hash == digest)) is not None:
        session.commit()
        return {"status": "accepted", "duplicate": True}
    page = analysis.get_or_create_page(target, key)
    try:
        with session.begin_nested():
            session.add(ReaderReport(page_id=page.id, signal=signal, comment=comment,
                                     badge_level=page.badge_level, created_at=utcnow(),
                                     dedupe_hash=digest))
    except IntegrityError:  # the same reader, twice at once
        session.commit()
        return {"status": "accepted", "duplicate": True}
    page.report_count = Page.report_count + 1  # atomic in SQL
    analysis.flag_for_review(page)
    session.commit()
    analysis.forget_badge(key)
    return {"status": "accepted", "duplicate": False}


def init_app(app) -> None:
    """At start, drop day keys older than yesterday (a service idle for days keeps none)."""
    try:
        with app.extensions["store"]["engine"].begin() as conn:
            purge_dedupe_keys(conn, utcnow().strftime("%Y-%m-%d"))
    except Exception:  # noqa: BLE001 - not migrated yet or the database is down: next report does it
        log.warning("dedupe keys not purged at start")
