"""Every form needs a valid CSRF token: without one (or with a forged one) the answer is 400
and nothing changes. CSRF protection is on in these apps, as in production."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.moderation.models import AuditEntry, Decision, Moderator
from server.store import db
from server.store.models import ApiClient

FORMS = [
    ("/moderation/logout", {}),
    ("/moderation/pages/{page}/claim", {"version": "0"}),
    ("/moderation/pages/{page}/claim", {"version": "0", "takeover": "y"}),
    ("/moderation/pages/{page}/release", {"version": "0"}),
    ("/moderation/pages/{page}/decision", {"version": "0", "action": "override", "level": "reliable",
                                            "note": "forged"}),
    ("/moderation/pages/{page}/evidence", {"version": "0", "analysis_id": "1", "signal": "clickbait",
                                            "index": "0", "verdict": "false_positive", "reason": "forged"}),
    ("/moderation/admin/moderators", {"email": "evil@example.org", "role": "admin",
                                      "password": "a long enough password"}),
    ("/moderation/admin/moderators/{admin}", {"role": "moderator"}),
    ("/moderation/admin/api-keys", {"name": "evil"}),
    ("/moderation/admin/api-keys/{key}/revoke", {}),
]


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (AuditEntry, Decision, Moderator, ApiClient))


@pytest.fixture
def ids(mod_app, seed_page, admin_browser):
    from server.keys import create_client

    with mod_app.app_context():
        key = create_client("tool")[0].id
        admin = db.session.scalar(select(Moderator.id))
    return {"page": seed_page, "admin": admin, "key": key}


TOKENS = [None, "forged-token", "stale"]
CASES = [(path, data, None) for path, data in FORMS] + \
    [(FORMS[4][0], FORMS[4][1], token) for token in TOKENS[1:]] + \
    [(FORMS[6][0], FORMS[6][1], token) for token in TOKENS[1:]]


@pytest.mark.parametrize("path,data,token", CASES)
def test_forms_without_valid_csrf_get_400(mod_app, admin_browser, ids, path, data, token):
    admin_browser.get(f"/moderation/pages/{ids['page']}")  # the item exists
    before = counts(mod_app)
    data = dict(data)
    if token == "stale":  # a real token, but from another session
        from .conftest import Browser

        token = Browser(mod_app.test_client()).token()
    if token is not None:
        data["csrf_token"] = token
    response = admin_browser.client.post(path.format(**ids), data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "CSRF" in body and "Traceback" not in body
    assert counts(mod_app) == before
    assert admin_browser.get("/moderation/").status_code == 200  # still logged in


def test_login_form_needs_csrf(mod_app, moderator):
    from .conftest import PASSWORD

    response = mod_app.test_client().post("/moderation/login",
                                          data={"email": moderator, "password": PASSWORD})
    assert response.status_code == 400


def test_json_api_is_not_subject_to_form_csrf(mod_app):
    response = mod_app.test_client().post("/api/v1/reports", json={"url": "https://a.example/x"})
    assert response.status_code != 400 or "CSRF" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path,setup", [
    ("/moderation/pages/{page}", None),  # claim and decision forms
    ("/moderation/pages/{page}", "claim"),  # release and decision forms
    ("/moderation/admin/moderators", None),  # a form per account, and the new-account form
    ("/moderation/admin/api-keys", None),  # a revoke form per key, and the new-key form
    ("/moderation/", None),
    ("/moderation/admin/audit", None),
])
def test_html_ids_are_unique(mod_app, admin_browser, ids, path, setup):
    import re
    from collections import Counter

    from server.keys import create_client

    from .conftest import add_moderator

    add_moderator(mod_app, "second@example.org")
    with mod_app.app_context():
        create_client("another tool")
    if setup == "claim":
        version = admin_browser.version(ids["page"])
        assert admin_browser.post(f"/moderation/pages/{ids['page']}/claim",
                                  {"version": version}).status_code == 302
    html = admin_browser.get(path.format(**ids)).get_data(as_text=True)
    repeated = [i for i, n in Counter(re.findall(r'\bid="([^"]*)"', html)).items() if n > 1]
    assert repeated == []
