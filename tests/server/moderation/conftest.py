"""Fixtures for the moderation pages: accounts, a logged-in browser-like client (CSRF on),
and pages with analyses (through the real API, or inserted from the seed's real report).

CSRF protection stays ON in every app here: `Browser` reads the token from the page's forms,
the way a browser submits them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from server.moderation.admin import create_moderator
from server.store import db
from server.store.models import Analysis, Page, ReaderReport, utcnow

PASSWORD = "correct horse battery staple"
SEED_URL = "https://worldtrend.example/2025/06/20/north-korea-workers-russia-drones"
TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def seed_report(seed_html):
    """The analysis core's real report for the seed article (computed once)."""
    import heuristics

    return heuristics.analyze_html(seed_html, url=SEED_URL).to_dict()


def add_moderator(app, email: str, role: str = "moderator", password: str = PASSWORD):
    with app.app_context():
        moderator = create_moderator(email, password, role)
        return moderator.id


def add_page(app, report: dict, url: str = SEED_URL, *, site: str | None = None,
             reports: list[str] = (), requests: int = 0, source: str = "fetched") -> int:
    """A page with one stored analysis the server fetched (as the API stores it: only a fetched
    analysis sets the page's badge columns), optionally with reader reports."""
    from urllib.parse import urlsplit

    host = site or urlsplit(url).hostname
    now = utcnow()
    badge = report.get("badge") or {}
    with app.app_context():
        page = Page(url_key=url, url=url, site=host, first_seen=now, request_count=requests,
                    report_count=len(reports), badge_level=badge.get("level"),
                    badge={k: badge.get(k) for k in ("level", "score", "reasons", "confidence")},
                    badge_source=source, badge_analyzer_version=report.get("analyzer_version"),
                    badge_analyzed_at=now, badge_expires_at=now + timedelta(days=1),
                    moderation_state="open" if badge.get("level") == "unreliable" else "none")
        db.session.add(page)
        db.session.flush()
        db.session.add(Analysis(page_id=page.id, url_key=url, analyzer_version=report["analyzer_version"],
                                source=source, badge_level=badge.get("level"), report=report,
                                created_at=now, expires_at=now + timedelta(days=1)))
        for i, comment in enumerate(reports):
            db.session.add(ReaderReport(page_id=page.id, comment=comment, signal="clickbait",
                                        badge_level=badge.get("level"), created_at=now,
                                        dedupe_hash=f"{page.id}-{i}"))
        db.session.commit()
        return page.id


class Browser:
    """A test client that logs in and submits forms with the CSRF token the page carries."""

    def __init__(self, client) -> None:
        self.client = client

    def token(self, path: str = "/moderation/login") -> str:
        html = self.client.get(path, follow_redirects=True).get_data(as_text=True)
        match = TOKEN_RE.search(html)
        assert match, f"no CSRF token on {path}"
        return unescape(match.group(1))

    def login(self, email: str, password: str = PASSWORD, **kw):
        data = {"email": email, "password": password, "csrf_token": self.token()}
        return self.client.post("/moderation/login", data=data, **kw)

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, *, token_from: str = "/moderation/", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from))
        return self.client.post(path, data=data, **kw)

    def version(self, page_id: int) -> int:
        html = self.client.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
        return int(re.search(r'name="version"[^>]*value="(\d+)"', html).group(1))

    def decide(self, page_id: int, action: str, level: str = "", note: str = "", version: int | None = None):
        if version is None:
            version = self.version(page_id)
        return self.post(f"/moderation/pages/{page_id}/decision",
                         {"action": action, "level": level, "note": note, "version": version})


@pytest.fixture
def mod_app(sqlite_app):
    """The service on a real SQLite file, moderation included, CSRF on."""
    assert sqlite_app.config.get("WTF_CSRF_ENABLED", True) is True
    fast_hashes(sqlite_app)
    # no network: the review page would re-fetch a fetched page to show its text; the tests
    # of that re-derivation turn it back on (for the packaged demo pages, fetched locally)
    sqlite_app.config["MODERATION_DERIVE_TEXT"] = False
    return sqlite_app


def fast_hashes(app):
    """Cheaper scrypt parameters for test accounts (production keeps werkzeug's default)."""
    app.config["MODERATION_PASSWORD_METHOD"] = "scrypt:1024:8:1"
    return app


@pytest.fixture
def moderator(mod_app):
    add_moderator(mod_app, "mod@example.org")
    return "mod@example.org"


@pytest.fixture
def admin(mod_app):
    add_moderator(mod_app, "admin@example.org", role="admin")
    return "admin@example.org"


@pytest.fixture
def browser(mod_app, moderator):
    b = Browser(mod_app.test_client())
    assert b.login(moderator).status_code == 302
    return b


@pytest.fixture
def admin_browser(mod_app, admin):
    b = Browser(mod_app.test_client())
    assert b.login(admin).status_code == 302
    return b


@pytest.fixture
def seed_page(mod_app, seed_report):
    return add_page(mod_app, seed_report)
