"""Claims and decisions, with compare-and-set on `moderation_items.version`.

Every change to a page's moderation (claim, release, take-over, decision) runs
``UPDATE moderation_items SET version = version + 1 ... WHERE id = :id AND version = :seen``
as the first statement of a fresh transaction. Two moderators acting on the same version:
the database lets exactly one UPDATE match; the other gets a `Conflict` (and, for a decision,
their attempt is written to the audit log so nothing is lost). The same holds on SQLite (one
writer at a time) and PostgreSQL (row lock, then the WHERE is re-checked).

A claim older than MODERATION_CLAIM_TTL_SECONDS is stale (see `claims`): the same WHERE lets
anyone past it, so an abandoned claim never needs a take-over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.analysis import forget_badge, iso
from server.store import db
from server.store.models import BADGE_LEVELS, Analysis, Page, utcnow

from . import claims
from .audit import record
from .models import Decision, EvidenceFeedback, ModerationItem, Moderator


class Conflict(Exception):
    """Someone else changed or holds this item; `message` tells the moderator what happened."""

    def __init__(self, message: str, item: ModerationItem | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.item = item


class Invalid(ValueError):
    pass


@dataclass
class Outcome:
    decision: Decision
    item: ModerationItem


def ensure_item(page_id: int) -> ModerationItem:
    """The page's moderation item, created on first use (safe under concurrency)."""
    session = db.session
    item = session.scalar(select(ModerationItem).where(ModerationItem.page_id == page_id))
    if item is not None:
        return item
    dialect = session.get_bind().dialect.name
    values = {"page_id": page_id, "version": 0, "updated_at": utcnow()}
    if dialect == "postgresql":
        stmt = pg_insert(ModerationItem).values(**values).on_conflict_do_nothing(index_elements=["page_id"])
    elif dialect == "sqlite":
        stmt = sqlite_insert(ModerationItem).values(**values).on_conflict_do_nothing(index_elements=["page_id"])
    else:  # pragma: no cover - the service runs on SQLite or PostgreSQL
        stmt = ModerationItem.__table__.insert().values(**values)
    session.execute(stmt)
    session.commit()
    return session.scalar(select(ModerationItem).where(ModerationItem.page_id == page_id))


def _fresh_item(item_id: int) -> ModerationItem:
    return db.session.scalar(select(ModerationItem).where(ModerationItem.id == item_id)
                             .execution_options(populate_existing=True))


def _compare_and_set(item: ModerationItem, seen_version: int, moderator: Moderator,
                     *, takeover: bool = False, stale_before: datetime | None = None,
                     **values: Any) -> bool:
    """Bump the version if it is still `seen_version` (and the claim allows it: unclaimed, ours,
    or claimed before `stale_before`)."""
    session = db.session
    item_id, moderator_id = item.id, moderator.id  # read before the rollback expires them
    session.rollback()  # start a fresh transaction: the UPDATE is its first statement
    stmt = (update(ModerationItem)
            .where(ModerationItem.id == item_id, ModerationItem.version == seen_version)
            .values(version=ModerationItem.version + 1, updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False))
    if not takeover:
        stmt = stmt.where(claims.free_for(moderator_id, stale_before))
    return session.execute(stmt).rowcount == 1


def _held(item: ModerationItem) -> Conflict:
    return Conflict(f"{claims.holder(item)} has claimed this page; take it over explicitly to act "
                    "on it.", item)


def _why_not(item: ModerationItem, moderator: Moderator, seen_version: int,
             stale_before: datetime | None) -> Conflict:
    db.session.rollback()
    current = _fresh_item(item.id)
    if claims.held_by_other(current, moderator.id, stale_before):
        return _held(current)
    if current.version != seen_version:
        return Conflict("Another moderator changed this page while you were looking at it; "
                        "the current state is shown below and your input is kept.", current)
    return Conflict("This page changed meanwhile; please look again.", current)  # pragma: no cover


def check_claim(item: ModerationItem, moderator: Moderator) -> None:
    if claims.held_by_other(item, moderator.id, claims.cutoff()):
        raise _held(item)


def claim(item: ModerationItem, moderator: Moderator, seen_version: int, *,
          takeover: bool = False) -> ModerationItem:
    previous_id, previous_at = item.claimed_by, item.claimed_at
    previous = claims.holder(item) if previous_id else None
    stale_before = claims.cutoff()  # one cutoff for the WHERE and for the audit entry
    expired = previous_id != moderator.id and claims.is_stale(item, stale_before)
    if not _compare_and_set(item, seen_version, moderator, takeover=takeover,
                            stale_before=stale_before, claimed_by=moderator.id, claimed_at=utcnow()):
        raise _why_not(item, moderator, seen_version, stale_before)
    page = db.session.get(Page, item.page_id, populate_existing=True)
    if page.moderation_state in ("none", "open"):
        page.moderation_state = "in_review"
    # an expired claim is taken with a plain claim, even from a take-over form that was
    # rendered while it was still live: nobody's claim was overridden
    action = "takeover" if takeover and previous_id not in (None, moderator.id) and not expired \
        else "claim"
    before = {"claimed_by": previous} if previous_id else None
    if expired:  # record why no take-over was needed, and how old the claim was
        before.update(claimed_at=iso(previous_at), expired=True)
    record(moderator, action, "page", page.id, page.url, before=before,
           after={"claimed_by": moderator.email})
    db.session.commit()
    forget_badge(page.url_key)  # the badge carries the moderation state
    return _fresh_item(item.id)


def release(item: ModerationItem, moderator: Moderator, seen_version: int) -> ModerationItem:
    # no `stale_before`: only the holder releases (the audit names them); an expired claim of
    # someone else's needs no release, it is already open to all
    if not _compare_and_set(item, seen_version, moderator, claimed_by=None, claimed_at=None):
        raise _why_not(item, moderator, seen_version, None)
    page = db.session.get(Page, item.page_id, populate_existing=True)
    if page.moderation_state == "in_review":
        page.moderation_state = "open"
    record(moderator, "release", "page", page.id, page.url, before={"claimed_by": moderator.email},
           after={"claimed_by": None})
    db.session.commit()
    forget_badge(page.url_key)
    return _fresh_item(item.id)


def latest_analysis(page_id: int, source: str) -> Analysis | None:
    """The page's newest analysis from `source`: "fetched" (the server fetched the page itself:
    the analysis behind the public label) or "supplied" (HTML a client sent with the URL: anyone
    can send any HTML for any URL, so it may not be what the page shows)."""
    return db.session.scalar(select(Analysis).where(Analysis.page_id == page_id,
                                                    Analysis.source == source)
                             .order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(1))


def decide(item: ModerationItem, moderator: Moderator, seen_version: int, action: str,
           level: str | None, note: str | None) -> Outcome:
    """Confirm, override or withdraw; writes the page's moderated_* fields the API honours."""
    note = (note or "").strip() or None
    level = level or None
    if action not in ("confirm", "override", "clear"):
        raise Invalid("Unknown decision.")
    if action == "override" and (level not in BADGE_LEVELS or not note):
        raise Invalid("An override needs a level and a public note.")
    attempt = {"action": action, "level": level, "note": note, "seen_version": seen_version}

    stale_before = claims.cutoff()
    expired_claim = None  # someone else's expired claim this decision ends: say so in the audit
    if item.claimed_by != moderator.id and claims.is_stale(item, stale_before):
        expired_claim = claims.holder(item)
    if not _compare_and_set(item, seen_version, moderator, stale_before=stale_before,
                            claimed_by=None, claimed_at=None):
        conflict = _why_not(item, moderator, seen_version, stale_before)
        page = db.session.get(Page, item.page_id)
        record(moderator, "decision_conflict", "page", item.page_id, page.url if page else None,
               after=attempt, detail=conflict.message)  # nothing lost: the attempt is kept
        db.session.commit()
        raise conflict

    session = db.session
    page = session.get(Page, item.page_id, populate_existing=True)
    analysis = latest_analysis(page.id, "fetched")  # the one behind `automatic`, never supplied HTML
    automatic = page.badge_level
    before = {"state": page.moderation_state, "level": page.moderated_level,
              "note": page.moderation_note}
    if expired_claim:
        before["expired_claim_of"] = expired_claim
    if action == "confirm":
        if not automatic:
            session.rollback()
            raise Invalid("There is no automatic label to confirm yet.")
        after_level, state = automatic, "decided"
    elif action == "override":
        after_level, state = level, "decided"
    else:
        if page.moderation_state != "decided":  # else a no-op decision row and audit entry
            session.rollback()
            raise Invalid("There is no decision to withdraw: the page already shows its "
                          "automatic label.")
        after_level, note = None, None
        flagged = page.badge_level == "unreliable" or (page.report_count or 0) > 0
        state = "open" if flagged else "none"
    now = utcnow()
    page.moderated_level = after_level
    page.moderation_note = note
    page.moderated_at = now if action != "clear" else None
    page.moderation_state = state
    decision = Decision(page_id=page.id, moderator_id=moderator.id, action=action,
                        automatic_level=automatic, level_before=before["level"],
                        level_after=after_level, note_before=before["note"], note_after=note,
                        analysis_id=analysis.id if analysis else None,
                        analyzer_version=analysis.analyzer_version if analysis else None,
                        item_version=seen_version, created_at=now)
    session.add(decision)
    record(moderator, f"decision_{action}", "page", page.id, page.url, before=before,
           after={"state": state, "level": after_level, "note": note})
    session.commit()
    forget_badge(page.url_key)  # this worker's badge cache shows the decision at once
    return Outcome(decision, _fresh_item(item.id))


def evidence_item(analysis: Analysis, signal: str, index: int) -> dict[str, Any]:
    signals = (analysis.report or {}).get("signals") or {}
    items = (signals.get(signal) or {}).get("evidence") or []
    if not 0 <= index < len(items) or not isinstance(items[index], dict):
        raise Invalid("No such evidence item in this analysis.")
    return items[index]


def give_feedback(item: ModerationItem, moderator: Moderator, analysis: Analysis, signal: str,
                  index: int, verdict: str, reason: str) -> EvidenceFeedback:
    """A verdict on one evidence item; a later verdict on the same item supersedes it (both kept)."""
    check_claim(item, moderator)
    if verdict not in ("false_positive", "confirmed"):
        raise Invalid("Unknown verdict.")
    if analysis.page_id != item.page_id:
        raise Invalid("That analysis belongs to another page.")
    if analysis.source != "fetched":  # verdicts feed retraining: not on HTML anyone could send
        raise Invalid("Evidence verdicts are only given on analyses of pages the server fetched "
                      "itself, not on HTML a client supplied.")
    evidence = evidence_item(analysis, signal, index)
    page = db.session.get(Page, item.page_id)
    feedback = EvidenceFeedback(page_id=page.id, analysis_id=analysis.id, moderator_id=moderator.id,
                                url=page.url_key, analyzer_version=analysis.analyzer_version,
                                signal=signal, item_index=index, verdict=verdict,
                                reason=reason.strip(), item=dict(evidence), created_at=utcnow())
    db.session.add(feedback)
    record(moderator, f"evidence_{verdict}", "page", page.id, page.url,
           after={"analysis": analysis.id, "signal": signal, "index": index,
                  "exact": str(evidence.get("exact", ""))[:200], "reason": reason.strip()})
    db.session.commit()
    return feedback
