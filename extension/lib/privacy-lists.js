// Every list that decides what the extension keeps to itself, in one place (data only; the
// rules that use them are in url-rules.js and settings.js, unit-tested with node).

// Query parameters that only track the reader (some identify an email's recipient: mkt_tok,
// _hsenc, vero_id, oly_enc_id). Dropped before anything is sent or cached, so one article is one
// cache entry. The same list as the server's (server/urls.py TRACKING_PARAMS and
// TRACKING_PREFIXES); compared in lower case.
export const TRACKING_PARAMETERS = Object.freeze([
  "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
  "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
  "ref_src", "ref_url", "cmpid", "twclid", "ttclid", "li_fat_id", "wickedid", "s_cid", "ncid", "sr_share",
]);
/** Families of tracking parameters: every name starting with one of these. */
export const TRACKING_PARAMETER_PREFIXES = Object.freeze(["utm_", "pk_", "mtm_", "hsa_"]);

// Query parameters that make a link private or single-use (sign-in links, password resets,
// unsubscribe and confirmation links, signed URLs). Compared in lower case.
export const PRIVATE_PARAMETERS = Object.freeze([
  "token", "access_token", "id_token", "auth", "authtoken", "code", "key", "apikey", "api_key",
  "session", "sessionid", "sid", "sig", "signature", "password", "pass", "pwd", "reset", "confirm",
  "confirmation", "verify", "verification", "unsubscribe", "magic", "otp", "login", "invite", "ticket",
  "x-amz-signature", "x-goog-signature",
]);

// Path segments after which the next segment is taken for a secret when it looks like an id
// ("/reset/8f2kQ9", "/invite/abc123", "/document/d/<id>", "/s/<share id>"). Compared in lower case.
export const SECRET_PATH_WORDS = Object.freeze([
  "reset", "password", "password-reset", "reset-password", "passwordreset", "resetpassword",
  "forgot-password", "verify", "verification", "verify-email", "email-verification", "confirm",
  "confirmation", "confirm-email", "activate", "activation", "magic", "magic-link", "magiclink",
  "invite", "invites", "invitation", "unsubscribe", "optout", "opt-out", "token", "tokens", "auth",
  "oauth", "sso", "login", "log-in", "signin", "sign-in", "otp", "onetime", "one-time", "share",
  "shared", "s", "d",
]);

// Host names that never name a public web page: this computer, the local network, intranets.
// A host equal to one of these or ending in "." + one of them (a single-label host such as
// "intranet" or "router" is private too, whatever its name).
export const PRIVATE_HOST_SUFFIXES = Object.freeze([
  "localhost", "localdomain", "local", "internal", "intranet", "private", "lan", "home", "home.arpa",
  "corp",
]);

// IP ranges that are not public addresses: loopback, private networks, link-local, shared
// (carrier-grade NAT), unspecified, multicast and reserved.
export const PRIVATE_IPV4_RANGES = Object.freeze([
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
  "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
]);
export const PRIVATE_IPV6_RANGES = Object.freeze([
  "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
]);

// This computer: a plain http:// label server is accepted only here, and pages here may go to a
// label server that is itself on this computer (their address never leaves it).
export const LOOPBACK_IPV4_RANGE = "127.0.0.0/8";
export const LOOPBACK_IPV6_RANGE = "::1/128";
export const LOOPBACK_HOST_NAMES = Object.freeze(["localhost"]);
