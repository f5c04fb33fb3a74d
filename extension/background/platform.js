// Firefox provides the promise-based `browser` namespace; Chromium provides `chrome`, whose
// Manifest V3 APIs also return promises. Every component takes the API from here, so nothing
// else needs to know which browser it runs in.
export const ext = globalThis.browser ?? globalThis.chrome;

// Whether permissions.remove also revokes the granted patterns the removed ones cover. Chromium
// does (seen in Chromium 156: removing "http://*/*" took the built-in "http://127.0.0.1/*", and
// the local server was unreachable until the reader granted it again); Firefox removes exactly
// the patterns named. Any browser but Firefox gets the safe assumption.
export const removalTakesCoveredPermissions = !ext.runtime.getURL("").startsWith("moz-extension:");
