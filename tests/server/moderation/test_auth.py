"""Accounts and sessions: login required everywhere, API keys do not open these pages, lock-out,
session rotation, cookie flags, roles."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

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


def locks(app):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account_locked")).all()


@pytest.fixture
def later(monkeypatch):
    """later(seconds): time passes for the lock-out counters (memory:// storage), no sleeping."""
    from limits.storage import memory

    assert memory.time is time  # the storage reads the module's clock
    offset = [0.0]
    monkeypatch.setattr(memory, "time", SimpleNamespace(time=lambda: time.time() + offset[0]))

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


def test_lockout_after_repeated_failures(mod_app, moderator, later):
    client = Browser(mod_app.test_client())
    for _ in range(mod_app.config["MODERATION_MAX_FAILED_LOGINS"]):
        assert client.login(moderator, "not the password!").status_code == 401
    # locked: even the right password is refused, with the same message
    response = client.login(moderator)
    assert response.status_code == 401 and "wrong email or password" in response.get_data(as_text=True)
    # tries during the lock-out neither count nor extend it (each one used to double it)
    for _ in range(10):
        assert client.login(moderator, "not the password!").status_code == 401
    assert len(locks(mod_app)) == 1
    with mod_app.app_context():
        account = db.session.scalar(select(Moderator).where(Moderator.email == moderator))
        assert account.locked_until > utcnow()  # admins see it
        account.locked_until = utcnow() - timedelta(seconds=1)  # time passes
        db.session.commit()
    later(mod_app.config["MODERATION_LOCKOUT_SECONDS"] + 1)  # the first lock-out's length only
    assert client.login(moderator).status_code == 302
    with mod_app.app_context():
        account = db.session.scalar(select(Moderator).where(Moderator.email == moderator))
        assert account.failed_logins == 0 and account.locked_until is None


STRANGER_64 = [f"2001:db8:5:1::{i:x}" for i in range(1, 9)]


@pytest.mark.parametrize("stranger,owner,owner_gets_in", [
    (["203.0.113.9"], "198.51.100.7", True),  # a stranger elsewhere cannot lock the owner out
    (STRANGER_64, "2001:db8:5:2::1", True),
    (["203.0.113.9"], "203.0.113.9", False),  # the address that failed is locked out
    (STRANGER_64, "2001:db8:5:1::ff", False),  # an IPv6 /64 is one address: rotating buys nothing
])
def test_failures_lock_out_their_address_only(mod_app, moderator, stranger, owner, owner_gets_in):
    attacker = Browser(mod_app.test_client())
    for i in range(3 * mod_app.config["MODERATION_MAX_FAILED_LOGINS"]):
        assert attacker.login(moderator, "guess number x",
                              environ_base={"REMOTE_ADDR": stranger[i % len(stranger)]}).status_code == 401
    response = Browser(mod_app.test_client()).login(moderator, environ_base={"REMOTE_ADDR": owner})
    assert response.status_code == (302 if owner_gets_in else 401)
    assert len(locks(mod_app)) == 1  # the attacker's one lock-out, not one per try


def test_a_password_reset_ends_lockouts(mod_app, moderator, admin_browser):
    client = Browser(mod_app.test_client())
    for _ in range(mod_app.config["MODERATION_MAX_FAILED_LOGINS"]):
        client.login(moderator, "not the password!")
    assert client.login(moderator).status_code == 401
    with mod_app.app_context():
        mod_id = db.session.scalar(select(Moderator.id).where(Moderator.email == moderator))
    page = "/moderation/admin/moderators"
    assert admin_browser.post(f"{page}/{mod_id}", {"role": "moderator", "active": "y",
                                                   "password": "a brand new password"},
                              token_from=page).status_code == 302
    assert client.login(moderator, "a brand new password").status_code == 302


@pytest.mark.parametrize("strike,seconds", [(1, 900), (2, 1800), (3, 3600), (7, 57600), (8, 86400),
                                            (50, 86400)])
def test_lockouts_double_up_to_a_day(mod_app, strike, seconds):
    from server.moderation.lockout import lock_seconds

    with mod_app.app_context():
        assert lock_seconds(strike) == seconds


def test_lockout_storage_outage_is_not_a_500(mod_app, moderator, monkeypatch):
    from server.moderation import lockout

    def broken():
        raise ConnectionError("storage down")

    monkeypatch.setattr(lockout, "storage", broken)
    client = Browser(mod_app.test_client())
    assert client.login(moderator, "not the password!").status_code == 401
    assert client.login(moderator).status_code == 302


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
    ("/moderation/\r\nX-Injected: y", "/moderation/"),  # a header injection was a 500
    ("/moderation/\nx", "/moderation/"),
    ("/moderation/\tx", "/moderation/"),
    ("/moderation/\x00", "/moderation/"),
    ("/moderation/\x7f", "/moderation/"),
    ("/moderation/\x85x", "/moderation/"),
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


def test_crlf_in_next_is_not_a_500(mod_app, moderator):
    browser = Browser(mod_app.test_client())
    response = browser.client.post("/moderation/login?next=/moderation/%0d%0aX:y",
                                   data={"email": moderator, "password": PASSWORD,
                                         "csrf_token": browser.token()})
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/"
    assert "X" not in response.headers


@pytest.mark.parametrize("path", PAGES + ["/moderation/pages/999", "/moderation/admin/moderators"])
def test_pages_are_not_stored_in_caches(admin_browser, seed_page, path):
    assert admin_browser.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("how", ["login page", "redirect to login", "new API key", "error page"])
def test_more_answers_are_not_stored_in_caches(mod_app, admin_browser, how):
    if how == "login page":
        response = mod_app.test_client().get("/moderation/login")
    elif how == "redirect to login":
        response = mod_app.test_client().get("/moderation/admin/api-keys")
    elif how == "new API key":  # shown once: no copy of it may stay in a cache
        page = "/moderation/admin/api-keys"
        response = admin_browser.post(page, {"name": "a tool"}, token_from=page)
        assert "rlk_" in response.get_data(as_text=True)
    else:
        response = admin_browser.post("/moderation/admin/api-keys/7/revoke", {},
                                      token_from="/moderation/admin/api-keys")
        assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_the_stylesheet_may_be_cached(mod_app):
    response = mod_app.test_client().get("/moderation/static/moderation.css")
    assert response.status_code == 200 and response.headers.get("Cache-Control") != "no-store"
