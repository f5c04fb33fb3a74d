import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createQuoteFinder, evidenceQuotes, findQuote, locateQuotes, normalise, scrollTargetId, splitOverlaps } from "../lib/text-quote.js";

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
  assert.equal(quotes[0].paragraph, null);
  assert.equal(quotes[1].prefix, "");
  assert.deepEqual(evidenceQuotes(null), []);
});

test("evidenceQuotes keeps the paragraph index", () => {
  const [quote] = evidenceQuotes({ signals: { duplication: { evidence: [{ exact: "Conclusion", paragraph: 44 }] } } });
  assert.equal(quote.paragraph, 44);
});

describe("locateQuotes: repeats the context does not decide", () => {
  // The seed article's shape: site chrome before the article, "Conclusion" twice; the report's
  // paragraph index counts the article's blocks only (headings included).
  const SEED = [
    "World Trend Daily", "World", "Politics", "Sponsored: Earn $5,000 a week",
    "North Korea's Shocking Deal", // headline
    "Posted by admin",
    "North Korea's Potential Collaboration", // 0
    "In recent news, reports have emerged.", // 1
    "Conclusion", // 2
    "The potential for North Korea to send workers.", // 3
    "On the other hand, some analysts suggest desperation.", // 4
    "Conclusion", // 5
    "In summary, a significant development.", // 6
    "Share this: Facebook",
  ].join("\n");
  const quote = (id, exact, paragraph) => ({ id, exact, prefix: "", suffix: "", paragraph });

  test("the second 'Conclusion' (paragraph 5) is placed after the anchor in paragraph 4", () => {
    const { found, missing } = locateQuotes(SEED, [
      quote("claims:0", "In recent news, reports have emerged.", 1),
      quote("claims:1", "On the other hand, some analysts suggest desperation.", 4),
      quote("duplication:0", "Conclusion", 5),
    ]);
    assert.deepEqual(missing, []);
    const conclusion = found.find((f) => f.id === "duplication:0");
    assert.equal(conclusion.start, SEED.lastIndexOf("Conclusion"));
  });

  test("the first one, placed between its anchors", () => {
    const { found } = locateQuotes(SEED, [
      quote("claims:0", "In recent news, reports have emerged.", 1),
      quote("duplication:0", "Conclusion", 2),
      quote("claims:1", "On the other hand, some analysts suggest desperation.", 4),
    ]);
    assert.equal(found.find((f) => f.id === "duplication:0").start, SEED.indexOf("Conclusion"));
  });

  test("without anchors, the k-th paragraph quoting it is the k-th occurrence when the counts agree", () => {
    const { found } = locateQuotes(SEED, [quote("a:0", "Conclusion", 5), quote("b:0", "Conclusion", 2)]);
    assert.equal(found.find((f) => f.id === "a:0").start, SEED.lastIndexOf("Conclusion"));
    assert.equal(found.find((f) => f.id === "b:0").start, SEED.indexOf("Conclusion"));
  });

  test("still ambiguous: marked nowhere rather than in the wrong place", () => {
    assert.deepEqual(locateQuotes(SEED, [quote("a:0", "Conclusion", 5)]), { found: [], missing: ["a:0"] });
    assert.deepEqual(locateQuotes(SEED, [quote("a:0", "Conclusion", null)]).missing, ["a:0"]);
  });

  test("prefix and suffix still decide first", () => {
    const { found } = locateQuotes(PAGE, [{ id: "x:0", exact: "According to media reports", prefix: "The world has been watching. ", suffix: ", this", paragraph: 0 }]);
    assert.equal(PAGE.slice(found[0].end, found[0].end + 6), ", this");
  });
});

test("scroll target: the first quote in the page of the strongest signal found", () => {
  const report = { signals: { clickbait: { score: 0.5 }, promotions: { score: 0.9 }, duplication: { score: 0.95 } } };
  const found = [
    { id: "clickbait:0", start: 5, end: 9 },
    { id: "promotions:1", start: 300, end: 320 },
    { id: "promotions:0", start: 200, end: 220 },
  ];
  assert.equal(scrollTargetId(report, found), "promotions:0"); // duplication's quotes were not found
  assert.equal(scrollTargetId(report, []), null);
});
