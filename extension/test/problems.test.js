// A failed check in the reader's words: unreachable, busy, a problem the server named, or a page
// that is simply not an article.
import assert from "node:assert/strict";
import { test } from "node:test";

import { describeProblem, problemCategory } from "../lib/problems.js";

const PROBLEMS = "https://reliability-labels.invalid/problems/";
const http = (status, problem, extra = {}) => ({ message: problem?.detail ?? "", status, kind: "http", retryAfter: null, problem, ...extra });

test("no answer at all: unreachable, with the server address to check", () => {
  const down = describeProblem({ message: "The label server could not be reached.", status: 0, kind: "network" });
  assert.equal(down.category, "unreachable");
  assert.equal(down.summary, "the server could not be reached");
  assert.match(down.detail, /could not be reached\. Check the server address in Options/);
  assert.ok(down.retry && down.checkServer);
  assert.equal(describeProblem({ status: 0, kind: "timeout" }).summary, "the server took too long to answer");
});

test("429: too many checks, with the wait the server asked for", () => {
  const busy = describeProblem(http(429, { title: "Too many requests", status: 429 }, { retryAfter: 17 }));
  assert.equal(busy.category, "rate-limited");
  assert.equal(busy.summary, "too many checks, try again in 17 s");
  assert.equal(describeProblem(http(429, null)).summary, "too many checks, try again in a minute");
});

test("the server answered with a problem: its title and detail, never 'could not be reached'", () => {
  const busy = describeProblem(http(503, { type: `${PROBLEMS}database-unavailable`, title: "Database unavailable", detail: "Try again shortly." }));
  assert.equal(busy.category, "server-problem");
  assert.equal(busy.summary, "the server answered with a problem: Database unavailable: Try again shortly.");
  assert.equal(busy.detail, "The label server answered with a problem: Database unavailable: Try again shortly.");
  assert.ok(busy.retry && !busy.checkServer);
  assert.doesNotMatch(busy.detail, /could not be reached/);
  assert.equal(describeProblem(http(500, null)).summary, "the server answered with a problem: HTTP 500");
  assert.equal(problemCategory(http(422, { type: `${PROBLEMS}url-too-long`, title: "URL too long" })), "server-problem");
});

test("not HTML (a PDF): unrated, not an error", () => {
  const pdf = describeProblem(http(422, { type: `${PROBLEMS}not-html`, title: "Not an HTML page", detail: "The URL serves application/pdf." }));
  assert.equal(pdf.category, "not-article");
  assert.equal(pdf.summary, "not an article (The URL serves application/pdf.)");
  assert.equal(pdf.detail, "Unrated: this page is not an article (The URL serves application/pdf).");
  assert.equal(pdf.retry, false);
});

test("the server could not fetch the page: say so, and offer the page as the reader sees it", () => {
  const refused = http(502, { type: `${PROBLEMS}upstream-status`, title: "Upstream error", detail: "The page answered HTTP 403." });
  const offered = describeProblem(refused, { canSendPage: true });
  assert.equal(offered.category, "fetch-failed");
  assert.equal(offered.summary, "the server could not fetch the page (The page answered HTTP 403)");
  assert.equal(offered.detail,
    "The label server could not fetch this page itself (The page answered HTTP 403). Tick “Send the page as I see it” and try again.");
  assert.ok(offered.retry && offered.sendPage && !offered.checkServer);
  // Not offered (the page was sent already, or this site may not be sent): no advice to tick it.
  const plain = describeProblem(refused);
  assert.equal(plain.detail, "The label server could not fetch this page itself (The page answered HTTP 403).");
  assert.equal(plain.sendPage, false);
});

test("every way a fetch fails is a fetch failure; the server's own problems are not", () => {
  for (const kind of ["upstream-timeout", "upstream-dns-failure", "upstream-tls-error", "too-many-redirects"]) {
    assert.equal(problemCategory(http(502, { type: `${PROBLEMS}${kind}`, title: "x" })), "fetch-failed", kind);
  }
  // an intranet page is not one to nudge readers into sending
  for (const kind of ["internal-error", "database-unavailable", "url-too-long", "validation-error",
    "forbidden-destination", "redirect-forbidden-destination", "forbidden-port"]) {
    assert.notEqual(problemCategory(http(500, { type: `${PROBLEMS}${kind}`, title: "x" })), "fetch-failed", kind);
  }
});
