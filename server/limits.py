"""Rate limits (Flask-Limiter): anonymous readers per client address, keyed clients per key.

Storage is `memory://` by default, Redis with RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.
Breaches answer 429 problem+json with Retry-After. The limiter's keys hold an address or a key
id and the endpoint name, never the URL asked about.
"""

from __future__ import annotations

from typing import Callable

from flask import Flask, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def rate_key() -> str:
    client = g.get("api_client")
    if client is not None:
        return f"key:{client.id}"
    return f"addr:{get_remote_address()}"


def limit(name: str) -> Callable[[], str]:
    """The configured limit LIMIT_<NAME>_KEYED or LIMIT_<NAME>_ANON for this request."""

    def current() -> str:
        kind = "KEYED" if g.get("api_client") is not None else "ANON"
        return current_app.config.get(f"LIMIT_{name}_{kind}") or current_app.config[f"LIMIT_{name}_KEYED"]

    return current


limiter = Limiter(key_func=rate_key, default_limits=[], retry_after="delta-seconds",
                  key_prefix="reliability")


def init_app(app: Flask) -> None:
    limiter.init_app(app)
