"""Moderation: the server-rendered review side of the service, under /moderation/.

One blueprint (`bp`), split into small modules: `auth` (accounts, login, CSRF), `lockout`
(failed logins per account and client address), `views` (queue, review, decisions, per-site
view, export), `admin` (moderators, API keys, the audit log). Business rules live in
`decisions` (claims and decisions with compare-and-set on a version; `claims` says when a claim
has expired), `queue`, `highlight` (evidence in place) and `audit`; templates render only.

`init_app(app)` wires Flask-Login and Flask-WTF's CSRF protection (checked on every POST to
this blueprint, not on the JSON API) and registers the blueprint.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from server import errors

bp = Blueprint("moderation", __name__, url_prefix="/moderation",
               template_folder="templates", static_folder="static",
               static_url_path="/static")

from . import admin, auth, views  # noqa: E402,F401  (routes register on bp)
from . import claims  # noqa: E402

DEFAULTS = {
    "MODERATION_MAX_FAILED_LOGINS": 5,  # in a row from one address: it is locked out a while
    "MODERATION_LOCKOUT_SECONDS": 900,  # doubled for each further lock-out that day, up to a day
    "MODERATION_LOGIN_LIMIT": "20/minute;100/hour",  # per client address (Flask-Limiter)
    "MODERATION_SESSION_HOURS": 8,
    "MODERATION_PAGE_SIZE": 50,
    "MODERATION_DERIVE_TEXT": True,  # re-extract the article text for in-place highlighting
    "MODERATION_MIN_PASSWORD": 12,
    "MODERATION_PASSWORD_METHOD": "scrypt",  # werkzeug's scrypt (n=2**15, r=8, p=1)
    "WTF_CSRF_CHECK_DEFAULT": False,  # CSRF is checked by this blueprint, not on the JSON API
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
}


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    auth.init_app(app)
    app.extensions["review_is_live"] = claims.under_live_claim
    app.register_blueprint(bp)
    errors.html_errors_under(app, bp.url_prefix + "/", views.error_page)
