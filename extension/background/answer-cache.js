// Server answers per page (normalised URL) for a while, so revisiting a page or switching tabs
// costs no request. Kept in storage.session: it survives the service worker being stopped,
// never touches the disk, and is gone when the browser closes.

import { ExpiringCache } from "../lib/timing.js";

const STORAGE_KEY = "answerCache";
export const ANSWER_TTL_MS = 30 * 60 * 1000;
const MAX_ENTRIES = 60; // reports carry their evidence; storage.session holds a few MB

export function createAnswerCache(ext) {
  const cache = new ExpiringCache({ ttlMs: ANSWER_TTL_MS, maxEntries: MAX_ENTRIES });
  let loaded = null;
  let saveQueued = false;

  function ready() {
    loaded ??= ext.storage.session.get(STORAGE_KEY).then((stored) => cache.load(stored[STORAGE_KEY]));
    return loaded;
  }

  function save() {
    // Several answers can arrive together; one write is enough.
    if (saveQueued) return;
    saveQueued = true;
    queueMicrotask(() => {
      saveQueued = false;
      ext.storage.session.set({ [STORAGE_KEY]: cache.toJSON() }).catch(() => {});
    });
  }

  return {
    /** { answer, full } or undefined; `full` is true for a whole report, false for a badge only. */
    async get(key) {
      await ready();
      return cache.get(key);
    },
    async set(key, entry) {
      await ready();
      cache.set(key, entry);
      save();
    },
    async clear() {
      await ready();
      cache.clear();
      save();
    },
  };
}
