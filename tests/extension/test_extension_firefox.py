"""The Firefox package in Debian's firefox-esr, against the real label server, on real pages.

The same journeys as the Chromium tests' core: the toolbar badge per page, the popup that
explains it, and evidence highlighted in the page and removed again. Firefox runs the
extension's background as an event page (background.scripts), not a service worker, so this
is the check that both builds of the one code base work. Driven through Marionette
(marionette.py); the `firefox_extension` fixture starts each test from default settings.
"""

from __future__ import annotations

import time

import pytest

from .conftest import BADGES, QUIET_SECONDS, UNLISTED_HOST

pytestmark = pytest.mark.browser

MARKS = "return [...document.querySelectorAll(`mark.reliability-label-mark[data-reliability-label-signals~='${arguments[0]}']`)].map(m => m.textContent).join(' ')"


def test_seed_article_red_badge_popup_and_evidence_in_page(firefox_extension, pages, api_proxy):
    browser = firefox_extension
    client = browser.client
    page, tab_id = browser.open_page(pages.url("/seed-article.html?in=firefox"))
    text, colour = browser.wait_for_badge(tab_id, BADGES["unreliable"][0])
    assert colour == BADGES["unreliable"][1]
    calls = [(method, path) for method, path, _ in api_proxy.api_requests()]
    assert calls[:2] == [("POST", "/api/v1/badges/lookup"), ("POST", "/api/v1/analyses")]
    # The page's URL travels in the body, never in a request line a reverse proxy would log.
    assert api_proxy.posted("/api/v1/badges/lookup")[0] == {"url": pages.url("/seed-article.html?in=firefox")}
    assert all(not query for _, _, query in api_proxy.api_requests())

    browser.open_popup(tab_id)
    client.wait_for("return document.querySelector('#signals:not([hidden]) .signal')")
    assert client.run("return document.querySelector('#verdict-level').textContent") == "Unreliable"
    signals = client.run("return [...document.querySelectorAll('.signal')].map(s => s.dataset.signal)")
    assert {"clickbait", "unattributed_claims", "promotions"} <= set(signals)
    assert "YOU MAY ALSO LIKE" in client.run(
        "return document.querySelector('.signal[data-signal=\"promotions\"]').textContent")

    client.click("#show-in-page")
    client.wait_for("return /highlighted/.test(document.querySelector('#highlight-summary')?.textContent)")
    popup = client.command("WebDriver:GetWindowHandle")
    client.switch_to(page)
    assert "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE" in client.run(MARKS, "promotions")
    vague = client.run(MARKS, "unattributed_claims")
    assert "reports have emerged" in vague or "According to media reports" in vague

    client.switch_to(popup)
    client.click("#show-in-page")  # off again: the page's DOM as it was
    client.switch_to(page)
    client.wait_for("return document.querySelectorAll('mark.reliability-label-mark').length === 0")
    assert client.run("return document.querySelector('p strong').textContent").startswith("YOU MAY ALSO LIKE")


@pytest.mark.parametrize("path, level", [
    ("/reputable-article.html?in=firefox", "reliable"),
    ("/contact.html?in=firefox", "unrated"),
])
def test_badge_per_page(firefox_extension, pages, path, level):
    _, tab_id = firefox_extension.open_page(pages.url(path))
    text, colour = firefox_extension.wait_for_badge(tab_id, BADGES[level][0])
    assert colour == BADGES[level][1]


def test_excluded_site_never_contacts_the_server(firefox_extension, pages, api_proxy):
    firefox_extension.settings(serverUrl=api_proxy.base, checkMode="automatic",
                               excludedSites=["localhost"], sendPageContent=True)
    time.sleep(0.2)
    pages.log.clear()
    _, tab_id = firefox_extension.open_page(pages.url("/seed-article.html?in=firefox", host="localhost"))
    time.sleep(QUIET_SECONDS)
    firefox_extension.open_popup(tab_id)
    firefox_extension.client.wait_for("return /excluded/.test(document.querySelector('#status')?.textContent)")
    assert api_proxy.api_requests() == []
    assert firefox_extension.badge(tab_id)[0] == ""
    # The page was loaded by the browser only: the server never fetched it either.
    assert [path for _, path, _ in pages.log.snapshot() if path != "/favicon.ico"] == ["/seed-article.html"]


def test_toolbar_button_opens_the_popup_for_the_active_tab(firefox_extension, pages, api_proxy):
    """The reader's path in on-click mode: nothing is sent until they click the toolbar button and
    then "Check now" in the popup, which finds the tab itself (no ?tabId)."""
    browser = firefox_extension
    browser.settings(serverUrl=api_proxy.base, checkMode="on-click", excludedSites=[], sendPageContent=False)
    time.sleep(0.2)
    url = pages.url("/seed-article.html?in=firefox-toolbar")
    _, tab_id = browser.open_page(url)
    time.sleep(QUIET_SECONDS)
    assert api_proxy.api_requests() == []

    browser.click_toolbar_button()
    assert browser.in_toolbar_popup("p => !p.document.querySelector('#on-click').hidden")
    assert api_proxy.api_requests() == [], "opening the popup is not yet a request to check"
    browser.in_toolbar_popup("p => (p.document.querySelector('#check-now').click(), true)")
    browser.wait_for_badge(tab_id, BADGES["unreliable"][0])
    assert api_proxy.posted("/api/v1/analyses") == [{"url": url}]
    level = browser.in_toolbar_popup("p => p.document.querySelector('#verdict-level')?.textContent")
    assert level == "Unreliable"
    browser.in_toolbar_popup("p => (p.close(), true)")


def test_toolbar_click_lets_the_extension_into_a_page_outside_its_host_permissions(firefox_extension, pages):
    """activeTab: on a site the extension has no permission for, "Show in page" fails from a
    popup opened any other way, and works once the reader has clicked the toolbar button."""
    browser = firefox_extension
    client = browser.client
    page, tab_id = browser.open_page(pages.url("/seed-article.html?in=firefox-active-tab", host=UNLISTED_HOST))
    browser.wait_for_badge(tab_id, BADGES["unreliable"][0])  # checking needs only the URL

    browser.open_popup(tab_id)  # a tab, not the toolbar: no activeTab grant
    client.wait_for("return document.querySelector('#signals:not([hidden]) .signal')")
    client.click("#show-in-page")
    summary = client.wait_for("const s = document.querySelector('#highlight-summary')?.textContent;"
                              "return s && !s.startsWith('Finding') && s")
    assert "click its toolbar button" in summary, summary
    client.switch_to(page)
    assert client.run("return document.querySelectorAll('mark.reliability-label-mark').length") == 0

    browser.click_toolbar_button()  # the page's tab is the active one
    browser.in_toolbar_popup("p => !p.document.querySelector('#show-in-page').disabled")
    assert "highlighted" in browser.highlight_from_toolbar_popup(toggle=True)
    client.switch_to(page)
    assert "YOU MAY ALSO LIKE" in client.run(MARKS, "promotions")
    browser.in_toolbar_popup("p => (p.close(), true)")


BUILT_IN_HOSTS = {"http://127.0.0.1/*", "http://localhost/*"}  # manifest.json host_permissions
ALL_PAGES = {"http://*/*", "https://*/*"}
REMOTE_SERVER = "https://labels.example.org"  # unreachable here: Firefox's proxy is a closed port


def test_options_ask_for_host_permissions_and_give_them_back(firefox_extension, api_proxy):
    """The options page asks for page access (page content in automatic mode) and a remote
    server's host when saved, and gives each back once the saved settings no longer need it;
    the built-in ones stay. Firefox removes exactly the patterns named, so all of page access
    goes (in Chromium "http://*/*" stays: see the Chromium test). Prompts are off in this
    profile: Firefox grants what is asked."""
    browser = firefox_extension
    client = browser.client

    def granted():
        return set(browser.evaluate("() => chrome.permissions.getAll().then(p => p.origins)"))

    def save():
        client.run("document.querySelector('#save-status').textContent = ''")
        client.click("#save")
        return client.wait_for("const s = document.querySelector('#save-status').textContent;"
                               "return !/^$|Checking/.test(s) && s")

    def set_server(url):
        client.run("document.querySelector('#server-url').value = arguments[0]", url)

    options = client.open_tab(browser.extension_url("options/options.html"))
    try:
        client.wait_for("return document.querySelector('#server-url')?.value")  # loaded and shown
        assert granted() == BUILT_IN_HOSTS
        client.click("#send-page-content")  # on, in automatic mode
        assert save() == "Saved."
        assert granted() == BUILT_IN_HOSTS | ALL_PAGES

        set_server(REMOTE_SERVER)
        assert save().startswith("Saved, but: The label server could not be reached.")
        assert granted() == BUILT_IN_HOSTS | ALL_PAGES | {"https://labels.example.org/*"}

        client.click("#send-page-content")  # off: page access goes, the server's host stays
        status = save()
        assert "Access no longer needed was given back: all pages." in status, status
        assert granted() == BUILT_IN_HOSTS | {"https://labels.example.org/*"}

        set_server(api_proxy.base)  # back to a built-in host: the remote one's goes
        assert save() == "Saved. Access no longer needed was given back: labels.example.org."
        assert granted() == BUILT_IN_HOSTS
    finally:
        client.switch_to(options)
        client.command("WebDriver:CloseWindow")
        client.switch_to(browser.home)
        # whatever a failure left granted (Firefox removes exactly these, never the built-in ones)
        browser.evaluate("o => chrome.permissions.remove({origins: o})",
                         [*ALL_PAGES, "https://labels.example.org/*"])
