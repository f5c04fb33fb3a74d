"""Every error is an RFC 9457 problem: application/problem+json with type, title, status, detail.

Raise `Problem(status, kind, title, detail)` anywhere; HTTP errors (404, 405, 413, 429, ...),
APIFlask validation errors and unexpected exceptions are all turned into problems. An unexpected
exception is logged (without request data) and answered with a generic 500 problem: never a trace.

The exception: an area of pages for people (moderation, under /moderation/) renders its own HTML
error pages. Its blueprint's handler covers errors inside its views; `html_errors_under(app,
prefix, render)` covers the rest under its prefix: the 404s and 405s of paths no view matched,
which reach no blueprint (else /moderation/nope would answer JSON, /moderation/pages/99999 HTML).
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException, default_exceptions

PROBLEM_BASE = "https://reliability-labels.invalid/problems/"
PROBLEM_MIMETYPE = "application/problem+json"

log = logging.getLogger("server.errors")

_GENERIC = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("request-too-large", "Request too large"),
    414: ("uri-too-long", "Request URI too long"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-error", "Invalid request"),
    429: ("rate-limited", "Too many requests"),
    431: ("headers-too-large", "Request headers too large"),
    500: ("internal-error", "Internal error"),
    502: ("bad-gateway", "Bad gateway"),
    503: ("unavailable", "Service unavailable"),
    504: ("gateway-timeout", "Gateway timeout"),
}


class Problem(Exception):
    """An error answer: `kind` becomes the problem `type` (a URI under PROBLEM_BASE)."""

    def __init__(self, status: int, kind: str, title: str, detail: str = "",
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(f"{status} {kind}: {detail}")
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        out = {"type": PROBLEM_BASE + self.kind, "title": self.title, "status": self.status,
               "detail": self.detail}
        out.update(self.extra)
        return out


def problem_response(problem: Problem) -> Response:
    body = problem.to_dict()
    if request:
        body.setdefault("instance", request.path)
    response = Response(json.dumps(body), status=problem.status, mimetype=PROBLEM_MIMETYPE)
    for name, value in problem.headers.items():
        response.headers[name] = value
    return response


def from_http_exception(exc: HTTPException) -> Problem:
    status = exc.code or 500
    kind, title = _GENERIC.get(status, ("http-error", exc.name or "Error"))
    headers: dict[str, str] = {}
    detail = _limit_detail(status, headers) or exc.description or ""
    if exc.response is not None:  # e.g. Flask-Limiter's Retry-After, 405's Allow
        for name in ("Retry-After", "Allow", "WWW-Authenticate"):
            if name in exc.response.headers:
                headers[name] = exc.response.headers[name]
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    return Problem(status, kind, title, detail, headers=headers)


def _limit_detail(status: int, headers: dict[str, str]) -> str | None:
    """413 and 429 name the limit that was hit (Werkzeug's texts do not); None otherwise."""
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if not limit:
            return "The request body is larger than this service accepts."
        mb = limit / (1024 * 1024)
        shown = f"{mb:g} MB" if mb >= 1 else f"{limit:,} bytes"
        return f"The request body is larger than {shown}, the most this service accepts."
    if status == 429:
        from .limits import breach

        found = breach()
        if found is not None:
            detail, retry = found
            if retry is not None:  # set here too: the 429 says it even with RateLimit headers off
                headers["Retry-After"] = str(retry)
            return detail
    return None


ErrorPage = Callable[[int, str, str, dict[str, str]], Any]  # (status, title, detail, headers)


def html_errors_under(app: Flask, prefix: str, render: ErrorPage) -> None:
    """HTTP errors for paths under `prefix` that no view handles are rendered by `render`."""
    app.extensions.setdefault("html_error_areas", []).append((prefix, render))


def _error_page_for(path: str) -> ErrorPage | None:
    for prefix, render in current_app.extensions.get("html_error_areas", ()):
        if path.startswith(prefix):
            return render
    return None


def init_app(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(exc: Problem):
        return problem_response(exc)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        render = _error_page_for(request.path)
        if render is not None:
            return render(exc.code or 500, exc.name, exc.description or "", dict(exc.get_headers()))
        return problem_response(from_http_exception(exc))

    from sqlalchemy.exc import DBAPIError, TimeoutError as PoolTimeout

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database(exc: Exception):
        if isinstance(exc, DBAPIError) and not exc.connection_invalidated and \
                type(exc).__name__ not in ("OperationalError", "InterfaceError"):
            return _unexpected(exc)
        log.error("database unavailable: %s", type(exc).__name__)
        return problem_response(Problem(503, "database-unavailable", "Service unavailable",
                                        "The database is not reachable; try again shortly.",
                                        headers={"Retry-After": "5"}))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - routed above
            return _http(exc)
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method,
                  request.url_rule.rule if request.url_rule else "?", exc_info=exc)
        return problem_response(Problem(500, "internal-error", "Internal error",
                                        "Something went wrong on our side; it has been logged."))

    # APIFlask: validation errors (422) and abort() errors come through its error processor
    if hasattr(app, "error_processor"):
        @app.error_processor
        def _apiflask_error(error):
            headers = dict(error.headers or {})
            render = _error_page_for(request.path) if request else None
            if render is not None:  # werkzeug's errors come here too (APIFlask routes them)
                known = default_exceptions.get(error.status_code)
                return render(error.status_code, error.message or "Error",
                              known.description if known else "", headers)
            detail = error.message or ""
            if not error.detail:
                detail = _limit_detail(error.status_code, headers) or detail
            extra: dict[str, Any] = {}
            if error.detail:
                extra["errors"] = error.detail
                if error.status_code in (400, 422):
                    detail = _summarise(error.detail) or detail
            kind, title = _GENERIC.get(error.status_code, ("http-error", error.message or "Error"))
            if error.status_code == 422 and error.detail:
                kind, title = "validation-error", "Invalid request"
            problem = Problem(error.status_code, kind, title, detail, headers=headers, **extra)
            if error.extra_data:
                problem.extra.update(error.extra_data)
            return problem_response(problem)


def _summarise(detail: Any) -> str:
    """A one-line detail from marshmallow's nested error dict."""
    parts: list[str] = []

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + [str(key)])
        elif isinstance(node, list) and node and all(isinstance(x, str) for x in node):
            parts.append(f"{'.'.join(path[1:]) or path[0] if path else 'body'}: {' '.join(node)}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + [str(i)])
        else:
            parts.append(f"{'.'.join(path)}: {node}")

    walk(detail, [])
    return "; ".join(parts)[:500]
