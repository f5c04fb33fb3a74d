import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { badgeForAnswer, badgeForState, LEVELS, REVIEWED_MARK } from "../lib/badge-style.js";

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
  assert.equal(badgeForState("error", "offline").title, "Reliability label: the server could not be reached: offline");
  assert.equal(badgeForState("nonsense").text, "");
});
