"""Initial tables: pages, analyses, reader_reports, dedupe_keys, api_clients.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url_key", sa.String(2048), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_requested", TS, nullable=True),
        sa.Column("request_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("report_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("badge_level", sa.String(16), nullable=True),
        sa.Column("badge", sa.JSON(), nullable=True),
        sa.Column("badge_source", sa.String(16), nullable=True),
        sa.Column("badge_analyzer_version", sa.String(64), nullable=True),
        sa.Column("badge_analyzed_at", TS, nullable=True),
        sa.Column("badge_expires_at", TS, nullable=True),
        sa.Column("moderation_state", sa.String(16), nullable=False, server_default="none"),
        sa.Column("moderated_level", sa.String(16), nullable=True),
        sa.Column("moderation_note", sa.Text(), nullable=True),
        sa.Column("moderated_at", TS, nullable=True),
        sa.CheckConstraint("moderation_state in ('none','open','in_review','decided')",
                           name=op.f("ck_pages_moderation_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint("url_key", name=op.f("uq_pages_url_key")),
    )
    op.create_index("ix_pages_site", "pages", ["site"])
    op.create_index("ix_pages_moderation_state", "pages", ["moderation_state"])

    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(2048), nullable=False),
        sa.Column("analyzer_version", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("badge_level", sa.String(16), nullable=True),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.CheckConstraint("source in ('fetched','supplied')", name=op.f("ck_analyses_source")),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_analyses_page_id_pages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analyses")),
    )
    op.create_index("ix_analyses_page_id", "analyses", ["page_id"])
    op.create_index("ix_analyses_lookup", "analyses",
                    ["url_key", "analyzer_version", "source", "created_at"])

    op.create_table(
        "reader_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("signal", sa.String(64), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("badge_level", sa.String(16), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("dedupe_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_reader_reports_page_id_pages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reader_reports")),
        sa.UniqueConstraint("dedupe_hash", name=op.f("uq_reader_reports_dedupe_hash")),
    )
    op.create_index("ix_reader_reports_page_id", "reader_reports", ["page_id"])

    op.create_table(
        "dedupe_keys",
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_dedupe_keys")),
    )

    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_clients_key_hash")),
    )
    op.create_index("ix_api_clients_prefix", "api_clients", ["prefix"])


def downgrade() -> None:
    op.drop_table("api_clients")
    op.drop_table("dedupe_keys")
    op.drop_table("reader_reports")
    op.drop_table("analyses")
    op.drop_table("pages")
