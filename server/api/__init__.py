"""The JSON API under /api/v1: one blueprint per resource."""

from __future__ import annotations

import json

from flask import Flask, request

from ..errors import Problem

from .analyses import bp as analyses_bp
from .badges import bp as badges_bp
from .reports import bp as reports_bp, init_app as init_reports


def require_json() -> None:
    """POSTs to the API carry JSON: 415 for another media type, 400 for malformed JSON."""
    if request.method != "POST" or not request.path.startswith("/api/"):
        return
    if not request.is_json:
        raise Problem(415, "unsupported-media-type", "Unsupported media type",
                      "Send the request body as application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise Problem(400, "malformed-json", "Malformed JSON",
                      "The request body is not valid JSON (UTF-8).")
    try:  # JSON may escape lone UTF-16 surrogates (\ud800): valid JSON, but not text
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(422, "invalid-unicode", "Invalid text",
                      "The request contains lone UTF-16 surrogates (\\ud800-\\udfff), which are "
                      "not text.") from None


def init_app(app: Flask) -> None:
    app.before_request(require_json)
    for bp in (analyses_bp, badges_bp, reports_bp):
        app.register_blueprint(bp, url_prefix="/api/v1")
    init_reports(app)
