"""JSON logs, one object per line, and a request log that never ties a reader to a URL.

The request log records the method, the route *pattern* (never the path's values or the query
string, which carry the URL asked about), the status and the duration; never the client address.

werkzeug's request log (`flask run`, the development server) is off: it writes the client's
address and the whole request line, query string and all.

Flask-Limiter's own logger (`flask-limiter`) goes to the same place, filtered: its rate-limit
storage outages and recoveries (once each per episode and process), its swallowed errors at most
once a minute, never its per-breach lines (they name the client's address).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time

from flask import Flask, g, request


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
               "logger": record.name, "msg": record.getMessage()}
        for key in ("event", "method", "route", "status", "ms"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


LIMITER_LOGGER = "flask-limiter"
# Flask-Limiter's messages (flask_limiter/_extension.py) for its storage going and coming back
LIMITER_EVENTS = {
    "Rate limit storage unreachable - falling back to in-memory storage": "ratelimit-storage-down",
    "Rate limit storage recovered": "ratelimit-storage-recovered",
}


class LimiterLogFilter(logging.Filter):
    """Lets through the limiter's storage events (tagged with `event`) and warnings; repeats of
    one error message (a storage error swallowed on every request when there is no fallback) at
    most once per `repeat_seconds`; nothing below WARNING otherwise: the per-breach info lines
    carry the client's address."""

    def __init__(self, repeat_seconds: float = 60.0) -> None:
        super().__init__()
        self.repeat_seconds = repeat_seconds
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        event = LIMITER_EVENTS.get(str(record.msg))
        if event is not None:
            record.event = event
            return True
        if record.levelno < logging.WARNING:
            return False
        if record.levelno >= logging.ERROR:
            return self._first_in_a_while(str(record.msg))
        return True

    def _first_in_a_while(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(key, -self.repeat_seconds) < self.repeat_seconds:
                return False
            self._last[key] = now
        return True


def _route_limiter_log(handlers: list[logging.Handler]) -> None:
    logger = logging.getLogger(LIMITER_LOGGER)
    if not any(isinstance(f, LimiterLogFilter) for f in logger.filters):
        logger.addFilter(LimiterLogFilter())
    for handler in handlers:
        if handler not in logger.handlers:
            logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # the filter decides; "recovered" is an INFO record
    logger.propagate = False


def configure(app: Flask) -> None:
    if not app.config.get("JSON_LOGS", True):
        return
    root = logging.getLogger("server")
    if not any(getattr(h, "_reliability", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JSONFormatter())
        handler._reliability = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    root.propagate = False
    app.logger.handlers[:] = [h for h in root.handlers]
    app.logger.propagate = False
    _route_limiter_log([h for h in root.handlers if getattr(h, "_reliability", False)])


request_log = logging.getLogger("server.requests")

WERKZEUG_LOGGER = "werkzeug"
# werkzeug's request handler prefixes every line about a request with "ADDRESS - - [DATE] "
_WERKZEUG_REQUEST_LINE = re.compile(r"^\S* - - \[")


class RequestLineFilter(logging.Filter):
    """Drops werkzeug's lines about a request: the access line ("GET /check?url=… 200") and its
    errors (a malformed request line quoted whole), each with the client's address."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _WERKZEUG_REQUEST_LINE.match(str(record.msg))


def quiet_werkzeug() -> None:
    """`reliability serve`, `flask run` and any other werkzeug server log an access line per
    request (client address plus the query string, i.e. the URL asked about). A filter, not a
    WARNING level: the level would also hide "Running on …" and the
    debugger PIN, and would still let through the ERROR lines that quote a bad request line."""
    logger = logging.getLogger(WERKZEUG_LOGGER)
    if not any(isinstance(f, RequestLineFilter) for f in logger.filters):
        logger.addFilter(RequestLineFilter())


def init_app(app: Flask) -> None:
    configure(app)
    quiet_werkzeug()

    @app.before_request
    def _start() -> None:
        g._t0 = time.perf_counter()

    @app.after_request
    def _log(response):
        if request_log.isEnabledFor(logging.INFO):
            ms = round((time.perf_counter() - g.get("_t0", time.perf_counter())) * 1000, 2)
            rule = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
            request_log.info("request", extra={"event": "request", "method": request.method,
                                               "route": rule, "status": response.status_code, "ms": ms})
        return response
