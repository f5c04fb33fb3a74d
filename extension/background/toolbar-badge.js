// Shows a tab's label on the toolbar button: colour, short text, tooltip (lib/badge-style.js).

import { badgeForAnswer, badgeForError, badgeForState } from "../lib/badge-style.js";

export function createToolbarBadge(ext) {
  async function show(tabId, { text, color, title }) {
    try {
      await Promise.all([
        ext.action.setBadgeText({ tabId, text }),
        ext.action.setBadgeBackgroundColor({ tabId, color }),
        // Older browsers lack setBadgeTextColor; white on the level colour is their default.
        ext.action.setBadgeTextColor?.({ tabId, color: "#ffffff" }),
        ext.action.setTitle({ tabId, title }),
      ]);
    } catch {
      // The tab was closed while the check ran: nothing to show it on.
    }
  }

  return {
    showAnswer: (tabId, answer) => show(tabId, badgeForAnswer(answer)),
    showState: (tabId, state, detail) => show(tabId, badgeForState(state, detail)),
    /** A failed check, `error` as ApiError.toJSON(). */
    showError: (tabId, error) => show(tabId, badgeForError(error)),
  };
}
