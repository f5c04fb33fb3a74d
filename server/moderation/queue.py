"""The review queue: flagged pages (red or low-confidence badges, reader reports, or already
under moderation), ordered by what matters: a reason of the page's own first (reports, or the
server's own label red or unsure), then reports, then how many readers asked, then recency.

A red analysis of HTML a client supplied also opens a page (`server.analysis.store`), but anyone
can send any HTML for any URL: such a page is listed after every page with a reason of its own,
its supplied label marked as supplied (see `supplied_flags`), so moderators can leave it for last.

"open" and "in_review" split the pending pages by one question: does someone hold a live claim?
A page whose claim expired (see `claims`) is open again, although `pages.moderation_state` still
says in_review: nothing rewrites the row when a claim goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, not_, or_, select

from server.store import db
from server.store.models import Analysis, Page

from . import claims
from .models import ModerationItem

STATUSES = ("pending", "open", "in_review", "decided", "all")


def own_reason():
    """A reason to review that supplied HTML cannot fake: reader reports, or the label of the
    server's own analysis red or unsure (supplied HTML never sets the badge columns)."""
    return or_(Page.report_count > 0,
               Page.badge_level == "unreliable",
               Page.badge["confidence"].as_string() == "low")


def flagged():
    return or_(Page.moderation_state != "none", own_reason())


def status_filter(status: str):
    pending = Page.moderation_state != "decided"
    held = claims.held(claims.cutoff())  # never NULL, also for pages without an item row
    if status == "open":
        return and_(pending, not_(held))
    if status == "in_review":
        return and_(pending, held)
    if status == "decided":
        return Page.moderation_state == "decided"
    if status == "pending":
        return pending
    return None


@dataclass(frozen=True)
class Supplied:
    level: str | None
    analysed_at: datetime
    only: bool  # the server has no analysis of its own for the page


@dataclass
class QueuePage:
    rows: list[tuple[Page, ModerationItem | None]]
    total: int
    page: int
    pages: int
    supplied: dict[int, Supplied] = field(default_factory=dict)  # by page id, see supplied_flags


def supplied_flags(pages: list[Page]) -> dict[int, Supplied]:
    """The latest supplied-HTML analysis of each page it may have flagged: a page the server has
    no analysis of its own for (else the queue would show it unlabelled and never analysed), or
    one whose supplied label is red while the server's own is not. Such an analysis never sets
    the page's (public) badge columns; the queue shows it marked as supplied."""
    ids = [p.id for p in pages]
    if not ids:
        return {}
    newest = (select(Analysis.page_id, func.max(Analysis.id).label("id"))
              .where(Analysis.page_id.in_(ids), Analysis.source == "supplied")
              .group_by(Analysis.page_id).subquery())
    rows = db.session.execute(select(Analysis.page_id, Analysis.badge_level, Analysis.created_at)
                              .join(newest, Analysis.id == newest.c.id))
    by_id = {p.id: p for p in pages}
    out = {}
    for page_id, level, at in rows:
        page = by_id[page_id]
        only = page.badge_analyzed_at is None
        if only or (level == "unreliable" and page.badge_level != "unreliable"):
            out[page_id] = Supplied(level, at, only)
    return out


def page_number(raw: str | None) -> int:
    """A ?page= number. isdecimal(), not isdigit() ('²' is a digit int() refuses); a number too
    long to be a real page means the last page (callers clamp to the pages there are)."""
    raw = (raw or "").strip()
    if not raw.isdecimal():
        return 1
    return int(raw) if len(raw) <= 9 else 10**9


def queue(status: str = "pending", site: str | None = None, page: int = 1,
          size: int = 50) -> QueuePage:
    status = status if status in STATUSES else "pending"
    conditions = [flagged()]
    extra = status_filter(status)
    if extra is not None:
        conditions.append(extra)
    if site:
        conditions.append(Page.site == site.strip().lower())
    base = (select(Page, ModerationItem).outerjoin(ModerationItem, ModerationItem.page_id == Page.id)
            .where(*conditions))
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    recency = func.coalesce(Page.badge_analyzed_at, Page.last_requested, Page.first_seen)
    rows = db.session.execute(
        base.order_by(case((own_reason(), 0), else_=1), Page.report_count.desc(),
                      Page.request_count.desc(), recency.desc(), Page.id.desc())
        .limit(size).offset((page - 1) * size)).all()
    return QueuePage([(r[0], r[1]) for r in rows], total, page, pages,
                     supplied_flags([r[0] for r in rows]))


def sites() -> list[str]:
    """Sites that have flagged pages (for the filter)."""
    return list(db.session.scalars(select(Page.site).where(flagged()).distinct().order_by(Page.site)
                                   .limit(500)))
