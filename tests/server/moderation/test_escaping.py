"""All user-supplied text is escaped (reader comments, notes, page text, URLs, site names) and
no page shows a stack trace."""

from __future__ import annotations

import copy

import pytest

from .conftest import SEED_URL, add_page

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_page(mod_app, seed_report):
    report = copy.deepcopy(seed_report)
    report["article"]["title"] = "Shocking " + PAYLOAD
    report["signals"]["clickbait"]["evidence"][0]["explanation"] = PAYLOAD
    claims = report["signals"]["unattributed_claims"]["evidence"][0]
    claims["exact"] = "Reports have emerged " + PAYLOAD
    claims["prefix"] = PAYLOAD
    report["badge"]["reasons"] = [PAYLOAD]
    return add_page(mod_app, report, url=SEED_URL + "?q=%3Cscript%3E", reports=[PAYLOAD, "fine"])


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_review_page_escapes_everything(browser, hostile_page):
    html = browser.get(f"/moderation/pages/{hostile_page}").get_data(as_text=True)
    assert_escaped(html)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html


def test_notes_are_escaped_everywhere(mod_app, browser, hostile_page, admin_browser):
    assert browser.decide(hostile_page, "override", "mixed", PAYLOAD).status_code == 302
    for path in (f"/moderation/pages/{hostile_page}", "/moderation/sites/worldtrend.example",
                 "/moderation/?status=decided"):
        html = browser.get(path).get_data(as_text=True)
        assert "<script>alert" not in html, path
    assert_escaped(admin_browser.get("/moderation/admin/audit").get_data(as_text=True))


def test_evidence_reason_and_email_escaped(mod_app, browser, hostile_page):
    version = browser.version(hostile_page)
    response = browser.post(f"/moderation/pages/{hostile_page}/evidence",
                            {"version": version, "analysis_id": 1, "signal": "clickbait",
                             "index": 0, "verdict": "false_positive", "reason": PAYLOAD})
    assert response.status_code == 302
    assert_escaped(browser.get(f"/moderation/pages/{hostile_page}").get_data(as_text=True))


def test_csv_export_neutralises_formulas(mod_app, browser, seed_page):
    version = browser.version(seed_page)
    browser.post(f"/moderation/pages/{seed_page}/evidence",
                 {"version": version, "analysis_id": 1, "signal": "clickbait", "index": 0,
                  "verdict": "confirmed", "reason": "=HYPERLINK(\"http://evil\")"})
    body = browser.get("/moderation/export/evidence.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


@pytest.mark.parametrize("path", ["/moderation/pages/999999", "/moderation/sites/nowhere.example",
                                  "/moderation/nope", "/moderation/export/evidence.xml"])
def test_not_found_pages_have_no_trace(browser, path):
    response = browser.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_unexpected_error_shows_no_trace(mod_app, browser, seed_page, monkeypatch):
    from server.moderation import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(views, "latest_analysis", boom)
    mod_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = browser.get(f"/moderation/pages/{seed_page}")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "secret internals" not in body and "RuntimeError" not in body
    assert "Something went wrong" in body


def test_security_headers_on_moderation_pages(browser):
    response = browser.get("/moderation/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_stylesheet_is_local(mod_app, browser):
    html = browser.get("/moderation/").get_data(as_text=True)
    assert "/moderation/static/moderation.css" in html
    assert "http://" not in html.split("<main>")[0] and "https://" not in html.split("<main>")[0]
    response = mod_app.test_client().get("/moderation/static/moderation.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
