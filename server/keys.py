"""API keys: generated once, shown once, stored only as a keyed hash (HMAC-SHA256).

Clients send `Authorization: Bearer KEY` or `X-API-Key: KEY`. A request carrying a key that is
unknown or revoked, or an Authorization header in another form, is refused (401) rather than
silently treated as anonymous.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, current_app, g, request
from sqlalchemy import select

from .errors import Problem
from .store import db
from .store.models import ApiClient, utcnow

KEY_PREFIX = "rlk_"


def _pepper() -> bytes:
    config = current_app.config
    return str(config.get("API_KEY_PEPPER") or config["SECRET_KEY"]).encode()


def hash_key(key: str) -> str:
    return hmac.new(_pepper(), key.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


class ClientError(ValueError):
    """An `apikey create` or `revoke` that must not happen as asked; the message says why."""


def active_clients(name: str) -> list[ApiClient]:
    return list(db.session.scalars(select(ApiClient).where(
        ApiClient.name == name, ApiClient.revoked_at.is_(None)).order_by(ApiClient.id)))


def create_client(name: str) -> tuple[ApiClient, str]:
    """A new client and its key (the only time the key exists in clear).

    Names of active clients are unique, so that `revoke NAME` means one key; a revoked
    client's name can be reused (a key rotated for the same tool)."""
    name = name.strip()[:200]
    if not name:
        raise ClientError("the client name is empty")
    if active_clients(name):
        raise ClientError(f"an active API client is already named {name!r}; revoke it first or "
                          "choose another name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name, prefix=key[:12], key_hash=hash_key(key), created_at=utcnow())
    db.session.add(client)
    db.session.commit()
    return client, key


def describe(client: ApiClient) -> str:
    state = f"revoked {client.revoked_at:%Y-%m-%d %H:%M}" if client.revoked_at else "active"
    return f"id {client.id} ({client.name}, prefix {client.prefix}, {state})"


def revoke(ident: str) -> tuple[ApiClient | None, bool]:
    """Revoke by id, key prefix or name: (the client, whether this call revoked it), or
    (None, False) if nothing matches.

    A number is an id. A name may belong to several clients (one active, revoked ones before
    it; or several active ones made before names were unique): the one active client is
    meant; with more than one, nothing is revoked and ClientError lists them by id.
    """
    session = db.session
    ident = ident.strip()
    client = session.get(ApiClient, int(ident)) if ident.isdecimal() and len(ident) < 19 else None
    if client is None:
        matches = list(session.scalars(select(ApiClient).where(
            (ApiClient.prefix == ident) | (ApiClient.name == ident)).order_by(ApiClient.id)))
        active = [c for c in matches if c.revoked_at is None]
        if len(active) > 1:
            listed = "; ".join(describe(c) for c in active)
            raise ClientError(f"{ident!r} names {len(active)} active API clients ({listed}); "
                              "revoke one by its id")
        candidates = active or matches
        if not candidates:
            return None, False
        client = candidates[-1]  # all revoked already: the newest, to report it as such
    if client.revoked_at is not None:
        return client, False
    client.revoked_at = utcnow()
    session.commit()
    return client, True


def find_client(key: str) -> ApiClient | None:
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    client = db.session.scalar(select(ApiClient).where(ApiClient.key_hash == digest))
    if client is None or not hmac.compare_digest(client.key_hash, digest) or client.revoked_at is not None:
        return None
    return client


def presented_key() -> str | None:
    """The key the request carries (None: anonymous). An Authorization header that is not
    `Bearer KEY` (`Token KEY`, a bare key, Basic) is refused: ignoring it would serve a client
    that meant to use its key as anonymous, under anonymous limits, without a word."""
    auth = request.headers.get("Authorization", "").split(None, 1)
    if auth:
        scheme, key = auth[0], auth[1] if len(auth) > 1 else ""
        if scheme.lower() != "bearer":
            raise _unauthorized("invalid-api-key", "Invalid API key",
                                "Send the API key as Authorization: Bearer KEY (or X-API-Key: KEY); "
                                f"an Authorization header {_shape(scheme)} is not accepted.")
        return key.strip()
    key = request.headers.get("X-API-Key")
    return key.strip() if key else None


# Schemes the refusal may name: what is sent in their place could be a secret, never echoed.
KNOWN_SCHEMES = {"basic", "digest", "token", "apikey", "key", "negotiate", "ntlm"}


def _shape(scheme: str) -> str:
    """How the refusal names what was sent, never quoting a key."""
    if scheme.startswith(KEY_PREFIX):
        return "with a bare key and no scheme"
    if scheme.lower() in KNOWN_SCHEMES:
        return f"with the scheme {scheme!r}"
    return "without the Bearer scheme"


def _unauthorized(kind: str, title: str, detail: str) -> Problem:
    return Problem(401, kind, title, detail,
                   headers={"WWW-Authenticate": 'Bearer realm="reliability"'})


def load_client() -> None:
    """before_request: identify a keyed client (only when a key is presented: no DB otherwise)."""
    g.api_client = None
    if not request.path.startswith("/api/"):
        return
    key = presented_key()
    if key is None:
        return
    client = find_client(key)
    if client is None:
        raise _unauthorized("invalid-api-key", "Invalid API key",
                            "The API key is unknown or has been revoked.")
    g.api_client = client


def require_key() -> ApiClient:
    client = g.get("api_client")
    if client is None:
        raise _unauthorized("api-key-required", "API key required",
                            "This endpoint needs an API key: send Authorization: Bearer KEY.")
    return client


def init_app(app: Flask) -> None:
    app.before_request(load_client)
