"""The queue: which pages, in which order, filtered by status and site."""

from __future__ import annotations

import copy
import re

import pytest

from .conftest import add_page


def listed(browser, query=""):
    html = browser.get("/moderation/" + query).get_data(as_text=True)
    return [int(i) for i in re.findall(r'href="/moderation/pages/(\d+)"', html)]


def report_with(seed_report, level, confidence="high"):
    report = copy.deepcopy(seed_report)
    report["badge"]["level"] = level
    report["badge"]["confidence"] = confidence
    return report


@pytest.fixture
def pages(mod_app, seed_report):
    return {
        "red": add_page(mod_app, seed_report, "https://a.example/red", requests=5),
        "reported": add_page(mod_app, report_with(seed_report, "reliable"), "https://b.example/green",
                             reports=["wrong", "very wrong"]),
        "unsure": add_page(mod_app, report_with(seed_report, "mixed", "low"), "https://a.example/unsure"),
        "popular_red": add_page(mod_app, seed_report, "https://b.example/red", requests=50),
        "fine": add_page(mod_app, report_with(seed_report, "reliable"), "https://a.example/fine"),
    }


def test_flagged_pages_in_priority_order(browser, pages):
    assert listed(browser) == [pages["reported"], pages["popular_red"], pages["red"], pages["unsure"]]


@pytest.mark.parametrize("query,expected", [
    ("", ["reported", "red", "unsure"]),  # pending: not decided yet
    ("?status=open", ["reported", "unsure"]),
    ("?status=in_review", ["red"]),
    ("?status=decided", ["popular_red"]),
    ("?status=all", ["reported", "popular_red", "red", "unsure"]),
    ("?site=a.example", ["red", "unsure"]),
    ("?site=B.example&status=all", ["reported", "popular_red"]),
    ("?site=nowhere.example", []),
    ("?status=bogus&page=x", ["reported", "red", "unsure"]),
])
def test_filters(browser, pages, query, expected):
    assert browser.post(f"/moderation/pages/{pages['red']}/claim",
                        {"version": browser.version(pages["red"])}).status_code == 302
    assert browser.decide(pages["popular_red"], "confirm").status_code == 302
    assert listed(browser, query) == [pages[name] for name in expected]


def test_claimer_shown(browser, pages):
    browser.post(f"/moderation/pages/{pages['red']}/claim", {"version": browser.version(pages["red"])})
    html = browser.get("/moderation/?status=in_review").get_data(as_text=True)
    assert "mod@example.org</td>" in html


def test_paging(mod_app, browser, seed_report):
    mod_app.config["MODERATION_PAGE_SIZE"] = 2
    for n in range(5):
        add_page(mod_app, seed_report, f"https://p.example/{n}")
    assert len(listed(browser, "?page=1")) == 2
    assert len(listed(browser, "?page=3")) == 1
    assert listed(browser, "?page=99") == listed(browser, "?page=3")


@pytest.fixture
def supplied_page(mod_app, seed_html):
    """A page flagged only by a reader-supplied HTML analysis, stored the way the API stores it
    (no public badge: the page's badge columns stay empty)."""
    url = "https://worldtrend.example/2025/06/20/supplied"
    answer = mod_app.test_client().post("/api/v1/analyses", json={"url": url, "html": seed_html})
    assert answer.status_code == 200 and answer.json["source"] == "supplied"
    assert answer.json["badge"]["level"] == "unreliable"
    return url


def queue_row(browser, url_fragment):
    html = browser.get("/moderation/?status=all").get_data(as_text=True)
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if url_fragment in r]
    assert len(rows) == 1, html
    return re.findall(r"<td>(.*?)</td>", rows[0], re.S)


def test_supplied_html_analysis_shown_in_queue(browser, supplied_page):
    cells = queue_row(browser, "/supplied")
    automatic, analysed = cells[2], cells[-1]
    assert ">unreliable</span>" in automatic and "from HTML a reader supplied" in automatic
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", analysed.strip())


def test_fetched_badge_shown_in_queue(browser, pages):
    cells = queue_row(browser, "https://a.example/red")
    assert ">unreliable</span>" in cells[2] and "reader supplied" not in cells[2]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells[-1].strip())
