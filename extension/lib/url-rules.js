// Which pages the extension may look at, and how a page's URL is keyed.
// Pure functions: no browser APIs, so node's test runner covers every rule.

import {
  LOOPBACK_HOST_NAMES, LOOPBACK_IPV4_RANGE, LOOPBACK_IPV6_RANGE, PRIVATE_HOST_SUFFIXES, PRIVATE_IPV4_RANGES, PRIVATE_IPV6_RANGES,
  PRIVATE_PARAMETERS, SECRET_PATH_WORDS, TRACKING_PARAMETER_PREFIXES, TRACKING_PARAMETERS,
} from "./privacy-lists.js";

const TRACKING = new Set(TRACKING_PARAMETERS);
const PRIVATE = new Set(PRIVATE_PARAMETERS);
const SECRET_WORDS = new Set(SECRET_PATH_WORDS);

/** A query parameter that only tracks the reader (lib/privacy-lists.js). */
export function isTrackingParameter(name) {
  const lower = String(name).toLowerCase();
  return TRACKING.has(lower) || TRACKING_PARAMETER_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

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
    if (isTrackingParameter(name)) url.searchParams.delete(name);
  }
  // URLSearchParams re-serialises the query; keep "?" off when nothing is left.
  if ([...url.searchParams.keys()].length === 0) url.search = "";
  return url.href;
}

// Links that are private or single-use: never checked on their own, only when the reader
// clicks. The server would fetch such a link (after a badge lookup finds nothing) and store its
// address, and fetching can use up a one-time link (a password reset, a sign-in link).

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function characterClass(char) {
  if (char >= "0" && char <= "9") return 0;
  return char === char.toLowerCase() ? 1 : 2;
}

/**
 * A path segment that looks like a secret wherever it is: a long run of random-looking letters
 * and digits (base64, base64url, JWT: letters, case and digits alternating often), or 32+ hex
 * digits. Article slugs ("three-words-or-more-1a2b3c"), long numbers (post ids) and UUIDs on
 * their own (public ids on many news sites) are not.
 */
export function segmentLooksSecret(rawSegment) {
  const segment = decodeSegment(rawSegment);
  if (segment.length < 16) return false;
  if (UUID.test(segment)) return false;
  const pieces = segment.split(/[-_.~+ ]+/).filter(Boolean);
  const words = pieces.filter((piece) => /^[a-z]{2,}$/i.test(piece));
  const namesASecret = pieces.some((piece) => SECRET_WORDS.has(piece.toLowerCase()) && piece.length > 1);
  if (words.length >= 3 && !namesASecret) return false;
  // base64url and JWTs use "-", "_" and "." inside a token: look at the runs between other characters
  for (const run of segment.replace(/[-_.~]/g, "").split(/[^A-Za-z0-9]+/)) {
    if (run.length < 16) continue;
    if (/^[0-9a-f]{32,}$/i.test(run)) return true;
    if (!/[0-9]/.test(run) && !(/[a-z]/.test(run) && /[A-Z]/.test(run))) continue;
    if (!/[A-Za-z]/.test(run)) continue;
    let changes = 0;
    for (let i = 1; i < run.length; i += 1) {
      if (characterClass(run[i]) !== characterClass(run[i - 1])) changes += 1;
    }
    if (changes >= run.length * 0.3) return true;
  }
  return false;
}

/** After a word such as "reset" or "invite": a segment that is an id rather than a word. */
function segmentLooksLikeAnId(rawSegment) {
  const segment = decodeSegment(rawSegment);
  if (!/^[A-Za-z0-9._~+=%-]{6,}$/.test(segment)) return false;
  if (/[0-9]/.test(segment) || (/[a-z]/.test(segment) && /[A-Z]/.test(segment))) return true;
  return segment.length >= 16 && !/[-_.]/.test(segment);
}

/** Whether the URL's path carries what looks like a secret (see above). */
export function pathLooksSecret(value) {
  const url = parseUrl(value);
  if (url === null) return false;
  const segments = url.pathname.split("/").filter(Boolean);
  return segments.some((segment, i) => segmentLooksSecret(segment)
    || (i > 0 && SECRET_WORDS.has(decodeSegment(segments[i - 1]).toLowerCase()) && segmentLooksLikeAnId(segment)));
}

/**
 * Whether the URL looks private or single-use: a parameter such as `token`, `code` or
 * `signature`, or a path carrying a token ("/reset/<token>", "/document/d/<id>").
 */
export function isPrivateLink(value) {
  const url = parseUrl(value);
  if (url === null) return false;
  return [...url.searchParams.keys()].some((name) => PRIVATE.has(name.toLowerCase())) || pathLooksSecret(url.href);
}

// Addresses: IP literals as the URL parser writes them (IPv4 dotted quad, IPv6 in brackets,
// compressed and lower case).

function ipv4Number(host) {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255)) {
    return null;
  }
  return parts.reduce((number, part) => number * 256 + Number(part), 0);
}

function ipv6Groups(host) {
  const bare = host.replace(/^\[|\]$/g, "");
  if (!bare.includes(":")) return null;
  let text = bare;
  // an IPv4 tail ("::ffff:1.2.3.4") as two groups
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const number = ipv4Number(tail[1]);
    if (number === null) return null;
    text = `${text.slice(0, -tail[1].length)}${(number >>> 16).toString(16)}:${(number & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part) => (part === "" ? [] : part.split(":").map((group) => (/^[0-9a-f]{1,4}$/i.test(group) ? parseInt(group, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill(0), ...rest];
  return groups.some(Number.isNaN) ? null : groups;
}

function inIpv4Range(number, range) {
  const [base, bits] = range.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(number / size) === Math.floor(ipv4Number(base) / size);
}

function inIpv6Range(groups, range) {
  const [base, bitsText] = range.split("/");
  const baseGroups = ipv6Groups(base);
  let bits = Number(bitsText);
  for (let i = 0; i < 8 && bits > 0; i += 1, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((groups[i] & mask) !== (baseGroups[i] & mask)) return false;
  }
  return true;
}

function normalisedHost(value) {
  const url = parseUrl(value);
  return url === null ? null : url.hostname.toLowerCase().replace(/\.$/, "");
}

/** The IPv4 address an IPv4-mapped or -compatible IPv6 address carries, else null. */
function embeddedIpv4(groups) {
  if (!groups.slice(0, 5).every((group) => group === 0) || (groups[5] !== 0 && groups[5] !== 0xffff)) return null;
  if (groups[5] === 0 && groups[6] === 0) return null; // "::" and "::1" are IPv6's own
  return groups[6] * 65536 + groups[7];
}

/**
 * Whether `host` is an IP literal inside one of the ranges (an IPv4-mapped or -compatible IPv6
 * address is read as its IPv4 address); null when `host` is no IP literal.
 */
function ipInRanges(host, ipv4Ranges, ipv6Ranges) {
  const v4 = ipv4Number(host);
  if (v4 !== null) return ipv4Ranges.some((range) => inIpv4Range(v4, range));
  const groups = ipv6Groups(host);
  if (groups === null) return null;
  const mapped = embeddedIpv4(groups);
  if (mapped !== null) return ipv4Ranges.some((range) => inIpv4Range(mapped, range));
  return ipv6Ranges.some((range) => inIpv6Range(groups, range));
}

/** This computer: 127.0.0.0/8, ::1 (or an IPv4-mapped 127.x), localhost. */
export function isLoopbackHost(value) {
  const host = normalisedHost(value);
  if (host === null) return false;
  return LOOPBACK_HOST_NAMES.includes(host)
    || ipInRanges(host, [LOOPBACK_IPV4_RANGE], [LOOPBACK_IPV6_RANGE]) === true;
}

/**
 * A host that names no public web page: a private, loopback, link-local (…) IP literal, a
 * single-label name ("intranet", "router") or a local suffix (.local, .internal, .lan, .corp…).
 */
export function isPrivateAddress(value) {
  const host = normalisedHost(value);
  if (host === null || host === "") return false;
  const literal = ipInRanges(host, PRIVATE_IPV4_RANGES, PRIVATE_IPV6_RANGES);
  if (literal !== null) return literal;
  if (!host.includes(".")) return true;
  return PRIVATE_HOST_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
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
  // Intranet and local pages never go to the server, not even on a click; except pages on this
  // computer when the label server is on this computer too (the address never leaves it).
  if (isPrivateAddress(value) && !(isLoopbackHost(value) && isLoopbackHost(settings.serverUrl))) {
    return { allowed: false, reason: "private-address" };
  }
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
