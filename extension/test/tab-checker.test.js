// The background's decisions end to end, with fake browser storage and a fake server:
// what is asked when, what the toolbar shows, what is never sent.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { createAnswerCache } from "../background/answer-cache.js";
import { createSettingsStore } from "../background/settings-store.js";
import { createTabChecker } from "../background/tab-checker.js";
import { createTabState } from "../background/tab-state.js";
import { ApiError } from "../lib/api-client.js";
import { badgeForError } from "../lib/badge-style.js";

function storageArea() {
  const data = new Map();
  return {
    async get(key) { return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}; },
    async set(items) { for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v)); },
    async remove(key) { data.delete(key); },
  };
}

const RED = { badge: { level: "unreliable", score: 9, reasons: [] }, moderation: { state: "none" } };
const REPORT = { ...RED, signals: { promotions: { score: 0.9, evidence: [] } } };

let ext;
let calls;
let server;
let shown;
let checker;
let pageReads;
let cleared; // tab ids whose marks the checker asked to clear
let titles;

function build(settingsValue) {
  ext = { storage: { sync: storageArea(), session: storageArea() } };
  ext.storage.sync.set({ settings: settingsValue });
  calls = [];
  shown = new Map();
  pageReads = 0;
  cleared = [];
  titles = new Map();
  server = { stored: null, error: null };
  const createClient = ({ serverUrl }) => ({
    async lookupBadge(url) {
      calls.push(["lookup", serverUrl, url]);
      if (server.error) throw server.error;
      return server.stored;
    },
    async analyse(url, { html, refresh } = {}) {
      calls.push(["analyse", serverUrl, url, html === undefined ? "no html" : "html", ...(refresh ? ["refresh"] : [])]);
      if (server.gate) await server.gate;
      if (server.error) throw server.error;
      server.stored = RED;
      return REPORT;
    },
  });
  checker = createTabChecker({
    settings: createSettingsStore(ext),
    cache: createAnswerCache(ext),
    tabState: createTabState(ext),
    toolbar: {
      showAnswer: async (tabId, answer) => shown.set(tabId, answer.badge.level),
      showState: async (tabId, state) => shown.set(tabId, state),
      showError: async (tabId, error) => {
        const badge = badgeForError(error);
        shown.set(tabId, badge.text === "!" ? "error" : "unrated");
        titles.set(tabId, badge.title);
      },
    },
    pageContent: { read: async () => { pageReads += 1; if (server.unreadable) throw new Error("Cannot access contents of the page."); return "<html>seen by the reader</html>"; } },
    highlighter: { clear: async (tabId) => { cleared.push(tabId); } },
    createClient,
    debounceMs: 5,
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 40));
const SERVER = "http://127.0.0.1:5000";

beforeEach(() => build({ serverUrl: SERVER, checkMode: "automatic", excludedSites: [], sendPageContent: false }));

test("automatic: a navigation burst gives one lookup, then the analysis when none is stored", async () => {
  checker.onTabUpdated(1, { url: "https://a.example/x?utm_source=feed#comments" }, {});
  checker.onTabUpdated(1, { status: "complete" }, { url: "https://a.example/x?utm_source=feed#comments" });
  await settle();
  // the server gets the address without tracking parameters or fragment
  assert.deepEqual(calls, [
    ["lookup", SERVER, "https://a.example/x"],
    ["analyse", SERVER, "https://a.example/x", "no html"],
  ]);
  assert.equal(shown.get(1), "unreliable");
});

test("automatic: a private or single-use link is not sent until the reader clicks", async () => {
  checker.onTabUpdated(1, { url: "https://app.example/login?token=abc123" }, {});
  checker.onTabUpdated(1, { status: "complete" }, { url: "https://app.example/login?token=abc123" });
  await settle();
  assert.deepEqual(calls, []);
  assert.equal(shown.get(1), "private-link");
});

test("automatic: a token in the path is not sent (no lookup, so no fetch after a 404) until the reader clicks", async () => {
  for (const [tabId, url] of [
    [1, "https://app.example/reset/Zk3JqP9xWm2LrT8vNb4Y"],
    [2, "https://docs.google.com/document/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit"],
    [3, "https://app.example/invite/abc123def"],
  ]) {
    checker.onTabUpdated(tabId, { url }, {});
    checker.onTabUpdated(tabId, { status: "complete" }, { url });
  }
  await settle();
  assert.deepEqual(calls, []);
  assert.equal(shown.get(1), "private-link");
  assert.equal(shown.get(2), "private-link");
  await checker.check(1, "https://app.example/reset/Zk3JqP9xWm2LrT8vNb4Y", { trigger: "click", full: true });
  assert.deepEqual(calls.map((c) => c[0]), ["analyse"]);
});

test("private addresses are never sent, whatever the mode, the click or the page-content option", async () => {
  build({ serverUrl: "https://labels.example.org", checkMode: "automatic", excludedSites: [], sendPageContent: true });
  for (const [tabId, url] of [[1, "http://192.168.1.1/"], [2, "http://intranet/wiki"], [3, "https://jira.corp/x"], [4, "http://127.0.0.1:8080/"]]) {
    checker.onTabUpdated(tabId, { url }, {});
    await settle();
    await checker.check(tabId, url, { trigger: "click", full: true, force: true, sendContent: true });
    assert.equal(shown.get(tabId), "private-address", url);
  }
  assert.deepEqual(calls, []);
  assert.equal(pageReads, 0);
});

test("automatic: the same article again, in another tab and without tracking, comes from the cache", async () => {
  checker.onTabUpdated(1, { url: "https://a.example/x" }, {});
  await settle();
  checker.onTabUpdated(2, { url: "https://a.example/x?utm_medium=social#top" }, {});
  await settle();
  assert.equal(calls.length, 2);
  assert.equal(shown.get(2), "unreliable");
});

test("automatic: a stored badge answers the toolbar without an analysis; the popup then asks for the report", async () => {
  server.stored = RED;
  checker.onTabUpdated(1, { url: "https://a.example/y" }, {});
  await settle();
  assert.deepEqual(calls.map((c) => c[0]), ["lookup"]);
  const state = await checker.check(1, "https://a.example/y", { trigger: "click", full: true });
  assert.equal(state.full, true);
  assert.deepEqual(calls.map((c) => c[0]), ["lookup", "analyse"]);
});

test("on-click: navigation sends nothing; the click does", async () => {
  build({ serverUrl: SERVER, checkMode: "on-click", excludedSites: [], sendPageContent: false });
  checker.onTabUpdated(1, { url: "https://a.example/z" }, {});
  await settle();
  assert.deepEqual(calls, []);
  assert.equal(shown.get(1), "on-click");
  await checker.check(1, "https://a.example/z", { trigger: "click", full: true });
  assert.deepEqual(calls.map((c) => c[0]), ["analyse"]);
  // A late load event for the same page keeps the answer the reader asked for.
  checker.onTabUpdated(1, { status: "complete" }, { url: "https://a.example/z" });
  await settle();
  assert.equal(shown.get(1), "unreliable");
  assert.equal(calls.length, 1);
});

test("excluded sites are never sent, not even on a click or with page content on", async () => {
  build({ serverUrl: SERVER, checkMode: "automatic", excludedSites: ["a.example"], sendPageContent: true });
  checker.onTabUpdated(1, { url: "https://news.a.example/x" }, {});
  await settle();
  await checker.check(1, "https://news.a.example/x", { trigger: "click", full: true, force: true, sendContent: true });
  assert.deepEqual(calls, []);
  assert.equal(pageReads, 0);
  assert.equal(shown.get(1), "excluded");
});

test("non-web pages are never sent", async () => {
  checker.onTabUpdated(1, { url: "file:///home/reader/notes.html" }, {});
  await settle();
  await checker.check(1, "about:blank", { trigger: "click", full: true });
  assert.deepEqual(calls, []);
});

test("page content goes only with consent, and then skips the URL-only lookup", async () => {
  await checker.check(1, "https://a.example/paywalled", { trigger: "click", full: true, force: true });
  assert.deepEqual(calls.at(-1).slice(0, 4), ["analyse", SERVER, "https://a.example/paywalled", "no html"]);
  await checker.check(1, "https://a.example/paywalled", { trigger: "click", full: true, force: true, sendContent: true });
  assert.deepEqual(calls.at(-1).slice(0, 4), ["analyse", SERVER, "https://a.example/paywalled", "html"]);
  assert.equal(pageReads, 1);

  build({ serverUrl: SERVER, checkMode: "automatic", excludedSites: [], sendPageContent: true });
  checker.onTabUpdated(1, { url: "https://b.example/" }, {});
  await settle();
  assert.deepEqual(calls, [["analyse", SERVER, "https://b.example/", "html"]]);
});

test("an answer for a page the tab has left is not shown", async () => {
  build({ serverUrl: SERVER, checkMode: "on-click", excludedSites: [], sendPageContent: false });
  let release;
  server.gate = new Promise((resolve) => { release = resolve; });
  const first = checker.check(1, "https://a.example/old", { trigger: "click", full: true });
  await settle();
  // The reader navigates away while the check is still running.
  checker.onTabUpdated(1, { url: "https://a.example/new" }, {});
  await settle();
  assert.equal(shown.get(1), "on-click");
  release();
  await first;
  assert.equal(shown.get(1), "on-click", "the old page's label must not land on the new page");
});

test("a 429 pauses automatic checks; the error shows on the toolbar", async () => {
  server.error = new ApiError("Too many checks for now; try again in 60 s.", { status: 429, retryAfter: 60 });
  checker.onTabUpdated(1, { url: "https://a.example/1" }, {});
  await settle();
  assert.equal(shown.get(1), "error");
  const before = calls.length;
  server.error = null;
  checker.onTabUpdated(2, { url: "https://a.example/2" }, {});
  await settle();
  assert.equal(calls.length, before, "paused: no request");
  // The reader can still ask.
  await checker.check(2, "https://a.example/2", { trigger: "click", full: true });
  assert.equal(shown.get(2), "unreliable");
});

test("an unreachable server keeps the page untouched and says so", async () => {
  server.error = new ApiError("The label server could not be reached.", { kind: "network" });
  const state = await checker.check(1, "https://a.example/down", { trigger: "click", full: true });
  assert.equal(state.status, "error");
  assert.equal(state.error.kind, "network");
  assert.equal(shown.get(1), "error");
});

test("a server answering with a problem is not 'unreachable'; a PDF is unrated, not an error", async () => {
  server.error = new ApiError("The page answered HTTP 404.", {
    status: 502, problem: { type: "https://reliability-labels.invalid/problems/upstream-status", title: "Upstream error", detail: "The page answered HTTP 404." },
  });
  let state = await checker.check(1, "https://a.example/gone", { trigger: "click", full: true });
  assert.equal(state.status, "error");
  assert.equal(shown.get(1), "error");
  assert.equal(titles.get(1), "Reliability label: the server could not fetch the page (The page answered HTTP 404)");

  server.error = new ApiError("The URL serves application/pdf.", {
    status: 422, problem: { type: "https://reliability-labels.invalid/problems/not-html", title: "Not an HTML page", detail: "The URL serves application/pdf." },
  });
  state = await checker.check(2, "https://a.example/paper.pdf", { trigger: "click", full: true });
  assert.equal(state.status, "not-article");
  assert.equal(shown.get(2), "unrated");
});

test("page content that cannot be read is recorded, not silently replaced by the URL", async () => {
  server.unreadable = true;
  const state = await checker.check(1, "https://a.example/p", { trigger: "click", full: true, force: true, sendContent: true });
  assert.deepEqual(calls.at(-1), ["analyse", SERVER, "https://a.example/p", "no html", "refresh"]);
  assert.equal(state.pageContent, "unreadable");
  server.unreadable = false;
  const sent = await checker.check(1, "https://a.example/p", { trigger: "click", full: true, force: true, sendContent: true });
  assert.equal(sent.pageContent, "sent");
});

test("re-check clicked three times while it runs: one forced analysis", async () => {
  let release;
  server.gate = new Promise((resolve) => { release = resolve; });
  const clicks = [1, 2, 3].map(() => checker.check(1, "https://a.example/r", { trigger: "click", full: true, force: true }));
  await settle();
  release();
  await Promise.all(clicks);
  assert.deepEqual(calls.filter((c) => c[0] === "analyse"), [["analyse", SERVER, "https://a.example/r", "no html", "refresh"]]);
  // Once it is done, another click is another check.
  await checker.check(1, "https://a.example/r", { trigger: "click", full: true, force: true });
  assert.equal(calls.filter((c) => c[0] === "analyse").length, 2);
});

test("marks in the page go when the tab's answer is replaced or dropped", async () => {
  const tabState = createTabState(ext);
  await checker.check(1, "https://a.example/m", { trigger: "click", full: true });
  await tabState.update(1, { highlight: { found: 3, missing: 0 } });
  // A late load event for the same page and answer keeps them.
  checker.onTabUpdated(1, { status: "complete" }, { url: "https://a.example/m" });
  await settle();
  assert.deepEqual(cleared, []);
  assert.ok((await tabState.get(1)).highlight);
  // Re-check: the old marks go, and the switch with them.
  await checker.check(1, "https://a.example/m", { trigger: "click", full: true, force: true });
  assert.deepEqual(cleared, [1]);
  assert.equal((await tabState.get(1)).highlight ?? null, null);
  // A #hash change or pushState to another article.
  await tabState.update(1, { highlight: { found: 3, missing: 0 } });
  checker.onTabUpdated(1, { url: "https://a.example/m#comments" }, {});
  await settle();
  assert.deepEqual(cleared, [1, 1]);
  // Nothing to clear when nothing was marked.
  checker.onTabUpdated(1, { url: "https://a.example/other" }, {});
  await settle();
  assert.deepEqual(cleared, [1, 1]);
});
