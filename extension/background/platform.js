// Firefox provides the promise-based `browser` namespace; Chromium provides `chrome`, whose
// Manifest V3 APIs also return promises. Every component takes the API from here, so nothing
// else needs to know which browser it runs in.
export const ext = globalThis.browser ?? globalThis.chrome;
