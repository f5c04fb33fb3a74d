"""Analyses: cache lookup, fetch (or supplied HTML, or a packaged demo page), analyse, store.

The analysis core is imported once per process (`analyzer()`); nothing here parses HTML.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import logging
import threading
import time
from concurrent.futures import Future
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from .errors import Problem
from .fetch import get_fetcher
from .store import db
from .store.models import Analysis, Page, utcnow
from .urls import CheckedURL, check_url, normalise, url_key

DEMO_DIR = Path(__file__).parent / "demo"


@lru_cache(maxsize=1)
def analyzer():
    """The analysis core, imported once per process (it loads its word lists and models)."""
    import heuristics

    return heuristics


def analyzer_version() -> str:
    return analyzer().ANALYZER_VERSION


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def checked(url: Any) -> tuple[CheckedURL, str]:
    """The checked URL and its normalised key (memoised: readers ask about the same pages)."""
    if isinstance(url, str) and len(url) <= 4096:
        return _checked(url, current_app.config["MAX_URL_LENGTH"], demo_hosts())
    return _checked.__wrapped__(url, current_app.config["MAX_URL_LENGTH"], demo_hosts())


@lru_cache(maxsize=8192)
def _checked(url: str, max_length: int, demo_hosts: frozenset[str] = frozenset()) -> tuple[CheckedURL, str]:
    target = check_url(url, max_length)
    if _demo_name(target, demo_hosts):
        # one page per packaged file and address: "?x=1", "?x=2"… would each be a new red page
        target = dataclasses.replace(target, query="")
    key = normalise(target)
    if len(key) > max_length:  # percent-encoding can lengthen a URL several times over
        raise Problem(422, "url-too-long", "URL too long",
                      f"The URL is {len(key)} characters long once encoded; at most {max_length} are accepted.")
    return target, key


# -- pages ------------------------------------------------------------------------------------

def find_page(key: str) -> Page | None:
    return db.session.scalar(select(Page).where(Page.url_key == key))


def get_or_create_page(target: CheckedURL, key: str) -> Page:
    page = find_page(key)
    if page is not None:
        return page
    session = db.session
    try:
        with session.begin_nested():
            # the normalised URL, not the one the reader's browser had: that may carry click
            # and campaign ids (fbclid, utm_*) that tie a stored page to one reader's visit
            page = Page(url_key=key, url=key[:2048], site=target.host[:255],
                        first_seen=utcnow(), request_count=0, report_count=0, moderation_state="none")
            session.add(page)
            session.flush()
        return page
    except IntegrityError:  # another request created it first
        page = find_page(key)
        if page is None:  # pragma: no cover - vanishingly unlikely
            raise
        return page


def moderation_of(page: Any) -> dict[str, Any]:
    if page is None:
        return {"state": "none", "level": None, "note": None, "reviewed_at": None}
    state = page.moderation_state
    review_is_live = current_app.extensions.get("review_is_live")
    if state == "in_review" and review_is_live is not None and not review_is_live(page.id):
        state = "open"  # the claim expired: open again, as the moderators' queue shows it
    return {"state": state, "level": page.moderated_level,
            "note": page.moderation_note, "reviewed_at": iso(page.moderated_at)}


def apply_moderation(badge: dict[str, Any], page: Any) -> dict[str, Any]:
    """The badge a reader sees: a moderator's decided level wins over the automatic one."""
    badge = dict(badge)
    badge["automatic_level"] = badge.get("level")
    badge["moderated"] = False
    if page is not None and page.moderation_state == "decided" and page.moderated_level:
        badge["level"] = page.moderated_level
        badge["moderated"] = True
    return badge


def present(page: Page, report: dict[str, Any], *, cached: bool, source: str,
            analyzed_at: datetime, expires_at: datetime) -> dict[str, Any]:
    out = dict(_without_tracking(report, page.url_key))
    out["badge"] = apply_moderation(report.get("badge") or {}, page)
    out["moderation"] = moderation_of(page)
    out["url"] = page.url_key
    out["cached"] = cached
    out["source"] = source
    out["analyzed_at"] = iso(analyzed_at)
    out["expires_at"] = iso(expires_at)
    return out


# -- the request counter (aggregate only, batched off the hot path) ---------------------------

class RequestCounter:
    """Counts page requests in memory and flushes aggregates every `interval` seconds."""

    def __init__(self, interval: float, engine=None) -> None:
        self.interval = interval
        self.engine = engine
        self._counts: dict[int, int] = {}
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()

    def hit(self, page_id: int) -> None:
        with self._lock:
            self._counts[page_id] = self._counts.get(page_id, 0) + 1
            due = time.monotonic() - self._last_flush >= self.interval
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, {}
            self._last_flush = time.monotonic()
        if not counts:
            return
        now = utcnow()
        try:
            with (self.engine or db.engine).begin() as conn:
                for page_id, n in sorted(counts.items()):
                    conn.execute(update(Page).where(Page.id == page_id).values(
                        request_count=Page.request_count + n, last_requested=now))
        except Exception:  # noqa: BLE001 - counting must never fail a reader's request
            logging.getLogger("server.analysis").warning("request counts not flushed")


def count_request(page_id: int) -> None:
    current_app.extensions["request_counter"].hit(page_id)


# -- analyses ---------------------------------------------------------------------------------

def demo_hosts() -> frozenset[str]:
    config = current_app.config
    if not config.get("DEMO_ENABLED", True):
        return frozenset()
    return frozenset(h.lower() for h in config.get("DEMO_HOSTS", ()))


def _on_demo_path(target: CheckedURL, hosts: frozenset[str]) -> bool:
    """A /demo/ URL on one of `hosts` (any port): a demo page of this service, if any."""
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host in hosts and target.path.startswith("/demo/")


def _demo_name(target: CheckedURL, hosts: frozenset[str]) -> str | None:
    """The packaged file a /demo/ URL on one of `hosts` names, if it exists."""
    if not _on_demo_path(target, hosts):
        return None
    name = target.path[len("/demo/"):] or "index.html"
    if "/" in name or name.startswith(".") or not (DEMO_DIR / name).is_file():
        return None
    return name


def demo_name_or_refuse(target: CheckedURL) -> str | None:
    """The packaged page a /demo/ URL of this service names (None for any other URL); 404 for
    one that names no packaged page. The fetcher would refuse it as a loopback address, which
    hides the real mistake (a mistyped demo name)."""
    hosts = demo_hosts()
    name = _demo_name(target, hosts)
    if name is None and _on_demo_path(target, hosts):
        pages = ", ".join(sorted(path.name for path in DEMO_DIR.glob("*.html")))
        raise Problem(404, "no-demo-page", "No such demo page",
                      f"{target.path} is not one of this service's demo pages "
                      f"({pages} under /demo/).")
    return name


def _demo_page(name: str) -> str:
    return (DEMO_DIR / name).read_text(encoding="utf-8")


def demo_html(target: CheckedURL) -> str | None:
    """The packaged page for a /demo/ URL of this service (no network), else None."""
    name = _demo_name(target, demo_hosts())
    return None if name is None else _demo_page(name)


def latest_analysis(key: str, version: str, source: str, content_hash: str | None = None) -> Analysis | None:
    query = (select(Analysis).where(Analysis.url_key == key, Analysis.analyzer_version == version,
                                    Analysis.source == source, Analysis.expires_at > utcnow())
             .order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(1))
    if content_hash is not None:
        query = query.where(Analysis.content_hash == content_hash)
    return db.session.scalar(query)


def check_html(html: Any) -> str:
    if not isinstance(html, str):
        raise Problem(422, "validation-error", "Invalid request", "html must be a string.")
    limit = current_app.config["MAX_HTML_CHARS"]
    if len(html) > limit:
        raise Problem(413, "html-too-large", "HTML too large",
                      f"The supplied HTML has {len(html)} characters; at most {limit} are accepted.")
    from heuristics.textio import looks_binary  # the analysis core loads lazily (analyzer())

    if looks_binary(html):
        raise Problem(422, "html-not-text", "Not HTML text",
                      "The supplied HTML looks like binary data, not a text page.")
    return html


def analyse(url: Any, html: str | None = None, refresh: bool = False) -> dict[str, Any]:
    """The report for `url` (cached when possible), as the API returns it.

    With `refresh`, a cached analysis is redone unless it is younger than
    REFRESH_MIN_AGE_SECONDS (a moderator's decision survives: it lives on the page).
    """
    target, key = checked(url)
    # once per request: it looks at the demo hosts and checks a file on disk
    demo_name = demo_name_or_refuse(target)
    version = analyzer_version()
    session = db.session
    if html is None:
        source, content_hash = "fetched", None
    else:
        html = check_html(html)
        if demo_name is None:  # the name rules here; its lookup only if work is due
            get_fetcher().check_supplied_destination(target, resolve=False)
        source = "supplied"
        content_hash = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()

    hit = _usable_analysis(key, version, source, content_hash, refresh)
    if hit is None:
        session.rollback()  # hold no transaction open while waiting or fetching

        def work() -> dict[str, Any] | None:
            # None: meanwhile another request stored one (read it from the cache below)
            if _usable_analysis(key, version, source, content_hash, refresh) is not None:
                return None
            session.rollback()
            return _analyse_now(target, key, source, content_hash, html, demo_name)

        # per app too: two apps in one process (tests) have their own database and settings
        flight = (id(current_app._get_current_object()), key, source, content_hash)
        report = _in_flight.run(flight, work)
        if report is not None:
            return report
        hit = _usable_analysis(key, version, source, content_hash, refresh=False)
        if hit is None:  # gone already (a cache lifetime of 0): do it ourselves
            return _analyse_now(target, key, source, content_hash, html, demo_name)
    page = session.get(Page, hit.page_id)
    count_request(page.id)
    return present(page, hit.report, cached=True, source=source,
                   analyzed_at=hit.created_at, expires_at=hit.expires_at)


def cached_analysis(url: Any) -> dict[str, Any] | None:
    """The current analysis the server fetched for `url`, as `analyse` answers it, or None:
    never a fetch, never an analysis (GET /check)."""
    target, key = checked(url)
    hit = latest_analysis(key, analyzer_version(), "fetched")
    if hit is None:
        return None
    page = db.session.get(Page, hit.page_id)
    count_request(page.id)
    return present(page, hit.report, cached=True, source="fetched",
                   analyzed_at=hit.created_at, expires_at=hit.expires_at)


def _usable_analysis(key: str, version: str, source: str, content_hash: str | None,
                     refresh: bool) -> Analysis | None:
    hit = latest_analysis(key, version, source, content_hash)
    if hit is not None and refresh:
        age = (utcnow() - hit.created_at).total_seconds()
        if age >= float(current_app.config["REFRESH_MIN_AGE_SECONDS"]):
            return None
    return hit


class _InFlight:
    """Analyses running in this process, by page: readers opening a new article together get one
    fetch and analysis, not one each. The others wait for it and then read it from the cache; a
    failure is theirs too (a hanging site costs one timeout, not one per waiting reader)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._running: dict[Any, Future] = {}

    def run(self, key: Any, work: Callable[[], Any]) -> Any:
        """work()'s result for the caller that ran it; None for those that waited for its success.

        Only an `Exception` is shared with the waiters. A leader stopped otherwise (SystemExit,
        a gevent Timeout: its own request's end, not the page's) lets them go on: one of them
        starts a new flight, which the others wait for."""
        while True:
            with self._guard:
                running = self._running.get(key)
                leads = running is None
                if leads:
                    running = self._running[key] = Future()
            if leads:
                break
            if running.result() is not _LEADER_INTERRUPTED:  # raises the first caller's failure
                return None
        try:
            result = work()
        except BaseException as exc:
            self._end(key)  # first, so that waiters sent on find no flight under this key
            if isinstance(exc, Exception):
                running.set_exception(exc)
            else:
                running.set_result(_LEADER_INTERRUPTED)
            raise
        self._end(key)
        running.set_result(None)
        return result

    def _end(self, key: Any) -> None:
        with self._guard:
            del self._running[key]


_LEADER_INTERRUPTED = object()  # what a flight's waiters get when its leader was stopped


_in_flight = _InFlight()


def _analyse_now(target: CheckedURL, key: str, source: str, content_hash: str | None,
                 html: str | None, demo_name: str | None) -> dict[str, Any]:
    """`demo_name`: the packaged page `target` names (demo_name_or_refuse), None for others."""
    # The report keeps the URL it was given (article.url) and is served to every later reader:
    # give it the normalised key, never the URL as this reader's browser had it (mkt_tok,
    # fbclid, utm_*… would hand one reader's click id to all the others).
    page_url = key
    if html is None:
        if demo_name is not None:
            html = _demo_page(demo_name)
        else:
            fetched = get_fetcher().fetch(target.url)
            html, page_url = fetched.text, clean_url(fetched.url, fallback=key)  # after redirects
    elif demo_name is None:
        get_fetcher().check_supplied_destination(target)
    report = analyzer().analyze_html(html, url=page_url).to_dict()
    return store(target, key, source, content_hash, report)


def clean_url(url: Any, fallback: str) -> str:
    """`url` normalised like a page key (tracking parameters dropped); `fallback` if it is not
    a URL the service accepts."""
    try:
        return url_key(url)
    except Problem:
        return fallback


def _without_tracking(report: dict[str, Any], key: str) -> dict[str, Any]:
    """Reports stored before article.url was normalised carry the reader's URL as sent: clean
    it on the way out, so no cached answer hands one reader's click ids to another."""
    article = report.get("article")
    if not isinstance(article, dict) or not article.get("url"):
        return report
    cleaned = clean_url(article["url"], fallback=key)
    if cleaned == article["url"]:
        return report
    return {**report, "article": {**article, "url": cleaned}}


MODERATION_FIELDS = ("moderation_state", "moderated_level", "moderation_note", "moderated_at")


def flag_for_review(page: Page) -> None:
    """Open the page for moderators if nobody has looked at it yet ('none' -> 'open').

    One conditional UPDATE in the caller's transaction, never read-then-write: a moderator's
    claim or decision that lands meanwhile is not undone (PostgreSQL re-checks the WHERE on the
    locked row; SQLite has one writer at a time).
    """
    session = db.session
    session.execute(update(Page).where(Page.id == page.id, Page.moderation_state == "none")
                    .values(moderation_state="open")
                    .execution_options(synchronize_session=False))
    session.expire(page, list(MODERATION_FIELDS))  # read back whatever the database now holds


def store(target: CheckedURL, key: str, source: str, content_hash: str | None,
          report: dict[str, Any]) -> dict[str, Any]:
    session = db.session
    config = current_app.config
    now = utcnow()
    ttl = config["ANALYSIS_TTL_SECONDS"] if source == "fetched" else config["SUPPLIED_ANALYSIS_TTL_SECONDS"]
    expires = now + timedelta(seconds=ttl)
    badge = report.get("badge") or {}
    level = badge.get("level")
    version = str(report.get("analyzer_version") or analyzer_version())
    page = get_or_create_page(target, key)
    session.add(Analysis(page_id=page.id, url_key=key, analyzer_version=version, source=source,
                         content_hash=content_hash, badge_level=level, report=report,
                         created_at=now, expires_at=expires))
    if source == "fetched":  # only what the server fetched itself (or a packaged demo page)
        page.badge_level = level
        page.badge = {k: badge[k] for k in ("level", "score", "reasons", "confidence") if k in badge}
        page.badge_source = source
        page.badge_analyzer_version = version
        page.badge_analyzed_at = now
        page.badge_expires_at = expires
    # A supplied-HTML analysis is the requester's alone: anyone can send any HTML for any URL,
    # so it never becomes the page's public badge. A red one still flags the page for
    # moderators, who see its source ("supplied") in the page's analysis history.
    if level == "unreliable":
        flag_for_review(page)
    page.request_count = Page.request_count + 1  # atomic in SQL
    page.last_requested = now
    session.commit()
    forget_badge(key)
    return present(page, report, cached=False, source=source, analyzed_at=now, expires_at=expires)


BADGE_QUERY = select(
    Page.id, Page.url_key, Page.badge, Page.badge_source, Page.badge_analyzer_version,
    Page.badge_analyzed_at, Page.badge_expires_at, Page.moderation_state, Page.moderated_level,
    Page.moderation_note, Page.moderated_at,
).where(Page.url_key == bindparam("key"))


class BadgeCache:
    """Badge rows kept for a second or so per process, so a page many readers open at once costs
    one read. Writes in this process drop the entry at once; other workers see a change within
    `ttl` seconds (BADGE_CACHE_SECONDS; 0 switches the cache off)."""

    def __init__(self, ttl: float, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._rows: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        if self.ttl <= 0:
            return None
        hit = self._rows.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, key: str, row: Any) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._rows) >= self.size:
                self._rows.clear()
            self._rows[key] = (time.monotonic() + self.ttl, row)

    def drop(self, key: str) -> None:
        self._rows.pop(key, None)


def forget_badge(key: str) -> None:
    """Call after changing a page's badge or moderation fields in this process."""
    cache = current_app.extensions.get("badge_cache")
    if cache is not None:
        cache.drop(key)


def badge_for(url: Any) -> dict[str, Any]:
    """The stored badge only (the toolbar's fast path): one indexed read (or none, see
    BadgeCache), no ORM session, no analysis, no model loading."""
    target, key = checked(url)
    cache: BadgeCache = current_app.extensions["badge_cache"]
    page = cache.get(key)
    if page is None:
        with db.engine.connect() as conn:
            page = conn.execute(BADGE_QUERY, {"key": key}).first()
        if page is not None:
            cache.put(key, page)
    now = utcnow()
    current = (page is not None and page.badge is not None and page.badge_expires_at is not None
               and page.badge_expires_at > now and page.badge_analyzer_version == analyzer_version())
    decided = page is not None and page.moderation_state == "decided" and bool(page.moderated_level)
    if not (current or decided):
        raise Problem(404, "no-badge", "No badge yet",
                      "There is no current analysis for this URL; POST /api/v1/analyses to get one.")
    count_request(page.id)
    if current:
        automatic, source = page.badge, page.badge_source
        version, analyzed, expires = page.badge_analyzer_version, page.badge_analyzed_at, page.badge_expires_at
    else:
        # A moderator's decision stands on its own: readers see it even when no current automatic
        # analysis exists (a page the server cannot fetch, or a new analyzer version).
        automatic = {"level": None, "score": None, "reasons": [], "confidence": None}
        source, version, analyzed, expires = "moderated", None, None, None
    return {
        "url": key,
        "badge": apply_moderation(automatic, page),
        "moderation": moderation_of(page),
        "source": source,
        "analyzer_version": version,
        "analyzed_at": iso(analyzed),
        "expires_at": iso(expires),
    }


WARMUP_HTML = ("<html><head><title>Warm up</title></head><body><article><h1>Warm up</h1>"
               + "<p>The council said on Monday that the bridge would reopen, according to "
                 "reports, and the mayor welcomed the decision in a statement.</p>" * 8
               + "</article></body></html>")


@lru_cache(maxsize=1)
def warm_up() -> bool:
    """Analyse a small page once per process, so the first reader does not pay for the core's
    lazy loading (word lists, models)."""
    try:
        analyzer().analyze_html(WARMUP_HTML, url="https://warm-up.invalid/")
    except Exception:  # noqa: BLE001 - a warm-up failure shows up again on a real request
        return False
    return True


def init_app(app) -> None:
    counter = RequestCounter(float(app.config["REQUEST_COUNT_FLUSH_SECONDS"]),
                             app.extensions["store"]["engine"])
    app.extensions["request_counter"] = counter
    app.extensions["badge_cache"] = BadgeCache(float(app.config.get("BADGE_CACHE_SECONDS", 0)))
    atexit.register(counter.flush)  # a worker's last counts (no-op when nothing is pending)
    if app.config.get("PRELOAD_ANALYZER"):
        analyzer()
        warm_up()
