"""Pages keep their normalised URL: scrub the click and campaign ids (fbclid, utm_*…) that
pages stored before this revision kept from the first reader's address bar.

Revision ID: 0003_page_urls_normalised
Revises: 0002_moderation
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0003_page_urls_normalised"
down_revision = "0002_moderation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE pages SET url = url_key WHERE url <> url_key")


def downgrade() -> None:
    pass  # the ids are gone, as they should be
