"""Admin pages: moderator accounts, API keys, the audit log. Admins only; every change audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.store import db
from server.store.models import ApiClient, utcnow

from . import bp
from .audit import record
from .auth import (admin_required, count_admins, email_problem, hash_password, normalise_email,
                   password_problem, rotate_token)
from .forms import (ApiKeyCreateForm, ApiKeyRevokeForm, ModeratorCreateForm, ModeratorUpdateForm,
                    with_ids)
from .models import MAX_INT, AuditEntry, Moderator
from .queue import page_number


def _account(m: Moderator) -> dict:
    return {"email": m.email, "role": m.role, "active": bool(m.active)}


def create_moderator(email: str, password: str, role: str = "moderator", actor=None) -> Moderator:
    """A new account (used by the web form and by `reliability moderator create`)."""
    email = normalise_email(email)
    problem = email_problem(email) or password_problem(password)
    if problem:
        raise ValueError(problem)
    if role not in ("moderator", "admin"):
        raise ValueError("Unknown role.")
    moderator = Moderator(email=email, password_hash=hash_password(password), role=role,
                          active=True, created_at=utcnow(), failed_logins=0)
    db.session.add(moderator)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValueError(f"A moderator with the email {email} already exists.") from None
    record(actor, "moderator_create", "moderator", moderator.id, email, after=_account(moderator),
           detail=None if actor is not None else "command line")
    db.session.commit()
    return moderator


@bp.route("/admin/moderators", methods=["GET", "POST"])
@admin_required
def moderators():
    form = ModeratorCreateForm()
    status = 200
    if form.validate_on_submit():
        try:
            created = create_moderator(form.email.data, form.password.data, form.role.data, current_user)
        except ValueError as exc:
            form.email.errors = list(form.email.errors) + [str(exc)]
            status = 422
        else:
            flash(f"Account {created.email} created.", "info")
            return redirect(url_for("moderation.moderators"))
    elif request.method == "POST":
        status = 422
    accounts = db.session.scalars(select(Moderator).order_by(Moderator.email)).all()
    forms = {m.id: with_ids(ModeratorUpdateForm(formdata=None, role=m.role, active=m.active),
                            f"moderator-{m.id}") for m in accounts}
    return render_template("moderation/moderators.html", form=with_ids(form, "new"),
                           accounts=accounts, forms=forms), status


@bp.route(f"/admin/moderators/<int(max={MAX_INT}):moderator_id>", methods=["POST"])
@admin_required
def update_moderator(moderator_id: int):
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is None:
        abort(404, "No such moderator.")
    form = ModeratorUpdateForm()
    if not form.validate_on_submit():
        abort(400, "Invalid form.")
    before = _account(moderator)
    demoting = moderator.role == "admin" and (form.role.data != "admin" or not form.active.data)
    if demoting and moderator.active and count_admins() <= 1:
        flash("The last active admin cannot be demoted or deactivated.", "error")
        return redirect(url_for("moderation.moderators"))
    password = form.password.data or ""
    if password:
        problem = password_problem(password)
        if problem:
            flash(problem, "error")
            return redirect(url_for("moderation.moderators"))
        moderator.password_hash = hash_password(password)
        moderator.failed_logins = 0
        moderator.locked_until = None
    moderator.role = form.role.data
    moderator.active = bool(form.active.data)
    after = _account(moderator)
    if before == after and not password:
        flash("Nothing changed.", "info")
        return redirect(url_for("moderation.moderators"))
    rotate_token(moderator)  # their sessions end: they log in again with the new rights
    if password:
        after = dict(after, password_reset=True)
    record(current_user, "moderator_update", "moderator", moderator.id, moderator.email,
           before=before, after=after)
    db.session.commit()
    flash(f"Account {moderator.email} updated.", "info")
    return redirect(url_for("moderation.moderators"))


@bp.route("/admin/api-keys", methods=["GET", "POST"])
@admin_required
def api_keys():
    from server import keys

    form = ApiKeyCreateForm()
    new_key = None
    status = 200
    if form.validate_on_submit():
        try:
            client, new_key = keys.create_client(form.name.data.strip())
        except keys.ClientError as exc:  # a name an active client already has
            form.name.errors.append(str(exc))
            status = 422
        else:
            record(current_user, "apikey_create", "api_client", client.id, client.name,
                   after={"name": client.name, "prefix": client.prefix})
            db.session.commit()
    elif request.method == "POST":
        status = 422
    clients = db.session.scalars(select(ApiClient).order_by(ApiClient.created_at.desc())).all()
    revoke_forms = {c.id: with_ids(ApiKeyRevokeForm(formdata=None), f"revoke-{c.id}")
                    for c in clients if c.revoked_at is None}
    return render_template("moderation/api_keys.html", form=with_ids(form, "new"), clients=clients,
                           new_key=new_key, revoke_forms=revoke_forms), status


@bp.route(f"/admin/api-keys/<int(max={MAX_INT}):client_id>/revoke", methods=["POST"])
@admin_required
def revoke_api_key(client_id: int):
    client = db.session.get(ApiClient, client_id)
    if client is None:
        abort(404, "No such API client.")
    if not ApiKeyRevokeForm().validate_on_submit():
        abort(400, "Invalid form.")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        record(current_user, "apikey_revoke", "api_client", client.id, client.name,
               before={"active": True}, after={"active": False})
        db.session.commit()
        flash(f"Key {client.prefix}… revoked.", "info")
    return redirect(url_for("moderation.api_keys"))


@bp.route("/admin/audit")
@admin_required
def audit_log():
    size = 100
    number = page_number(request.args.get("page"))
    action = (request.args.get("action") or "").strip()[:64] or None
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    entries = db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                 .limit(size).offset((number - 1) * size)).all()
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return render_template("moderation/audit.html", entries=entries, page=number, pages=pages,
                           action=action, actions=actions, total=total)
