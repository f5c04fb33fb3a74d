"""HTML a client supplied is not the page: anyone may POST any HTML for any URL.

The review page shows the server's own (fetched) analysis by default and marks a supplied one
unmistakably when it shows one; decisions record the fetched analysis; evidence verdicts are
refused on supplied HTML and the export leaves out any made earlier; the site record ignores
it; the queue marks a page flagged only by supplied HTML and lists it after pages with a
reason of their own.
"""

from __future__ import annotations

import re

import pytest

from server.moderation.models import Decision, EvidenceFeedback
from server.store import db
from server.store.models import Analysis, utcnow

from .test_queue import listed, pages, report_with  # noqa: F401 - `pages` is a fixture

SOBER_URL = "http://127.0.0.1/demo/sober-article.html"
WARNING = "Supplied by a client, not fetched by the server — may not be what the page shows."
FAKE_HEADLINE = "Shocking"  # the seed article's clickbait headline word; the sober page lacks it


@pytest.fixture
def forged(mod_app, seed_html):
    """The repro: the server fetched a sober page (reliable), then someone POSTed the seed
    article's HTML (red) for the same URL. Returns (page id, fetched id, supplied id)."""
    api = mod_app.test_client()
    fetched = api.post("/api/v1/analyses", json={"url": SOBER_URL})
    assert fetched.status_code == 200 and fetched.json["badge"]["level"] == "reliable"
    fake = api.post("/api/v1/analyses", json={"url": SOBER_URL, "html": seed_html})
    assert fake.status_code == 200 and fake.json["source"] == "supplied"
    assert fake.json["badge"]["level"] == "unreliable"
    with mod_app.app_context():
        rows = db.session.query(Analysis).order_by(Analysis.id).all()
        assert [a.source for a in rows] == ["fetched", "supplied"]
        return rows[0].page_id, rows[0].id, rows[1].id


def test_review_shows_the_fetched_analysis_not_a_newer_supplied_one(browser, forged):
    page_id, fetched_id, supplied_id = forged
    html = browser.get(f"/moderation/pages/{page_id}").get_data(as_text=True)
    assert FAKE_HEADLINE not in html
    assert "YOU MAY ALSO LIKE" not in html  # the fake page's promotion
    assert f"Analysis shown: #{fetched_id} " in html and "fetched by the server" in html
    assert f'name="analysis_id" value="{supplied_id}"' not in html
    assert WARNING not in html
    # the supplied analysis is one link away, said to be supplied
    assert f'href="/moderation/pages/{page_id}?analysis={supplied_id}">view that analysis separately' in html
    assert "A client also supplied HTML for this page" in html


def test_supplied_analysis_shown_on_request_is_marked(browser, forged):
    page_id, fetched_id, supplied_id = forged
    html = browser.get(f"/moderation/pages/{page_id}?analysis={supplied_id}").get_data(as_text=True)
    assert WARNING in html
    assert FAKE_HEADLINE in html
    assert 'class="columns from-client"' in html
    assert "supplied by a client, not fetched by the server" in html  # the "Analysis shown" line
    # the public label is still the fetched one; the supplied label is shown inside the warning
    assert re.search(r'Automatic label: <span class="badge lvl-reliable">reliable</span>', html)
    warning = html[html.index('class="supplied-warning"'):]
    assert 'class="badge lvl-unreliable">unreliable</span>' in warning[:warning.index("</div>")]
    assert f'href="/moderation/pages/{page_id}">Show the server\'s own analysis' in html


@pytest.mark.parametrize("raw", ["abc", "²", "-1", "99999999999", "2147483648", "9" * 5000, "7"])
def test_unknown_analysis_parameter_is_404(browser, forged, raw):
    page_id, _, _ = forged
    assert browser.get(f"/moderation/pages/{page_id}?analysis={raw}").status_code == 404


def test_analysis_of_another_page_is_404(mod_app, browser, forged, seed_html):
    page_id, _, _ = forged
    other = mod_app.test_client().post("/api/v1/analyses",
                                       json={"url": "http://127.0.0.1/demo/seed-article.html"})
    assert other.status_code == 200
    with mod_app.app_context():
        other_id = db.session.query(Analysis).order_by(Analysis.id.desc()).first().id
    assert browser.get(f"/moderation/pages/{page_id}?analysis={other_id}").status_code == 404


def test_confirm_records_the_fetched_analysis(mod_app, browser, forged):
    page_id, fetched_id, _ = forged
    assert browser.decide(page_id, "confirm").status_code == 302
    with mod_app.app_context():
        decision = db.session.query(Decision).one()
        assert (decision.automatic_level, decision.level_after) == ("reliable", "reliable")
        assert decision.analysis_id == fetched_id


def verdict(browser, page_id, analysis_id, signal, index, reason):
    return browser.post(f"/moderation/pages/{page_id}/evidence",
                        {"version": browser.version(page_id), "analysis_id": analysis_id,
                         "signal": signal, "index": index, "verdict": "confirmed", "reason": reason})


def test_no_verdicts_on_supplied_html(mod_app, browser, forged):
    page_id, fetched_id, supplied_id = forged
    html = browser.get(f"/moderation/pages/{page_id}?analysis={supplied_id}").get_data(as_text=True)
    assert 'class="feedback"' not in html and "No evidence verdicts here" in html
    assert verdict(browser, page_id, supplied_id, "clickbait", 0, "on the fake page").status_code == 400
    with mod_app.app_context():
        assert db.session.query(EvidenceFeedback).count() == 0


def test_export_leaves_out_verdicts_on_supplied_html(mod_app, browser, forged):
    page_id, fetched_id, supplied_id = forged
    on_fetched = verdict(browser, page_id, fetched_id, "unattributed_claims", 0, "on the real page")
    assert on_fetched.status_code == 302
    assert on_fetched.headers["Location"] == f"/moderation/pages/{page_id}#ev-unattributed_claims-0"
    with mod_app.app_context():
        # one given on supplied HTML before the review page refused them, and one whose
        # (fetched) analysis has since been pruned: its item is copied in the row, it stays
        supplied = db.session.get(Analysis, supplied_id)
        for analysis_id, reason in ((supplied_id, "on the fake page"), (None, "analysis pruned")):
            db.session.add(EvidenceFeedback(
                page_id=page_id, analysis_id=analysis_id, moderator_id=1, url=SOBER_URL,
                analyzer_version=supplied.analyzer_version, signal="clickbait", item_index=0,
                verdict="confirmed", reason=reason,
                item=supplied.report["signals"]["clickbait"]["evidence"][0], created_at=utcnow()))
        db.session.commit()

    items = browser.get("/moderation/export/evidence.json").json["items"]
    assert sorted((i["analysis_id"] or 0, i["reason"]) for i in items) == \
        [(0, "analysis pruned"), (fetched_id, "on the real page")]
    csv_text = browser.get("/moderation/export/evidence.csv").get_data(as_text=True)
    assert "on the real page" in csv_text and "on the fake page" not in csv_text
    index = browser.get("/moderation/export/").get_data(as_text=True)
    assert "2 evidence item(s)" in index and "HTML a client supplied is left out" in index


def test_site_record_ignores_supplied_html(browser, forged):
    html = browser.get("/moderation/sites/127.0.0.1").get_data(as_text=True)
    assert "clickbait in 1" not in html and "promotions in 1" not in html
    assert "Signals that fired: none" in html


def test_page_red_only_in_supplied_html_is_marked_and_listed_last(mod_app, browser, forged, pages):
    page_id, _, _ = forged
    order = listed(browser)
    assert page_id in order and order[-1] == page_id  # after every page with a reason of its own
    html = browser.get("/moderation/").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "sober-article" in r)
    automatic = re.findall(r"<td>(.*?)</td>", row, re.S)[2]
    assert 'class="badge lvl-reliable">reliable</span>' in automatic
    assert "unreliable only in HTML a reader supplied" in automatic

