"""The safe fetcher: the only module in the service that opens network connections.

Rules, each refusal its own problem (see docs/api.md):

- http and https only, no credentials, strict host notation (server.urls.check_url);
- ports 80 and 443 only (configurable);
- DNS is resolved once per hop by `resolver(host, port)`; every address must be public:
  loopback, private, link-local, CGNAT, multicast, reserved, unspecified, documentation,
  benchmarking, cloud metadata, IPv6 site-local (fec0::/10) and local-use NAT64 (64:ff9b:1::/48)
  addresses are refused, after unwrapping IPv4-mapped, IPv4-compatible, 6to4, Teredo and
  well-known-prefix NAT64 (64:ff9b::/96) forms;
- the connection goes to the address that was checked (no second lookup; TLS still verifies the
  certificate against the host name);
- every redirect is re-checked the same way, at most `max_redirects`, loops refused;
- a connect timeout, and a total deadline enforced by a watchdog that shuts the socket down, so a
  server that drips bytes cannot hold a worker;
- a size cap counted on the raw and on the decoded bytes (gzip/deflate bombs), Content-Length
  checked before reading;
- HTML content types only.

`allow_loopback` (RELIABILITY_FETCH_ALLOW_LOOPBACK=1) is for tests and local demos only: it lets
127.0.0.0/8 and ::1 through, on any port, and nothing else that is private.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import http.client
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import quote, urljoin

from .errors import Problem
from .urls import PATH_SAFE, CheckedURL, check_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]

HTML_TYPES = {"text/html", "application/xhtml+xml"}
REDIRECT_CODES = {301, 302, 303, 307, 308}
# Problems meaning the service could not fetch the page itself (besides every "upstream-…"): the
# site turned it away or misbehaved. A reader's browser may still show the page, so the extension
# can send it as seen (extension/lib/problems.js keeps the same list). Not the private and
# intranet addresses it may not reach: readers are never nudged to send such pages to us.
NOT_FETCHED_KINDS = frozenset({"bad-redirect", "redirect-loop", "too-many-redirects"})


def not_fetched(kind: str) -> bool:
    """Whether a problem of this kind means the page could not be fetched by the service."""
    return kind.startswith("upstream-") or kind in NOT_FETCHED_KINDS
CHUNK = 64 * 1024
_QUERY_SAFE = PATH_SAFE + "?"
# getaddrinfo has no timeout and cannot be cancelled: a lookup that times out for the request
# keeps its pool thread until the resolver gives up. So lookups in flight (timed out or not) are
# counted, at most DNS_MAX_IN_FLIGHT per process, the pool's size: a new lookup never queues
# behind stuck ones; when every slot is taken it is refused at once (503 dns-busy, Retry-After).
DNS_MAX_IN_FLIGHT = 32


def _reset_dns_pool() -> None:
    """A fresh lookup pool and its slots; also in a forked child (gunicorn --preload), where the
    parent's pool threads do not exist."""
    global _DNS_POOL, _DNS_SLOTS
    _DNS_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=DNS_MAX_IN_FLIGHT,
                                                      thread_name_prefix="fetch-dns")
    _DNS_SLOTS = threading.BoundedSemaphore(DNS_MAX_IN_FLIGHT)


_reset_dns_pool()
os.register_at_fork(after_in_child=_reset_dns_pool)

METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, ...
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
}
# Only the well-known prefix (RFC 6052) carries the IPv4 address in its last 32 bits; the
# local-use prefix 64:ff9b:1::/48 (RFC 8215) may embed it anywhere and leads into an operator's
# own network: refused outright.
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"),)
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
CGNAT = ipaddress.ip_network("100.64.0.0/10")
# Ranges Python's ipaddress (3.11) still calls global: the deprecated 6to4 relay anycast
# (RFC 7526) and the IPv6 documentation prefix added in 2024 (RFC 9637). No news site lives there.
NOT_WEB = (ipaddress.ip_network("192.88.99.0/24"), ipaddress.ip_network("3fff::/20"))
LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")
LOOPBACK_V6 = ipaddress.ip_address("::1")


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve `host` once with the system resolver; the addresses as strings."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64 64:ff9b::/96)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # (server, client)
    for prefix in NAT64_PREFIXES:
        if ip in prefix:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    value = int(ip)
    if value >> 32 == 0 and value > 1:  # deprecated IPv4-compatible ::a.b.c.d
        found.append(ipaddress.IPv4Address(value))
    return found


def address_refusal(ip: IPAddress, allow_loopback: bool = False) -> str | None:
    """Why `ip` must not be connected to, or None when it is a public address."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "a scoped IPv6 address"
        if allow_loopback and ip == LOOPBACK_V6:
            return None
        if ip in NAT64_LOCAL_USE:
            return "a local-use NAT64 address"
        if ip.is_site_local:  # fec0::/10: deprecated, but still routed inside some networks
            return "a site-local address"
        inner_addresses = embedded_ipv4(ip)
        for inner in inner_addresses:
            reason = address_refusal(inner, allow_loopback=False)
            if reason:
                return f"an IPv6 address embedding {inner}, {reason}"
        if inner_addresses and (ip.ipv4_mapped is not None or any(ip in n for n in NAT64_PREFIXES)):
            return None  # the packets go to the embedded, public IPv4 address
    elif allow_loopback and ip in LOOPBACK_V4:
        return None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT:
        return "a carrier-grade NAT (shared) address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved or any(ip.version == net.version and ip in net for net in NOT_WEB):
        return "a reserved address"
    if not ip.is_global:
        return "a non-global address"
    return None


# Names that mean something only inside one network (RFC 6761, RFC 8375, the usual intranet
# suffixes). The fetcher needs no such list (it resolves and checks the addresses); supplied
# HTML does: the reader's browser resolved the name, maybe on a network we cannot see.
INTRANET_SUFFIXES = (".local", ".localhost", ".localdomain", ".internal", ".intranet", ".lan",
                     ".home", ".home.arpa", ".corp", ".private")
# A supplied page waits this long at most for our own lookup of its host
SUPPLIED_DNS_TIMEOUT = 2.0


def name_refusal(host: str, allow_loopback: bool = False) -> str | None:
    """Why a host *name* cannot be a public web page (an intranet name), or None."""
    if allow_loopback and (host == "localhost" or host.endswith(".localhost")):
        return None
    if "." not in host:
        return "a single-label (intranet) host name"
    suffix = next((s for s in INTRANET_SUFFIXES if ("." + host).endswith(s)), None)
    return None if suffix is None else f"an intranet host name ({suffix})"


def parse_answers(raw: list[str]) -> tuple[list[IPAddress], bool]:
    """The resolver's answers that are IP addresses, and whether any answer was something else."""
    addresses: list[IPAddress] = []
    for value in raw:
        try:
            addresses.append(ipaddress.ip_address(str(value)))
        except ValueError:
            pass
    return addresses, len(addresses) < len(raw)


def first_refusal(addresses: Iterable[IPAddress], allow_loopback: bool = False) -> str | None:
    """Why the first of `addresses` that is no public web address is refused, or None."""
    return next(filter(None, (address_refusal(ip, allow_loopback) for ip in addresses)), None)


def is_loopback(ip: IPAddress) -> bool:
    return ip in LOOPBACK_V4 if isinstance(ip, ipaddress.IPv4Address) else ip == LOOPBACK_V6


@dataclass(frozen=True)
class FetchPolicy:
    allow_loopback: bool = False
    allowed_ports: frozenset[int] = frozenset({80, 443})
    connect_timeout: float = 5.0
    total_timeout: float = 15.0
    max_bytes: int = 3 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "ReliabilityLabelsBot/0.1"
    ca_file: str | None = None  # extra trusted CA bundle (private deployments, tests); else system store


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    charset: str
    body: bytes  # decoded (decompressed) bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body as text, in the page's charset if it names a usable text encoding, else
        UTF-8; undecodable bytes are replaced, never an error (the charset is the page's word)."""
        charset = text_encoding(self.charset) or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except (LookupError, UnicodeError):
            return self.body.decode("utf-8", errors="replace")


# Codecs that Python calls text encodings but no web page is written in: they fail (or do
# something else than decoding) on arbitrary bytes.
_NOT_PAGE_ENCODINGS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}


def text_encoding(charset: str | None) -> str | None:
    """The codec name for a page's declared charset, or None when it is not a usable text
    encoding (unknown, bytes-to-bytes such as base64 or zlib, or one of _NOT_PAGE_ENCODINGS)."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset)
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    return info.name


def _problem(status: int, kind: str, title: str, detail: str, **extra) -> Problem:
    return Problem(status, kind, title, detail, **extra)


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The system's trusted CAs, plus `ca_file`'s (FETCH_CA_FILE) if given: a private CA is
    trusted as well as the public ones, not instead of them."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class _Watchdog:
    """Shuts a socket down when the deadline passes, whatever call is blocked on it.

    It holds a duplicate of the descriptor: wrapping the socket in TLS detaches the original
    (its descriptor becomes -1), and a shutdown through the duplicate still ends the handshake
    and every read on the wrapped socket."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._sock = sock.dup()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()
        self._sock.close()


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None, resolver: Resolver | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.resolver: Resolver = resolver or system_resolver

    @classmethod
    def from_config(cls, config) -> Fetcher:
        policy = FetchPolicy(
            allow_loopback=bool(config.get("FETCH_ALLOW_LOOPBACK")),
            allowed_ports=frozenset(int(p) for p in config.get("FETCH_ALLOWED_PORTS", (80, 443))),
            connect_timeout=float(config.get("FETCH_CONNECT_TIMEOUT", 5.0)),
            total_timeout=float(config.get("FETCH_TOTAL_TIMEOUT", 15.0)),
            max_bytes=int(config.get("FETCH_MAX_BYTES", 3 * 1024 * 1024)),
            max_redirects=int(config.get("FETCH_MAX_REDIRECTS", 5)),
            user_agent=str(config.get("FETCH_USER_AGENT", "ReliabilityLabelsBot/0.1")),
            ca_file=config.get("FETCH_CA_FILE"),
        )
        return cls(policy, config.get("FETCH_RESOLVER"))

    # -- the checks -------------------------------------------------------------------------

    def resolve(self, target: CheckedURL, deadline: float) -> list[str]:
        """The resolver's answer, within the deadline (getaddrinfo itself has no timeout)."""
        timeout = min(self.policy.connect_timeout, max(0.0, deadline - time.monotonic()))
        slots, pool = _DNS_SLOTS, _DNS_POOL
        if not slots.acquire(blocking=False):
            raise _problem(503, "dns-busy", "Too many lookups in progress",
                           "Too many host name lookups are still in progress; try again shortly.",
                           headers={"Retry-After": "5"})

        def lookup() -> list[str]:
            try:
                return list(self.resolver(target.host, target.port))
            finally:
                slots.release()  # when the lookup really ends, not when the request gave up

        try:
            future = pool.submit(lookup)
        except BaseException:
            slots.release()
            raise
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise _problem(504, "upstream-timeout", "Upstream timeout",
                           f"Looking up {target.host} took longer than {timeout:.1f} s.") from None

    def check_destination(self, target: CheckedURL, hop: int,
                          deadline: float | None = None) -> list[IPAddress]:
        """Resolve (once) and check every address; the addresses to connect to, in order."""
        p = self.policy
        if deadline is None:
            deadline = time.monotonic() + p.total_timeout
        status = 422 if hop == 0 else 502
        prefix = "" if hop == 0 else "redirect-"
        via = "The URL" if hop == 0 else "The page redirected to a URL that"
        if target.ip is not None:
            addresses: list[IPAddress] = [target.ip]
        else:
            try:
                raw = self.resolve(target, deadline)
            except (OSError, UnicodeError) as exc:
                raise _problem(502, "upstream-dns-failure", "Host not found",
                               f"The host {target.host} could not be resolved.") from exc
            addresses, not_addresses = parse_answers(raw)
            if not_addresses:
                raise _problem(502, "upstream-dns-failure", "Host not found",
                               f"The host {target.host} resolved to something that is not an address.")
            if not addresses:
                raise _problem(502, "upstream-dns-failure", "Host not found",
                               f"The host {target.host} has no addresses.")
        reason = first_refusal(addresses, p.allow_loopback)
        if reason:
            raise _problem(status, prefix + "forbidden-destination", "Destination not allowed",
                           f"{via} points to {reason}; only public web pages are fetched.")
        loopback_only = p.allow_loopback and all(is_loopback(ip) for ip in addresses)
        if target.port not in p.allowed_ports and not loopback_only:
            raise _problem(status, prefix + "forbidden-port", "Port not allowed",
                           f"{via} uses port {target.port}; allowed: "
                           f"{', '.join(str(x) for x in sorted(p.allowed_ports))}.")
        return addresses

    def check_supplied_destination(self, target: CheckedURL, resolve: bool = True) -> None:
        """Refuse supplied HTML for a page that is not on the public web: a non-public address
        (literal, or what the name resolves to here) or an intranet name. Such pages are a
        reader's intranet, which the service must neither keep nor show moderators.

        The lookup is bounded (SUPPLIED_DNS_TIMEOUT) and only its answer refuses: a name that
        does not resolve here (a failure, a timeout, no free lookup slot) is accepted, since
        the reader's browser did load the page.
        """
        p = self.policy
        reason = (address_refusal(target.ip, p.allow_loopback) if target.ip is not None
                  else name_refusal(target.host, p.allow_loopback))
        if reason is None and resolve and target.ip is None:
            try:  # resolve() caps the wait at connect_timeout too
                raw = self.resolve(target, time.monotonic() + SUPPLIED_DNS_TIMEOUT)
            except (Problem, OSError, UnicodeError):
                return
            addresses, _ = parse_answers(raw)  # an answer that is no address refuses nothing here
            reason = first_refusal(addresses, p.allow_loopback)
        if reason:
            raise _problem(422, "forbidden-destination", "Destination not allowed",
                           f"The URL points to {reason}; only pages on the public web are "
                           "analysed.")

    # -- the fetch --------------------------------------------------------------------------

    def fetch(self, url: str) -> FetchResult:
        deadline = time.monotonic() + self.policy.total_timeout
        current = url
        seen: list[str] = []
        for hop in range(self.policy.max_redirects + 1):
            try:
                target = check_url(current)
            except Problem as exc:
                if hop == 0:
                    raise
                raise _problem(502, "bad-redirect", "Bad redirect",
                               f"The page redirected to a URL that is not accepted: {exc.detail}") from None
            seen.append(target.url)
            addresses = self.check_destination(target, hop, deadline)
            status, headers, body_or_location = self._request(target, addresses, deadline)
            if status in REDIRECT_CODES:
                location = body_or_location
                if not location:
                    raise _problem(502, "bad-redirect", "Bad redirect",
                                   f"The page answered {status} without a Location.")
                nxt = urljoin(target.url, location)
                try:
                    nxt_url = check_url(nxt).url
                except Problem:
                    nxt_url = nxt
                if nxt_url in seen:
                    raise _problem(502, "redirect-loop", "Redirect loop",
                                   "The page redirects in a loop.", redirects=len(seen))
                current = nxt
                continue
            content_type, charset, body = headers, *body_or_location
            return FetchResult(target.url, status, content_type, charset, body, seen[:-1])
        raise _problem(502, "too-many-redirects", "Too many redirects",
                       f"The page redirected more than {self.policy.max_redirects} times.")

    def _connect(self, target: CheckedURL, addresses: list[IPAddress], deadline: float) -> socket.socket:
        last: Exception | None = None
        for ip in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(min(self.policy.connect_timeout, remaining))
            try:
                # a literal address: no name lookup happens here (the check used the same one)
                sock.connect((str(ip), target.port))
            except OSError as exc:  # TimeoutError is an OSError
                sock.close()
                last = exc
                continue
            return sock
        if isinstance(last, TimeoutError) or last is None:
            raise _problem(504, "upstream-timeout", "Upstream timeout",
                           f"Connecting to {target.host} timed out.")
        raise _problem(502, "upstream-unreachable", "Upstream unreachable",
                       f"Could not connect to {target.host} ({type(last).__name__}).")

    def _request(self, target: CheckedURL, addresses: list[IPAddress], deadline: float):
        """One HTTP exchange with the checked address; (status, content_type|None, location | (charset, body))."""
        sock = self._connect(target, addresses, deadline)
        watchdog = _Watchdog(sock, deadline - time.monotonic())
        conn: http.client.HTTPConnection | None = None
        try:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            if target.scheme == "https":
                sock = tls_context(self.policy.ca_file).wrap_socket(sock, server_hostname=target.host)
            conn = http.client.HTTPConnection(target.host, target.port)
            conn.sock = sock  # already connected to the checked address: no second lookup
            path = quote(target.path, safe=PATH_SAFE) + (
                f"?{quote(target.query, safe=_QUERY_SAFE)}" if target.query else "")
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", target.netloc)
            conn.putheader("User-Agent", self.policy.user_agent)
            conn.putheader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
            conn.putheader("Accept-Encoding", "gzip, deflate")
            conn.putheader("Connection", "close")
            conn.endheaders()
            response = conn.getresponse()
            if response.status in REDIRECT_CODES:
                return response.status, None, response.getheader("Location")
            if response.status >= 400 or response.status < 200:
                raise _problem(502, "upstream-status", "Upstream error",
                               f"The page answered HTTP {response.status}.", upstream_status=response.status)
            content_type, charset = self._content_type(response)
            body = self._read_body(response, deadline, watchdog)
            if not charset:
                charset = _meta_charset(body[:4096]) or "utf-8"
            if content_type is None:
                if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                    raise _problem(422, "not-html", "Not an HTML page",
                                   "The page has no content type and does not look like HTML.")
                content_type = "text/html"
            return response.status, content_type, (charset, body)
        except Problem:
            if watchdog.fired:
                raise self._timeout(target) from None
            raise
        except (TimeoutError, socket.timeout):
            raise self._timeout(target) from None
        except ssl.SSLError as exc:
            if watchdog.fired:
                raise self._timeout(target) from None
            raise _problem(502, "upstream-tls-error", "TLS error",
                           f"The TLS connection to {target.host} failed ({exc.reason or 'handshake'}).") from None
        except (http.client.IncompleteRead,) as exc:
            if watchdog.fired:
                raise self._timeout(target) from None
            raise _problem(502, "upstream-truncated", "Truncated response",
                           f"The page sent {len(exc.partial)} bytes, fewer than its Content-Length "
                           "promised.") from None
        except (http.client.HTTPException, ValueError) as exc:
            if watchdog.fired:
                raise self._timeout(target) from None
            raise _problem(502, "upstream-protocol-error", "Invalid response",
                           f"The page sent an invalid HTTP response ({type(exc).__name__}).") from None
        except OSError as exc:
            if watchdog.fired:
                raise self._timeout(target) from None
            raise _problem(502, "upstream-connection-error", "Connection failed",
                           f"The connection to {target.host} failed ({type(exc).__name__}).") from None
        finally:
            watchdog.cancel()
            try:
                if conn is not None:
                    conn.close()
                sock.close()
            except OSError:
                pass

    def _timeout(self, target: CheckedURL) -> Problem:
        return _problem(504, "upstream-timeout", "Upstream timeout",
                        f"The page at {target.host} did not answer within "
                        f"{self.policy.total_timeout:g} s.")

    def _content_type(self, response: http.client.HTTPResponse) -> tuple[str | None, str | None]:
        raw = response.getheader("Content-Type")
        if raw is None:
            return None, None
        mime, _, params = raw.partition(";")
        mime = mime.strip().lower()
        if mime not in HTML_TYPES:
            raise _problem(422, "not-html", "Not an HTML page",
                           f"The URL serves {mime or 'an empty content type'}, not an HTML page.",
                           content_type=mime[:100])
        match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9._:-]+)", params)
        return mime, (match.group(1).lower() if match else None)

    def _read_body(self, response: http.client.HTTPResponse, deadline: float,
                   watchdog: _Watchdog) -> bytes:
        cap = self.policy.max_bytes
        too_large = _problem(502, "upstream-too-large", "Page too large",
                             f"The page is larger than {cap} bytes (counted after decompression).")
        length = response.getheader("Content-Length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                raise _problem(502, "upstream-protocol-error", "Invalid response",
                               "The page sent an invalid Content-Length.") from None
            if declared > cap:
                raise too_large
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = _DeflateDecoder()
        elif encoding in ("identity", ""):
            decoder = None
        else:
            raise _problem(502, "upstream-encoding", "Unsupported encoding",
                           f"The page uses the content encoding {encoding[:40]!r}, which is not supported.")
        out = bytearray()
        raw_total = 0
        while True:
            if time.monotonic() > deadline:
                watchdog.fired = True
                raise _problem(504, "upstream-timeout", "Upstream timeout", "")
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
            if not chunk:
                break
            raw_total += len(chunk)
            if raw_total > cap:
                raise too_large
            if decoder is None:
                out += chunk
            else:
                try:
                    data = decoder.decompress(chunk, cap + 1 - len(out))
                    out += data
                    while decoder.unconsumed_tail and len(out) <= cap:
                        out += decoder.decompress(decoder.unconsumed_tail, cap + 1 - len(out))
                except zlib.error:
                    raise _problem(502, "upstream-encoding", "Corrupt compressed body",
                                   "The page's compressed body could not be decoded.") from None
            if len(out) > cap:
                raise too_large
        if watchdog.fired:
            raise _problem(504, "upstream-timeout", "Upstream timeout", "")
        if response.length:  # the connection closed before Content-Length bytes arrived
            raise _problem(502, "upstream-truncated", "Truncated response",
                           f"The page sent {raw_total} bytes, fewer than its Content-Length promised.")
        return bytes(out)


class _DeflateDecoder:
    """HTTP 'deflate' is zlib-wrapped in the standard, raw deflate in practice: accept both."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj(zlib.MAX_WBITS)
        self._first = True

    @property
    def unconsumed_tail(self) -> bytes:
        return self._d.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._first:
            self._first = False
            try:
                return self._d.decompress(data, max_length)
            except zlib.error:
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._d.decompress(data, max_length)


def _meta_charset(head: bytes) -> str | None:
    match = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", head, re.IGNORECASE)
    return match.group(1).decode("ascii").lower() if match else None


def init_app(app) -> None:
    app.extensions["fetcher"] = Fetcher.from_config(app.config)


def get_fetcher(app=None) -> Fetcher:
    from flask import current_app

    return (app or current_app).extensions["fetcher"]
