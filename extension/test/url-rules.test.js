import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { PRIVATE_HOST_SUFFIXES, TRACKING_PARAMETER_PREFIXES, TRACKING_PARAMETERS } from "../lib/privacy-lists.js";
import {
  cacheKeyFor, checkDecision, isExcluded, isLoopbackHost, isPrivateAddress, isPrivateLink, isTrackingParameter, isWebPage,
  mayIncludePageContent, parseSiteList, pathLooksSecret, segmentLooksSecret,
} from "../lib/url-rules.js";
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

describe("tracking parameters (the same list as the server's)", () => {
  const names = [
    "utm_source", "utm_medium", "utm_campaign", "utm_whatever", "fbclid", "gclid", "gclsrc", "dclid", "gbraid",
    "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
    "oly_anon_id", "oly_enc_id", "vero_id", "ref_src", "ref_url", "cmpid", "twclid", "ttclid", "li_fat_id",
    "wickedid", "s_cid", "ncid", "sr_share",
    // families: every name with the prefix
    "pk_campaign", "pk_kwd", "pk_source", "mtm_campaign", "mtm_cid", "hsa_acc", "hsa_cam", "hsa_ad",
    // any case
    "MKT_TOK", "Utm_Source",
  ];
  for (const name of names) {
    test(`${name} is stripped`, () => {
      assert.equal(isTrackingParameter(name), true);
      assert.equal(cacheKeyFor(`https://news.example/story?id=7&${name}=recipient-123`), "https://news.example/story?id=7");
    });
  }
  test("real parameters stay (a prefix must be the whole prefix)", () => {
    for (const name of ["id", "page", "q", "utm", "pk", "mtmx_a", "hsa", "token_ref", "sort"]) {
      assert.equal(isTrackingParameter(name), false, name);
    }
    assert.equal(cacheKeyFor("https://news.example/story?page=2&pk=4"), "https://news.example/story?page=2&pk=4");
  });
  test("the same parameters and prefixes as the server strips (server/urls.py)", (t) => {
    const path = fileURLToPath(new URL("../../server/urls.py", import.meta.url));
    if (!existsSync(path)) return t.skip("no server/urls.py next to the extension");
    const source = readFileSync(path, "utf8");
    const set = /^TRACKING_PARAMS\s*=\s*(?:frozenset\()?\{([^}]*)\}/m.exec(source);
    const prefixes = /^TRACKING_PREFIXES\s*=\s*\(([^)]*)\)/m.exec(source);
    assert.ok(set && prefixes, "TRACKING_PARAMS and TRACKING_PREFIXES are where they were");
    const strings = (text) => [...text.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);
    assert.ok(strings(set[1]).length > 10);
    for (const name of strings(set[1])) assert.equal(isTrackingParameter(name), true, name);
    for (const prefix of strings(prefixes[1])) assert.equal(isTrackingParameter(`${prefix}anything`), true, prefix);
    // the same lists, so both sides key one article the same way
    assert.deepEqual([...TRACKING_PARAMETERS].sort(), strings(set[1]).sort());
    assert.deepEqual([...TRACKING_PARAMETER_PREFIXES].sort(), strings(prefixes[1]).sort());
  });
});

describe("private addresses: never sent, not even on a click", () => {
  for (const [url, expected] of [
    ["http://10.0.0.5/wiki/Budget", true],
    ["http://172.16.4.2/", true],
    ["http://172.31.255.255/", true],
    ["http://192.168.1.1/admin", true],
    ["http://169.254.169.254/latest/meta-data/", true],
    ["http://100.64.0.1/", true],
    ["http://127.0.0.1:8080/", true],
    ["http://0.0.0.0:3000/", true],
    ["http://0x7f.1/", true], // the URL parser makes it 127.0.0.1
    ["http://[::1]:8000/", true],
    ["http://[fe80::1]/", true],
    ["http://[fd00:1234::5]/", true],
    ["http://[::ffff:192.168.0.10]/", true],
    ["http://intranet/news", true],
    ["http://wiki/Page", true],
    ["http://localhost:3000/", true],
    ["http://printer.local/", true],
    ["https://jira.internal/browse/X-1", true],
    ["http://nas.lan/", true],
    ["http://router.home.arpa/", true],
    ["https://portal.corp/", true],
    ["https://app.localhost/", true],
    ["https://news.example/story", false],
    ["http://172.32.0.1/", false],
    ["http://93.184.216.34/", false],
    ["http://[2606:4700::1111]/", false],
    ["https://local.news.example/", false],
    ["https://corp.example.com/", false],
    ["https://news.example./story", false],
  ]) {
    test(`isPrivateAddress(${url}) is ${expected}`, () => assert.equal(isPrivateAddress(url), expected));
  }

  const remote = settings({ serverUrl: "https://labels.example.org" });
  test("an intranet page is not sent, automatically or on a click", () => {
    for (const url of ["http://10.1.2.3/report", "http://intranet/page", "https://wiki.corp/x"]) {
      assert.deepEqual(checkDecision(url, remote, "navigation"), { allowed: false, reason: "private-address" }, url);
      assert.deepEqual(checkDecision(url, remote, "click"), { allowed: false, reason: "private-address" }, url);
      assert.equal(mayIncludePageContent(url, { ...remote, sendPageContent: true }, { readerAskedNow: true }), false);
    }
  });
  test("a page on this computer goes only to a label server on this computer", () => {
    assert.equal(checkDecision("http://127.0.0.1:8123/a.html", remote, "navigation").reason, "private-address");
    assert.equal(checkDecision("http://localhost:8123/a.html", remote, "click").reason, "private-address");
    for (const serverUrl of ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000"]) {
      const local = settings({ serverUrl });
      assert.equal(checkDecision("http://127.0.0.1:8123/a.html", local, "navigation").allowed, true, serverUrl);
      assert.equal(checkDecision("http://127.0.0.2:8123/a.html", local, "navigation").allowed, true, serverUrl);
      // the local network is not this computer
      assert.equal(checkDecision("http://192.168.1.20/a.html", local, "navigation").reason, "private-address", serverUrl);
    }
  });
  test("the same intranet suffixes as the server refuses supplied HTML for (server/fetch.py)", (t) => {
    const path = fileURLToPath(new URL("../../server/fetch.py", import.meta.url));
    if (!existsSync(path)) return t.skip("no server/fetch.py next to the extension");
    const suffixes = /^INTRANET_SUFFIXES\s*=\s*\(([^)]*)\)/m.exec(readFileSync(path, "utf8"));
    assert.ok(suffixes, "INTRANET_SUFFIXES is where it was");
    // the server writes ".lan", the extension "lan": compared without the leading dot, as sets
    const server = [...suffixes[1].matchAll(/["']\.?([^"']+)["']/g)].map((m) => m[1]);
    assert.ok(server.length > 5);
    assert.deepEqual([...new Set(PRIVATE_HOST_SUFFIXES)].sort(), [...new Set(server)].sort());
  });
  test("an excluded site is said to be excluded", () => {
    assert.equal(checkDecision("http://intranet/", settings({ excludedSites: ["intranet"] }), "navigation").reason, "excluded");
  });
  test("the server's own pages stay server pages; its demo pages are checked", () => {
    assert.equal(checkDecision("http://127.0.0.1:5000/moderation/", settings(), "navigation").reason, "server-page");
    assert.equal(checkDecision("http://127.0.0.1:5000/demo/seed-article.html", settings(), "navigation").allowed, true);
  });
  test("loopback: 127.0.0.0/8, ::1, localhost", () => {
    for (const url of ["http://127.0.0.1/", "http://127.9.9.9/", "http://[::1]/", "http://localhost/", "http://LOCALHOST./"]) {
      assert.equal(isLoopbackHost(url), true, url);
    }
    for (const url of ["http://10.0.0.1/", "http://[fe80::1]/", "http://localhost.example/", "https://example.com/", "nope"]) {
      assert.equal(isLoopbackHost(url), false, url);
    }
  });
});

describe("links with a secret in the path: not checked automatically", () => {
  const privateLinks = [
    "https://app.example/reset/8f2kQ9x1",
    "https://app.example/password/reset/Zk3JqP9xWm2LrT8vNb4Y",
    "https://app.example/verify/a1b2c3d4",
    "https://app.example/account/confirm/Q7TmX2",
    "https://app.example/auth/magic/3f1e2d4c-5b6a-7980-a1b2-c3d4e5f60718",
    "https://app.example/invite/abc123def",
    "https://mail.example/unsubscribe/MTIzNDU2Nzg5",
    "https://app.example/token/9c8b7a6d5e4f",
    "https://app.example/login/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "https://docs.google.com/document/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit",
    "https://drive.google.com/file/d/0B7xk2LmQ9zRc/view",
    "https://www.dropbox.com/s/k2j4h5g6f7d8s9a/report.pdf",
    "https://app.example/m/Zk3JqP9xWm2LrT8vNb4YpL6c", // a magic link: long random segment anywhere
    "https://cdn.example/f/5f3e2b1c9d8e7f6a5b4c3d2e1f0a9b8c/file.html", // 32 hex digits
    "https://app.example/p/AbCdEfGhIjKlMnOpQrSt", // mixed case without digits
  ];
  for (const url of privateLinks) {
    test(`private: ${url}`, () => {
      assert.equal(pathLooksSecret(url), true);
      assert.equal(isPrivateLink(url), true);
      assert.deepEqual(checkDecision(url, settings(), "navigation"), { allowed: false, reason: "private-link" });
      assert.deepEqual(checkDecision(url, settings(), "click"), { allowed: true, reason: "ok" });
    });
  }
  const articles = [
    "https://www.nytimes.com/2024/05/12/world/europe/some-story.html",
    "https://www.theguardian.com/world/2024/may/12/covid19-update-2020-news",
    "https://apnews.com/article/election-results-senate-2024-5c2f4d7c9a1b0e8f3d6a2b1c4e5f7a8b",
    "https://medium.com/@writer/how-we-built-it-1a2b3c4d5e6f",
    "https://x.com/someone/status/1790000000000000000",
    "https://www.ft.com/content/3f1e2d4c-5b6a-7980-a1b2-c3d4e5f60718",
    "https://www.bbc.com/news/articles/c4ngk8e1jx2o",
    "https://www.bloomberg.com/news/articles/2024-05-12/markets-wrap-stocks-rise",
    "https://www.reuters.com/world/europe/leaders-meet-brussels-2024-05-12/",
    "https://en.wikipedia.org/wiki/Password_reset",
    "https://news.example/tech/login-bug-exposed-millions-of-accounts",
    "https://news.example/reset/",
    "https://news.example/verify/email",
    "https://news.example/unsubscribe/newsletter",
    "http://127.0.0.1:8123/seed-article.html?for=on-click",
  ];
  for (const url of articles) {
    test(`an article: ${url}`, () => {
      assert.equal(pathLooksSecret(url), false);
      assert.equal(isPrivateLink(url), false);
    });
  }
  test("segments one by one", () => {
    assert.equal(segmentLooksSecret("Zk3JqP9xWm2LrT8vNb4Y"), true);
    assert.equal(segmentLooksSecret("Zk3JqP9xWm2LrT8vNb4Y%3D%3D"), true);
    assert.equal(segmentLooksSecret("a-very-long-article-slug-about-things"), false);
    assert.equal(segmentLooksSecret("reset-password-Zk3JqP9xWm2LrT8vNb4Y"), true); // words, but it says what it is
    assert.equal(segmentLooksSecret("12345678901234567890"), false);
    assert.equal(segmentLooksSecret("short1A"), false);
  });
});
