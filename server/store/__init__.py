"""The store: one SQLAlchemy engine per app, a session per app context, Alembic migrations.

Usage from any blueprint::

    from server.store import db
    page = db.session.scalar(select(Page).where(Page.url_key == key))
    db.session.commit()

The session is closed (and anything uncommitted rolled back) when the app context ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from .models import Base  # noqa: F401  (re-exported)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_ID = 746_251_001  # arbitrary, constant: serialises migrations on PostgreSQL


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         pool_timeout=10)


class Store:
    """The Flask extension holding the engine; `db.session` is the request's session."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["SQLALCHEMY_URL"], app.config.get("DATABASE_ECHO", False))
        # gunicorn --preload forks after create_app: children must not share pooled connections
        os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
        app.extensions["store"] = {
            "engine": engine,
            "sessionmaker": sessionmaker(engine, expire_on_commit=False),
        }
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def _state(app: Flask | None = None) -> dict:
        return (app or current_app).extensions["store"]

    @property
    def engine(self) -> Engine:
        return self._state()["engine"]

    @property
    def session(self) -> Session:
        session = g.get("_store_session")
        if session is None:
            session = self._state()["sessionmaker"]()
            g._store_session = session
        return session

    @staticmethod
    def _close_session(_exc: BaseException | None = None) -> None:
        session = g.pop("_store_session", None)
        if session is not None:
            session.close()

    def ping(self) -> bool:
        """Whether the database answers (for /readyz)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means not ready
            return False


db = Store()


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.set_main_option("path_separator", "space")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Only one process migrates at a time (gunicorn workers start together)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_LOCK_ID})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_LOCK_ID})
                conn.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock_path = Path(engine.url.database).with_suffix(".migrate.lock")
        with open(lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    else:
        yield


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind `engine` to `revision` (idempotent, serialised)."""
    from alembic import command

    with _migration_lock(engine):
        if revision == "head" and current_revision(engine) == head_revision():
            return
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with _migration_lock(engine):
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), revision)
