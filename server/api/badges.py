"""GET /api/v1/badges: the stored badge only, the toolbar's fast path."""

from __future__ import annotations

import json

from apiflask import APIBlueprint
from flask import current_app

from .. import analysis
from ..limits import limit, limiter
from .problems import INVALID_KEY, OPTIONAL_KEY, RATE_LIMITED, UNAVAILABLE
from .schemas import BadgeLookupOut, BadgeQuery

bp = APIBlueprint("badges", __name__, tag="Badges")


@bp.get("/badges")
@limiter.limit(limit("BADGES"))
@bp.input(BadgeQuery, location="query", arg_name="query")
@bp.output(BadgeLookupOut)
@bp.doc(summary="The stored badge for a URL (no analysis)",
        responses={**INVALID_KEY, 404: "No current analysis for this URL (no-badge)",
                   422: "Invalid URL", **RATE_LIMITED, **UNAVAILABLE},
        security=OPTIONAL_KEY)
def get_badge(query):
    """Never fetches or analyses: 404 when there is no current analysis (then POST /analyses)."""
    # a ready Response: APIFlask documents BadgeLookupOut but skips re-serialising (hot path)
    return current_app.response_class(json.dumps(analysis.badge_for(query["url"])),
                                      mimetype="application/json")
