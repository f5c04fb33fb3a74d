// What the extension knows about each tab: its page, the check's status, the server's answer.
// Kept in storage.session so the popup still finds it after the service worker restarted.

const key = (tabId) => `tab:${tabId}`;

export function createTabState(ext) {
  return {
    async get(tabId) {
      const stored = await ext.storage.session.get(key(tabId));
      return stored[key(tabId)] ?? null;
    },
    async set(tabId, state) {
      await ext.storage.session.set({ [key(tabId)]: state });
      return state;
    },
    async update(tabId, changes) {
      const state = { ...((await this.get(tabId)) ?? {}), ...changes };
      return this.set(tabId, state);
    },
    async remove(tabId) {
      await ext.storage.session.remove(key(tabId));
    },
  };
}
