import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createQuoteFinder, evidenceQuotes, findQuote, normalise, splitOverlaps } from "../lib/text-quote.js";

// Page text as the content script reads it: text nodes joined, "\n" between blocks, the page's
// own whitespace and typography kept.
const PAGE = [
  "World Trend Daily",
  "North Korea\u2019s Shocking Deal: 25,000 Workers for Russian Drone Aid!",
  "In recent news, reports have emerged indicating that North Korea is considering\n    sending approximately 25,000 workers to Russia.",
  "According to media reports, North Korea is not only looking to provide labor.",
  "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Waverly Hills Hospital's Horror Story: The Most Haunted Room 502",
  "The world has been watching. According to media reports, this partnership could significantly impact the dynamics.",
].join("\n");

const slice = (found) => PAGE.slice(found.start, found.end);

describe("normalise", () => {
  test("collapses whitespace and maps back to the original positions", () => {
    const result = normalise("a \n\t b\u00a0c");
    assert.equal(result.text, "a b c");
    assert.deepEqual(result.map, [0, 1, 5, 6, 7]);
  });
  test("typographic quotes, dashes, ellipsis and invisible characters", () => {
    assert.equal(normalise("\u201cIt\u2019s\u201d \u2014 co\u00adop\u200b\u2026").text, "\"It's\" - coop...");
  });
  test("loose folds case and drops whitespace", () => {
    assert.equal(normalise("Hello  World", { loose: true }).text, "helloworld");
  });
});

describe("findQuote", () => {
  test("exact quote across a line break in the page source", () => {
    const found = findQuote(PAGE, { exact: "reports have emerged indicating that North Korea is considering sending approximately 25,000 workers" });
    assert.equal(found.method, "exact");
    assert.match(slice(found), /^reports have emerged.*25,000 workers$/s);
  });

  test("straight apostrophe in the quote, curly in the page", () => {
    const found = findQuote(PAGE, { exact: "North Korea's Shocking Deal" });
    assert.equal(slice(found), "North Korea\u2019s Shocking Deal");
  });

  test("a repeated phrase is placed by its prefix and suffix", () => {
    const first = findQuote(PAGE, { exact: "According to media reports", prefix: "", suffix: ", North Korea is not only" });
    const second = findQuote(PAGE, { exact: "According to media reports", prefix: "The world has been watching. ", suffix: ", this partnership" });
    assert.ok(first.ambiguous && second.ambiguous);
    assert.ok(first.start < second.start);
    assert.equal(PAGE.slice(second.end, second.end + 6), ", this");
    assert.equal(PAGE.slice(first.end, first.end + 6), ", Nort");
  });

  test("the whole promotion paragraph", () => {
    const found = findQuote(PAGE, {
      exact: "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Waverly Hills Hospital's Horror Story: The Most Haunted Room 502",
    });
    assert.equal(found.method, "exact");
    assert.ok(slice(found).startsWith("YOU MAY ALSO LIKE"));
    assert.ok(slice(found).endsWith("Room 502"));
  });

  test("case and spacing differences fall back to loose matching", () => {
    const found = findQuote(PAGE, { exact: "you may also like to watch this trending story on youtube." });
    assert.equal(found.method, "loose");
    assert.equal(slice(found), "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE.");
  });

  test("a long quote whose middle differs is found by its ends", () => {
    const found = findQuote(PAGE, {
      exact: "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. [video removed by the extractor] Hospital's Horror Story: The Most Haunted Room 502",
    });
    assert.equal(found.method, "ends");
    assert.ok(slice(found).startsWith("YOU MAY ALSO"));
    assert.ok(slice(found).endsWith("Room 502"));
  });

  test("a quote that is not in the page is reported missing, not guessed", () => {
    assert.equal(findQuote(PAGE, { exact: "Scientists in Finland announced a breakthrough on Tuesday." }), null);
    assert.equal(findQuote(PAGE, { exact: "   " }), null);
    assert.equal(findQuote(PAGE, { exact: 42 }), null);
    assert.equal(findQuote(PAGE, null), null);
  });

  test("a quote spanning two blocks matches across the block break", () => {
    const found = findQuote(PAGE, { exact: "World Trend Daily North Korea's Shocking" });
    assert.equal(slice(found), "World Trend Daily\nNorth Korea\u2019s Shocking");
  });

  test("one finder serves many quotes", () => {
    const finder = createQuoteFinder(PAGE);
    assert.ok(finder.find({ exact: "Haunted Room 502" }));
    assert.ok(finder.find({ exact: "haunted room 502" }));
  });

  test("large pages stay fast", () => {
    const big = `${"Lorem ipsum dolor sit amet. ".repeat(40000)}The needle sentence.`;
    const started = Date.now();
    assert.ok(findQuote(big, { exact: "The needle sentence." }));
    assert.equal(findQuote(big, { exact: "Lorem ipsum dolor sit amet.", prefix: "", suffix: "" }).ambiguous, true);
    assert.ok(Date.now() - started < 3000);
  });
});

describe("splitOverlaps", () => {
  test("overlapping quotes become segments naming every quote they belong to", () => {
    assert.deepEqual(splitOverlaps([{ start: 0, end: 10, id: "a" }, { start: 5, end: 15, id: "b" }]), [
      { start: 0, end: 5, ids: ["a"] },
      { start: 5, end: 10, ids: ["a", "b"] },
      { start: 10, end: 15, ids: ["b"] },
    ]);
  });
  test("separate and empty ranges", () => {
    assert.deepEqual(splitOverlaps([{ start: 20, end: 25, id: "b" }, { start: 0, end: 3, id: "a" }, { start: 7, end: 7, id: "c" }]), [
      { start: 0, end: 3, ids: ["a"] },
      { start: 20, end: 25, ids: ["b"] },
    ]);
  });
  test("the same range quoted twice is one segment", () => {
    assert.deepEqual(splitOverlaps([{ start: 1, end: 4, id: "a" }, { start: 1, end: 4, id: "b" }]), [{ start: 1, end: 4, ids: ["a", "b"] }]);
  });
});

test("evidenceQuotes flattens a report's evidence with stable ids and skips junk", () => {
  const quotes = evidenceQuotes({
    signals: {
      clickbait: { evidence: [{ exact: "Shocking", prefix: "Korea's ", suffix: " Deal", kind: "sensational", explanation: "Sensational word", location: "headline" }] },
      promotions: { evidence: [{ exact: "" }, null, { exact: "YOU MAY ALSO LIKE", explanation: "Unrelated promotion" }] },
      broken: "nope",
    },
  });
  assert.deepEqual(quotes.map((q) => q.id), ["clickbait:0", "promotions:2"]);
  assert.equal(quotes[0].location, "headline");
  assert.equal(quotes[1].prefix, "");
  assert.deepEqual(evidenceQuotes(null), []);
});
