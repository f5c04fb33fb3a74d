// Words the popup shows for a report: pure, so the wording is tested without a browser.

// The server's own names (they start its reasons, "Inserted promotions: …"), so the popup's
// headings and the reasons above them name each signal the same way.
const SIGNAL_NAMES = Object.freeze({
  clickbait: "Clickbait headline",
  unattributed_claims: "Unattributed claims",
  promotions: "Inserted promotions",
  duplication: "Padded or repeated text",
});

/** Said once in the popup: the two kinds of number run in opposite directions. */
export const SCALE_NOTE = "Score 0–100: higher is more reliable. Signal percentages are warning strength: higher is worse.";

/** A readable name for a signal key, including signals added to the server later. */
export function signalName(key) {
  if (Object.hasOwn(SIGNAL_NAMES, key)) return SIGNAL_NAMES[key];
  const words = String(key).replace(/[_-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : "Signal";
}

/** A signal score in [0, 1] (higher = worse) as a percentage the reader can compare. */
export function signalPercent(score) {
  return typeof score === "number" && Number.isFinite(score)
    ? `${Math.round(Math.min(1, Math.max(0, score)) * 100)}%`
    : "–";
}

/** Long quotes are shortened around the middle; the page highlight shows them whole. */
export function shortenQuote(text, maxChars = 220) {
  const clean = String(text ?? "").replace(/\s+/g, " ").trim();
  if (clean.length <= maxChars) return clean;
  const half = Math.floor((maxChars - 1) / 2);
  return `${clean.slice(0, half).trimEnd()}…${clean.slice(-half).trimStart()}`;
}

/** Signals ordered worst first, so the popup leads with what drove the label. */
export function orderedSignals(report) {
  const signals = report && typeof report.signals === "object" && report.signals ? report.signals : {};
  return Object.entries(signals)
    .filter(([, signal]) => signal && typeof signal === "object")
    .sort(([, a], [, b]) => (Number(b.score) || 0) - (Number(a.score) || 0));
}

/** "Reviewed by a moderator on 3 May 2026" style line, or null when nobody reviewed it. */
export function moderationLine(moderation, locale = undefined) {
  if (!moderation || moderation.state !== "decided") return null;
  const when = moderation.reviewed_at ? new Date(moderation.reviewed_at) : null;
  const date = when && !Number.isNaN(when.getTime())
    ? ` on ${when.toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })}`
    : "";
  return `Reviewed by a moderator${date}`;
}

/** When a moderator changed the level: what the automatic analysis had said, else null. */
export function automaticLevelLine(badge, levelLabels) {
  const automatic = badge?.automatic_level;
  if (!badge?.moderated || typeof automatic !== "string" || automatic === badge.level) return null;
  const label = levelLabels[automatic]?.label ?? automatic;
  return `The automatic analysis said: ${label}.`;
}

/** The popup's summary of how many quotes were found in the page. */
export function highlightSummary({ found = 0, missing = 0 } = {}) {
  const total = found + missing;
  if (total === 0) return "This report has no quotes to show in the page.";
  if (missing === 0) return `${found} ${found === 1 ? "quote" : "quotes"} highlighted in the page.`;
  return `${found} of ${total} quotes highlighted; ${missing} could not be found in the page as shown.`;
}

/** What the popup says after a reader report; the server drops a second one the same day. */
export function reportOutcome({ duplicate = false } = {}) {
  return duplicate
    ? "You already reported this page today, and that report still counts. This new comment was not added."
    : "Thank you. A moderator will look at this label.";
}

/**
 * Which page the server analysed: `source` is the answer's ("supplied": the HTML the extension
 * sent, "fetched": the server's own download); `pageContent` is the tab state's "unreadable" when
 * the reader asked to send the page but it could not be read. null when there is nothing to say.
 */
export function sourceLine(source, pageContent) {
  if (source === "supplied") return "Analysed from the page as you see it.";
  const failed = pageContent === "unreadable"
    ? "Sending the page as you see it failed (the extension could not read it), so "
    : "";
  if (source === "fetched") return failed ? `${failed}the server fetched the page itself.` : "The server fetched the page itself.";
  return failed ? `${failed}only its address was sent.` : null;
}

// The server's reasons for "unrated" when its copy of the page had no article to judge
// (heuristics/analyze.py, heuristics/extract.py). Pages built by scripts show their article only
// in the browser, so the page as the reader sees it may have one.
const NO_ARTICLE_IN_COPY = /no article text|too little article text|could not be read as an article/;

/**
 * A suggestion after the source line, or null: the server fetched the page itself, found too
 * little to judge, and the reader could send the page as they see it instead.
 */
export function sendPageHint(answer, { canSendPage = false } = {}) {
  const [reason = ""] = answer?.badge?.reasons ?? [];
  if (!canSendPage || answer?.source !== "fetched" || answer?.badge?.level !== "unrated") return null;
  if (!NO_ARTICLE_IN_COPY.test(reason)) return null;
  return "Its copy had no article to judge (a page built by scripts may show its article only in your "
    + "browser): tick “Send the page as I see it” and re-check.";
}
