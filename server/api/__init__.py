"""The JSON API under /api/v1: one blueprint per resource."""

from __future__ import annotations

import json

from flask import Flask, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from ..errors import Problem

from .analyses import bp as analyses_bp
from .badges import bp as badges_bp
from .reports import bp as reports_bp, init_app as init_reports

JSON_TYPES = ((type(None), "null"), (bool, "a boolean"), (int, "a number"), (float, "a number"),
              (str, "a string"), (list, "an array"))


def malformed(detail: str) -> Problem:
    return Problem(400, "malformed-json", "Malformed JSON", detail)


def refuse_cut_off_body() -> None:
    """413 for a body without Content-Length (chunked) that is longer than MAX_CONTENT_LENGTH.

    Werkzeug stops reading such a body at the limit without saying so: the cut-off JSON
    would be answered as malformed (400) instead of too large."""
    limit = request.max_content_length
    if request.content_length is not None or not limit:
        return  # a declared length over the limit is refused (413) before anything is read
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def require_json() -> None:
    """POSTs to the API carry a JSON object: 415 for another media type, 400 for malformed
    JSON, 422 for JSON that is not an object."""
    if request.method != "POST" or not request.path.startswith("/api/"):
        return
    if request.routing_exception is not None:  # no such path or method: its 404/405 comes first
        return
    if not request.is_json:
        raise Problem(415, "unsupported-media-type", "Unsupported media type",
                      "Send the request body as application/json.")
    refuse_cut_off_body()
    try:  # not silent=True: it answers None for invalid JSON and for a literal null alike
        data = request.get_json()
    except BadRequest:
        raise malformed("The request body is not valid JSON (UTF-8).") from None
    except RecursionError:  # the parser recurses once per level: "[" * 100000 exhausts the stack
        raise malformed("The request body's JSON is nested too deeply.") from None
    if not isinstance(data, dict):
        shown = next((name for kind, name in JSON_TYPES if isinstance(data, kind)), "something else")
        detail = f'The request body must be a JSON object such as {{"url": "https://…"}}, not {shown}.'
        raise Problem(422, "validation-error", "Invalid request", detail,
                      errors={"json": {"_schema": [detail]}})
    try:  # JSON may escape lone UTF-16 surrogates (\ud800): valid JSON, but not text
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(422, "invalid-unicode", "Invalid text",
                      "The request contains lone UTF-16 surrogates (\\ud800-\\udfff), which are "
                      "not text.") from None
    except RecursionError:  # parsed just under the limit, one frame deeper here
        raise malformed("The request body's JSON is nested too deeply.") from None


# Clients send `Authorization: Bearer KEY` or `X-API-Key: KEY` (server/keys.py): document both.
API_KEY_HEADER_SCHEME = {"type": "apiKey", "in": "header", "name": "X-API-Key"}


def init_app(app: Flask) -> None:
    app.before_request(require_json)
    app.config["SECURITY_SCHEMES"] = {**(app.config.get("SECURITY_SCHEMES") or {}),
                                      "ApiKeyHeader": API_KEY_HEADER_SCHEME}
    for bp in (analyses_bp, badges_bp, reports_bp):
        app.register_blueprint(bp, url_prefix="/api/v1")
    init_reports(app)
