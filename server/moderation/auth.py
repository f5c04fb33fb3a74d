"""Moderator accounts and sessions: scrypt hashes, Flask-Login, lock-out, CSRF, roles.

- Every view of the blueprint requires a logged-in, active moderator (`require_login`), except
  the login form and the stylesheet. API keys never authenticate here: there is no request
  loader, only the session cookie.
- The session is cleared (rotated) at login; the id stored in it carries the moderator's
  session token, which is replaced at logout and on password/role/active changes, so old
  cookies stop working everywhere.
- After MODERATION_MAX_FAILED_LOGINS failures in a row from one client address, that address
  is locked out of the account for a while (`lockout`: per account and address, so a stranger
  cannot lock the owner out); the answer never says whether the email exists or is locked.
  Logins are also rate-limited per client address (an IPv6 client by its /64:
  server.limits.client_address).
"""

from __future__ import annotations

import functools
import hmac
import re
import time
from urllib.parse import urlsplit

from flask import (Flask, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from server.limits import limiter  # the service's limiter: per client_address() here
from server.store import db
from server.store.models import utcnow

from . import bp, lockout
from .audit import record
from .forms import EMAIL_RE, LoginForm, LogoutForm
from .models import Moderator, new_session_token

login_manager = LoginManager()
login_manager.login_view = "moderation.login"
login_manager.login_message = "Please log in to use the moderation pages."
login_manager.session_protection = "strong"
csrf = CSRFProtect()

PUBLIC_ENDPOINTS = {"moderation.login", "moderation.static"}
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("MODERATION_PASSWORD_METHOD", "scrypt"))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_problem(email: str) -> str | None:
    """Why this (normalised) email is not acceptable, or None: the account form's rules."""
    if not 3 <= len(email or "") <= 254:
        return "Email addresses have 3 to 254 characters."
    if not re.match(EMAIL_RE, email):
        return "Not an email address."
    return None


def password_problem(password: str) -> str | None:
    """Why this password is not acceptable, or None."""
    minimum = current_app.config.get("MODERATION_MIN_PASSWORD", 12)
    if len(password or "") < minimum:
        return f"Passwords need at least {minimum} characters."
    if len(password) > 1024:
        return "Passwords may have at most 1024 characters."
    return None


def find_moderator(email: str) -> Moderator | None:
    return db.session.scalar(select(Moderator).where(Moderator.email == normalise_email(email)))


@login_manager.user_loader
def _load(user_id: str) -> Moderator | None:
    ident, _, token = (user_id or "").partition(".")
    if not ident.isascii() or not ident.isdigit() or len(ident) > 10 or not token:
        return None
    moderator = db.session.get(Moderator, int(ident))
    if moderator is None or not moderator.active:
        return None
    if not hmac.compare_digest(moderator.session_token.encode(), token.encode()):
        return None
    return moderator


@login_manager.unauthorized_handler
def _unauthorized():
    if request.method == "GET":
        return redirect(url_for("moderation.login", next=request.full_path.rstrip("?")))
    abort(401)


def safe_next(target: str | None) -> str:
    """Only redirect back into the moderation pages (no open redirects). Any control character
    falls back too: no address of ours has one, and CR/LF cannot go into a Location header."""
    default = url_for("moderation.queue")
    if not target or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/moderation/") or "\\" in target:
        return default
    return target


@bp.before_request
def require_login():
    """CSRF on every POST, then: every page but the login form needs a logged-in moderator."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    started = session.get("mod_login_at", 0)
    hours = current_app.config["MODERATION_SESSION_HOURS"]
    if time.time() - float(started) > hours * 3600:
        logout_user()
        session.clear()
        return login_manager.unauthorized()
    g.logout_form = LogoutForm()
    return None


@bp.after_request
def no_store(response):
    """No copy of a moderation page in any cache (browser history, disk, a proxy): they show
    flagged content, accounts, and a new API key once. The public stylesheet may be cached."""
    if request.endpoint != "moderation.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def admin_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _failed(moderator: Moderator | None) -> None:
    if moderator is None:
        return
    moderator.failed_logins = (moderator.failed_logins or 0) + 1  # from anywhere, for admins
    until = lockout.failed(moderator)
    if until is not None:
        # shown to admins; the lock-out holds for the client address that failed, not the owner
        moderator.locked_until = until
        record(None, "account_locked", "moderator", moderator.id, moderator.email,
               after={"failed_logins": moderator.failed_logins, "locked_until": until.isoformat()},
               detail="one client address locked out after repeated failures")
    db.session.commit()


def authenticate(email: str, password: str) -> Moderator | None:
    """The moderator if the password is right, the account active and this client address not
    locked out of it (a try while locked out is not checked, not counted, and extends nothing)."""
    moderator = find_moderator(email)
    if moderator is None:
        check_password_hash(_DUMMY_HASH, password)  # same work either way
        return None
    if lockout.locked(moderator):
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(moderator.password_hash, password) or not moderator.active:
        _failed(moderator)
        return None
    lockout.succeeded(moderator)
    moderator.failed_logins = 0
    if moderator.locked_until is not None and moderator.locked_until <= utcnow():
        moderator.locked_until = None  # a lock-out still running holds another address: keep it
    moderator.last_login_at = utcnow()
    db.session.commit()
    return moderator


def _login_limit() -> str:
    return current_app.config["MODERATION_LOGIN_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("moderation.queue"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        moderator = authenticate(form.email.data, form.password.data)
        if moderator is not None:
            target = safe_next(request.args.get("next"))
            session.clear()  # rotate: nothing from before the login survives
            login_user(moderator)
            session["mod_login_at"] = time.time()
            return redirect(target)
        flash("Login failed: wrong email or password, or too many failed attempts "
              "(then wait a few minutes).", "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("moderation/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        current_user.session_token = new_session_token()  # old cookies stop working too
        db.session.commit()
        logout_user()
        session.clear()
        flash("Logged out.", "info")
    return redirect(url_for("moderation.login"))


def rotate_token(moderator: Moderator) -> None:
    moderator.session_token = new_session_token()


def count_admins() -> int:
    return db.session.scalar(select(func.count()).select_from(Moderator).where(
        Moderator.role == "admin", Moderator.active.is_(True))) or 0


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
