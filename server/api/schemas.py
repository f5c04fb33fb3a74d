"""Request and response schemas: they validate requests and generate /api/v1/openapi.json."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Dict, Integer, List, Nested, String
from apiflask.validators import Length, OneOf
from marshmallow import EXCLUDE, RAISE, ValidationError, validates_schema

LEVELS = ["reliable", "mixed", "unreliable", "unrated"]
STATES = ["none", "open", "in_review", "decided"]
# What a reader can report as wrong: the badge, one signal (heuristics.analyze.SIGNALS; the
# extension offers the report's signal names), or something else.
SIGNALS = ["clickbait", "unattributed_claims", "promotions", "duplication"]
REPORT_SIGNALS = ["badge", *SIGNALS, "other"]
URL_DOC = {"description": "An http(s) URL (at most 2048 characters, no credentials).",
           "example": "http://127.0.0.1:5000/demo/seed-article.html", "format": "uri",
           "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}


class RequestBody(Schema):
    """A JSON request body: a field it does not know is a 422 naming it, never dropped. A
    misspelt optional field ("htm", "comments") would otherwise change the answer silently:
    the page fetched instead of the HTML sent, a reader's comment lost. (apispec documents
    such a schema with additionalProperties: false.)"""

    class Meta:
        unknown = RAISE

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        accepted = ", ".join(self.load_fields)
        self.error_messages = {**self.error_messages,
                               "unknown": f"Unknown field; send only {accepted}."}


class AnalysisIn(RequestBody):
    url = String(required=True, metadata=URL_DOC)
    html = String(load_default=None, allow_none=True, metadata={
        "description": "The page as the reader sees it (optional). With it the server does not "
                       "fetch; such analyses are cached apart from fetched ones."})
    refresh = Boolean(load_default=False, metadata={
        "description": "Re-analyse even when a cached analysis exists (a reader's 'Re-check this "
                       "page'). A cached analysis younger than REFRESH_MIN_AGE_SECONDS is still "
                       "returned, so re-checks cannot hammer the remote site through us."})


class BatchIn(RequestBody):
    items = List(Nested(AnalysisIn), required=True, validate=Length(min=1, max=100),
                 metadata={"description": "At most 100 items; results come back in the same order."})


class BadgeQuery(Schema):
    class Meta:
        # A query string, kept lenient: GET /api/v1/badges stays for compatibility, and caches
        # and proxies add parameters of their own (cache busters) that are no misspelling.
        unknown = EXCLUDE

    url = String(required=True, metadata=URL_DOC)


BADGE_LOOKUP_MAX_URLS = 100


class BadgeLookupIn(RequestBody):
    """POST /api/v1/badges/lookup: the URL in the body, where proxy access logs do not see it."""

    url = String(metadata={**URL_DOC, "description": "One URL: the answer is its badge, as GET "
                                                      "/api/v1/badges gives it."})
    urls = List(String(metadata=URL_DOC), validate=Length(min=1, max=BADGE_LOOKUP_MAX_URLS),
                metadata={"description": f"1-{BADGE_LOOKUP_MAX_URLS} URLs: the answer is "
                                         "{\"results\": [...]} in the same order."})

    @validates_schema
    def _one_of_url_or_urls(self, data, **kwargs):
        if ("url" in data) == ("urls" in data):
            raise ValidationError("Send either url (one URL) or urls (a list), not both or neither.")


class ReportIn(RequestBody):
    url = String(required=True, metadata=URL_DOC)
    signal = String(load_default=None, allow_none=True, validate=OneOf(
        REPORT_SIGNALS, error="unknown signal: use one of {choices} (or leave it out)."), metadata={
        "description": "Which part is wrong: 'badge', a signal name, or 'other'.", "example": "badge"})
    comment = String(load_default=None, allow_none=True, validate=Length(max=1000),
                     metadata={"description": "Free text, at most 1000 characters."})


class BadgeOut(Schema):
    level = String(metadata={"enum": LEVELS, "description": "What readers see: a moderator's level "
                                                             "when one decided, else the automatic one."})
    automatic_level = String(allow_none=True, metadata={"enum": LEVELS})
    moderated = Boolean()
    score = Integer(allow_none=True, metadata={"description": "0-100, higher = more reliable."})
    reasons = List(String())
    confidence = String(allow_none=True)


class ModerationOut(Schema):
    state = String(metadata={"enum": STATES})
    level = String(allow_none=True, metadata={"enum": LEVELS})
    note = String(allow_none=True, metadata={"description": "Shown to readers: 'Reviewed by moderators: …'"})
    reviewed_at = String(allow_none=True, metadata={"format": "date-time"})


class BadgeLookupOut(Schema):
    url = String(metadata={"description": "The normalised URL key."})
    badge = Nested(BadgeOut)
    moderation = Nested(ModerationOut)
    source = String(metadata={"enum": ["fetched", "supplied", "moderated"], "description":
                              "'moderated': a moderator's decision with no current automatic "
                              "analysis (the page cannot be fetched, or the analyzer changed)."})
    analyzer_version = String(allow_none=True)
    analyzed_at = String(allow_none=True, metadata={"format": "date-time"})
    expires_at = String(allow_none=True, metadata={"format": "date-time"})


class BadgeLookupAnswerOut(BadgeLookupOut):
    """POST /api/v1/badges/lookup: one badge for `url`, or `results` for `urls`."""

    results = List(Dict(), metadata={"description": "Only for urls: per URL, in order, a badge "
                                                    "(the fields above) or a problem object (type, "
                                                    "title, status, detail, plus index: the URL's "
                                                    "position from 0, and url: as sent), e.g. "
                                                    "no-badge."})


class AnalysisOut(Schema):
    url = String(metadata={"description": "The normalised URL key."})
    badge = Nested(BadgeOut)
    signals = Dict(metadata={"description": "Each signal: score (0-1, higher = worse), level, "
                                            "summary and evidence quotes (exact, prefix, suffix, "
                                            "kind, explanation)."})
    article = Dict(metadata={"description": "title, url, site, language, word_count, readability, ..."})
    moderation = Nested(ModerationOut)
    analyzer_version = String()
    schema_version = String()
    cached = Boolean()
    source = String(metadata={"enum": ["fetched", "supplied"]})
    analyzed_at = String(metadata={"format": "date-time"})
    expires_at = String(metadata={"format": "date-time"})


class BatchOut(Schema):
    results = List(Dict(), metadata={"description": "Per item, in order: an analysis (as POST "
                                                    "/api/v1/analyses returns) or a problem object "
                                                    "(type, title, status, detail, plus index: the "
                                                    "item's position from 0, and url: as sent)."})


class ReportOut(Schema):
    status = String(metadata={"example": "accepted"})
    duplicate = Boolean(metadata={"description": "This reader already reported this URL today."})
