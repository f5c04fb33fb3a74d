// Decides when a tab's page is checked, asks the server, and records the answer for the toolbar
// and the popup. Navigation checks are debounced per tab and answered from the cache when they
// can; the page itself is never waited on or blocked (everything here runs in the background).

import { ApiError, createApiClient } from "../lib/api-client.js";
import { problemCategory } from "../lib/problems.js";
import { KeyedDebouncer } from "../lib/timing.js";
import { cacheKeyFor, checkDecision, mayIncludePageContent } from "../lib/url-rules.js";

const NAVIGATION_DEBOUNCE_MS = 400;

export function createTabChecker({
  settings, cache, tabState, toolbar, pageContent, highlighter = null,
  createClient = createApiClient, debounceMs = NAVIGATION_DEBOUNCE_MS,
}) {
  // Navigation counter per tab: an answer for a page the tab has already left is dropped.
  const navigations = new Map();
  // After a 429 the server said when to come back; automatic checks wait until then.
  let pausedUntil = 0;
  // One request per page at a time: a load event arriving while its lookup runs joins it.
  const inFlight = new Map();
  // The reader's "Re-check" per tab and page: more clicks while it runs join it, not repeat it.
  const forcedChecks = new Map();

  const debouncer = new KeyedDebouncer((tabId, url) => {
    check(tabId, url, { trigger: "navigation" }).catch(() => {});
  }, debounceMs);

  function clientFor(currentSettings) {
    return createClient({ serverUrl: currentSettings.serverUrl });
  }

  function isCurrent(tabId, navigation) {
    return (navigations.get(tabId) ?? 0) === navigation;
  }

  // Marks in the page belong to the answer they were made from: when that answer is replaced or
  // dropped, they go too, or the page and the popup's "Show in page" switch disagree.
  async function clearMarks(tabId, previous) {
    if (previous?.highlight && highlighter) await highlighter.clear(tabId).catch(() => {});
  }

  async function replaceState(tabId, next) {
    const previous = await tabState.get(tabId);
    if (!next.highlight) await clearMarks(tabId, previous);
    return tabState.set(tabId, next);
  }

  async function forget(tabId) {
    await clearMarks(tabId, await tabState.get(tabId));
    await tabState.remove(tabId);
  }

  async function showAnswer(tabId, url, answer, full, extra = {}) {
    await replaceState(tabId, { url, status: "done", answer, full, error: null, checkedAt: Date.now(), ...extra });
    await toolbar.showAnswer(tabId, answer);
  }

  /**
   * Checks the page a tab shows.
   * trigger "navigation": automatic mode only, badge lookup first, then a full analysis if the
   *   server has none. trigger "click": the reader asked (popup); `full` wants the whole report,
   *   `force` skips the extension's cache, `sendContent` is the reader's per-click consent.
   */
  function check(tabId, url, options) {
    if (!options.force) return run(tabId, url, options);
    const key = `${tabId} ${url}`;
    if (!forcedChecks.has(key)) {
      forcedChecks.set(key, run(tabId, url, options).finally(() => forcedChecks.delete(key)));
    }
    return forcedChecks.get(key);
  }

  async function run(tabId, url, { trigger, full = false, force = false, sendContent = false }) {
    const currentSettings = await settings.get();
    const decision = checkDecision(url, currentSettings, trigger);
    const showNotChecked = async () => {
      await replaceState(tabId, { url, status: decision.reason, answer: null, full: false, error: null });
      await toolbar.showState(tabId, decision.reason);
      return tabState.get(tabId);
    };
    const waitsForClick = decision.reason === "on-click" || decision.reason === "private-link";
    if (!decision.allowed && !waitsForClick) return showNotChecked();
    const navigation = navigations.get(tabId) ?? 0;
    const key = cacheKeyFor(url);
    // An answer already here costs no request, so on-click mode shows it too (the reader asked
    // for it earlier, e.g. before the page finished loading).
    if (!force) {
      const cached = await cache.get(key);
      if (cached && (cached.full || !full)) {
        // The same answer again (e.g. a late load event): marks made from it stay valid.
        const previous = await tabState.get(tabId);
        const same = previous?.url === url && previous.answer && previous.full === cached.full && previous.highlight;
        await showAnswer(tabId, url, cached.answer, cached.full, same ? { highlight: previous.highlight } : {});
        return tabState.get(tabId);
      }
    }
    if (!decision.allowed) return showNotChecked();
    if (trigger === "navigation" && Date.now() < pausedUntil) {
      const error = { message: "Paused after too many checks.", status: 429, kind: "http", retryAfter: Math.ceil((pausedUntil - Date.now()) / 1000), problem: null };
      await replaceState(tabId, { url, status: "error", answer: null, full: false, error });
      await toolbar.showError(tabId, error);
      return tabState.get(tabId);
    }

    const previous = await tabState.get(tabId);
    // A new answer is coming: the marks of the old one go now (the popup's switch goes off).
    await replaceState(tabId, { ...(previous?.url === url ? previous : {}), url, status: "checking", error: null, highlight: null });
    if (!(previous?.url === url && previous?.answer)) await toolbar.showState(tabId, "checking");

    const client = clientFor(currentSettings);
    try {
      const includeContent = mayIncludePageContent(url, currentSettings, { readerAskedNow: sendContent });
      const lookupFirst = !full && !force && !includeContent;
      const flightKey = `${key} ${lookupFirst ? "lookup" : "analysis"}`;
      let request = includeContent || force ? null : inFlight.get(flightKey);
      if (!request) {
        request = (async () => {
          // The server gets the page's address without its fragment or tracking parameters
          // (a "#…" can hold secrets, e.g. sign-in tokens or the keys of encrypted share links).
          const badgeOnly = lookupFirst ? await client.lookupBadge(key) : null;
          if (badgeOnly !== null) return { answer: badgeOnly, gotFull: false };
          // Unreadable pages (permission revoked, the browser's own pages) fall back to the URL,
          // and the popup says so: the reader asked for the page as they see it.
          const html = includeContent ? await pageContent.read(tabId, url).catch(() => undefined) : undefined;
          const sent = !includeContent ? "not-asked" : typeof html === "string" && html ? "sent" : "unreadable";
          return { answer: await client.analyse(key, { html, refresh: force }), gotFull: true, sent };
        })();
        inFlight.set(flightKey, request);
        request.finally(() => inFlight.delete(flightKey)).catch(() => {});
      }
      const { answer, gotFull, sent = "not-asked" } = await request;
      await cache.set(key, { answer, full: gotFull });
      if (isCurrent(tabId, navigation)) await showAnswer(tabId, url, answer, gotFull, { pageContent: sent });
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(String(error?.message ?? error), { kind: "invalid" });
      if (apiError.status === 429) pausedUntil = Date.now() + 1000 * (apiError.retryAfter ?? 60);
      if (isCurrent(tabId, navigation)) {
        const kept = previous?.url === url ? previous : {};
        const error = apiError.toJSON();
        // A page that is not an article is unrated, not a failure.
        const status = kept.answer ? "done" : problemCategory(error) === "not-article" ? "not-article" : "error";
        await replaceState(tabId, { ...kept, url, status, error, highlight: null });
        if (kept.answer) await toolbar.showAnswer(tabId, kept.answer);
        else await toolbar.showError(tabId, error);
      }
    }
    return tabState.get(tabId);
  }

  return {
    check,

    /** tabs.onUpdated: a new URL or a finished load schedules one (debounced) check. */
    onTabUpdated(tabId, changeInfo, tab) {
      const url = changeInfo.url ?? tab?.url;
      if (!url) return;
      if (changeInfo.url !== undefined) {
        // Also a #hash change or pushState: the page may now show another article.
        navigations.set(tabId, (navigations.get(tabId) ?? 0) + 1);
        forget(tabId).catch(() => {});
      }
      if (changeInfo.url !== undefined || changeInfo.status === "complete") {
        debouncer.schedule(tabId, url);
      }
    },

    onTabRemoved(tabId) {
      debouncer.cancel(tabId);
      navigations.delete(tabId);
      tabState.remove(tabId).catch(() => {});
    },

    /** After a settings change the cache may hold answers from another server. */
    onSettingsChanged(next, previous) {
      if (previous && previous.serverUrl !== next.serverUrl) cache.clear().catch(() => {});
      pausedUntil = 0;
    },
  };
}
