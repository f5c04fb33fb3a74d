// The reader's settings as the background sees them: read from chrome.storage.sync once,
// then kept current by storage.onChanged (the options page writes storage directly).

import { normaliseSettings, SETTINGS_KEY } from "../lib/settings.js";

export function createSettingsStore(ext) {
  let current = null;
  const listeners = [];

  async function get() {
    if (current === null) {
      const stored = await ext.storage.sync.get(SETTINGS_KEY);
      current = normaliseSettings(stored[SETTINGS_KEY]);
    }
    return current;
  }

  function onStorageChanged(changes, areaName) {
    if (areaName !== "sync" || !Object.hasOwn(changes, SETTINGS_KEY)) return;
    const previous = current;
    current = normaliseSettings(changes[SETTINGS_KEY].newValue);
    for (const listener of listeners) listener(current, previous);
  }

  return {
    get,
    onStorageChanged,
    /** `listener(settings, previousOrNull)` after every change. */
    subscribe(listener) {
      listeners.push(listener);
    },
  };
}
