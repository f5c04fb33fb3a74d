"""The review page: text with evidence in place, signals with scores and explanations, reader
reports, the history of analyses and decisions."""

from __future__ import annotations

import re
from html import escape

from .conftest import add_page

DEMO = "http://127.0.0.1/demo/seed-article.html"


def test_review_shows_everything(mod_app, browser, seed_report):
    page_id = add_page(mod_app, seed_report, reports=["The workers deal was in Reuters", "ok"])
    html = browser.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
    # context view (the article text is not stored, and not re-derived here)
    assert "each quote in its context" in html
    assert re.search(r'<h3 class="headline"><mark class="sig-clickbait', html) or \
        re.search(r'<h3 class="headline">North Korea’s <mark class="sig-clickbait', html)
    for name, signal in seed_report["signals"].items():
        assert f"{name.replace('_', ' ')}: {signal['score']}" in html
        for i, item in enumerate(signal["evidence"]):
            assert f'id="ev-{name}-{i}"' in html
    explanation = seed_report["signals"]["unattributed_claims"]["evidence"][0]["explanation"]
    assert escape(explanation) in html
    assert "The workers deal was in Reuters" in html
    assert "Reader reports (2)" in html
    assert seed_report["analyzer_version"] in html  # history of analyses
    assert "no decisions yet" in html


def test_demo_page_text_is_rederived(mod_app, browser, seed_report, seed_html):
    """For the packaged demo page the article text is re-extracted: whole paragraphs shown."""
    import heuristics

    mod_app.config["MODERATION_DERIVE_TEXT"] = True
    report = heuristics.analyze_html(seed_html, url=DEMO).to_dict()
    page_id = add_page(mod_app, report, url=DEMO, source="fetched")
    html = browser.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
    assert "extracted, evidence highlighted in place" in html
    paragraphs = re.findall(r'<p class="para" id="p-(\d+)">', html)
    assert len(paragraphs) > 20
    # a paragraph with no evidence is shown too (the whole article, not only quotes)
    assert 'class="para fragment"' not in html
    assert "The Broader Geopolitical Implications</p>" in html


def test_changed_page_falls_back_to_context(mod_app, browser, seed_report):
    """If the re-derived text no longer holds the quotes, the quotes are shown in context."""
    import copy

    mod_app.config["MODERATION_DERIVE_TEXT"] = True
    report = copy.deepcopy(seed_report)
    report["signals"]["unattributed_claims"]["evidence"][0]["exact"] = "Text that is not in the page."
    page_id = add_page(mod_app, report, url="http://127.0.0.1/demo/seed-article.html?v=3", source="fetched")
    html = browser.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
    assert "each quote in its context" in html
    assert "Text that is not in the page." in html


def test_page_without_analysis(mod_app, browser):
    from server.store import db
    from server.store.models import Page, utcnow

    with mod_app.app_context():
        page = Page(url_key="https://r.example/x", url="https://r.example/x", site="r.example",
                    first_seen=utcnow(), request_count=0, report_count=1, moderation_state="open")
        db.session.add(page)
        db.session.commit()
        page_id = page.id
    response = browser.get(f"/moderation/pages/{page_id}")
    assert response.status_code == 200
    assert "No evidence quotes" in response.get_data(as_text=True)
    assert browser.decide(page_id, "confirm").status_code == 422  # nothing to confirm
    assert browser.decide(page_id, "override", "mixed", "Reviewed by hand").status_code == 302


def test_supplied_html_analysis_is_described_truthfully(mod_app, browser, seed_html):
    """The server never tried to fetch such a page: the review page must not say it failed to."""
    url = "https://worldtrend.example/2025/06/20/supplied"
    assert mod_app.test_client().post("/api/v1/analyses", json={"url": url, "html": seed_html}).status_code == 200
    from .test_acceptance import page_id_in_queue

    page_id = page_id_in_queue(browser.get("/moderation/").get_data(as_text=True), "/supplied")
    html = browser.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
    assert "Supplied by a client, not fetched by the server — may not be what the page shows." in html
    assert "Automatic label: <span class=\"badge lvl-none\">none yet</span>" in html
    assert "could not fetch" not in html
    assert 'class="badge lvl-unreliable">unreliable</span>' in html
