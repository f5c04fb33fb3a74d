// Which pages the extension may look at, and how a page's URL is keyed.
// Pure functions: no browser APIs, so node's test runner covers every rule.

// Query parameters that only track the reader; dropping them makes one article one cache entry
// (the server normalises the same way for its own cache).
const TRACKING_PARAMETER = /^(utm_[a-z0-9_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref_src)$/i;

// Query parameters that make a link private or single-use (sign-in links, password resets,
// unsubscribe and confirmation links, signed URLs). Such pages are never checked on their own:
// the server would fetch the link, and could use up a one-time token. The reader can still click.
const PRIVATE_PARAMETER = /^(token|access_token|id_token|auth|authtoken|code|key|apikey|api_key|session|sessionid|sid|sig|signature|password|pass|pwd|reset|confirm|confirmation|verify|verification|unsubscribe|magic|otp|login|invite|ticket|x-amz-signature|x-goog-signature)$/i;

/** Parse without throwing: a URL object, or null for anything that is not a URL. */
export function parseUrl(value) {
  if (typeof value !== "string" || value.length === 0) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Only ordinary web pages are ever checked; never file:, data:, about:, the browser's own pages. */
export function isWebPage(value) {
  const url = parseUrl(value);
  return url !== null && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

/** The cache key for a page: no fragment, no tracking parameters, lower-case host. */
export function cacheKeyFor(value) {
  const url = parseUrl(value);
  if (url === null) return null;
  url.hash = "";
  for (const name of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMETER.test(name)) url.searchParams.delete(name);
  }
  // URLSearchParams re-serialises the query; keep "?" off when nothing is left.
  if ([...url.searchParams.keys()].length === 0) url.search = "";
  return url.href;
}

/** Whether the URL carries a parameter that makes it private or single-use (see above). */
export function isPrivateLink(value) {
  const url = parseUrl(value);
  return url !== null && [...url.searchParams.keys()].some((name) => PRIVATE_PARAMETER.test(name));
}

/**
 * One host per line (or separated by commas/spaces); URLs and "*." prefixes are accepted,
 * and "#" starts a comment.
 */
export function parseSiteList(text) {
  if (typeof text !== "string") return [];
  const sites = [];
  const words = text.split(/\r?\n/).flatMap((line) => line.replace(/#.*$/, "").split(/[\s,]+/));
  for (const raw of words) {
    const entry = normaliseSiteEntry(raw);
    if (entry && !sites.includes(entry)) sites.push(entry);
  }
  return sites;
}

function normaliseSiteEntry(raw) {
  let entry = raw.trim().toLowerCase();
  if (entry === "" || entry.startsWith("#")) return null;
  if (entry.includes("://")) {
    const url = parseUrl(entry);
    if (url === null) return null;
    entry = url.hostname;
  }
  entry = entry.replace(/^\*\./, "").replace(/^\.+|\.+$/g, "").replace(/\/.*$/, "");
  // A port is not part of a site: "localhost:8080" excludes localhost.
  entry = entry.replace(/:\d+$/, "");
  return /^[a-z0-9.\-\[\]:_]+$/.test(entry) ? entry : null;
}

/** An excluded site covers itself and every subdomain: "example.com" covers "news.example.com". */
export function isExcluded(value, excludedSites) {
  const url = parseUrl(value);
  if (url === null) return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  return (excludedSites ?? []).some((site) => host === site || host.endsWith(`.${site}`));
}

// The server's own pages (API docs, moderation) are not articles; its demo pages are, and are
// the newcomer's first red badge, so they are checked like any page.
const SERVER_DEMO_PATH = "/demo/";

function isServerPage(value, serverUrl) {
  const page = parseUrl(value);
  const server = parseUrl(serverUrl);
  if (page === null || server === null || page.origin !== server.origin) return false;
  const base = server.pathname.replace(/\/+$/, "");
  return !page.pathname.startsWith(`${base}${SERVER_DEMO_PATH}`);
}

/**
 * Whether a page may be sent to the server now.
 * trigger: "navigation" (the browser loaded a page) or "click" (the reader asked).
 * Returns { allowed, reason } so the popup can say why nothing happened.
 */
export function checkDecision(value, settings, trigger) {
  if (!isWebPage(value)) return { allowed: false, reason: "not-web-page" };
  if (isExcluded(value, settings.excludedSites)) return { allowed: false, reason: "excluded" };
  if (isServerPage(value, settings.serverUrl)) return { allowed: false, reason: "server-page" };
  if (trigger !== "click" && settings.checkMode !== "automatic") {
    return { allowed: false, reason: "on-click" };
  }
  if (trigger !== "click" && isPrivateLink(value)) return { allowed: false, reason: "private-link" };
  return { allowed: true, reason: "ok" };
}

/**
 * Whether the page's own HTML may go to the server with the check: only for web pages the reader
 * has not excluded, and only when the reader opted in (the option, or this one click).
 */
export function mayIncludePageContent(value, settings, { readerAskedNow = false } = {}) {
  if (!checkDecision(value, settings, "click").allowed) return false;
  return readerAskedNow || settings.sendPageContent === true;
}
