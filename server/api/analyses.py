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
from ..limits import limit, limiter
from ..store import db
from .schemas import AnalysisIn, AnalysisOut, BatchIn, BatchOut

bp = APIBlueprint("analyses", __name__, tag="Analyses")
log = logging.getLogger("server.api")

PROBLEMS = {400: "Malformed JSON", 413: "Request or HTML too large", 422: "Invalid URL or input",
            429: "Rate limited (Retry-After)", 502: "The page could not be fetched",
            504: "The page did not answer in time"}


@bp.post("/analyses")
@limiter.limit(limit("ANALYSES"))
@bp.input(AnalysisIn, arg_name="body")
@bp.output(AnalysisOut)
@bp.doc(summary="Analyse a page (or return the cached analysis)", responses=PROBLEMS)
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
@bp.doc(summary="Analyse up to 100 pages (API key required)", security="ApiKey",
        responses={401: "API key missing or invalid", **PROBLEMS})
def create_batch(body):
    """Each item gets its own analysis or problem, in order; total work is bounded by a deadline."""
    require_key()
    deadline = time.monotonic() + float(current_app.config["BATCH_DEADLINE_SECONDS"])
    results = []
    for item in body["items"][: current_app.config["BATCH_MAX_ITEMS"]]:
        if time.monotonic() > deadline:
            results.append(Problem(503, "batch-deadline-exceeded", "Batch deadline exceeded",
                                   "The batch ran out of time before this item; send it again.").to_dict())
            continue
        try:
            results.append(analysis.analyse(item["url"], item.get("html")))
        except Problem as problem:
            db.session.rollback()
            results.append(problem.to_dict())
        except Exception:  # noqa: BLE001 - one item's bug must not sink the others
            db.session.rollback()
            log.exception("batch item failed")
            results.append(Problem(500, "internal-error", "Internal error",
                                   "This item failed on our side; it has been logged.").to_dict())
    return _json({"results": results})
