"""Alembic environment: run with a connection handed over by server.store.upgrade()."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from server.store.models import Base

# Revisions are written by hand (see versions/); the metadata here only serves `alembic check`-style
# comparisons.
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # `alembic -x url=...` from a shell
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
