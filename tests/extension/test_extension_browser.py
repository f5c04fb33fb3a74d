"""The extension in real Chromium, against the real label server, on real pages (issue 8).

One browser for the whole module keeps the run short; each test starts from default settings
with no cached answers (the `extension` fixture). Screenshots go to artifacts/.
"""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect

from .conftest import BADGES, QUIET_SECONDS, UNLISTED_HOST, free_port

pytestmark = pytest.mark.browser


def open_page(extension, url):
    page = extension.context.new_page()
    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(url)
    return page, extension.tab_id(url)


def popup_contexts(extension, timeout=5):
    """The extension's popup documents; a just-opened popup briefly reports an empty URL."""
    deadline = time.monotonic() + timeout
    while True:
        urls = extension.evaluate(
            "() => chrome.runtime.getContexts({contextTypes: ['POPUP']}).then(cs => cs.map(c => c.documentUrl))")
        if all(urls) or time.monotonic() > deadline:
            return urls
        time.sleep(0.1)


def marks_text(page, signal):
    return page.eval_on_selector_all(
        f'mark.reliability-label-mark[data-reliability-label-signals~="{signal}"]',
        "marks => marks.map(m => m.textContent).join(' ')",
    )


def test_seed_article_red_badge_popup_and_evidence_in_page(extension, pages, api_proxy, artifacts):
    url = pages.url("/seed-article.html")
    page, tab_id = open_page(extension, url)
    text, colour = extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    assert colour == BADGES["unreliable"][1]
    # The fast lookup first (404: nothing stored yet), then the full analysis.
    calls = [(method, path) for method, path, _ in api_proxy.api_requests()]
    assert calls[:2] == [("POST", "/api/v1/badges/lookup"), ("POST", "/api/v1/analyses")]
    # The page's URL travels in the body, never in a request line a reverse proxy would log.
    assert api_proxy.posted("/api/v1/badges/lookup")[0] == {"url": url}
    assert all(not query for _, _, query in api_proxy.api_requests())

    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#signals:not([hidden]) .signal")
    assert popup.text_content("#verdict-level") == "Unreliable"
    assert popup.get_attribute("#verdict-level", "data-level") == "unreliable"
    assert "Score" in popup.text_content("#verdict-score")
    assert popup.locator("#reasons li").count() >= 1
    for signal in ("clickbait", "unattributed_claims", "promotions"):
        section = popup.locator(f'.signal[data-signal="{signal}"]')
        assert section.count() == 1, signal
        assert section.locator(".signal-score").text_content().endswith("%")
    promotions = popup.locator('.signal[data-signal="promotions"]').text_content()
    assert "YOU MAY ALSO LIKE" in promotions
    claims = popup.locator('.signal[data-signal="unattributed_claims"]').text_content()
    assert "reports have emerged" in claims or "According to media reports" in claims
    # The headings name the signals as the server's reasons do; the numbers are explained once.
    assert popup.text_content('.signal[data-signal="promotions"] h2') == "Inserted promotions"
    assert any(reason.startswith("Inserted promotions") for reason in popup.locator("#reasons li").all_text_contents())
    assert "higher is more reliable" in popup.text_content("#scale-note")
    assert "higher is worse" in popup.text_content("#scale-note")
    assert popup.text_content("#source") == "The server fetched the page itself."
    # A report being written survives the redraw "Show in page" causes.
    popup.click("#report summary")
    popup.select_option("#report-signal", "promotions")
    popup.fill("#report-comment", "half written")

    article_height = page.evaluate("document.querySelector('article').getBoundingClientRect().height")
    assert page.evaluate("window.scrollY") == 0
    popup.check("#show-in-page")
    # Extension pages forbid eval (strict CSP), so waits use locators, not wait_for_function.
    expect(popup.locator("#highlight-summary")).to_contain_text("highlighted", timeout=20_000)
    summary = popup.text_content("#highlight-summary")
    popup.screenshot(path=str(artifacts / "extension-popup-seed.png"), full_page=True)
    time.sleep(0.3)  # the redraw after the tab state changed
    assert popup.input_value("#report-signal") == "promotions"
    assert popup.input_value("#report-comment") == "half written"
    # The strongest signal's first quote is scrolled into view (smoothly).
    page.wait_for_function("window.scrollY > 0", timeout=5_000)
    # "Conclusion" twice in the page: the report means the second (paragraph 44), the first stays unmarked.
    assert page.evaluate("""() => [...document.querySelectorAll('h2')]
        .filter(h => h.textContent.trim() === 'Conclusion')
        .map(h => h.querySelector('mark.reliability-label-mark') !== null)""") == [False, True]

    promoted = marks_text(page, "promotions")
    assert "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE" in promoted
    vague = marks_text(page, "unattributed_claims")
    assert "reports have emerged" in vague or "According to media reports" in vague
    # Explained, reachable by keyboard, and the page's layout did not move.
    first_mark = page.locator("mark.reliability-label-mark").first
    assert first_mark.get_attribute("title")
    assert page.locator('mark.reliability-label-mark[tabindex="0"]').count() >= 2
    assert page.evaluate("document.querySelector('article').getBoundingClientRect().height") == pytest.approx(
        article_height, abs=1
    )
    assert "could not be found" not in summary or "of" in summary

    page.bring_to_front()
    page.evaluate("document.querySelector('h1').scrollIntoView()")
    page.screenshot(path=str(artifacts / "extension-page-seed-highlighted.png"))

    # Switching it off leaves the page's DOM as it was.
    popup.bring_to_front()
    popup.uncheck("#show-in-page")
    page.wait_for_function("document.querySelectorAll('mark.reliability-label-mark').length === 0")
    assert page.locator("p strong").first.text_content().startswith("YOU MAY ALSO LIKE")


def test_reader_report_reaches_the_database(extension, pages, label_server):
    if label_server.database is None:
        pytest.skip("external server: its database is not reachable from here")
    url = pages.url("/seed-article.html?for=report")
    page, tab_id = open_page(extension, url)
    extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#report:not([hidden])")
    popup.click("#report summary")
    popup.select_option("#report-signal", "promotions")
    popup.fill("#report-comment", "The haunted hospital line is an advert, fine to flag.")
    popup.click("#report-send")
    expect(popup.locator("#report-status")).to_contain_text("Thank you", timeout=20_000)
    # The server keeps one report per reader, page and day: a second is not thanked for.
    popup.reload()
    popup.wait_for_selector("#report:not([hidden])")
    popup.click("#report summary")
    popup.fill("#report-comment", "A second thought that the server drops.")
    popup.click("#report-send")
    expect(popup.locator("#report-status")).to_contain_text("already reported this page today", timeout=20_000)
    assert "Thank you" not in popup.text_content("#report-status")

    rows = []
    with sqlite3.connect(label_server.database) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if "report" not in table.lower():
                continue
            columns = [column[1] for column in db.execute(f'PRAGMA table_info("{table}")')]
            for row in db.execute(f'SELECT * FROM "{table}"'):
                record = dict(zip(columns, row))
                if any(isinstance(value, str) and "haunted hospital line" in value for value in record.values()):
                    rows.append((table, record))
    assert rows, f"no reader report with the comment in tables {tables}"
    table, record = rows[0]
    assert any(isinstance(value, str) and "promotions" in value for value in record.values()), record


def test_reputable_article_gets_a_green_badge(extension, pages, api_proxy):
    page, tab_id = open_page(extension, pages.url("/reputable-article.html"))
    text, colour = extension.wait_for_badge(tab_id, BADGES["reliable"][0])
    assert colour == BADGES["reliable"][1]
    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#verdict:not([hidden])")
    assert popup.text_content("#verdict-level") == "Reliable"
    # Re-check skips the extension's cache and asks the server again.
    api_proxy.clear()
    api_proxy.delay_posts(2.0)  # the check must still be running when the button is looked at
    popup.click("#recheck")
    # No second forced check while one runs: the button waits for it.
    expect(popup.locator("#recheck")).to_be_disabled(timeout=1_500)
    expect(popup.locator("#recheck")).to_be_enabled(timeout=30_000)
    expect(popup.locator("#verdict-level")).to_have_text("Reliable")
    deadline = time.monotonic() + 30
    while not api_proxy.posted("/api/v1/analyses") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert api_proxy.posted("/api/v1/analyses") == [
        {"url": pages.url("/reputable-article.html"), "refresh": True}]


def test_page_that_is_not_an_article_gets_a_grey_badge(extension, pages):
    page, tab_id = open_page(extension, pages.url("/contact.html"))
    text, colour = extension.wait_for_badge(tab_id, BADGES["unrated"][0])
    assert colour == BADGES["unrated"][1]
    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#verdict:not([hidden])")
    assert popup.text_content("#verdict-level") == "Unrated"
    # No quotes, nothing to show in the page (once the full report is in).
    expect(popup.locator("#highlight-summary")).to_have_text("This report has no quotes to show in the page.")
    expect(popup.locator("#show-in-page")).to_be_disabled()


def test_unreachable_server_offers_try_again_and_points_to_options(extension, pages, api_proxy):
    dead = f"http://127.0.0.1:{free_port()}"
    extension.settings(serverUrl=dead, checkMode="automatic", excludedSites=[], sendPageContent=False)
    time.sleep(0.2)
    url = pages.url("/seed-article.html?for=unreachable")
    page, tab_id = open_page(extension, url)
    text, _ = extension.wait_for_badge(tab_id, "!")
    title = extension.evaluate("id => chrome.action.getTitle({tabId: id})", tab_id)
    assert title == "Reliability label: the server could not be reached"  # said once
    popup = extension.open_popup(tab_id)
    expect(popup.locator("#retry")).to_be_visible()
    expect(popup.locator("#status")).to_contain_text("could not be reached")
    expect(popup.locator("#status")).to_contain_text("server address in Options")
    assert popup.locator("#check-controls").is_visible()
    # The server is back (here: the right address): "Try again" checks again.
    extension.settings(serverUrl=api_proxy.base, checkMode="automatic", excludedSites=[], sendPageContent=False)
    time.sleep(0.2)
    popup.click("#retry")
    expect(popup.locator("#verdict-level")).to_have_text("Unreliable", timeout=30_000)
    expect(popup.locator("#retry")).to_be_hidden()
    assert popup.text_content("#status") == ""


def test_options_say_when_no_server_answers_at_the_address(extension):
    options = extension.context.new_page()
    options.goto(extension.extension_url("options/options.html"))
    saved = options.input_value("#server-url")
    try:
        options.fill("#server-url", f"http://127.0.0.1:{free_port()}")
        options.click("#save")
        expect(options.locator("#save-status")).to_contain_text("Saved, but: The label server could not be reached.")
        options.fill("#server-url", saved)
        options.click("#save")
        expect(options.locator("#save-status")).to_have_text("Saved.")
    finally:
        options.close()


def test_on_click_mode_sends_nothing_before_the_click(extension, pages, api_proxy):
    # Set through the options page, as a reader would.
    options = extension.context.new_page()
    options.goto(extension.extension_url("options/options.html"))
    expect(options.locator("#server-url")).not_to_have_value("")
    options.check("#mode-on-click")
    options.click("#save")
    expect(options.locator("#save-status")).to_have_text("Saved.")
    options.close()

    url = pages.url("/seed-article.html?for=on-click")
    page, tab_id = open_page(extension, url)
    time.sleep(QUIET_SECONDS)
    assert api_proxy.api_requests() == []
    assert extension.badge(tab_id)[0] == ""

    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#on-click:not([hidden])")
    time.sleep(0.5)
    assert api_proxy.api_requests() == [], "opening the popup is not yet a request to check"
    popup.click("#check-now")
    extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    sent = api_proxy.api_requests()
    assert [(method, path) for method, path, _ in sent] == [("POST", "/api/v1/analyses")]
    assert api_proxy.posted("/api/v1/analyses") == [{"url": url}], "no page content unless asked"
    popup.wait_for_selector("#signals:not([hidden]) .signal")


def test_reader_checks_and_highlights_through_the_toolbar_popup(extension, pages, api_proxy):
    """The popup anchored to the toolbar (not popup.html in a tab): on-click mode, "Check now",
    the verdict, then "Show in page", all from the toolbar's popup."""
    extension.settings(serverUrl=api_proxy.base, checkMode="on-click", excludedSites=[], sendPageContent=False)
    time.sleep(0.2)
    url = pages.url("/seed-article.html?for=toolbar")
    page, tab_id = open_page(extension, url)
    time.sleep(QUIET_SECONDS)
    assert api_proxy.api_requests() == []

    extension.click_toolbar_button(page)
    contexts = popup_contexts(extension)
    assert contexts == [extension.extension_url("popup/popup.html")], "Chromium's own toolbar popup"
    assert extension.in_toolbar_popup("p => !p.document.querySelector('#on-click').hidden")
    assert api_proxy.api_requests() == [], "opening the popup is not yet a request to check"
    extension.in_toolbar_popup("p => (p.document.querySelector('#check-now').click(), true)")
    extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    assert api_proxy.posted("/api/v1/analyses") == [{"url": url}]
    level = extension.in_toolbar_popup(
        "p => p.document.querySelector('#signals:not([hidden]) .signal') && "
        "p.document.querySelector('#verdict-level').textContent")
    assert level == "Unreliable"

    assert "highlighted" in extension.highlight_from_toolbar_popup()
    assert "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE" in marks_text(page, "promotions")
    extension.in_toolbar_popup("p => (setTimeout(() => p.close(), 0), true)")


def test_toolbar_click_lets_the_extension_into_a_page_outside_its_host_permissions(extension, pages):
    """activeTab: on a site the extension has no permission for, "Show in page" fails from a
    popup opened any other way, and works once the reader has clicked the toolbar button."""
    url = pages.url("/seed-article.html?for=active-tab", host=UNLISTED_HOST)
    page, tab_id = open_page(extension, url)
    extension.wait_for_badge(tab_id, BADGES["unreliable"][0])  # checking needs only the URL

    popup = extension.open_popup(tab_id)  # a tab, not the toolbar: no activeTab grant
    popup.wait_for_selector("#signals:not([hidden]) .signal")
    popup.click("#show-in-page")
    expect(popup.locator("#highlight-summary")).to_contain_text("click its toolbar button")
    assert marks_text(page, "promotions") == ""
    popup.close()

    extension.click_toolbar_button(page)
    extension.in_toolbar_popup("p => !p.document.querySelector('#show-in-page').disabled")
    assert "highlighted" in extension.highlight_from_toolbar_popup(toggle=True)
    assert "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE" in marks_text(page, "promotions")
    extension.in_toolbar_popup("p => (setTimeout(() => p.close(), 0), true)")


def test_page_content_is_sent_only_for_the_click_that_asks(extension, pages, api_proxy):
    extension.settings(serverUrl=api_proxy.base, checkMode="on-click", excludedSites=[], sendPageContent=False)
    time.sleep(0.2)
    url = pages.url("/seed-article.html?for=page-content")
    page, tab_id = open_page(extension, url)
    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#on-click:not([hidden])")
    assert not popup.is_checked("#send-content")
    popup.check("#send-content")
    pages.log.clear()
    popup.click("#check-now")
    extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    [body] = api_proxy.posted("/api/v1/analyses")
    assert body["url"] == url
    assert "YOU MAY ALSO LIKE TO WATCH" in body["html"]
    # The server analysed what the reader sees: it did not fetch the page itself, and the popup says so.
    assert [path for _, path, _ in pages.log.snapshot() if path != "/favicon.ico"] == []
    expect(popup.locator("#source")).to_have_text("Analysed from the page as you see it.", timeout=20_000)


def test_a_page_the_server_may_not_fetch_is_analysed_as_the_reader_sees_it(extension, pages, api_proxy):
    url = pages.url("/refuses-bots/seed-article.html?for=refused")
    page, tab_id = open_page(extension, url)
    extension.wait_for_badge(tab_id, "!")
    title = extension.evaluate("id => chrome.action.getTitle({tabId: id})", tab_id)
    assert title == "Reliability label: the server could not fetch the page (The page answered HTTP 403)"
    popup = extension.open_popup(tab_id)
    expect(popup.locator("#status")).to_have_text(
        "The label server could not fetch this page itself (The page answered HTTP 403). "
        "Tick “Send the page as I see it” and try again.", timeout=20_000)
    popup.check("#send-content")
    popup.click("#retry")
    expect(popup.locator("#verdict-level")).to_have_text("Unreliable", timeout=30_000)
    expect(popup.locator("#source")).to_have_text("Analysed from the page as you see it.")
    assert "YOU MAY ALSO LIKE TO WATCH" in api_proxy.posted("/api/v1/analyses")[-1]["html"]


def test_a_page_built_by_scripts_is_analysed_as_the_reader_sees_it(extension, pages, api_proxy):
    url = pages.url("/scripted-article.html?for=scripted")
    page, tab_id = open_page(extension, url)
    extension.wait_for_badge(tab_id, BADGES["unrated"][0])
    popup = extension.open_popup(tab_id)
    expect(popup.locator("#verdict-level")).to_have_text("Unrated", timeout=20_000)
    expect(popup.locator("#source")).to_have_text(
        "The server fetched the page itself. Its copy had no article to judge (a page built by scripts may "
        "show its article only in your browser): tick “Send the page as I see it” and re-check.")
    popup.check("#send-content")
    popup.click("#recheck")
    expect(popup.locator("#verdict-level")).to_have_text("Unreliable", timeout=30_000)
    expect(popup.locator("#source")).to_have_text("Analysed from the page as you see it.")


def test_excluded_site_never_contacts_the_server(extension, pages, api_proxy):
    extension.settings(serverUrl=api_proxy.base, checkMode="automatic", excludedSites=["localhost"], sendPageContent=True)
    time.sleep(0.2)
    url = pages.url("/seed-article.html?for=excluded", host="localhost")
    pages.log.clear()
    page, tab_id = open_page(extension, url)
    time.sleep(QUIET_SECONDS)
    popup = extension.open_popup(tab_id)
    expect(popup.locator("#status")).to_contain_text("excluded")
    assert popup.is_hidden("#report") and popup.is_hidden("#actions")
    time.sleep(0.5)
    assert api_proxy.api_requests() == []
    assert extension.badge(tab_id)[0] == ""
    # The page was loaded by the browser only: the server never fetched it either.
    assert [path for _, path, _ in pages.log.snapshot() if path != "/favicon.ico"] == ["/seed-article.html"]


def test_a_link_with_a_token_in_its_path_waits_for_the_readers_click(extension, pages, api_proxy):
    """Automatic mode: a password-reset style link is neither looked up nor fetched by the
    server (fetching could use it up); the popup, even opened at once, says why and sends nothing
    until the reader clicks."""
    url = pages.url("/account/reset/Zk3JqP9xWm2LrT8vNb4Y")
    pages.log.clear()
    page, tab_id = open_page(extension, url)
    popup = extension.open_popup(tab_id)
    expect(popup.locator("#private-link")).to_be_visible()
    expect(popup.locator("#private-link")).to_contain_text("not checked automatically")
    expect(popup.locator("#check-now")).to_be_visible()
    time.sleep(QUIET_SECONDS)
    assert api_proxy.api_requests() == []
    assert extension.badge(tab_id)[0] == ""
    title = extension.evaluate("id => chrome.action.getTitle({tabId: id})", tab_id)
    assert title == "Reliability label: link looks private, not checked automatically; click to check"
    # only the browser opened the link
    assert [path for _, path, _ in pages.log.snapshot() if path != "/favicon.ico"] == ["/account/reset/Zk3JqP9xWm2LrT8vNb4Y"]
    # the reader may still ask
    popup.click("#check-now")
    deadline = time.monotonic() + 30
    while not api_proxy.posted("/api/v1/analyses") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert api_proxy.posted("/api/v1/analyses") == [{"url": url}]


def test_options_refuse_a_plain_http_remote_server(extension, api_proxy):
    options = extension.context.new_page()
    options.goto(extension.extension_url("options/options.html"))
    expect(options.locator("#server-url")).to_have_value(api_proxy.base)
    try:
        options.fill("#server-url", "http://labels.example.org")
        options.click("#save")
        expect(options.locator("#save-status")).to_contain_text("Not saved. The server address must start with https://")
        assert options.get_attribute("#save-status", "class") == "error"
        assert options.get_attribute("#server-url", "aria-invalid") == "true"
        stored = extension.evaluate("() => chrome.storage.sync.get('settings').then(s => s.settings.serverUrl)")
        assert stored == api_proxy.base
        assert sorted(extension.evaluate("() => chrome.permissions.getAll().then(p => p.origins)")) == BUILT_IN_HOSTS
        # plain http on this computer is fine
        options.fill("#server-url", api_proxy.base.replace("127.0.0.1", "localhost"))
        options.click("#save")
        expect(options.locator("#save-status")).to_have_text("Saved.")
        assert options.get_attribute("#server-url", "aria-invalid") == "false"
    finally:
        options.close()


def test_servers_demo_article_gets_a_red_badge(extension, label_server):
    """The newcomer's first minute: the server's own demo page, analysed without fetching."""
    page, tab_id = open_page(extension, f"{label_server.base}/demo/seed-article.html")
    text, colour = extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    assert colour == BADGES["unreliable"][1]


def test_moderated_label_is_marked_and_explained(extension, pages, label_server, artifacts):
    """A moderator's decision reaches the reader: the distinct mark, the note, the old level.

    The decision is written straight into the `pages` row the API reads (what
    server/moderation's decide() writes); the moderation pages have their own tests.
    """
    if label_server.database is None:
        pytest.skip("external server: its database is not reachable from here")
    url = pages.url("/seed-article.html?for=moderated")
    page, tab_id = open_page(extension, url)
    extension.wait_for_badge(tab_id, BADGES["unreliable"][0])
    note = "Reviewed: the promotion is an ad break, the sourcing is thin but not false."
    with sqlite3.connect(label_server.database) as db:
        changed = db.execute(
            "UPDATE pages SET moderation_state = 'decided', moderated_level = 'mixed', moderation_note = ?,"
            " moderated_at = '2026-11-20 10:00:00.000000' WHERE url LIKE ?",
            (note, "%for=moderated%"),
        ).rowcount
    assert changed == 1
    popup = extension.open_popup(tab_id)
    popup.wait_for_selector("#verdict:not([hidden])")
    popup.click("#recheck")  # the extension cached the earlier answer; ask again
    text, colour = extension.wait_for_badge(tab_id, BADGES["mixed"][0] + "\u2713")
    assert colour == BADGES["mixed"][1]
    expect(popup.locator("#moderation")).to_be_visible()
    # The date is in the browser's locale ("Nov 20, 2026", "20 Nov 2026", ...).
    expect(popup.locator("#moderation-line")).to_have_text(re.compile(r"^Reviewed by a moderator on .*2026$"))
    expect(popup.locator("#moderation-note")).to_have_text(note)
    expect(popup.locator("#moderation-automatic")).to_have_text("The automatic analysis said: Unreliable.")
    assert popup.text_content("#verdict-level") == "Mixed"
    popup.screenshot(path=str(artifacts / "extension-popup-moderated.png"))


TRICKY_REPORT = {
    "signals": {
        "unattributed_claims": {"score": 0.8, "level": "high", "evidence": [
            # spans <em> and <a> and a source line break
            {"exact": "Officials said the plan was approved on Monday", "prefix": "", "suffix": ", according to",
             "kind": "vague", "explanation": "vague source"},
            # repeated: the prefix picks the second one
            {"exact": "sources say the budget will grow.", "prefix": "Later, ", "suffix": " Nobody knows",
             "kind": "vague", "explanation": "vague source"},
            {"exact": "Many experts warn it could double.", "prefix": "Cost ", "suffix": "",
             "kind": "vague", "explanation": "vague source"},
            {"exact": "This sentence is not on the page at all.", "prefix": "", "suffix": "",
             "kind": "vague", "explanation": "vague source"},
        ]},
        "clickbait": {"score": 0.6, "level": "high", "evidence": [
            {"exact": "Council's \"bold\" plan", "prefix": "", "suffix": "", "kind": "quotes",
             "explanation": "scare quotes", "location": "headline"},
        ]},
    }
}


def test_highlighter_copes_with_split_repeated_and_missing_quotes(extension, pages):
    """The in-page part alone, with a hand-made report: the DOM work, the page's scripts, undo."""
    page, tab_id = open_page(extension, pages.url("/tricky.html"))
    before_html = page.evaluate("document.body.innerHTML")
    before_height = page.evaluate("document.querySelector('article').getBoundingClientRect().height")
    # An extension page can import the background's modules; evaluate bypasses its CSP.
    driver = extension.context.new_page()
    driver.goto(extension.extension_url("options/options.html"))
    result = driver.evaluate(
        """async ([tabId, report]) => {
             const { ext } = await import('/background/platform.js');
             const { createEvidenceHighlighter } = await import('/background/evidence-highlighter.js');
             return createEvidenceHighlighter(ext).show(tabId, report);
           }""",
        [tab_id, TRICKY_REPORT],
    )
    assert result["found"] == 4 and result["missing"] == 1, result
    assert result["missingIds"] == ["unattributed_claims:3"]

    def marked(quote_id):
        return page.evaluate(
            """id => [...document.querySelectorAll('mark.reliability-label-mark')]
                      .filter(m => m.dataset.reliabilityLabelIds.split(' ').includes(id))
                      .map(m => m.textContent).join('')""",
            quote_id,
        )

    assert " ".join(marked("unattributed_claims:0").split()) == "Officials said the plan was approved on Monday"
    assert page.locator("#split em mark, #split a mark").count() == 2  # marked inside, not moved
    assert marked("unattributed_claims:1") == "sources say the budget will grow."
    first_paragraph = page.locator("article p").nth(1).text_content()
    assert "mark" not in page.locator("article p").nth(1).inner_html()  # the first "Sources say" is not it
    assert first_paragraph.startswith("Sources say")
    assert marked("unattributed_claims:2") == "Many experts warn it could double."
    assert marked("clickbait:0") == "Council\u2019s \u201cbold\u201d plan"
    # The page's own `mark { padding; font-size }` does not reach our marks: layout unchanged.
    assert page.evaluate("document.querySelector('article').getBoundingClientRect().height") == before_height
    page.click("#counter")
    assert page.text_content("#counter") == "clicked 1"

    driver.evaluate(
        """async tabId => {
             const { ext } = await import('/background/platform.js');
             const { createEvidenceHighlighter } = await import('/background/evidence-highlighter.js');
             return createEvidenceHighlighter(ext).clear(tabId);
           }""",
        tab_id,
    )
    after_html = page.evaluate("document.body.innerHTML")
    assert after_html == before_html.replace("clicked 0", "clicked 1")


BUILT_IN_HOSTS = ["http://127.0.0.1/*", "http://localhost/*"]  # manifest.json host_permissions


def test_options_give_back_page_access_but_never_the_built_in_one(extension, pages, api_proxy):
    """Page content switched off: the options page gives back the page access it needed, but in
    Chromium not "http://*/*": Chromium's permissions.remove would take the built-in
    "http://127.0.0.1/*" with it, and the local server would be out of reach.

    Chromium grants optional host permissions only through its own prompt, which a test cannot
    answer; so the options page is told (permissions.getAll) that the reader granted page access,
    and the real permissions.remove is what it then calls. Had it removed "http://*/*", the built-in
    access would be gone below.
    """
    extension.settings(serverUrl=api_proxy.base, checkMode="automatic", excludedSites=[], sendPageContent=True)
    options = extension.context.new_page()
    options.goto(extension.extension_url("options/options.html"))
    expect(options.locator("#send-page-content")).to_be_checked()
    options.evaluate("""origins => {
        for (const api of new Set([globalThis.browser, globalThis.chrome].filter(Boolean))) {
            const getAll = api.permissions.getAll.bind(api.permissions);
            api.permissions.getAll = () => getAll().then(p => ({...p, origins: [...p.origins, ...origins]}));
        }
    }""", ["http://*/*", "https://*/*"])
    options.uncheck("#send-page-content")
    options.click("#save")
    expect(options.locator("#save-status")).to_have_text(
        "Saved. Access no longer needed was given back: all https:// pages."
        " Access to all http:// pages stays: in this browser, giving it back would also take access the extension still needs.")
    options.close()
    assert sorted(extension.evaluate("() => chrome.permissions.getAll().then(p => p.origins)")) == BUILT_IN_HOSTS
    # and the local label server (the proxy, on 127.0.0.1) is still reached
    page, tab_id = open_page(extension, pages.url("/contact.html?for=give-back"))
    extension.wait_for_badge(tab_id, BADGES["unrated"][0])
