"""Deleting what the service no longer needs (`reliability prune`, `flask --app server prune`).

Nothing else ever deletes: without this, every analysis (a reader's supplied HTML turned into
a report, with the page's text quoted) and every URL anyone asked about stays forever.

- expired analyses: supplied ones always (they are one reader's copy of a page); fetched ones
  too, except the newest of a page that waits for moderators (open or in review), which they
  still need to judge it; never one a moderator's decision or evidence verdict was made on
  (the export reads a verdict's analysis to tell fetched from supplied);
- pages left with no analysis, no reader report, no moderation state and nothing moderators
  wrote about them (decisions, evidence feedback), so no moderator's work is lost; not one
  first seen or asked about within the last hour (its analysis may be on its way).

Deletes run in batches of `batch` rows, each its own transaction, so a large backlog neither
holds long locks nor grows one huge transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from sqlalchemy import column, delete, exists, func, not_, or_, select, table
from sqlalchemy.engine import Engine

from .store.models import Analysis, Page, ReaderReport, utcnow

# Moderation's tables (server/moderation/models.py, migration 0002_moderation), named here
# without importing moderation, which may be switched off.
DECISIONS = table("moderation_decisions", column("page_id"), column("analysis_id"))
EVIDENCE_FEEDBACK = table("evidence_feedback", column("page_id"), column("analysis_id"))
AWAITING_MODERATORS = ("open", "in_review")
# A page asked about this recently may be getting its analysis or report right now: left alone.
RECENTLY_REQUESTED = timedelta(hours=1)


@dataclass
class PruneCounts:
    supplied_analyses: int = 0
    fetched_analyses: int = 0
    pages: int = 0


def _newest_fetched_of_pages_awaiting_moderators():
    """Ids of the newest fetched analysis of each page moderators have yet to judge."""
    newest = (select(Analysis.page_id, func.max(Analysis.id).label("id"))
              .join(Page, Page.id == Analysis.page_id)
              .where(Analysis.source == "fetched", Page.moderation_state.in_(AWAITING_MODERATORS))
              .group_by(Analysis.page_id).subquery())
    return select(newest.c.id)


def expired_analyses(source: str, now):
    query = select(Analysis.id).where(
        Analysis.source == source, Analysis.expires_at <= now,
        not_(exists().where(DECISIONS.c.analysis_id == Analysis.id)),
        not_(exists().where(EVIDENCE_FEEDBACK.c.analysis_id == Analysis.id)))
    if source == "fetched":
        query = query.where(Analysis.id.not_in(_newest_fetched_of_pages_awaiting_moderators()))
    return query


def unused_pages(now):
    return select(Page.id).where(
        Page.moderation_state == "none",
        or_(Page.last_requested.is_(None), Page.last_requested < now - RECENTLY_REQUESTED),
        Page.first_seen < now - RECENTLY_REQUESTED,
        not_(exists().where(Analysis.page_id == Page.id)),
        not_(exists().where(ReaderReport.page_id == Page.id)),
        not_(exists().where(DECISIONS.c.page_id == Page.id)),
        not_(exists().where(EVIDENCE_FEEDBACK.c.page_id == Page.id)),
    )


def _delete_in_batches(engine: Engine, model, ids_query, batch: int,
                       progress: Callable[[int], None]) -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            ids = conn.execute(ids_query.order_by(model.id).limit(batch)).scalars().all()
            if not ids:
                return total
            # the condition again: a row that gained a use since the SELECT stays
            conn.execute(delete(model).where(model.id.in_(ids), model.id.in_(ids_query)))
        total += len(ids)
        progress(total)


def count(engine: Engine, now=None) -> PruneCounts:
    """What `prune` would delete now (pages: those unused already, before analyses go)."""
    now = now or utcnow()
    with engine.connect() as conn:
        def n(query):
            return conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        return PruneCounts(n(expired_analyses("supplied", now)), n(expired_analyses("fetched", now)),
                           n(unused_pages(now)))


def prune(engine: Engine, batch: int = 1000, now=None,
          progress: Callable[[str, int], None] = lambda what, done: None) -> PruneCounts:
    """Delete expired analyses (supplied first), then pages nothing refers to any more."""
    now = now or utcnow()
    counts = PruneCounts()
    counts.supplied_analyses = _delete_in_batches(
        engine, Analysis, expired_analyses("supplied", now), batch,
        lambda done: progress("supplied analyses", done))
    counts.fetched_analyses = _delete_in_batches(
        engine, Analysis, expired_analyses("fetched", now), batch,
        lambda done: progress("fetched analyses", done))
    counts.pages = _delete_in_batches(engine, Page, unused_pages(now), batch,
                                      lambda done: progress("pages", done))
    return counts
