"""The stored badge only, the toolbar's fast path: GET /api/v1/badges?url=… and
POST /api/v1/badges/lookup (the URL in the body, out of proxies' access logs)."""

from __future__ import annotations

import json

from apiflask import APIBlueprint
from flask import current_app, request

from .. import analysis
from ..errors import Problem
from ..limits import limit, limiter
from .problems import INVALID_KEY, JSON_BODY, OPTIONAL_KEY, RATE_LIMITED, UNAVAILABLE
from .schemas import (BADGE_LOOKUP_MAX_URLS, BadgeLookupAnswerOut, BadgeLookupIn, BadgeLookupOut,
                      BadgeQuery)

bp = APIBlueprint("badges", __name__, tag="Badges")

NO_BADGE = {404: "No current analysis for this URL (no-badge)"}


@bp.get("/badges")
@limiter.limit(limit("BADGES"))
@bp.input(BadgeQuery, location="query", arg_name="query")
@bp.output(BadgeLookupOut)
@bp.doc(summary="The stored badge for a URL (no analysis)",
        responses={**INVALID_KEY, **NO_BADGE, 422: "Invalid URL", **RATE_LIMITED, **UNAVAILABLE},
        security=OPTIONAL_KEY)
def get_badge(query):
    """Never fetches or analyses: 404 when there is no current analysis (then POST /analyses).
    The URL travels in the query string, which reverse proxies write to their access logs:
    POST /api/v1/badges/lookup keeps it in the body."""
    return _json(analysis.badge_for(query["url"]))


def _lookup_cost() -> int:
    """Each URL of a list counts against the limit, as that many GETs would; at most as many as
    the schema accepts (the limiter runs first: a longer list is refused, not charged in full)."""
    body = request.get_json(silent=True)
    urls = body.get("urls") if isinstance(body, dict) else None
    return min(max(1, len(urls)), BADGE_LOOKUP_MAX_URLS) if isinstance(urls, list) else 1


@bp.post("/badges/lookup")
@limiter.limit(limit("BADGES"), cost=_lookup_cost)
@bp.input(BadgeLookupIn, arg_name="body")
@bp.output(BadgeLookupAnswerOut)
@bp.doc(summary="The stored badge for one URL or several, the URL in the body (no analysis)",
        responses={**JSON_BODY, **INVALID_KEY, **NO_BADGE, 422: "Invalid URL or input",
                   **RATE_LIMITED, **UNAVAILABLE},
        security=OPTIONAL_KEY)
def lookup_badges(body):
    """As GET /api/v1/badges, without the URL in any access log. `{"url"}`: that badge, or
    404 no-badge. `{"urls": [...]}`: `{"results"}` in order, each a badge or a problem object
    naming its `index` and `url` (a list answers 200 even when no URL has a badge); each URL
    counts against the limit."""
    if "url" in body:
        return _json(analysis.badge_for(body["url"]))
    results = []
    for index, url in enumerate(body["urls"]):
        try:
            results.append(analysis.badge_for(url))
        except Problem as problem:
            results.append({**problem.to_dict(), "index": index, "url": url})
    return _json({"results": results})


def _json(payload):
    """A ready Response: APIFlask documents the schema but skips re-serialising (hot path)."""
    return current_app.response_class(json.dumps(payload), mimetype="application/json")
