"""Numbers from addresses, query strings and forms: anything too big or not a plain number is a
404, a default or a refused form, never a 500 (int('²') fails after isdigit(); SQLite refuses
integers past 64 bits; PostgreSQL's INTEGER is 32 bits)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.moderation.models import AuditEntry, EvidenceFeedback
from server.store import db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("number", ["²", "١٢", HUGE, "9" * 5000, "2147483648", "-1", "0", "1.5",
                                    "x", ""])
@pytest.mark.parametrize("path", ["/moderation/", "/moderation/admin/audit"])
def test_page_numbers(admin_browser, seed_page, path, number):
    response = admin_browser.get(path, query_string={"page": number})
    assert response.status_code == 200


@pytest.mark.parametrize("method,path", [
    ("get", f"/moderation/pages/{HUGE}"),
    ("get", "/moderation/pages/2147483648"),
    ("get", "/moderation/pages/2147483647"),  # the largest id: looked up, not there
    ("post", f"/moderation/pages/{HUGE}/claim"),
    ("post", f"/moderation/pages/{HUGE}/release"),
    ("post", f"/moderation/pages/{HUGE}/decision"),
    ("post", f"/moderation/pages/{HUGE}/evidence"),
    ("post", f"/moderation/admin/moderators/{HUGE}"),
    ("post", f"/moderation/admin/api-keys/{HUGE}/revoke"),
])
def test_ids_in_addresses(admin_browser, method, path):
    response = getattr(admin_browser, method)(path, **({"data": {"version": "0", "role": "moderator"}}
                                                         if method == "post" else {}))
    assert response.status_code == 404


def changes(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (AuditEntry, EvidenceFeedback))


EVIDENCE = {"version": "0", "analysis_id": "1", "signal": "clickbait", "index": "0",
            "verdict": "confirmed", "reason": "it is hype"}


@pytest.mark.parametrize("form,data,status", [
    ("claim", {"version": HUGE}, 400),
    ("claim", {"version": "2147483648"}, 400),
    ("claim", {"version": "²"}, 400),
    ("release", {"version": HUGE}, 400),
    ("decision", {"version": HUGE, "action": "override", "level": "mixed", "note": "n"}, 422),
    ("evidence", dict(EVIDENCE, version=HUGE), 422),
    ("evidence", dict(EVIDENCE, analysis_id=HUGE), 422),
    ("evidence", dict(EVIDENCE, analysis_id="²"), 422),
    ("evidence", dict(EVIDENCE, index=HUGE), 422),
])
def test_numbers_in_forms(mod_app, browser, seed_page, form, data, status):
    browser.get(f"/moderation/pages/{seed_page}")  # the item exists
    before = changes(mod_app)
    response = browser.post(f"/moderation/pages/{seed_page}/{form}", data)
    assert response.status_code == status
    assert "Internal error" not in response.get_data(as_text=True)
    assert changes(mod_app) == before
