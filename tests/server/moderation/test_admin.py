"""Admins manage moderators and API keys from the web; every change is audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server.moderation.models import AuditEntry, Moderator
from server.store import db

from .conftest import Browser


def moderator_id(app, email):
    with app.app_context():
        return db.session.scalar(select(Moderator.id).where(Moderator.email == email))


def entries(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_create_and_update_moderators(mod_app, admin_browser):
    page = "/moderation/admin/moderators"
    created = admin_browser.post(page, {"email": "New@Example.org", "role": "moderator",
                                        "password": "a long password 1"}, token_from=page)
    assert created.status_code == 302
    assert Browser(mod_app.test_client()).login("new@example.org", "a long password 1").status_code == 302
    new_id = moderator_id(mod_app, "new@example.org")

    promoted = admin_browser.post(f"{page}/{new_id}", {"role": "admin", "active": "y",
                                                       "password": "another password 2"}, token_from=page)
    assert promoted.status_code == 302
    [update] = entries(mod_app, "moderator_update")
    assert update.before == {"email": "new@example.org", "role": "moderator", "active": True}
    assert update.after == {"email": "new@example.org", "role": "admin", "active": True,
                            "password_reset": True}
    assert "password_hash" not in str(update.after)
    assert Browser(mod_app.test_client()).login("new@example.org", "another password 2").status_code == 302


@pytest.mark.parametrize("data,message", [
    ({"email": "not-an-email", "role": "moderator", "password": "a long password 1"}, "Not an email"),
    ({"email": "a@example.org", "role": "moderator", "password": "short"}, "at least 12"),
    ({"email": "a@example.org", "role": "root", "password": "a long password 1"}, "Not a valid choice"),
    ({"email": "admin@example.org", "role": "moderator", "password": "a long password 1"}, "already exists"),
])
def test_bad_accounts_refused(mod_app, admin_browser, data, message):
    page = "/moderation/admin/moderators"
    response = admin_browser.post(page, data, token_from=page)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_last_admin_stays(mod_app, admin_browser):
    page = "/moderation/admin/moderators"
    me = moderator_id(mod_app, "admin@example.org")
    response = admin_browser.post(f"{page}/{me}", {"role": "moderator", "active": "y"}, token_from=page)
    assert response.status_code == 302
    with mod_app.app_context():
        assert db.session.get(Moderator, me).role == "admin"


def test_api_keys_from_the_web(mod_app, admin_browser):
    page = "/moderation/admin/api-keys"
    response = admin_browser.post(page, {"name": "Newsroom tool"}, token_from=page)
    assert response.status_code == 200
    key = re.search(r"<code>(rlk_[^<]+)</code>", response.get_data(as_text=True)).group(1)
    api = mod_app.test_client()
    batch = {"items": [{"url": "https://a.example/x", "html": "<html><body><p>hi</p></body></html>"}]}
    assert api.post("/api/v1/analyses/batch", json=batch,
                    headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert key not in admin_browser.get(page).get_data(as_text=True)  # shown once
    [created] = entries(mod_app, "apikey_create")
    assert created.after["name"] == "Newsroom tool" and key not in str(created.after)

    again = admin_browser.post(page, {"name": "Newsroom tool"}, token_from=page)
    assert again.status_code == 422  # names of active clients are unique: refused, not a 500
    assert "already named" in again.get_data(as_text=True)
    assert len(entries(mod_app, "apikey_create")) == 1

    client_id = int(created.target_id)
    assert admin_browser.post(f"{page}/{client_id}/revoke", {}, token_from=page).status_code == 302
    assert api.post("/api/v1/analyses/batch", json=batch,
                    headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert len(entries(mod_app, "apikey_revoke")) == 1
