"""The service's tables (SQLAlchemy 2 declarative models).

Privacy rule: no table records which reader asked for which URL. `pages.request_count` is an
aggregate; `reader_reports.dedupe_hash` is an HMAC under a daily key that is deleted after two
days, so it cannot be reversed to a reader's address.

Moderation (server/moderation, revision 0002_moderation) adds its own tables on this `Base` and
writes the `moderat*` fields of `pages`; the API honours them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, MetaData,
                        String, Text, UniqueConstraint)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MODERATION_STATES = ("none", "open", "in_review", "decided")
BADGE_LEVELS = ("reliable", "mixed", "unreliable", "unrated")
SOURCES = ("fetched", "supplied")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTC(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        if value is not None and dialect.name == "sqlite":
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Page(Base):
    """One row per normalised URL key: aggregates and the moderation state, never who asked."""

    __tablename__ = "pages"
    __table_args__ = (
        CheckConstraint("moderation_state in ('none','open','in_review','decided')",
                        name="moderation_state"),
        Index("ix_pages_site", "site"),
        Index("ix_pages_moderation_state", "moderation_state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url_key: Mapped[str] = mapped_column(String(2048), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    site: Mapped[str] = mapped_column(String(255))
    first_seen: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    last_requested: Mapped[datetime | None] = mapped_column(UTC, nullable=True)
    request_count: Mapped[int] = mapped_column(Integer, default=0)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    # the latest badge, denormalised for the cheap GET /api/v1/badges path
    badge_level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    badge: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    badge_source: Mapped[str | None] = mapped_column(String(16), nullable=True)
    badge_analyzer_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    badge_analyzed_at: Mapped[datetime | None] = mapped_column(UTC, nullable=True)
    badge_expires_at: Mapped[datetime | None] = mapped_column(UTC, nullable=True)
    # moderation: the API honours these; server/moderation writes them
    moderation_state: Mapped[str] = mapped_column(String(16), default="none")
    moderated_level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    moderation_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    moderated_at: Mapped[datetime | None] = mapped_column(UTC, nullable=True)

    analyses: Mapped[list[Analysis]] = relationship(back_populates="page", lazy="raise_on_sql",
                                                    passive_deletes=True)
    reports: Mapped[list[ReaderReport]] = relationship(back_populates="page", lazy="raise_on_sql",
                                                       passive_deletes=True)


class Analysis(Base):
    __tablename__ = "analyses"
    __table_args__ = (
        CheckConstraint("source in ('fetched','supplied')", name="source"),
        Index("ix_analyses_lookup", "url_key", "analyzer_version", "source", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    url_key: Mapped[str] = mapped_column(String(2048))
    analyzer_version: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    badge_level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    report: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTC)

    page: Mapped[Page] = relationship(back_populates="analyses")


class ReaderReport(Base):
    """A reader saying "this label is wrong". No address, no account: only a dedupe HMAC."""

    __tablename__ = "reader_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    signal: Mapped[str | None] = mapped_column(String(64), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    badge_level: Mapped[str | None] = mapped_column(String(16), nullable=True)  # what the reader saw
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    dedupe_hash: Mapped[str] = mapped_column(String(64), unique=True)

    page: Mapped[Page] = relationship(back_populates="reports")


class DedupeKey(Base):
    """Random daily keys for reader-report dedupe hashes; only today's and yesterday's exist
    (older ones are deleted on every report and at start: server.api.reports.daily_key)."""

    __tablename__ = "dedupe_keys"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))


class ApiClient(Base):
    __tablename__ = "api_clients"
    __table_args__ = (UniqueConstraint("key_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTC, nullable=True)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
