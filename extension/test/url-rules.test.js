import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { cacheKeyFor, checkDecision, isExcluded, isPrivateLink, isWebPage, mayIncludePageContent, parseSiteList } from "../lib/url-rules.js";
import { DEFAULT_SETTINGS } from "../lib/settings.js";

const settings = (changes = {}) => ({ ...DEFAULT_SETTINGS, excludedSites: [], ...changes });

describe("isWebPage", () => {
  for (const [url, expected] of [
    ["https://news.example/a", true],
    ["http://127.0.0.1:8000/seed.html", true],
    ["file:///home/me/a.html", false],
    ["data:text/html,<p>hi", false],
    ["javascript:alert(1)", false],
    ["about:blank", false],
    ["chrome://extensions", false],
    ["moz-extension://abc/popup.html", false],
    ["ftp://example.org/", false],
    ["not a url", false],
    ["", false],
    [undefined, false],
  ]) {
    test(`${String(url)} -> ${expected}`, () => assert.equal(isWebPage(url), expected));
  }
});

describe("cacheKeyFor", () => {
  test("drops fragments and tracking parameters, keeps real ones", () => {
    assert.equal(
      cacheKeyFor("https://News.Example/story?id=7&utm_source=x&fbclid=y&gclid=z#comments"),
      "https://news.example/story?id=7",
    );
  });
  test("leaves no dangling question mark", () => {
    assert.equal(cacheKeyFor("https://news.example/story?utm_medium=social"), "https://news.example/story");
  });
  test("is null for non-URLs", () => assert.equal(cacheKeyFor("nope"), null));
});

describe("parseSiteList", () => {
  test("accepts hosts, URLs, wildcards, ports and comments; lower-cases; de-duplicates", () => {
    assert.deepEqual(
      parseSiteList("Bank.example\nhttps://intranet.example.org/login\n*.mail.example\n# note\nlocalhost:8080, bank.example"),
      ["bank.example", "intranet.example.org", "mail.example", "localhost"],
    );
  });
  test("ignores junk", () => assert.deepEqual(parseSiteList("<script> ;;; "), []));
  test("non-strings give an empty list", () => assert.deepEqual(parseSiteList(null), []));
});

describe("isExcluded", () => {
  const sites = ["bank.example", "localhost"];
  for (const [url, expected] of [
    ["https://bank.example/account", true],
    ["https://www.bank.example/", true],
    ["https://notbank.example/", false],
    ["https://bank.example.evil.test/", false],
    ["http://localhost:8123/page", true],
    ["http://127.0.0.1:8123/page", false],
  ]) {
    test(`${url} -> ${expected}`, () => assert.equal(isExcluded(url, sites), expected));
  }
});

describe("checkDecision", () => {
  test("automatic mode checks web pages on navigation", () => {
    assert.deepEqual(checkDecision("https://a.example/x", settings(), "navigation"), { allowed: true, reason: "ok" });
  });
  test("on-click mode sends nothing on navigation", () => {
    assert.equal(checkDecision("https://a.example/x", settings({ checkMode: "on-click" }), "navigation").reason, "on-click");
  });
  test("on-click mode checks on a click", () => {
    assert.equal(checkDecision("https://a.example/x", settings({ checkMode: "on-click" }), "click").allowed, true);
  });
  test("excluded sites are never checked, even on a click", () => {
    const s = settings({ excludedSites: ["a.example"] });
    assert.equal(checkDecision("https://a.example/x", s, "click").reason, "excluded");
    assert.equal(checkDecision("https://a.example/x", s, "navigation").reason, "excluded");
  });
  test("non-web pages are never checked", () => {
    assert.equal(checkDecision("file:///x.html", settings(), "click").reason, "not-web-page");
  });
  test("the server's own pages are not checked, except its demo pages", () => {
    assert.equal(checkDecision("http://127.0.0.1:5000/moderation/", settings(), "navigation").reason, "server-page");
    assert.equal(checkDecision("http://127.0.0.1:5000/api/v1/docs", settings(), "click").reason, "server-page");
    assert.equal(checkDecision("http://127.0.0.1:5000/demo/", settings(), "navigation").allowed, true);
    assert.equal(checkDecision("http://127.0.0.1:5001/moderation/", settings(), "navigation").allowed, true);
  });
});

describe("mayIncludePageContent", () => {
  test("off by default", () => assert.equal(mayIncludePageContent("https://a.example/", settings()), false));
  test("when the reader opted in", () => {
    assert.equal(mayIncludePageContent("https://a.example/", settings({ sendPageContent: true })), true);
  });
  test("for one click", () => {
    assert.equal(mayIncludePageContent("https://a.example/", settings(), { readerAskedNow: true }), true);
  });
  test("never for excluded sites or non-web pages, whatever the reader asked", () => {
    const s = settings({ sendPageContent: true, excludedSites: ["a.example"] });
    assert.equal(mayIncludePageContent("https://a.example/", s, { readerAskedNow: true }), false);
    assert.equal(mayIncludePageContent("file:///etc/passwd", s, { readerAskedNow: true }), false);
    assert.equal(mayIncludePageContent("data:text/html,x", s, { readerAskedNow: true }), false);
  });
});

describe("private or single-use links", () => {
  const automatic = { ...DEFAULT_SETTINGS, checkMode: "automatic" };
  for (const [url, expected] of [
    ["https://news.example/story?id=42", false],
    ["https://news.example/story?page=2&utm_source=x", false],
    ["https://app.example/login?token=abc123", true],
    ["https://mail.example/unsubscribe?Unsubscribe=1&u=9", true],
    ["https://shop.example/reset?code=998877", true],
    ["https://bucket.example/file.pdf?X-Amz-Signature=deadbeef", true],
    ["not a url", false],
  ]) {
    test(`isPrivateLink(${url}) is ${expected}`, () => assert.equal(isPrivateLink(url), expected));
  }

  test("are never checked on navigation, only when the reader clicks", () => {
    const url = "https://app.example/login?token=abc123";
    assert.deepEqual(checkDecision(url, automatic, "navigation"), { allowed: false, reason: "private-link" });
    assert.deepEqual(checkDecision(url, automatic, "click"), { allowed: true, reason: "ok" });
  });

  test("the address sent to the server has no fragment", () => {
    assert.equal(cacheKeyFor("https://app.example/share#key=SECRET"), "https://app.example/share");
    assert.equal(cacheKeyFor("https://news.example/a?id=1&fbclid=x#top"), "https://news.example/a?id=1");
  });
});
