"""Revision 0002_moderation: up, down and up again, on SQLite and PostgreSQL; the models match."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, inspect, text

from server.store import current_revision, downgrade, make_engine, upgrade

TABLES = {"moderators", "moderation_items", "moderation_decisions", "evidence_feedback",
          "moderation_audit"}


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine("sqlite:///" + str(tmp_path / "m.sqlite3"))
        yield engine
        engine.dispose()
        return
    base = request.getfixturevalue("postgres_url").split("?options=")[0].split("&options=")[0]
    schema = f"t_mod_{secrets.token_hex(4)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    engine = make_engine(f"{base}{sep}options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_up_down_up(fresh_engine):
    upgrade(fresh_engine)
    assert current_revision(fresh_engine) == "0002_moderation" or \
        current_revision(fresh_engine) > "0002_moderation"
    assert TABLES <= set(inspect(fresh_engine).get_table_names())
    downgrade(fresh_engine, "0001_initial")
    assert not TABLES & set(inspect(fresh_engine).get_table_names())
    assert "pages" in inspect(fresh_engine).get_table_names()
    upgrade(fresh_engine)
    assert TABLES <= set(inspect(fresh_engine).get_table_names())


def test_models_match_the_migration(fresh_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import server.moderation.models  # noqa: F401
    from server.store.models import Base

    upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if any(t in repr(d) for t in TABLES)]
    assert ours == []
