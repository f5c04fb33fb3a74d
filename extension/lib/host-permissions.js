// Optional host permissions: which ones the settings need, and which to give back when the
// settings change. Pure: the options page asks the browser (permissions.request, getAll,
// remove) with what these functions say.

import { BUILT_IN_HOST_PERMISSIONS, hostPermissionFor, needsPermissionRequest } from "./settings.js";

/** Reading pages without a click on the toolbar (page content in automatic mode) needs them all. */
export const ALL_WEB_PAGES = Object.freeze(["http://*/*", "https://*/*"]);

/** The optional host permissions these settings need (the built-in ones are always there). */
export function hostPermissionsNeeded(settings) {
  const origins = [];
  if (needsPermissionRequest(settings.serverUrl)) origins.push(hostPermissionFor(settings.serverUrl));
  if (settings.sendPageContent === true && settings.checkMode === "automatic") origins.push(...ALL_WEB_PAGES);
  return [...new Set(origins)];
}

// The "scheme://host/path" match patterns this extension uses ("*" scheme and "*." hosts too).
const PATTERN = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/;

function hostCovers(outer, inner) {
  if (outer === "*" || outer === inner) return true;
  if (!outer.startsWith("*.")) return false;
  const domain = outer.slice(2);
  const innerDomain = inner.replace(/^\*\./, "");
  return innerDomain === domain || innerDomain.endsWith(`.${domain}`);
}

/**
 * Whether match pattern `broad` matches every URL `narrow` matches. A pattern it cannot read
 * counts as covering: the answer that never lets a needed permission be removed.
 */
export function patternCovers(broad, narrow) {
  if (broad === narrow) return true;
  const outer = PATTERN.exec(broad.toLowerCase());
  const inner = PATTERN.exec(narrow.toLowerCase());
  if (outer === null || inner === null) return true;
  const [, outerScheme, outerHost, outerPath] = outer;
  const [, innerScheme, innerHost, innerPath] = inner;
  return (outerScheme === "*" || outerScheme === innerScheme)
    && hostCovers(outerHost, innerHost)
    && (outerPath === "/*" || outerPath === innerPath);
}

/**
 * The host permissions to give back after the settings changed from `before` to `after`: those
 * `before` needed, `after` does not, and the browser has `granted` (nothing else is touched:
 * not the built-in ones, not what the reader granted by other means).
 *
 * A pattern is kept when removing it would take access still needed with it:
 * `removalTakesCovered`: the browser's permissions.remove also revokes every granted pattern
 * the removed one covers (Chromium: giving back all http:// pages takes the built-in
 * "http://127.0.0.1/*" with it, and the local server becomes unreachable), so a pattern
 * covering one still needed must stay. Otherwise (Firefox removes exactly the patterns named)
 * it stays only while a still-needed pattern it covers is not granted in its own right.
 *
 * Returns { giveBack, keep }: `keep` lists the unneeded ones that stay for that reason.
 */
export function hostPermissionsToGiveBack(before, after, { granted, removalTakesCovered = true }) {
  const stillNeeded = [...BUILT_IN_HOST_PERMISSIONS, ...hostPermissionsNeeded(after)];
  const unneeded = hostPermissionsNeeded(before)
    .filter((origin) => !stillNeeded.includes(origin) && granted.includes(origin));
  const giveBack = [];
  const keep = [];
  for (const origin of unneeded) {
    const covered = stillNeeded.filter((needed) => patternCovers(origin, needed));
    const safe = removalTakesCovered ? covered.length === 0 : covered.every((needed) => granted.includes(needed));
    (safe ? giveBack : keep).push(origin);
  }
  return { giveBack, keep };
}

/** Host permissions in the reader's words: "all https:// pages", "labels.example.org". */
export function describeHostPermissions(origins) {
  const allPages = ALL_WEB_PAGES.every((origin) => origins.includes(origin));
  const rest = allPages ? origins.filter((origin) => !ALL_WEB_PAGES.includes(origin)) : origins;
  const words = rest.map((origin) => {
    const match = PATTERN.exec(origin);
    if (match === null) return origin;
    const [, scheme, host] = match;
    if (host !== "*") return host;
    return scheme === "*" ? "all pages" : `all ${scheme}:// pages`;
  });
  if (allPages) words.unshift("all pages");
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
