"""API keys: generated once, shown once, stored only as a keyed hash (HMAC-SHA256).

Clients send `Authorization: Bearer KEY` or `X-API-Key: KEY`. A request carrying a key that is
unknown or revoked is refused (401) rather than silently treated as anonymous.
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


def create_client(name: str) -> tuple[ApiClient, str]:
    """A new client and its key (the only time the key exists in clear)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name[:200], prefix=key[:12], key_hash=hash_key(key), created_at=utcnow())
    db.session.add(client)
    db.session.commit()
    return client, key


def revoke(ident: str) -> ApiClient | None:
    """Revoke by id, prefix or name; the client, or None if not found."""
    session = db.session
    client = None
    if ident.isdigit():
        client = session.get(ApiClient, int(ident))
    if client is None:
        client = session.scalar(select(ApiClient).where(
            (ApiClient.prefix == ident) | (ApiClient.name == ident)).order_by(ApiClient.id.desc()))
    if client is None:
        return None
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        session.commit()
    return client


def find_client(key: str) -> ApiClient | None:
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    client = db.session.scalar(select(ApiClient).where(ApiClient.key_hash == digest))
    if client is None or not hmac.compare_digest(client.key_hash, digest) or client.revoked_at is not None:
        return None
    return client


def presented_key() -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    key = request.headers.get("X-API-Key")
    return key.strip() if key else None


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
        raise Problem(401, "invalid-api-key", "Invalid API key",
                      "The API key is unknown or has been revoked.",
                      headers={"WWW-Authenticate": 'Bearer realm="reliability"'})
    g.api_client = client


def require_key() -> ApiClient:
    client = g.get("api_client")
    if client is None:
        raise Problem(401, "api-key-required", "API key required",
                      "This endpoint needs an API key: send Authorization: Bearer KEY.",
                      headers={"WWW-Authenticate": 'Bearer realm="reliability"'})
    return client


def init_app(app: Flask) -> None:
    app.before_request(load_client)
