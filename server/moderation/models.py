"""Moderation's tables, on the store's `Base` (revision 0002_moderation).

- `moderators`: accounts (scrypt hashes, role, lock-out state, a session token that is
  rotated on logout and on password or role changes, so old cookies stop working).
- `moderation_items`: one row per page under review: who holds the claim, and a `version`
  bumped by every claim and decision, so two moderators acting on the same page at once
  cannot both win (compare-and-set on `version`). A claim older than
  MODERATION_CLAIM_TTL_SECONDS (by `claimed_at`) is stale and blocks nobody (`claims.py`).
- `moderation_decisions`: every decision with the level and note before and after; rows are
  only ever added (a revision is a new row).
- `evidence_feedback`: a moderator's verdict on one evidence item (false positive or
  confirmed, with a reason), with a copy of the item so exports are self-contained.
- `moderation_audit`: the append-only log of decisions and account changes. No foreign keys
  (nothing cascades into it); the ORM refuses UPDATE and DELETE, and a database trigger
  refuses UPDATE on both backends.

Privacy: nothing here records which reader asked for which URL.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text,
                        event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.store.models import UTC, Base, Page, utcnow

# ids, versions and indexes are SQL INTEGER (32 bits on PostgreSQL; SQLite overflows past 64):
# larger numbers from a URL or a form are refused before they reach the database
MAX_INT = 2**31 - 1
ROLES = ("moderator", "admin")
ACTIONS = ("confirm", "override", "clear")
VERDICTS = ("false_positive", "confirmed")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Moderator(UserMixin, Base):
    __tablename__ = "moderators"
    __table_args__ = (CheckConstraint("role in ('moderator','admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="moderator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTC, nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTC, nullable=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    # Flask-Login: the id in the session carries the token, so rotating it logs out everywhere
    def get_id(self) -> str:
        return f"{self.id}.{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return bool(self.active)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class ModerationItem(Base):
    __tablename__ = "moderation_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTC, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)

    claimer: Mapped[Moderator | None] = relationship(lazy="joined")
    page: Mapped[Page] = relationship(lazy="joined")


class Decision(Base):
    __tablename__ = "moderation_decisions"
    __table_args__ = (
        CheckConstraint("action in ('confirm','override','clear')", name="action"),
        Index("ix_moderation_decisions_page_created", "page_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"))
    action: Mapped[str] = mapped_column(String(16))
    automatic_level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    level_before: Mapped[str | None] = mapped_column(String(16), nullable=True)
    level_after: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note_before: Mapped[str | None] = mapped_column(Text, nullable=True)
    note_after: Mapped[str | None] = mapped_column(Text, nullable=True)
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analyses.id", ondelete="SET NULL"),
                                                    nullable=True)
    analyzer_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    item_version: Mapped[int] = mapped_column(Integer)  # the version this decision was made on
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)

    moderator: Mapped[Moderator] = relationship(lazy="joined")


class EvidenceFeedback(Base):
    __tablename__ = "evidence_feedback"
    __table_args__ = (
        CheckConstraint("verdict in ('false_positive','confirmed')", name="verdict"),
        Index("ix_evidence_feedback_page", "page_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analyses.id", ondelete="SET NULL"),
                                                    nullable=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id"))
    url: Mapped[str] = mapped_column(String(2048))
    analyzer_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signal: Mapped[str] = mapped_column(String(64))
    item_index: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    item: Mapped[dict[str, Any]] = mapped_column(JSON)  # the evidence item as the report had it
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)

    moderator: Mapped[Moderator] = relationship(lazy="joined")


class AuditEntry(Base):
    __tablename__ = "moderation_audit"
    __table_args__ = (Index("ix_moderation_audit_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # snapshot, not a FK
    actor_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    target_label: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(_mapper, _connection, _target) -> None:
    raise PermissionError("the moderation audit log is append-only")
