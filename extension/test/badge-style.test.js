import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { badgeForAnswer, badgeForError, badgeForState, LEVELS, REVIEWED_MARK } from "../lib/badge-style.js";

describe("badgeForAnswer", () => {
  for (const [level, text, color] of [
    ["reliable", "OK", "#15803d"],
    ["mixed", "MIX", "#b45309"],
    ["unreliable", "LOW", "#b91c1c"],
    ["unrated", "–", "#6b7280"],
  ]) {
    test(`${level} -> ${text} on ${color}`, () => {
      const badge = badgeForAnswer({ badge: { level, score: 50, reasons: [] } });
      assert.equal(badge.text, text);
      assert.equal(badge.color, color);
    });
  }

  test("unknown or missing levels show as unrated, never guessed", () => {
    assert.equal(badgeForAnswer({ badge: { level: "excellent" } }).text, LEVELS.unrated.text);
    assert.equal(badgeForAnswer(null).text, LEVELS.unrated.text);
  });

  test("a moderator's decision gets a distinct mark and says so", () => {
    const badge = badgeForAnswer({
      badge: { level: "unreliable", score: 12, reasons: ["Clickbait headline"] },
      moderation: { state: "decided", level: "unreliable", note: "Confirmed", reviewed_at: "2026-01-02T00:00:00Z" },
    });
    assert.equal(badge.text, `LOW${REVIEWED_MARK}`);
    assert.match(badge.title, /reviewed by a moderator/);
    assert.match(badge.title, /score 12\/100/);
    assert.match(badge.title, /• Clickbait headline/);
  });

  test("a level a moderator changed does not claim the automatic score as its own", () => {
    const badge = badgeForAnswer({
      badge: { level: "mixed", automatic_level: "unreliable", moderated: true, score: 7, reasons: [] },
      moderation: { state: "decided", level: "mixed" },
    });
    assert.match(badge.title, /Mixed, automatic score 7\/100, reviewed by a moderator/);
  });

  test("the server's moderated flag on the badge counts too", () => {
    assert.equal(badgeForAnswer({ badge: { level: "mixed", moderated: true } }).text, `MIX${REVIEWED_MARK}`);
  });

  test("pending moderation is not a decision", () => {
    assert.equal(badgeForAnswer({ badge: { level: "mixed" }, moderation: { state: "pending" } }).text, "MIX");
  });

  test("badge text fits the toolbar (at most 4 characters)", () => {
    for (const level of Object.keys(LEVELS)) {
      const text = badgeForAnswer({ badge: { level }, moderation: { state: "decided" } }).text;
      assert.ok([...text].length <= 4, text);
    }
  });
});

test("states without a label", () => {
  assert.equal(badgeForState("checking").text, "…");
  assert.equal(badgeForState("on-click").text, "");
  assert.equal(badgeForState("nonsense").text, "");
});

describe("badgeForError", () => {
  const problem = (status, kind, title, detail, extra = {}) => ({
    message: detail, status, kind: "http", retryAfter: null,
    problem: { type: `https://reliability-labels.invalid/problems/${kind}`, title, status, detail }, ...extra,
  });

  test("unreachable says so once", () => {
    const badge = badgeForError({ message: "The label server could not be reached.", status: 0, kind: "network" });
    assert.equal(badge.text, "!");
    assert.equal(badge.title, "Reliability label: the server could not be reached");
  });

  test("an answer with a problem is not 'could not be reached'", () => {
    const badge = badgeForError(problem(500, "internal-error", "Internal error", ""));
    assert.equal(badge.text, "!");
    assert.equal(badge.title, "Reliability label: the server answered with a problem: Internal error");
    const refused = badgeForError(problem(502, "upstream-status", "Upstream error", "The page answered HTTP 404."));
    assert.equal(refused.text, "!");
    assert.equal(refused.title, "Reliability label: the server could not fetch the page (The page answered HTTP 404)");
  });

  test("429 says to wait", () => {
    const badge = badgeForError(problem(429, "rate-limited", "Too many requests", "", { retryAfter: 30 }));
    assert.equal(badge.title, "Reliability label: too many checks, try again in 30 s");
  });

  test("a PDF is the grey unrated label, not an error", () => {
    const badge = badgeForError(problem(422, "not-html", "Not an HTML page", "The URL serves application/pdf."));
    assert.equal(badge.text, LEVELS.unrated.text);
    assert.equal(badge.color, LEVELS.unrated.color);
    assert.equal(badge.title, "Reliability label: Unrated, not an article (The URL serves application/pdf.)");
  });
});

test("a private address and a private link each say why nothing was sent", () => {
  assert.equal(badgeForState("private-address").title, "Reliability label: private address, not sent");
  assert.equal(badgeForState("private-address").text, "");
  assert.match(badgeForState("private-link").title, /link looks private, not checked automatically; click to check/);
});
