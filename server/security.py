"""Security headers on every response, and CORS for the reader endpoints only.

CORS: the extension calls from chrome-extension:// or moz-extension:// origins (or with host
permissions, when no CORS is needed). Only the reader endpoints answer those origins; no
credentials are ever allowed cross-origin.
"""

from __future__ import annotations

from flask import Flask, current_app, request

CORS_PATHS = ("/api/v1/analyses", "/api/v1/badges", "/api/v1/reports")
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


def add_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    mimetype = response.mimetype or ""
    headers.setdefault("Content-Security-Policy", PAGE_CSP if mimetype == "text/html" else API_CSP)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    origin = cors_origin()
    if origin is not None:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Expose-Headers"] = CORS_EXPOSE
        if request.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization, X-API-Key"
            headers["Access-Control-Max-Age"] = "600"
    if request.path in CORS_PATHS:
        headers.add("Vary", "Origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
