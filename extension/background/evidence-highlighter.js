// "Show in page": finds the report's evidence quotes in the page text and asks the content
// script to mark them. The matching is pure (lib/text-quote.js); the content script
// (content/highlighter.js) only reads the page's text and wraps the ranges it is given.

import { evidenceQuotes, locateQuotes, scrollTargetId, splitOverlaps } from "../lib/text-quote.js";
import { signalName } from "../lib/report-view.js";

const CONTENT_SCRIPT = "content/highlighter.js";
// On a site the extension has no host permission for, only a toolbar click (activeTab) lets it
// into the page; the browsers' own errors ("Missing host permission for the tab", "Cannot access
// contents of the page") do not tell the reader that.
export const NO_PAGE_ACCESS =
  "The extension may not read this page yet: click its toolbar button while on the page, then try again.";
const ACCESS_ERROR = /host permission|cannot access|permission to access/i;
// User origin: its !important rules win over the page's, and no page CSP can block it.
const MARK_STYLES = { files: ["content/highlighter.css"], origin: "USER" };

export function createEvidenceHighlighter(ext) {
  async function inMainFrame(tabId, func, args = []) {
    const [injection] = await ext.scripting.executeScript({ target: { tabId }, func, args });
    return injection?.result;
  }

  async function show(tabId, report) {
    try {
      await ext.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });
    } catch (error) {
      throw ACCESS_ERROR.test(String(error?.message ?? error)) ? new Error(NO_PAGE_ACCESS) : error;
    }
    // Removed first so toggling twice does not stack copies of the sheet.
    await ext.scripting.removeCSS({ target: { tabId }, ...MARK_STYLES }).catch(() => {});
    await ext.scripting.insertCSS({ target: { tabId }, ...MARK_STYLES });
    // Two attempts: if the page changed its text between reading and marking, read again.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const page = await inMainFrame(tabId, () => globalThis.reliabilityLabelHighlighter.readText());
      if (!page) throw new Error("The page's text could not be read.");
      const quotes = evidenceQuotes(report);
      const { found: ranges, missing } = locateQuotes(page.text, quotes);
      const notes = Object.fromEntries(quotes.map((quote) => [quote.id, {
        signal: quote.signal,
        label: signalName(quote.signal),
        explanation: quote.explanation,
      }]));
      const plan = {
        textLength: page.text.length,
        textHash: page.textHash,
        segments: splitOverlaps(ranges),
        notes,
        // the reader should see the evidence that weighs most without hunting for it
        scrollTo: scrollTargetId(report, ranges),
      };
      const applied = await inMainFrame(tabId, (p) => globalThis.reliabilityLabelHighlighter.mark(p), [plan]);
      if (applied && !applied.stale) {
        return { found: ranges.length, missing: missing.length, missingIds: missing, marked: applied.marked };
      }
    }
    throw new Error("The page kept changing; try again.");
  }

  async function clear(tabId) {
    await inMainFrame(tabId, () => globalThis.reliabilityLabelHighlighter?.clear() ?? 0);
    await ext.scripting.removeCSS({ target: { tabId }, ...MARK_STYLES }).catch(() => {});
  }

  return { show, clear };
}
