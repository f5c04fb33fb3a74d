"""Accounts and sessions: login required everywhere, API keys do not open these pages, lock-out,
session rotation, cookie flags, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.moderation.models import AuditEntry, Moderator
from server.store import db
from server.store.models import utcnow

from .conftest import PASSWORD, Browser, add_moderator

PAGES = [
    "/moderation/",
    "/moderation/?status=decided",
    "/moderation/pages/1",
    "/moderation/sites/worldtrend.example",
    "/moderation/export/",
    "/moderation/export/evidence.csv",
    "/moderation/export/evidence.json",
    "/moderation/admin/moderators",
    "/moderation/admin/api-keys",
    "/moderation/admin/audit",
]
ADMIN_PAGES = [p for p in PAGES if "/admin/" in p]


@pytest.fixture
def api_key(mod_app):
    from server.keys import create_client

    with mod_app.app_context():
        return create_client("a tool")[1]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_login(mod_app, seed_page, path):
    response = mod_app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderation/login?next=")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_api_keys_do_not_open_moderator_pages(mod_app, seed_page, api_key, path, header):
    value = f"Bearer {api_key}" if header == "Authorization" else api_key
    assert mod_app.test_client().get("/api/v1/badges", query_string={"url": "https://a.example/x"},
                                      headers={header: value}).status_code == 404  # the key works
    response = mod_app.test_client().get(path, headers={header: value})
    assert response.status_code == 302 and "/moderation/login" in response.headers["Location"]


def test_moderator_session_cannot_use_keyed_api(browser):
    response = browser.client.post("/api/v1/analyses/batch",
                                   json={"items": [{"url": "https://a.example/x"}]})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_refuse_moderators(browser, path):
    response = browser.get(path)
    assert response.status_code == 403
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_open_for_admins(admin_browser, path):
    assert admin_browser.get(path).status_code == 200


@pytest.mark.parametrize("email,password", [
    ("mod@example.org", "wrong password here"),
    ("nobody@example.org", PASSWORD),
    ("MOD@example.org ", "wrong password here"),
    ("", ""),
])
def test_login_failures_say_the_same(mod_app, moderator, email, password):
    response = Browser(mod_app.test_client()).login(email, password)
    assert response.status_code in (400, 401)
    if email:
        assert "wrong email or password" in response.get_data(as_text=True)


def test_email_is_case_insensitive(mod_app, moderator):
    assert Browser(mod_app.test_client()).login(" Mod@Example.org ").status_code == 302


def test_lockout_after_repeated_failures(mod_app, moderator):
    client = Browser(mod_app.test_client())
    for _ in range(mod_app.config["MODERATION_MAX_FAILED_LOGINS"]):
        assert client.login(moderator, "not the password!").status_code == 401
    # locked: even the right password is refused, with the same message
    response = client.login(moderator)
    assert response.status_code == 401
    with mod_app.app_context():
        account = db.session.scalar(select(Moderator).where(Moderator.email == moderator))
        assert account.locked_until > utcnow()
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account_locked"))
        account.locked_until = utcnow() - timedelta(seconds=1)  # time passes
        db.session.commit()
    assert client.login(moderator).status_code == 302
    with mod_app.app_context():
        account = db.session.scalar(select(Moderator).where(Moderator.email == moderator))
        assert account.failed_logins == 0 and account.locked_until is None


def test_login_is_rate_limited_per_address(sqlite_database, app_factory, moderator):
    app = app_factory(sqlite_database, RATELIMIT_ENABLED=True, MODERATION_LOGIN_LIMIT="3/minute")
    client = Browser(app.test_client())
    codes = [client.login("someone@example.org", "guess number x").status_code for _ in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429


def test_login_throttle_keys_ipv6_by_its_64(sqlite_database, app_factory, moderator):
    """Rotating through one's own /64 does not buy more password guesses."""
    app = app_factory(sqlite_database, RATELIMIT_ENABLED=True, MODERATION_LOGIN_LIMIT="3/minute")
    client = Browser(app.test_client())
    codes = [client.login("someone@example.org", "guess number x",
                          environ_base={"REMOTE_ADDR": f"2001:db8:77:1::{i + 1:x}"}).status_code
             for i in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
    other = client.login("someone@example.org", "guess number x",
                         environ_base={"REMOTE_ADDR": "2001:db8:77:2::1"})
    assert other.status_code == 401  # another /64 has its own budget


def test_session_rotated_at_login(mod_app, moderator):
    client = mod_app.test_client()
    browser = Browser(client)
    token_before = browser.token()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        before = dict(sess)
    assert browser.login(moderator).status_code == 302
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("csrf_token") != before.get("csrf_token")
        assert "_user_id" in sess
    assert browser.token("/moderation/") != token_before


def test_logout_ends_the_session_everywhere(mod_app, browser):
    stolen = browser.client.get_cookie("session").value
    response = browser.post("/moderation/logout")
    assert response.status_code == 302
    assert browser.get("/moderation/").status_code == 302
    other = mod_app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/moderation/").status_code == 302  # the old cookie no longer works


def test_deactivated_moderator_is_logged_out(mod_app, browser, admin_browser):
    with mod_app.app_context():
        mod_id = db.session.scalar(select(Moderator.id).where(Moderator.email == "mod@example.org"))
    response = admin_browser.post(f"/moderation/admin/moderators/{mod_id}",
                                  {"role": "moderator"}, token_from="/moderation/admin/moderators")
    assert response.status_code == 302
    assert browser.get("/moderation/").status_code == 302
    assert Browser(mod_app.test_client()).login("mod@example.org").status_code == 401


def test_cookie_flags(sqlite_database, app_factory):
    app = app_factory(sqlite_database, SESSION_COOKIE_SECURE=True)
    add_moderator(app, "c@example.org")
    response = Browser(app.test_client()).login("c@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("target,expected", [
    ("/moderation/admin/audit", "/moderation/admin/audit"),
    ("/moderation/pages/3?x=1", "/moderation/pages/3?x=1"),
    ("https://evil.example/moderation/", "/moderation/"),
    ("//evil.example/moderation/", "/moderation/"),
    ("/api/v1/badges", "/moderation/"),
    ("/\\evil.example", "/moderation/"),
])
def test_no_open_redirect_after_login(mod_app, moderator, target, expected):
    browser = Browser(mod_app.test_client())
    response = browser.client.post("/moderation/login", query_string={"next": target},
                                   data={"email": moderator, "password": PASSWORD,
                                         "csrf_token": browser.token()})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_sessions_expire(mod_app, browser):
    with browser.client.session_transaction() as sess:
        sess["mod_login_at"] = 0
    assert browser.get("/moderation/").status_code == 302
