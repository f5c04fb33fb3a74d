"""Claim expiry: a claim older than MODERATION_CLAIM_TTL_SECONDS is stale.

A stale claim no longer blocks anyone: another moderator may claim or decide without a
take-over, and the queue lists the page as open again. Nothing rewrites the row when a claim
goes stale (no sweeper to run or to race with); staleness is judged at read and write time
against one cutoff, ``utcnow() - ttl``, computed in Python so the SQL compares a column with a
bound timestamp and works the same on SQLite and PostgreSQL.

A claim without `claimed_at` (never written by `claim`, only by hand) cannot be aged, so it
counts as held, both here and in SQL (``NULL < cutoff`` is not true).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from server.store import db
from server.store.models import utcnow

from .models import ModerationItem


def cutoff(now: datetime | None = None) -> datetime | None:
    """Claims made before this are stale; None when expiry is switched off (TTL 0)."""
    seconds = int(current_app.config.get("MODERATION_CLAIM_TTL_SECONDS") or 0)
    if seconds <= 0:
        return None
    return (now or utcnow()) - timedelta(seconds=seconds)


def holder(item: ModerationItem) -> str:
    """Who the claim names (an email; the id if the account row is gone)."""
    return item.claimer.email if item.claimer else f"moderator #{item.claimed_by}"


def is_stale(item: ModerationItem, stale_before: datetime | None) -> bool:
    return (stale_before is not None and item.claimed_by is not None
            and item.claimed_at is not None and item.claimed_at < stale_before)


def held_by_other(item: ModerationItem, moderator_id: int, stale_before: datetime | None) -> bool:
    """Whether someone else's live claim stands in `moderator_id`'s way."""
    return item.claimed_by not in (None, moderator_id) and not is_stale(item, stale_before)


def free_for(moderator_id: int, stale_before: datetime | None):
    """SQL: the row's claim does not stop `moderator_id` (the compare-and-set guard)."""
    allowed = [ModerationItem.claimed_by.is_(None), ModerationItem.claimed_by == moderator_id]
    if stale_before is not None:
        allowed.append(ModerationItem.claimed_at < stale_before)
    return or_(*allowed)


def held(stale_before: datetime | None):
    """SQL: someone holds a live claim. Never NULL (not even on an outer join's missing row),
    so NOT held is safe to filter on."""
    claimed = ModerationItem.claimed_by.is_not(None)
    if stale_before is None:
        return claimed
    return and_(claimed, or_(ModerationItem.claimed_at.is_(None),
                             ModerationItem.claimed_at >= stale_before))


def under_live_claim(page_id: int) -> bool:
    """Whether a moderator holds a live claim on the page: what the public API's "in_review"
    means (registered as `app.extensions["review_is_live"]`; the API does not import moderation)."""
    return db.session.scalar(select(ModerationItem.id).where(
        ModerationItem.page_id == page_id, held(cutoff())).limit(1)) is not None


def ago(delta: timedelta) -> str:
    """A short, rounded-down age for people: "just now", "5 min ago", "2 h ago", "3 d ago"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} d ago"


@dataclass(frozen=True)
class ClaimView:
    """What the templates show about a claim (they render; the rules stay here)."""

    holder: str | None  # email of the moderator on record, None when unclaimed
    stale: bool
    expired: str | None  # "2 h ago" when stale

    @property
    def held(self) -> bool:
        return self.holder is not None and not self.stale


def describe(item: ModerationItem | None, now: datetime | None = None) -> ClaimView:
    if item is None or item.claimed_by is None:
        return ClaimView(None, False, None)
    now = now or utcnow()
    stale_before = cutoff(now)
    if not is_stale(item, stale_before):
        return ClaimView(holder(item), False, None)
    expired_at = item.claimed_at + (now - stale_before)  # claimed_at + ttl
    return ClaimView(holder(item), True, ago(now - expired_at))
