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
