// Decides when a tab's page is checked, asks the server, and records the answer for the toolbar
// and the popup. Navigation checks are debounced per tab and answered from the cache when they
// can; the page itself is never waited on or blocked (everything here runs in the background).

import { ApiError, createApiClient } from "../lib/api-client.js";
import { KeyedDebouncer } from "../lib/timing.js";
import { cacheKeyFor, checkDecision, mayIncludePageContent } from "../lib/url-rules.js";

const NAVIGATION_DEBOUNCE_MS = 400;

export function createTabChecker({
  settings, cache, tabState, toolbar, pageContent, createClient = createApiClient, debounceMs = NAVIGATION_DEBOUNCE_MS,
}) {
  // Navigation counter per tab: an answer for a page the tab has already left is dropped.
  const navigations = new Map();
  // After a 429 the server said when to come back; automatic checks wait until then.
  let pausedUntil = 0;
  // One request per page at a time: a load event arriving while its lookup runs joins it.
  const inFlight = new Map();

  const debouncer = new KeyedDebouncer((tabId, url) => {
    check(tabId, url, { trigger: "navigation" }).catch(() => {});
  }, debounceMs);

  function clientFor(currentSettings) {
    return createClient({ serverUrl: currentSettings.serverUrl });
  }

  function isCurrent(tabId, navigation) {
    return (navigations.get(tabId) ?? 0) === navigation;
  }

  async function showAnswer(tabId, url, answer, full) {
    await tabState.set(tabId, { url, status: "done", answer, full, error: null, checkedAt: Date.now() });
    await toolbar.showAnswer(tabId, answer);
  }

  /**
   * Checks the page a tab shows.
   * trigger "navigation": automatic mode only, badge lookup first, then a full analysis if the
   *   server has none. trigger "click": the reader asked (popup); `full` wants the whole report,
   *   `force` skips the extension's cache, `sendContent` is the reader's per-click consent.
   */
  async function check(tabId, url, { trigger, full = false, force = false, sendContent = false }) {
    const currentSettings = await settings.get();
    const decision = checkDecision(url, currentSettings, trigger);
    const showNotChecked = async () => {
      await tabState.set(tabId, { url, status: decision.reason, answer: null, full: false, error: null });
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
        await showAnswer(tabId, url, cached.answer, cached.full);
        return tabState.get(tabId);
      }
    }
    if (!decision.allowed) return showNotChecked();
    if (trigger === "navigation" && Date.now() < pausedUntil) {
      await tabState.set(tabId, { url, status: "error", answer: null, full: false, error: { message: "Paused after too many checks.", status: 429 } });
      await toolbar.showState(tabId, "error", "paused after too many checks");
      return tabState.get(tabId);
    }

    const previous = await tabState.get(tabId);
    await tabState.set(tabId, { ...(previous?.url === url ? previous : {}), url, status: "checking", error: null });
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
          // Unreadable pages (permission revoked, the browser's own pages) fall back to the URL.
          const html = includeContent ? await pageContent.read(tabId, url).catch(() => undefined) : undefined;
          return { answer: await client.analyse(key, { html, refresh: force }), gotFull: true };
        })();
        inFlight.set(flightKey, request);
        request.finally(() => inFlight.delete(flightKey)).catch(() => {});
      }
      const { answer, gotFull } = await request;
      await cache.set(key, { answer, full: gotFull });
      if (isCurrent(tabId, navigation)) await showAnswer(tabId, url, answer, gotFull);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(String(error?.message ?? error), { kind: "invalid" });
      if (apiError.status === 429) pausedUntil = Date.now() + 1000 * (apiError.retryAfter ?? 60);
      if (isCurrent(tabId, navigation)) {
        const kept = previous?.url === url ? previous : {};
        await tabState.set(tabId, { ...kept, url, status: kept.answer ? "done" : "error", error: apiError.toJSON() });
        if (kept.answer) await toolbar.showAnswer(tabId, kept.answer);
        else await toolbar.showState(tabId, "error", apiError.message);
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
        navigations.set(tabId, (navigations.get(tabId) ?? 0) + 1);
        tabState.remove(tabId).catch(() => {});
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
