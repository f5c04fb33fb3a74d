"""The problem responses the API operations document in /api/v1/openapi.json.

Shared so that what every endpoint can answer (a bad body, an invalid key, a rate limit, a
database outage) is documented everywhere it happens; docs/api.md lists every problem kind.
"""

from __future__ import annotations

JSON_BODY = {400: "Malformed JSON, or nested too deeply (malformed-json)",
             415: "The body is not application/json (unsupported-media-type)"}
INVALID_KEY = {401: "An API key was sent but is unknown or revoked, or an Authorization header "
                    "other than Bearer KEY was sent (invalid-api-key)"}
RATE_LIMITED = {429: "Rate limited (rate-limited): the detail names the limit, Retry-After says "
                     "when to retry"}
UNAVAILABLE = {503: "The database is unreachable (database-unavailable; Retry-After)"}

# optional keys: anonymous callers are welcome, keyed ones get their own limits
OPTIONAL_KEY = [{}, {"ApiKey": []}, {"ApiKeyHeader": []}]
REQUIRED_KEY = ["ApiKey", "ApiKeyHeader"]
