"""JSON logs, one object per line, and a request log that never ties a reader to a URL.

The request log records the method, the route *pattern* (never the path's values or the query
string, which carry the URL asked about), the status and the duration; never the client address.
"""

from __future__ import annotations

import json
import logging
import sys
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


request_log = logging.getLogger("server.requests")


def init_app(app: Flask) -> None:
    configure(app)

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
