"""Queue, review page, claims, decisions, evidence feedback, per-site view, export."""

from __future__ import annotations

import csv
import io
import json
import logging

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.exceptions import HTTPException

from server.analysis import iso
from server.store import db
from server.store.models import Analysis, Page, ReaderReport

from . import bp, claims, highlight
from .decisions import (Conflict, Invalid, claim, decide, ensure_item, give_feedback,
                        latest_analysis, release)
from .forms import ClaimForm, DecisionForm, FeedbackForm, ReleaseForm, with_ids
from .models import MAX_INT, Decision, EvidenceFeedback
from .queue import STATUSES, page_number, queue as queue_rows, sites as queue_sites

log = logging.getLogger("server.moderation")


# -- errors: HTML pages, never a trace -----------------------------------------------------

@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error_page(exc.code or 500, exc.name, exc.description or "", dict(exc.get_headers()))


def error_page(status: int, title: str, detail: str, headers: dict[str, str]):
    """The HTML error page, also for paths under /moderation/ that match no view (init_app
    registers it with server.errors): a moderator's browser never gets problem+json here."""
    kept = {"Cache-Control": "no-store"}
    if headers.get("Allow"):  # a 405 says which methods the path has
        kept["Allow"] = headers["Allow"]
    return render_template("moderation/error.html", code=status, title=title,
                           detail=detail), status, kept


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    log.error("moderation: unhandled %s on %s", type(exc).__name__,
              request.url_rule.rule if request.url_rule else "?", exc_info=exc)
    db.session.rollback()
    return render_template("moderation/error.html", code=500, title="Internal error",
                           detail="Something went wrong on our side; it has been logged."), 500


# -- queue ---------------------------------------------------------------------------------

@bp.route("/")
def queue():
    status = request.args.get("status", "pending")
    site = (request.args.get("site") or "").strip()[:255] or None
    number = page_number(request.args.get("page"))
    result = queue_rows(status, site, number, current_app.config["MODERATION_PAGE_SIZE"])
    return render_template("moderation/queue.html", result=result, status=status,
                           statuses=STATUSES, site=site, sites=queue_sites(),
                           describe_claim=claims.describe)


# -- review --------------------------------------------------------------------------------

def _page_or_404(page_id: int) -> Page:
    page = db.session.get(Page, page_id)
    if page is None:
        abort(404, "No such page.")
    return page


def _feedback_map(page_id: int) -> dict[tuple[int | None, str, int], EvidenceFeedback]:
    """The latest verdict per (analysis, signal, item)."""
    rows = db.session.scalars(select(EvidenceFeedback).where(EvidenceFeedback.page_id == page_id)
                              .order_by(EvidenceFeedback.created_at, EvidenceFeedback.id))
    return {(f.analysis_id, f.signal, f.item_index): f for f in rows}


def analysis_or_404(page: Page, raw: str | None) -> Analysis | None:
    """The analysis a ?analysis= id names (None without one); 404 unless it is this page's."""
    if raw is None:
        return None
    if not raw.isdecimal() or len(raw) > 10 or int(raw) > MAX_INT:
        abort(404, "No such analysis for this page.")
    analysis = db.session.get(Analysis, int(raw))
    if analysis is None or analysis.page_id != page.id:
        abort(404, "No such analysis for this page.")
    return analysis


def render_review(page: Page, *, analysis: Analysis | None = None,
                  decision_form: DecisionForm | None = None,
                  conflict: str | None = None, status: int = 200):
    """The review page, showing `analysis` or by default the server's own (fetched) analysis.
    Supplied HTML may be anything anyone sent for this URL: it is shown only when the server has
    no analysis of its own, or when asked for, and marked as supplied either way."""
    item = ensure_item(page.id)
    fetched = latest_analysis(page.id, "fetched")
    supplied = latest_analysis(page.id, "supplied")
    if analysis is None:
        analysis = fetched or supplied
    report = analysis.report if analysis else {}
    paragraphs = None
    if analysis is not None:
        paragraphs = highlight.derive_paragraphs(page.url, analysis.id, analysis.source, report)
    view = highlight.build(report, paragraphs)
    history = db.session.scalars(select(Analysis).where(Analysis.page_id == page.id)
                                 .order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(50)).all()
    decisions = db.session.scalars(select(Decision).where(Decision.page_id == page.id)
                                   .order_by(Decision.created_at.desc(), Decision.id.desc())).all()
    reports = db.session.scalars(select(ReaderReport).where(ReaderReport.page_id == page.id)
                                 .order_by(ReaderReport.created_at.desc()).limit(200)).all()
    if decision_form is None:
        # preselect what can be done: confirm the automatic label, or override when there is
        # none to confirm; nothing on a decided page (revising or withdrawing is deliberate)
        action = "confirm" if page.badge_level else "override"
        if page.moderation_state == "decided":
            action = None
        decision_form = DecisionForm(formdata=None, version=item.version, action=action,
                                     level=page.moderated_level or "", note=page.moderation_note or "")
    else:
        decision_form.version.data = item.version
    return render_template(
        "moderation/review.html", page=page, item=item, analysis=analysis, report=report,
        fetched=fetched, supplied=supplied,
        view=view, history=history, decisions=decisions, reports=reports,
        feedback=_feedback_map(page.id), decision_form=with_ids(decision_form, "decision"),
        claim_form=with_ids(ClaimForm(formdata=None, version=item.version), "claim"),
        release_form=with_ids(ReleaseForm(formdata=None, version=item.version), "release"),
        conflict=conflict, claim=claims.describe(item),
        # mine: the claim on record is ours, live or expired (nobody else has taken it since),
        # so we may still release it or act without a take-over
        mine=item.claimed_by == current_user.id,
    ), status


@bp.route(f"/pages/<int(max={MAX_INT}):page_id>")
def review(page_id: int):
    page = _page_or_404(page_id)
    return render_review(page, analysis=analysis_or_404(page, request.args.get("analysis")))


@bp.route(f"/pages/<int(max={MAX_INT}):page_id>/claim", methods=["POST"])
def claim_page(page_id: int):
    page = _page_or_404(page_id)
    form = ClaimForm()
    if not form.validate_on_submit():
        abort(400, "Invalid claim form.")
    item = ensure_item(page.id)
    try:
        claim(item, current_user, form.version.data, takeover=bool(form.takeover.data))
    except Conflict as exc:
        return render_review(page, conflict=exc.message, status=409)
    flash("You took this page over." if form.takeover.data else "You claimed this page.", "info")
    return redirect(url_for("moderation.review", page_id=page.id))


@bp.route(f"/pages/<int(max={MAX_INT}):page_id>/release", methods=["POST"])
def release_page(page_id: int):
    page = _page_or_404(page_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        abort(400, "Invalid form.")
    try:
        release(ensure_item(page.id), current_user, form.version.data)
    except Conflict as exc:
        return render_review(page, conflict=exc.message, status=409)
    flash("Released.", "info")
    return redirect(url_for("moderation.review", page_id=page.id))


@bp.route(f"/pages/<int(max={MAX_INT}):page_id>/decision", methods=["POST"])
def decide_page(page_id: int):
    page = _page_or_404(page_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_review(page, decision_form=form, status=422)
    item = ensure_item(page.id)
    try:
        outcome = decide(item, current_user, form.version.data, form.action.data,
                         form.level.data, form.note.data)
    except Conflict as exc:
        return render_review(_page_or_404(page_id), decision_form=form, conflict=exc.message,
                             status=409)
    except Invalid as exc:
        form.action.errors = list(form.action.errors) + [str(exc)]
        return render_review(_page_or_404(page_id), decision_form=form, status=422)
    flash(f"Decision recorded: {outcome.decision.action} "
          f"({outcome.decision.level_after or 'automatic label'}).", "info")
    return redirect(url_for("moderation.review", page_id=page_id))


@bp.route(f"/pages/<int(max={MAX_INT}):page_id>/evidence", methods=["POST"])
def evidence_feedback(page_id: int):
    page = _page_or_404(page_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        flash("Evidence verdict not saved: choose a verdict and give a reason (3 to 1000 characters).",
              "error")
        return render_review(page, status=422)
    analysis = db.session.get(Analysis, form.analysis_id.data)
    if analysis is None or analysis.page_id != page.id:
        abort(404, "No such analysis for this page.")
    try:
        give_feedback(ensure_item(page.id), current_user, analysis, form.signal.data,
                      form.index.data, form.verdict.data, form.reason.data)
    except Conflict as exc:
        return render_review(page, analysis=analysis, conflict=exc.message, status=409)
    except Invalid as exc:
        abort(400, str(exc))
    flash("Evidence verdict saved.", "info")
    # back to the analysis the verdict was given on: an older one is shown only when asked for
    latest = latest_analysis(page.id, "fetched")
    chosen = {} if latest is not None and latest.id == analysis.id else {"analysis": analysis.id}
    return redirect(url_for("moderation.review", page_id=page.id, **chosen)
                    + f"#ev-{form.signal.data}-{form.index.data}")


# -- per site ------------------------------------------------------------------------------

def site_summary(pages: list[Page], latest: dict[int, Analysis],
                 false_positives: dict[int, int]) -> dict:
    """A site's record derived from its articles' evidence (not any single badge)."""
    levels: dict[str, int] = {}
    effective: dict[str, int] = {}
    fired: dict[str, int] = {}
    evidence = 0
    for page in pages:
        if page.badge_level:
            levels[page.badge_level] = levels.get(page.badge_level, 0) + 1
        level = page.moderated_level if page.moderation_state == "decided" and page.moderated_level \
            else page.badge_level
        if level:
            effective[level] = effective.get(level, 0) + 1
        analysis = latest.get(page.id)
        for name, signal in ((analysis.report if analysis else {}).get("signals") or {}).items():
            if isinstance(signal, dict):
                evidence += len(signal.get("evidence") or [])
                if float(signal.get("score") or 0) >= 0.5:
                    fired[name] = fired.get(name, 0) + 1
    rated = sum(v for k, v in effective.items() if k != "unrated")
    return {"articles": len(pages), "automatic": levels, "effective": effective, "fired": fired,
            "evidence": evidence, "false_positives": sum(false_positives.values()),
            "unreliable_share": (effective.get("unreliable", 0) / rated) if rated else None}


@bp.route("/sites/<path:site>")
def site(site: str):
    site = site.strip().lower()[:255]
    pages = db.session.scalars(select(Page).where(Page.site == site)
                               .order_by(Page.badge_analyzed_at.desc().nulls_last(), Page.id.desc())
                               .limit(500)).all()
    if not pages:
        abort(404, "No articles from this site yet.")
    ids = [p.id for p in pages]
    # the server's own analyses only: supplied HTML may be anything anyone sent for a URL
    newest = (select(Analysis.page_id, func.max(Analysis.id).label("id"))
              .where(Analysis.page_id.in_(ids), Analysis.source == "fetched")
              .group_by(Analysis.page_id).subquery())
    latest = {a.page_id: a for a in db.session.scalars(select(Analysis).join(newest, Analysis.id == newest.c.id))}
    fps = dict(db.session.execute(
        select(EvidenceFeedback.page_id, func.count()).where(
            EvidenceFeedback.page_id.in_(ids), EvidenceFeedback.verdict == "false_positive")
        .group_by(EvidenceFeedback.page_id)).all())
    decisions = db.session.execute(
        select(Decision, Page.url).join(Page, Page.id == Decision.page_id).where(Page.site == site)
        .order_by(Decision.created_at.desc()).limit(200)).all()
    return render_template("moderation/site.html", site=site, pages=pages,
                           summary=site_summary(pages, latest, fps), decisions=decisions)


# -- export --------------------------------------------------------------------------------

EXPORT_FIELDS = ("url", "analyzer_version", "analysis_id", "signal", "item_index", "kind",
                 "location", "paragraph", "exact", "prefix", "suffix", "explanation", "verdict",
                 "reason", "decided_at")


def decided_items() -> list[dict]:
    """The latest verdict on every evidence item a moderator judged, except on analyses of HTML
    a client supplied: anyone can send any HTML for a URL, so its quotes are no ground truth to
    retrain on (`give_feedback` refuses such verdicts; this leaves out any made before it did).
    The `IS NULL` branch keeps a verdict whose analysis is gone (its item is copied in the row):
    prune keeps any analysis a verdict rests on, so that is one pruned before it did so, or
    removed otherwise."""
    rows = db.session.scalars(select(EvidenceFeedback)
                              .outerjoin(Analysis, Analysis.id == EvidenceFeedback.analysis_id)
                              .where(or_(Analysis.id.is_(None), Analysis.source == "fetched"))
                              .order_by(EvidenceFeedback.created_at, EvidenceFeedback.id))
    latest: dict[tuple, EvidenceFeedback] = {}
    for f in rows:
        latest[(f.page_id, f.analysis_id, f.analyzer_version, f.signal, f.item_index)] = f
    out = []
    for f in latest.values():
        item = f.item or {}
        out.append({
            "url": f.url, "analyzer_version": f.analyzer_version, "analysis_id": f.analysis_id,
            "signal": f.signal, "item_index": f.item_index, "kind": item.get("kind"),
            "location": item.get("location"), "paragraph": item.get("paragraph"),
            "exact": item.get("exact"), "prefix": item.get("prefix"), "suffix": item.get("suffix"),
            "explanation": item.get("explanation"), "verdict": f.verdict, "reason": f.reason,
            "decided_at": iso(f.created_at),
        })
    return out


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):  # no formulas when opened in a spreadsheet
        text = "'" + text
    return text


@bp.route("/export/evidence.<any(json, csv):fmt>")
def export(fmt: str):
    items = decided_items()
    name = f"decided-evidence.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    if fmt == "json":
        return Response(json.dumps({"fields": list(EXPORT_FIELDS), "items": items},
                                   ensure_ascii=False, indent=1),
                        mimetype="application/json", headers=headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for item in items:
        writer.writerow([_cell(item[f]) for f in EXPORT_FIELDS])
    return Response(buffer.getvalue(), mimetype="text/csv", headers=headers)


@bp.route("/export/")
def export_index():
    return render_template("moderation/export.html", count=len(decided_items()))
