"""The JSON API under /api/v1: one blueprint per resource."""

from __future__ import annotations

from flask import Flask, request

from ..errors import Problem

from .analyses import bp as analyses_bp
from .badges import bp as badges_bp
from .reports import bp as reports_bp


def require_json() -> None:
    """POSTs to the API carry JSON: 415 for another media type, 400 for malformed JSON."""
    if request.method != "POST" or not request.path.startswith("/api/"):
        return
    if not request.is_json:
        raise Problem(415, "unsupported-media-type", "Unsupported media type",
                      "Send the request body as application/json.")
    if request.get_json(silent=True) is None:
        raise Problem(400, "malformed-json", "Malformed JSON",
                      "The request body is not valid JSON (UTF-8).")


def init_app(app: Flask) -> None:
    app.before_request(require_json)
    for bp in (analyses_bp, badges_bp, reports_bp):
        app.register_blueprint(bp, url_prefix="/api/v1")
