import assert from "node:assert/strict";
import { test } from "node:test";

import {
  automaticLevelLine, highlightSummary, moderationLine, orderedSignals, reportOutcome, SCALE_NOTE, shortenQuote, signalName, signalPercent,
  sendPageHint, sourceLine,
} from "../lib/report-view.js";

test("signal names, including ones the extension does not know yet", () => {
  // the server's names, which start its reasons ("Inserted promotions: 1 paragraph …")
  assert.equal(signalName("promotions"), "Inserted promotions");
  assert.equal(signalName("unattributed_claims"), "Unattributed claims");
  assert.equal(signalName("clickbait"), "Clickbait headline");
  assert.equal(signalName("duplication"), "Padded or repeated text");
  assert.equal(signalName("emotional_language"), "Emotional language");
});

test("scores as percentages", () => {
  assert.equal(signalPercent(0.734), "73%");
  assert.equal(signalPercent(2), "100%");
  assert.equal(signalPercent(null), "–");
});

test("long quotes are shortened in the middle", () => {
  const quote = `Start ${"x".repeat(500)} end`;
  const short = shortenQuote(quote, 40);
  assert.ok(short.length <= 40);
  assert.ok(short.startsWith("Start") && short.endsWith("end") && short.includes("…"));
  assert.equal(shortenQuote("  a \n b  "), "a b");
});

test("signals worst first", () => {
  const order = orderedSignals({ signals: { a: { score: 0.1 }, b: { score: 0.9 }, c: null } }).map(([k]) => k);
  assert.deepEqual(order, ["b", "a"]);
});

test("moderation line only for decisions", () => {
  assert.equal(moderationLine({ state: "pending" }), null);
  assert.equal(moderationLine(null), null);
  assert.match(moderationLine({ state: "decided", reviewed_at: "2026-03-04T10:00:00Z" }, "en-GB"), /^Reviewed by a moderator on 4 Mar 2026$/);
  assert.equal(moderationLine({ state: "decided", reviewed_at: "not a date" }), "Reviewed by a moderator");
});

test("highlight summary", () => {
  assert.equal(highlightSummary({ found: 3, missing: 0 }), "3 quotes highlighted in the page.");
  assert.equal(highlightSummary({ found: 1, missing: 0 }), "1 quote highlighted in the page.");
  assert.match(highlightSummary({ found: 2, missing: 1 }), /^2 of 3 quotes highlighted; 1 could not be found/);
  assert.equal(highlightSummary({}), "This report has no quotes to show in the page.");
});

test("automatic level shown only when a moderator changed it", () => {
  const labels = { unreliable: { label: "Unreliable" } };
  assert.equal(automaticLevelLine({ level: "mixed", automatic_level: "unreliable", moderated: true }, labels), "The automatic analysis said: Unreliable.");
  assert.equal(automaticLevelLine({ level: "unreliable", automatic_level: "unreliable", moderated: true }, labels), null);
  assert.equal(automaticLevelLine({ level: "mixed", automatic_level: "unreliable" }, labels), null);
});

test("what the numbers mean, said once", () => {
  assert.match(SCALE_NOTE, /Score 0–100: higher is more reliable/);
  assert.match(SCALE_NOTE, /warning strength: higher is worse/);
});

test("a second report the same day is not thanked as if it counted", () => {
  assert.match(reportOutcome({ duplicate: false }), /^Thank you/);
  const again = reportOutcome({ duplicate: true });
  assert.doesNotMatch(again, /Thank you/);
  assert.match(again, /already reported this page today.*still counts.*comment was not added/);
});

test("which page the server analysed", () => {
  assert.equal(sourceLine("supplied", "sent"), "Analysed from the page as you see it.");
  assert.equal(sourceLine("fetched", "not-asked"), "The server fetched the page itself.");
  assert.equal(sourceLine("fetched", "unreadable"),
    "Sending the page as you see it failed (the extension could not read it), so the server fetched the page itself.");
  assert.equal(sourceLine(undefined, undefined), null);
});

test("a fetched copy with no article suggests sending the page as the reader sees it", () => {
  const unrated = (reason, source = "fetched") => ({ source, badge: { level: "unrated", reasons: [reason] } });
  const hint = sendPageHint(unrated("no article text was found on the page"), { canSendPage: true });
  assert.match(hint, /^Its copy had no article to judge \(a page built by scripts .*\): tick “Send the page as I see it” and re-check\.$/);
  assert.ok(sendPageHint(unrated("too little article text to judge (12 words; at least 80 needed)"), { canSendPage: true }));
  // Not when it would not help or cannot be done.
  assert.equal(sendPageHint(unrated("no article text was found on the page")), null);
  assert.equal(sendPageHint(unrated("too little article text to judge (12 words)", "supplied"), { canSendPage: true }), null);
  assert.equal(sendPageHint(unrated("not rated: the article is not in English (detected: German)"), { canSendPage: true }), null);
  assert.equal(sendPageHint({ source: "fetched", badge: { level: "mixed", reasons: ["…"] } }, { canSendPage: true }), null);
  assert.equal(sendPageHint(undefined, { canSendPage: true }), null);
});
