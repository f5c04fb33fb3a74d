// What the popup can ask the background to do. Each handler validates its input: the router
// has checked who is asking, not what they sent.

import { createApiClient } from "../lib/api-client.js";
import { cacheKeyFor, checkDecision, mayIncludePageContent } from "../lib/url-rules.js";

const MAX_COMMENT_CHARS = 2000; // the server bounds reports too; fail early with a clear message

function tabIdOf(message) {
  if (!Number.isInteger(message.tabId) || message.tabId < 0) throw new Error("No tab given.");
  return message.tabId;
}

export function createRequestHandlers({ ext, settings, tabState, tabChecker, highlighter, createClient = createApiClient }) {
  async function tabUrl(tabId) {
    const tab = await ext.tabs.get(tabId);
    return tab.url ?? "";
  }

  return {
    /** Everything the popup shows for a tab, without contacting the server. */
    async "tab-state"(message) {
      const tabId = tabIdOf(message);
      const url = await tabUrl(tabId);
      const current = await settings.get();
      let state = await tabState.get(tabId);
      if (state && state.url !== url) state = null;
      return {
        url,
        state,
        decision: checkDecision(url, current, "click"),
        // what an automatic check (no click) may do: the popup only checks by itself when allowed
        automatic: checkDecision(url, current, "navigation"),
        checkMode: current.checkMode,
        sendPageContentByDefault: mayIncludePageContent(url, current),
        mayOfferPageContent: mayIncludePageContent(url, current, { readerAskedNow: true }),
      };
    },

    /** The reader asked: check (or re-check) this tab's page. */
    async "check-tab"(message) {
      const tabId = tabIdOf(message);
      const state = await tabChecker.check(tabId, await tabUrl(tabId), {
        trigger: "click",
        full: message.full === true,
        force: message.force === true,
        sendContent: message.sendContent === true,
      });
      return { state };
    },

    async "show-evidence"(message) {
      const tabId = tabIdOf(message);
      if (message.on !== true) {
        await highlighter.clear(tabId);
        await tabState.update(tabId, { highlight: null });
        return { highlight: null };
      }
      const state = await tabState.get(tabId);
      if (!state?.answer || !state.full || state.url !== (await tabUrl(tabId))) {
        throw new Error("Check this page first.");
      }
      const highlight = await highlighter.show(tabId, state.answer);
      await tabState.update(tabId, { highlight });
      return { highlight };
    },

    async "report-label"(message) {
      const tabId = tabIdOf(message);
      const url = await tabUrl(tabId);
      const current = await settings.get();
      if (!checkDecision(url, current, "click").allowed) throw new Error("This page cannot be reported.");
      const signal = typeof message.signal === "string" && /^[a-z_]{1,64}$/.test(message.signal) ? message.signal : undefined;
      const comment = typeof message.comment === "string" ? message.comment.trim() : "";
      if (comment.length > MAX_COMMENT_CHARS) throw new Error(`Please keep the comment under ${MAX_COMMENT_CHARS} characters.`);
      const answer = await createClient({ serverUrl: current.serverUrl }).reportLabel({ url: cacheKeyFor(url), signal, comment: comment || undefined });
      // A second report the same day is dropped by the server: the popup must not thank for it.
      return { reported: true, duplicate: answer?.duplicate === true };
    },
  };
}
