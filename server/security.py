"""Security headers on every response, and CORS for the reader endpoints only.

CORS: the extension calls from chrome-extension:// or moz-extension:// origins (or with host
permissions, when no CORS is needed). Only the reader endpoints answer those origins; no
credentials are ever allowed cross-origin.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface

CORS_PATHS = ("/api/v1/analyses", "/api/v1/badges", "/api/v1/badges/lookup", "/api/v1/reports")
CORS_EXPOSE = "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'")


def cors_origin() -> str | None:
    origin = request.headers.get("Origin")
    if not origin or request.path not in CORS_PATHS:
        return None
    prefixes = tuple(current_app.config.get("CORS_ALLOWED_ORIGIN_PREFIXES", ()))
    extra = set(current_app.config.get("CORS_ALLOWED_ORIGINS", ()))
    if origin in extra or (prefixes and origin.startswith(prefixes) and len(origin) < 200):
        return origin
    return None


_COMMON = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
           ("X-Frame-Options", "DENY"), ("Cross-Origin-Opener-Policy", "same-origin"))


def add_headers(response):
    headers = response.headers
    present = {key.lower() for key in headers.keys()}
    add = [(k, v) for k, v in _COMMON if k.lower() not in present]
    if "content-security-policy" not in present:
        add.append(("Content-Security-Policy", PAGE_CSP if response.mimetype == "text/html" else API_CSP))
    path = request.path
    if path.startswith("/api/") and "cache-control" not in present:
        add.append(("Cache-Control", "no-store"))
    if request.is_secure:
        add.append(("Strict-Transport-Security", "max-age=31536000"))
    if path in CORS_PATHS:
        add.append(("Vary", "Origin"))
        origin = cors_origin()
        if origin is not None:
            add.append(("Access-Control-Allow-Origin", origin))
            add.append(("Access-Control-Expose-Headers", CORS_EXPOSE))
            if request.method == "OPTIONS":
                add.extend((("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                            ("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key"),
                            ("Access-Control-Max-Age", "600")))
    headers.extend(add)
    return response


class APISessionInterface(SecureCookieSessionInterface):
    """No cookie session on the JSON API (it never uses one): saves work on the hot path and
    keeps moderator sessions away from API calls."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
    app.session_interface = APISessionInterface()
