"""Rate limits (Flask-Limiter): anonymous readers per client address, keyed clients per key.

A client address means `client_address()`: IPv4 as it is, IPv6 by its /64 prefix (one
subscriber usually gets a whole /64, so rotating through it must not buy a fresh budget). The
same helper keys the reader-report dedupe and the moderator login throttle.

Storage is `memory://` by default, Redis with RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.
Breaches answer 429 problem+json naming the limit, with Retry-After; only a 429 carries the
limiter's Retry-After (the RateLimit headers go on every limited response). The limiter's keys
hold an address or a key id and the endpoint name, never the URL asked about.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Callable

from flask import Flask, Response, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def client_address(address: str | None = None) -> str:
    """The client as limits and dedupe see it: an IPv4 address as it is, an IPv6 address as
    its /64 network (IPv4-mapped IPv6 as the IPv4 address). `address` defaults to the
    request's remote address (after ProxyFix, when configured)."""
    raw = get_remote_address() if address is None else address
    text = (raw or "").strip()
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0].strip("[]"))
    except ValueError:
        return text  # not an address (e.g. a unix socket peer): keyed as it is
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


def rate_key() -> str:
    client = g.get("api_client")
    if client is not None:
        return f"key:{client.id}"
    return f"addr:{client_address()}"


def limit(name: str) -> Callable[[], str]:
    """The configured limit LIMIT_<NAME>_KEYED or LIMIT_<NAME>_ANON for this request."""

    def current() -> str:
        kind = "KEYED" if g.get("api_client") is not None else "ANON"
        return current_app.config.get(f"LIMIT_{name}_{kind}") or current_app.config[f"LIMIT_{name}_KEYED"]

    return current


limiter = Limiter(key_func=rate_key, default_limits=[], retry_after="delta-seconds",
                  key_prefix="reliability")


def breach() -> tuple[str, int | None] | None:
    """For a request the limiter refused: the 429's detail (which limit, whose budget, when to
    retry) and the seconds to wait; None when no limit of this request was breached."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    retry = None
    try:
        retry = max(1, int(current.reset_at - time.time()))  # as the limiter counts it
    except Exception:  # noqa: BLE001 - the storage went away meanwhile: answer without a time
        pass
    whose = "this API key" if g.get("api_client") is not None else "this client address"
    when = f"retry in {retry} seconds (Retry-After)" if retry is not None else "retry later"
    return f"Rate limit exceeded: {current.limit} for {whose}; {when}.", retry


def _remember_retry_after(response: Response) -> Response:
    """Runs just before the limiter's header hook: the response's own Retry-After, if any."""
    g.own_retry_after = response.headers.get("Retry-After")
    return response


def _retry_after_on_429_only(response: Response) -> Response:
    """Runs just after the limiter's header hook, which sets Retry-After on every limited
    response: a 200 with `Retry-After: 56` tells careful clients to back off for nothing, and
    a 503's (or our 429 problem's) own value became the window's end. Put a response's own
    Retry-After back; without one, only a 429 keeps the limiter's."""
    if "own_retry_after" not in g:
        return response
    own = g.pop("own_retry_after")
    if own is not None:
        response.headers["Retry-After"] = own
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_app(app: Flask) -> None:
    # after_request hooks run in reverse order of registration: these two bracket the limiter's
    app.after_request(_retry_after_on_429_only)
    limiter.init_app(app)
    app.after_request(_remember_retry_after)
