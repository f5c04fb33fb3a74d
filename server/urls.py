"""URL rules: what the service accepts, and the one normalised key a URL is stored under.

`check_url` refuses what must never be fetched or stored (each refusal its own problem type);
`normalise` gives the cache key: lower-case scheme and host, no default port, no fragment, no
tracking parameters (utm_*, fbclid, gclid, ...), remaining query parameters sorted.
Host notation is strict: an IPv4 literal must be canonical dotted-quad (no 0x7f.1, 017700000001,
2130706433, 127.1); anything else that parses as a number is refused as ambiguous.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit, urlunsplit

import idna

from .errors import Problem

# Click, campaign and mail-open ids: they identify one reader's visit, never the article.
# docs/api.md lists them for the extension, which strips the same ones before asking.
TRACKING_PARAMS = {
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid",
    "mc_eid", "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "vero_id", "wickedid", "ref_src", "ref_url", "cmpid", "twclid", "ttclid", "li_fat_id", "s_cid",
    "ncid", "sr_share",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
PATH_SAFE = "/%:@!$&'()*+,;=-._~"  # left as they are when a path is percent-encoded
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NUMERIC_PART = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_PORT_PATH = re.compile(r"^[0-9]{1,5}(?:[/?#]|$)")


def url_problem(kind: str, title: str, detail: str, status: int = 422) -> Problem:
    return Problem(status, kind, title, detail)


@dataclass(frozen=True)
class CheckedURL:
    """A URL that passed `check_url`: its parts, with the host in ASCII (IDNA) form."""

    scheme: str
    host: str  # ascii, lower-case, no brackets
    port: int
    path: str
    query: str
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None  # when the host is an IP literal

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port == DEFAULT_PORTS[self.scheme]:
            return host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return urlunsplit((self.scheme, self.netloc, self.path or "/", self.query, ""))


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse inet_aton's notations (1-4 parts, decimal/octal/hex); None if not numeric."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if not parts or len(parts) > 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        return None
    values = []
    for p in parts:
        if p.lower().startswith("0x"):
            values.append(int(p[2:] or "0", 16))
        elif len(p) > 1 and p.startswith("0"):
            if not set(p) <= set("01234567"):
                return None
            values.append(int(p, 8))
        else:
            values.append(int(p))
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise url_problem("ambiguous-host", "Ambiguous host",
                          "The host looks like an out-of-range numeric IP address.")
    number = 0
    for v in head:
        number = number * 256 + v
    number = (number << (8 * (4 - len(head)))) | last
    return ipaddress.IPv4Address(number)


def ascii_host(hostname: str) -> str:
    """The host in ASCII, as browsers write it (IDNA 2008 with UTS #46, non-transitional).

    Python's own "idna" codec is IDNA 2003: it maps "faß.de" to "fass.de", another domain, so
    two sites would share one cache key. ASCII labels are only lower-cased (they may hold "_",
    which IDNA 2008 refuses but DNS names use)."""
    if hostname.isascii():
        return hostname.lower()
    mapped = idna.uts46_remap(hostname, std3_rules=False, transitional=False)
    return ".".join(label.lower() if label.isascii() else idna.alabel(label).decode("ascii")
                    for label in mapped.split("."))


def _scheme_left_out(parts: SplitResult) -> bool:
    """A web address typed without http(s)://: 'example.com/story', '//example.com/', and
    'example.com:8080/' or 'localhost:5000/', which urlsplit reads as the schemes 'example.com'
    and 'localhost' (real schemes such as mailto: or news: have no dot and no port after them)."""
    if not parts.scheme:
        return True
    return not parts.netloc and ("." in parts.scheme or _PORT_PATH.match(parts.path) is not None)


def check_url(raw: object, max_length: int = 2048) -> CheckedURL:
    """Validate a URL the service is asked about; raise a Problem (422) naming what is wrong."""
    if not isinstance(raw, str) or not raw.strip():
        raise url_problem("invalid-url", "Invalid URL", "url must be a non-empty string.")
    raw = raw.strip()
    if len(raw) > max_length:
        raise url_problem("url-too-long", "URL too long",
                          f"The URL has {len(raw)} characters; at most {max_length} are accepted.")
    if any(ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF for c in raw) \
            or " " in raw or "\\" in raw:
        raise url_problem("invalid-url", "Invalid URL",
                          "The URL contains spaces, backslashes or control characters.")
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise url_problem("invalid-url", "Invalid URL", f"The URL cannot be parsed: {exc}.") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        if _scheme_left_out(parts):
            shown = "https://" + raw.lstrip("/")
            example = f", as in {shown}" if len(shown) <= 100 else ""
            raise url_problem("unsupported-scheme", "Unsupported URL scheme",
                              f"The URL has no scheme: add https:// (or http://) in front{example}.")
        raise url_problem("unsupported-scheme", "Unsupported URL scheme",
                          f"Only http and https URLs are accepted, not {scheme}:.")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise url_problem("credentials-in-url", "Credentials in URL",
                          "URLs with a user name or password are not accepted.")
    try:
        port = parts.port
    except ValueError:
        raise url_problem("invalid-port", "Invalid port", "The URL's port is not a number in 1-65535.") from None
    if port == 0:
        raise url_problem("invalid-port", "Invalid port", "The URL's port is not a number in 1-65535.")
    port = port or DEFAULT_PORTS[scheme]
    hostname = parts.hostname or ""
    if not hostname:
        raise url_problem("invalid-url", "Invalid URL", "The URL has no host.")
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    if parts.netloc.split("@")[-1].startswith("["):  # IPv6 literal
        if "%" in hostname:
            raise url_problem("ambiguous-host", "Ambiguous host", "IPv6 zone identifiers are not accepted.")
        try:
            ip = ipaddress.IPv6Address(hostname)
        except ValueError:
            raise url_problem("invalid-url", "Invalid URL", "The bracketed host is not an IPv6 address.") from None
        host = ip.compressed
    else:
        try:
            host = ascii_host(hostname)
        except (UnicodeError, ValueError):  # idna.IDNAError is a UnicodeError
            raise url_problem("invalid-url", "Invalid URL", "The host name is not a valid domain name.") from None
        host = host.rstrip(".")
        legacy = _legacy_ipv4(host)
        if legacy is not None:
            if str(legacy) != host:
                raise url_problem("ambiguous-host", "Ambiguous host",
                                  f"The host {hostname!r} is a numeric IP address in a non-standard "
                                  f"notation (it means {legacy}); write it as a dotted quad.")
            ip = legacy
        elif not host or len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
            raise url_problem("invalid-url", "Invalid URL", "The host name is not a valid domain name.")
        elif _NUMERIC_PART.match(host.rsplit(".", 1)[-1]):
            raise url_problem("ambiguous-host", "Ambiguous host",
                              "The host ends in a number: it is neither a domain name nor an IPv4 address.")
    path = parts.path or "/"
    return CheckedURL(scheme, host, port, path, parts.query, ip)


def normalise(checked: CheckedURL) -> str:
    """The cache key for a checked URL (see module docstring)."""
    params = [(k, v) for k, v in parse_qsl(checked.query, keep_blank_values=True)
              if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    params.sort()
    query = urlencode(params, quote_via=quote)
    path = quote(checked.path, safe=PATH_SAFE)
    return urlunsplit((checked.scheme, checked.netloc, path, query, ""))


def url_key(raw: object, max_length: int = 2048) -> str:
    return normalise(check_url(raw, max_length))
