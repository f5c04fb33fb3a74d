"""Per-site view (a record derived from article evidence) and the export of decided evidence."""

from __future__ import annotations

import copy
import csv
import io

import pytest

from .conftest import add_page


@pytest.fixture
def site_pages(mod_app, seed_report):
    fine = copy.deepcopy(seed_report)
    fine["badge"]["level"] = "reliable"
    for signal in fine["signals"].values():
        signal["score"], signal["evidence"] = 0.1, []
    return [add_page(mod_app, seed_report, "https://worldtrend.example/a"),
            add_page(mod_app, fine, "https://worldtrend.example/b"),
            add_page(mod_app, seed_report, "https://other.example/c")]


def test_site_view(browser, site_pages):
    browser.decide(site_pages[0], "override", "mixed", "Partly sourced.")
    html = browser.get("/moderation/sites/worldtrend.example").get_data(as_text=True)
    assert "2 article(s) analysed" in html
    assert "other.example/c" not in html
    assert "Partly sourced." in html  # decisions over time
    assert "not any single article" in html
    assert "clickbait in 1" in html and "promotions in 1" in html
    assert "50% of rated articles unreliable" not in html  # the override counts: mixed + reliable
    assert "0% of rated articles unreliable" in html


def feedback(browser, page_id, signal, index, verdict, reason):
    return browser.post(f"/moderation/pages/{page_id}/evidence",
                        {"version": browser.version(page_id), "analysis_id": page_id, "signal": signal,
                         "index": index, "verdict": verdict, "reason": reason})


def test_export_latest_verdicts(browser, site_pages, seed_report):
    page = site_pages[0]
    assert feedback(browser, page, "clickbait", 0, "false_positive", "first thought").status_code == 302
    assert feedback(browser, page, "clickbait", 0, "confirmed", "second thought").status_code == 302
    assert feedback(browser, page, "unattributed_claims", 1, "confirmed", "media reports, no name").status_code == 302

    data = browser.get("/moderation/export/evidence.json")
    assert data.status_code == 200 and "attachment" in data.headers["Content-Disposition"]
    items = data.json["items"]
    assert len(items) == 2
    by_signal = {i["signal"]: i for i in items}
    assert by_signal["clickbait"]["verdict"] == "confirmed"
    assert by_signal["clickbait"]["reason"] == "second thought"
    claim = seed_report["signals"]["unattributed_claims"]["evidence"][1]
    got = by_signal["unattributed_claims"]
    assert (got["exact"], got["prefix"], got["suffix"], got["kind"], got["paragraph"]) == \
        (claim["exact"], claim["prefix"], claim["suffix"], claim["kind"], claim.get("paragraph"))
    assert got["url"] == "https://worldtrend.example/a" and got["analyzer_version"]
    assert "mod@example.org" not in data.get_data(as_text=True)

    text = browser.get("/moderation/export/evidence.csv")
    assert text.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(text.get_data(as_text=True))))
    assert len(rows) == 2 and {r["verdict"] for r in rows} == {"confirmed"}
    assert set(rows[0]) == set(data.json["fields"])
    assert "2 evidence item(s)" in browser.get("/moderation/export/").get_data(as_text=True)


def test_empty_export(browser):
    assert browser.get("/moderation/export/evidence.json").json["items"] == []
    assert browser.get("/moderation/export/evidence.csv").get_data(as_text=True).startswith("url,")
