// The reader's settings: defaults, validation, and the host permission a server URL needs.
// Stored with chrome.storage.sync under SETTINGS_KEY; everything read back goes through
// normaliseSettings, so a damaged or old stored value can never put the extension in a bad state.

import { isLoopbackHost, parseSiteList, parseUrl } from "./url-rules.js";

export const SETTINGS_KEY = "settings";

export const DEFAULT_SERVER_URL = "http://127.0.0.1:5000";

export const DEFAULT_SETTINGS = Object.freeze({
  serverUrl: DEFAULT_SERVER_URL,
  // Badges while browsing are the point; "on-click" is the privacy mode.
  checkMode: "automatic",
  excludedSites: Object.freeze([]),
  // Off by default: the page's HTML may contain what only this reader can see.
  sendPageContent: false,
});

/**
 * Why a server address cannot be used, in the reader's words, or null when it can: http(s), no
 * credentials, no query; https:// unless the server is on this computer (127.0.0.0/8, ::1,
 * localhost), since every address the reader opens would otherwise cross the network in clear.
 */
export function serverUrlProblem(value) {
  const url = parseUrl(typeof value === "string" ? value.trim() : "");
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return "The server address must be a full https:// address, such as https://labels.example.org.";
  }
  if (url.username || url.password || url.search || url.hash) {
    return "The server address must not contain a user name, password, query (?…) or fragment (#…).";
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.href)) {
    return "The server address must start with https://: over plain http:// the address of every page "
      + "you check would cross the network unencrypted. (http:// is accepted only for a server on this "
      + "computer: localhost, 127.0.0.1 or [::1].)";
  }
  return null;
}

/** A server URL the extension can use (see serverUrlProblem), trailing "/" removed; else null. */
export function normaliseServerUrl(value) {
  if (serverUrlProblem(value) !== null) return null;
  return parseUrl(value.trim()).href.replace(/\/+$/, "");
}

export function normaliseSettings(raw) {
  const stored = raw && typeof raw === "object" ? raw : {};
  const excluded = Array.isArray(stored.excludedSites)
    ? parseSiteList(stored.excludedSites.join("\n"))
    : parseSiteList(stored.excludedSites);
  return {
    serverUrl: normaliseServerUrl(stored.serverUrl) ?? DEFAULT_SETTINGS.serverUrl,
    checkMode: stored.checkMode === "on-click" ? "on-click" : "automatic",
    excludedSites: excluded,
    sendPageContent: stored.sendPageContent === true,
  };
}

/** The match pattern that lets the extension reach the server (ports are not part of patterns). */
export function hostPermissionFor(serverUrl) {
  const url = parseUrl(serverUrl);
  if (url === null) return null;
  return `${url.protocol}//${url.hostname}/*`;
}

/** Patterns granted at install (see manifest.json), so the default local server needs no prompt. */
export const BUILT_IN_HOST_PERMISSIONS = Object.freeze(["http://127.0.0.1/*", "http://localhost/*"]);

export function needsPermissionRequest(serverUrl) {
  const pattern = hostPermissionFor(serverUrl);
  return pattern !== null && !BUILT_IN_HOST_PERMISSIONS.includes(pattern);
}
