// Finding the server's evidence quotes in the text of the page the reader sees.
//
// The server quotes the article as its extractor read it: whitespace collapsed, entities decoded,
// paragraphs joined. The page's DOM text differs in small ways (line breaks inside paragraphs,
// curly vs straight quotes, non-breaking spaces, soft hyphens, text split across elements). So
// both texts are normalised the same way, with a map back to positions in the page text, and a
// quote is searched for in three steps, strictest first:
//   1. "exact": the normalised quote, ties between repeats broken by the prefix/suffix context
//      (the seed article says "According to media reports" twice);
//   2. "loose": the same ignoring case and all whitespace;
//   3. "ends": for long quotes, the first and last words found close together (the middle may
//      differ, e.g. an inline element the extractor dropped).
// A quote found by none is reported as missing rather than highlighted in the wrong place.

const DROPPED = /[\u00ad\u200b-\u200d\u2060\ufeff]/; // soft hyphen, zero-width characters
const WHITESPACE = /\s/; // includes no-break space and the other Unicode spaces
const EQUIVALENTS = new Map([
  ["\u2018", "'"], ["\u2019", "'"], ["\u201a", "'"], ["\u201b", "'"], ["\u2032", "'"], ["`", "'"],
  ["\u201c", '"'], ["\u201d", '"'], ["\u201e", '"'], ["\u201f", '"'], ["\u2033", '"'],
  ["\u00ab", '"'], ["\u00bb", '"'],
  ["\u2010", "-"], ["\u2011", "-"], ["\u2012", "-"], ["\u2013", "-"], ["\u2014", "-"], ["\u2015", "-"],
  ["\u2212", "-"],
  ["\u2026", "..."],
]);

const MAX_OCCURRENCES = 500; // a quote repeated more often than this is not worth ranking
const ENDS_LENGTH = 24; // characters taken from each end of a long quote in step 3
const MIN_ENDS_QUOTE = 3 * ENDS_LENGTH;

/**
 * Normalise `text` for matching. Returns { text, map } where map[i] is the index in the original
 * text of normalised character i. `loose` also folds case and drops whitespace entirely.
 */
export function normalise(text, { loose = false } = {}) {
  const out = [];
  const map = [];
  let pendingSpace = -1; // index of the first whitespace character of the current run
  for (let i = 0; i < text.length; i += 1) {
    let ch = text[i];
    if (DROPPED.test(ch)) continue;
    if (WHITESPACE.test(ch)) {
      if (pendingSpace < 0) pendingSpace = i;
      continue;
    }
    if (pendingSpace >= 0) {
      if (!loose && out.length > 0) {
        out.push(" ");
        map.push(pendingSpace);
      }
      pendingSpace = -1;
    }
    const replacement = EQUIVALENTS.get(ch);
    if (replacement !== undefined) ch = replacement;
    if (loose) {
      const lower = ch.toLowerCase();
      // Only length-preserving folds keep the map simple; the rare others stay as they are.
      if (lower.length === ch.length) ch = lower;
    }
    for (const piece of ch) {
      out.push(piece);
      map.push(i);
    }
  }
  return { text: out.join(""), map };
}

function commonSuffixLength(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

function commonPrefixLength(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

function occurrences(haystack, needle) {
  const found = [];
  let from = 0;
  while (found.length < MAX_OCCURRENCES) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) break;
    found.push(at);
    from = at + 1;
  }
  return found;
}

/**
 * The occurrence whose surroundings agree best with the quote's prefix and suffix. `decided` is
 * false when the context does not single one out (a tie, or no context at all): the first is
 * then only a guess.
 */
function bestOccurrence(haystack, starts, length, prefix, suffix) {
  let best = starts[0];
  let bestScore = -1;
  let ties = 0;
  for (const start of starts) {
    // One extra character each side: normalised context has no space where it touches the quote.
    const before = haystack.slice(Math.max(0, start - prefix.length - 1), start).trimEnd();
    const after = haystack.slice(start + length, start + length + suffix.length + 1).trimStart();
    const score = commonSuffixLength(before, prefix) + commonPrefixLength(after, suffix);
    if (score > bestScore) {
      best = start;
      bestScore = score;
      ties = 0;
    } else if (score === bestScore) {
      ties += 1;
    }
  }
  return { start: best, decided: bestScore > 0 && ties === 0 };
}

/** Map a normalised range back to [start, end) in the original text. */
function toOriginal(normalised, start, end) {
  return { start: normalised.map[start], end: normalised.map[end - 1] + 1 };
}

function findIn(page, quote, method) {
  const exact = quote.exact.text;
  if (exact.length === 0) return null;
  const starts = occurrences(page.text, exact);
  if (starts.length === 0) return null;
  const { start, decided } = starts.length === 1
    ? { start: starts[0], decided: true }
    : bestOccurrence(page.text, starts, exact.length, quote.prefix.text, quote.suffix.text);
  return {
    ...toOriginal(page, start, start + exact.length),
    method,
    ambiguous: starts.length > 1,
    decided,
    candidates: starts.map((at) => toOriginal(page, at, at + exact.length)),
  };
}

function findByEnds(page, quote) {
  const exact = quote.exact.text;
  if (exact.length < MIN_ENDS_QUOTE) return null;
  const head = exact.slice(0, ENDS_LENGTH);
  const tail = exact.slice(-ENDS_LENGTH);
  const maxSpan = Math.ceil(exact.length * 1.5);
  const heads = occurrences(page.text, head);
  const candidates = [];
  for (const headStart of heads) {
    const tailStart = page.text.indexOf(tail, headStart + head.length);
    if (tailStart < 0) continue;
    const end = tailStart + tail.length;
    if (end - headStart <= maxSpan) candidates.push(headStart);
  }
  if (candidates.length === 0) return null;
  const { start, decided } = candidates.length === 1
    ? { start: candidates[0], decided: true }
    : bestOccurrence(page.text, candidates, 0, quote.prefix.text, "");
  const endOf = (at) => page.text.indexOf(tail, at + head.length) + tail.length;
  return {
    ...toOriginal(page, start, endOf(start)),
    method: "ends",
    ambiguous: candidates.length > 1,
    decided,
    candidates: candidates.map((at) => toOriginal(page, at, endOf(at))),
  };
}

function prepareQuote(quote, options) {
  const text = (value) => normalise(typeof value === "string" ? value : "", options).text;
  // Context next to the quote is what disambiguates: keep the ends that touch it.
  return {
    exact: { text: text(quote.exact).trim() },
    prefix: { text: text(quote.prefix) },
    suffix: { text: text(quote.suffix) },
  };
}

/**
 * Prepares a page text once for many quotes. `find(quote)` returns
 * { start, end, method, ambiguous, decided, candidates } in page-text positions, or null when the
 * quote is not there. `decided` is false when the quote occurs more than once and its context
 * does not say which (start/end are then the first); `candidates` lists every occurrence.
 */
export function createQuoteFinder(pageText) {
  const strict = normalise(pageText);
  let loose = null; // built only when a quote needs it
  return {
    find(quote) {
      if (!quote || typeof quote.exact !== "string") return null;
      const strictQuote = prepareQuote(quote, {});
      const found = findIn(strict, strictQuote, "exact");
      if (found) return found;
      loose ??= normalise(pageText, { loose: true });
      const looseQuote = prepareQuote(quote, { loose: true });
      return findIn(loose, looseQuote, "loose") ?? findByEnds(loose, looseQuote);
    },
  };
}

/**
 * Where each of a report's quotes is in the page: { found: [{ id, start, end }], missing: [id] }.
 * A repeated quote whose prefix/suffix do not decide is placed by its paragraph (the report's
 * paragraph index counts the extracted blocks in order, headings included; the page has more
 * blocks, so the index cannot be counted in the page directly):
 *   1. between the quotes of the report that were placed for sure ("anchors") in the paragraphs
 *      before and after it, when one occurrence lies there (the seed article's second
 *      "Conclusion" heading, paragraph 44, comes after the anchor in paragraph 40);
 *   2. else, when the report quotes the same text in as many paragraphs as the page has
 *      occurrences, the k-th of those paragraphs is the k-th occurrence.
 * Still ambiguous: reported missing, never marked in the wrong place.
 */
export function locateQuotes(pageText, quotes) {
  const finder = createQuoteFinder(pageText);
  const results = quotes.map((quote) => ({ quote, hit: finder.find(quote) }));
  const anchors = results
    .filter(({ quote, hit }) => hit?.decided && Number.isInteger(quote.paragraph))
    .map(({ quote, hit }) => ({ paragraph: quote.paragraph, start: hit.start, end: hit.end }));
  const found = [];
  const missing = [];
  for (const { quote, hit } of results) {
    const place = !hit ? null : hit.decided ? hit : byParagraph(quote, hit, anchors, results);
    if (place) found.push({ id: quote.id, start: place.start, end: place.end });
    else missing.push(quote.id);
  }
  return { found, missing };
}

function byParagraph(quote, hit, anchors, results) {
  const { paragraph } = quote;
  if (!Number.isInteger(paragraph)) return null;
  let from = -1;
  let to = Infinity;
  for (const anchor of anchors) {
    if (anchor.paragraph < paragraph) from = Math.max(from, anchor.end);
    else if (anchor.paragraph > paragraph) to = Math.min(to, anchor.start);
  }
  const between = hit.candidates.filter((c) => c.start >= from && c.end <= to);
  if (between.length === 1) return between[0];
  const text = normalise(quote.exact).text.trim();
  const paragraphs = [...new Set(results
    .filter(({ quote: other }) => Number.isInteger(other.paragraph) && normalise(other.exact).text.trim() === text)
    .map(({ quote: other }) => other.paragraph))].sort((a, b) => a - b);
  if (paragraphs.length === hit.candidates.length) return hit.candidates[paragraphs.indexOf(paragraph)];
  return null;
}

/**
 * The quote to scroll to when the highlights appear: the first in the page of the strongest
 * signal (highest score) that has one found; null when none was found.
 */
export function scrollTargetId(report, found) {
  const signals = report && typeof report.signals === "object" && report.signals ? report.signals : {};
  const order = Object.entries(signals)
    .filter(([, details]) => details && typeof details === "object")
    .sort(([, a], [, b]) => (Number(b.score) || 0) - (Number(a.score) || 0))
    .map(([key]) => key);
  for (const signal of order) {
    const first = found
      .filter((range) => range.id.slice(0, range.id.lastIndexOf(":")) === signal)
      .sort((a, b) => a.start - b.start)[0];
    if (first) return first.id;
  }
  return null;
}

/** Convenience for one quote. */
export function findQuote(pageText, quote) {
  return createQuoteFinder(pageText).find(quote);
}

/**
 * Turns possibly overlapping ranges [{ start, end, id }] into ordered, non-overlapping segments
 * [{ start, end, ids }], so a sentence quoted by two signals is wrapped once and explains both.
 */
export function splitOverlaps(ranges) {
  const points = new Set();
  for (const range of ranges) {
    if (range.end > range.start) {
      points.add(range.start);
      points.add(range.end);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const segments = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const start = sorted[i];
    const end = sorted[i + 1];
    const ids = ranges.filter((r) => r.start <= start && r.end >= end && r.end > r.start).map((r) => r.id);
    if (ids.length === 0) continue;
    const last = segments[segments.length - 1];
    if (last && last.end === start && sameIds(last.ids, ids)) last.end = end;
    else segments.push({ start, end, ids });
  }
  return segments;
}

function sameIds(a, b) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Evidence items from a report, flattened with stable ids, in signal order. */
export function evidenceQuotes(report) {
  const quotes = [];
  const signals = report && typeof report.signals === "object" && report.signals ? report.signals : {};
  for (const [signal, details] of Object.entries(signals)) {
    const evidence = Array.isArray(details?.evidence) ? details.evidence : [];
    evidence.forEach((item, index) => {
      if (item && typeof item.exact === "string" && item.exact.trim() !== "") {
        quotes.push({
          id: `${signal}:${index}`,
          signal,
          exact: item.exact,
          prefix: typeof item.prefix === "string" ? item.prefix : "",
          suffix: typeof item.suffix === "string" ? item.suffix : "",
          kind: typeof item.kind === "string" ? item.kind : "",
          explanation: typeof item.explanation === "string" ? item.explanation : "",
          location: item.location === "headline" ? "headline" : "body",
          // the block of the extracted article the quote is in (see locateQuotes)
          paragraph: Number.isInteger(item.paragraph) && item.paragraph >= 0 ? item.paragraph : null,
        });
      }
    });
  }
  return quotes;
}
