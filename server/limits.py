"""Rate limits (Flask-Limiter): anonymous readers per client address, keyed clients per key.

A client address means `client_address()`: IPv4 as it is, IPv6 by its /64 prefix (one
subscriber usually gets a whole /64, so rotating through it must not buy a fresh budget). The
same helper keys the reader-report dedupe and the moderator login throttle.

Storage is `memory://` by default, Redis with RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.
Breaches answer 429 problem+json naming the limit, with Retry-After; only a 429 carries the
limiter's Retry-After (the RateLimit headers go on every limited response). The limiter's keys
hold an address or a key id and the endpoint name (or the shared scope, SHARED_ANALYSES), never
the URL asked about.

A Redis outage: short client timeouts (REDIS_TIMEOUTS, unless RATELIMIT_STORAGE_OPTIONS sets
its own), then Flask-Limiter's in-memory fallback: each worker applies the same limits in its
own memory until Redis answers again (it retries with a growing pause, 1 s to 32 s). Flask-Limiter
logs both changes once (server/logs.py routes its logger); /readyz reports the degraded state.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
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

# POST /api/v1/analyses and POST /check are one analysis budget: `limiter.shared_limit(...,
# scope=SHARED_ANALYSES)` on both, so each counter is the scope's, not the endpoint's
# (GET /check only reads the cache and counts against the badge limit)
SHARED_ANALYSES = "analyses"

# A healthy Redis answers in well under a millisecond. redis-py waits 5 s by default, which every
# limited request paid while Redis hung; after a timeout the in-memory fallback takes over.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@limiter.request_filter
def _health_checks_are_not_limited() -> bool:
    """/healthz and /readyz: never limited, and never slowed by the limiter's own storage check
    while Redis is down (/readyz checks the storage itself)."""
    return request.blueprint == "health"


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


def _uses_redis(uri: str) -> bool:
    return urlsplit(uri).scheme.split("+")[0] in ("redis", "rediss", "valkey", "valkeys")


def _configure_storage(app: Flask) -> None:
    """Short Redis timeouts and the in-memory fallback, unless the configuration says otherwise."""
    config = app.config
    if _uses_redis(config.get("RATELIMIT_STORAGE_URI") or "memory://"):
        config["RATELIMIT_STORAGE_OPTIONS"] = {**REDIS_TIMEOUTS,
                                               **(config.get("RATELIMIT_STORAGE_OPTIONS") or {})}
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)


def storage_problem() -> str | None:
    """Why the shared limit storage does not answer (for /readyz); None when it does, or when
    limits are per process anyway (memory://, or limits off)."""
    storage = current_app.extensions.get("rate_limit_storage")
    if storage is None or storage.check():  # check() is bounded by REDIS_TIMEOUTS
        return None
    return ("The rate-limit storage (RATELIMIT_STORAGE_URI) does not answer: each worker applies "
            "the limits in its own memory until it is back.")


def init_app(app: Flask) -> None:
    _configure_storage(app)
    # after_request hooks run in reverse order of registration: these two bracket the limiter's
    app.after_request(_retry_after_on_429_only)
    limiter.init_app(app)
    app.after_request(_remember_retry_after)
    # the one limiter serves every app made in this process: a new app starts on its own
    # storage, not in the fallback an earlier app's outage left behind
    limiter._storage_dead = False
    scheme = urlsplit(app.config.get("RATELIMIT_STORAGE_URI") or "memory://").scheme
    if limiter.enabled and scheme != "memory":
        app.extensions["rate_limit_storage"] = limiter.storage
