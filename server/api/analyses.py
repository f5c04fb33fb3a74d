"""POST /api/v1/analyses and POST /api/v1/analyses/batch."""

from __future__ import annotations

import json
import logging
import time

from apiflask import APIBlueprint
from flask import current_app

from .. import analysis
from ..errors import Problem
from ..keys import require_key
from ..limits import SHARED_ANALYSES, limit, limiter
from ..store import db
from .problems import INVALID_KEY, JSON_BODY, OPTIONAL_KEY, RATE_LIMITED, REQUIRED_KEY
from .schemas import AnalysisIn, AnalysisOut, BatchIn, BatchOut

bp = APIBlueprint("analyses", __name__, tag="Analyses")
log = logging.getLogger("server.api")

PROBLEMS = {**JSON_BODY, **INVALID_KEY, 413: "Request or HTML too large", 422: "Invalid URL or input",
            **RATE_LIMITED, 502: "The page could not be fetched",
            503: "The database is unreachable, or too many host name lookups are in progress "
                 "(Retry-After)",
            504: "The page did not answer in time"}


@bp.post("/analyses")
@limiter.shared_limit(limit("ANALYSES"), scope=SHARED_ANALYSES)  # POST /check spends the same budget
@bp.input(AnalysisIn, arg_name="body")
@bp.output(AnalysisOut)
@bp.doc(summary="Analyse a page (or return the cached analysis)",
        responses={**PROBLEMS, 404: "The URL names a demo page this service does not have "
                                    "(no-demo-page)"},
        security=OPTIONAL_KEY)
def create_analysis(body):
    """The report for a URL: fetched by the server, or from the HTML the reader supplies.

    A cached, unexpired analysis (same normalised URL, analyzer version and source) is returned
    without work (`cached: true`). A moderator's decision overrides `badge.level`.
    """
    return _json(analysis.analyse(body["url"], body.get("html"), refresh=body.get("refresh", False)))


def _json(payload):
    """A ready Response: APIFlask documents the output schema but does not re-serialise the
    (large, already JSON-shaped) report."""
    return current_app.response_class(json.dumps(payload, ensure_ascii=False),
                                      mimetype="application/json")


@bp.post("/analyses/batch")
@limiter.limit(limit("BATCH"))
@bp.input(BatchIn, arg_name="body")
@bp.output(BatchOut)
@bp.doc(summary="Analyse up to 100 pages (API key required)", security=REQUIRED_KEY,
        responses={**PROBLEMS, 401: "API key missing (api-key-required), or unknown or revoked "
                                    "(invalid-api-key)"})
def create_batch(body):
    """Each item gets its own analysis or problem, in order; total work is bounded by a deadline.

    A problem item names the item it is about (`index`, `url` as sent): a client retrying the
    failures need not count positions.
    """
    require_key()
    deadline = time.monotonic() + float(current_app.config["BATCH_DEADLINE_SECONDS"])
    results = []
    for index, item in enumerate(body["items"][: current_app.config["BATCH_MAX_ITEMS"]]):
        try:
            if time.monotonic() > deadline:
                raise Problem(503, "batch-deadline-exceeded", "Batch deadline exceeded",
                              "The batch ran out of time before this item; send it again.")
            results.append(analysis.analyse(item["url"], item.get("html")))
            continue
        except Problem as problem:
            db.session.rollback()
            failed = problem
        except Exception:  # noqa: BLE001 - one item's bug must not sink the others
            db.session.rollback()
            log.exception("batch item failed")
            failed = Problem(500, "internal-error", "Internal error",
                             "This item failed on our side; it has been logged.")
        results.append({**failed.to_dict(), "index": index, "url": item["url"]})
    return _json({"results": results})
