"""Moderation: moderators, moderation_items (claims + version), decisions, evidence feedback,
and the append-only audit log (a trigger refuses UPDATE on SQLite and PostgreSQL).

Revision ID: 0002_moderation
Revises: 0001_initial
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_moderation"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "moderators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS, nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("session_token", sa.String(64), nullable=False),
        sa.CheckConstraint("role in ('moderator','admin')", name=op.f("ck_moderators_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderators")),
        sa.UniqueConstraint("email", name=op.f("uq_moderators_email")),
    )
    op.create_table(
        "moderation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_moderation_items_page_id_pages")),
        sa.ForeignKeyConstraint(["claimed_by"], ["moderators.id"],
                                name=op.f("fk_moderation_items_claimed_by_moderators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_items")),
        sa.UniqueConstraint("page_id", name=op.f("uq_moderation_items_page_id")),
    )
    op.create_table(
        "moderation_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("automatic_level", sa.String(16), nullable=True),
        sa.Column("level_before", sa.String(16), nullable=True),
        sa.Column("level_after", sa.String(16), nullable=True),
        sa.Column("note_before", sa.Text(), nullable=True),
        sa.Column("note_after", sa.Text(), nullable=True),
        sa.Column("analysis_id", sa.Integer(), nullable=True),
        sa.Column("analyzer_version", sa.String(64), nullable=True),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("action in ('confirm','override','clear')",
                           name=op.f("ck_moderation_decisions_action")),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_moderation_decisions_page_id_pages")),
        sa.ForeignKeyConstraint(["moderator_id"], ["moderators.id"],
                                name=op.f("fk_moderation_decisions_moderator_id_moderators")),
        sa.ForeignKeyConstraint(["analysis_id"], ["analyses.id"], ondelete="SET NULL",
                                name=op.f("fk_moderation_decisions_analysis_id_analyses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_decisions")),
    )
    op.create_index("ix_moderation_decisions_page_created", "moderation_decisions",
                    ["page_id", "created_at"])
    op.create_table(
        "evidence_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=True),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("analyzer_version", sa.String(64), nullable=True),
        sa.Column("signal", sa.String(64), nullable=False),
        sa.Column("item_index", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("item", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("verdict in ('false_positive','confirmed')",
                           name=op.f("ck_evidence_feedback_verdict")),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE",
                                name=op.f("fk_evidence_feedback_page_id_pages")),
        sa.ForeignKeyConstraint(["analysis_id"], ["analyses.id"], ondelete="SET NULL",
                                name=op.f("fk_evidence_feedback_analysis_id_analyses")),
        sa.ForeignKeyConstraint(["moderator_id"], ["moderators.id"],
                                name=op.f("fk_evidence_feedback_moderator_id_moderators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_feedback")),
    )
    op.create_index("ix_evidence_feedback_page", "evidence_feedback", ["page_id"])
    op.create_table(
        "moderation_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(254), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=True),
        sa.Column("target_label", sa.String(2048), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_audit")),
    )
    op.create_index("ix_moderation_audit_at", "moderation_audit", ["at"])

    # Entries are never changed: UPDATE is refused by the database itself. (DELETE is refused
    # by the ORM only, so that test suites can empty their tables and an operator can purge
    # by retention policy; nothing in the service deletes entries.)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER moderation_audit_no_update BEFORE UPDATE ON moderation_audit "
                   "BEGIN SELECT RAISE(ABORT, 'moderation_audit is append-only'); END")
    elif dialect == "postgresql":
        op.execute("CREATE FUNCTION moderation_audit_append_only() RETURNS trigger "
                   "LANGUAGE plpgsql AS $$ BEGIN "
                   "RAISE EXCEPTION 'moderation_audit is append-only'; END $$")
        op.execute("CREATE TRIGGER moderation_audit_append_only BEFORE UPDATE "
                   "ON moderation_audit FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS moderation_audit_no_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_audit")
        op.execute("DROP FUNCTION IF EXISTS moderation_audit_append_only()")
    op.drop_table("moderation_audit")
    op.drop_table("evidence_feedback")
    op.drop_table("moderation_decisions")
    op.drop_table("moderation_items")
    op.drop_table("moderators")
