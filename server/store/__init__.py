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
import functools
import os
import threading
import time
from concurrent.futures import Future, TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from .models import Base  # noqa: F401  (re-exported)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_ID = 746_251_001  # arbitrary, constant: serialises migrations on PostgreSQL
# psycopg waits 130 s for a server that accepts and never answers: every thread that needed a
# connection hung that long. A `connect_timeout` in DATABASE_URL overrides this.
CONNECT_TIMEOUT_SECONDS = 5
# /readyz waits this long for the database check (connect, SELECT 1, schema revision), then 503
READY_TIMEOUT_SECONDS = 3.0
_READY_STATEMENT_TIMEOUT_MS = 2000  # a server that answers but is stuck (locks, overload)


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
                         pool_timeout=10, connect_args=_connect_timeout(url, CONNECT_TIMEOUT_SECONDS))


# The probe's connection also gives up by itself on a half-open connection (a peer that vanished
# mid-query: statement_timeout runs on the server and cannot help): TCP keepalives, and
# tcp_user_timeout (ms) for data sent and never acknowledged. libpq parameters, passed by psycopg.
_PROBE_CONNECT_ARGS = {"connect_timeout": 2, "keepalives": 1, "keepalives_idle": 5,
                       "keepalives_interval": 2, "keepalives_count": 3, "tcp_user_timeout": 10_000}


def make_probe_engine(url: str) -> Engine | None:
    """The engine /readyz checks with: a fresh connection each time (NullPool), so a check never
    waits for, nor holds, one of the requests' pooled connections. None for SQLite (a local file:
    the app's engine will do)."""
    if url.startswith("sqlite"):
        return None
    # 2 s is psycopg's minimum; the check as a whole is bounded by READY_TIMEOUT_SECONDS anyway
    postgres = make_url(url).get_backend_name() == "postgresql"
    return create_engine(url, poolclass=NullPool, connect_args=_PROBE_CONNECT_ARGS if postgres else {})


def _connect_timeout(url: str, seconds: int) -> dict:
    """connect_args with a connect timeout, unless the URL names its own (it would be overridden)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or "connect_timeout" in parsed.query:
        return {}
    return {"connect_timeout": seconds}


@dataclass(frozen=True)
class DatabaseCheck:
    """What /readyz needs to know: does the database answer, and at which schema revision."""

    reachable: bool
    revision: str | None = None
    head: str | None = None
    reason: str = ""

    @property
    def at_head(self) -> bool:
        return self.reachable and self.revision == self.head

    @property
    def from_newer_version(self) -> bool:
        """The database is at a revision none of this version's migrations knows: a newer
        version of the service has migrated it (an upgrade from here cannot reach it)."""
        return self.reachable and self.revision is not None and self.revision not in known_revisions()


class _ReadinessProbe:
    """One database check at a time per app and process, in a thread of its own: callers wait
    at most `timeout` for it. A server that hangs mid-query (no client-side timeout can stop
    psycopg then) holds one probe thread, not every request thread; concurrent /readyz calls
    share the check in flight instead of piling up connections.

    A check still running after max(`min_abandon_after`, 3 × timeout) is abandoned: the next
    call starts a new one (the stuck daemon thread is left to end or die with the process), so
    one hung connection does not keep /readyz at 503 after the database is fine again."""

    def __init__(self, check, min_abandon_after: float = 10.0) -> None:
        self._check = check
        self._min_abandon_after = min_abandon_after
        self._lock = threading.Lock()
        self._running: Future | None = None
        self._started = 0.0  # time.monotonic() when self._running began

    def __call__(self, timeout: float) -> DatabaseCheck:
        with self._lock:
            now = time.monotonic()
            stuck = now - self._started > max(self._min_abandon_after, 3 * timeout)
            if self._running is None or self._running.done() or stuck:
                self._running, self._started = Future(), now
                threading.Thread(target=self._run, args=(self._running,), daemon=True,
                                 name="readiness-probe").start()
            running = self._running
        try:
            return running.result(timeout)
        except FutureTimeout:
            return DatabaseCheck(False, reason=f"no answer within {timeout:g} seconds")

    def _run(self, future: Future) -> None:
        try:
            future.set_result(self._check())
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            # the driver's error class (e.g. ConnectionTimeout), not its message (host, user)
            cause = getattr(exc, "orig", None) or exc
            future.set_result(DatabaseCheck(False, reason=type(cause).__name__))


class Store:
    """The Flask extension holding the engine; `db.session` is the request's session."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        url = app.config["SQLALCHEMY_URL"]
        engine = make_engine(url, app.config.get("DATABASE_ECHO", False))
        state = {
            "engine": engine,
            "sessionmaker": sessionmaker(engine, expire_on_commit=False),
            "probe_engine": make_probe_engine(url) or engine,
            "at_head": False,  # set once seen: a running service's schema does not go back
        }
        state["probe"] = _ReadinessProbe(functools.partial(_check_database, state))

        def after_fork() -> None:
            # gunicorn --preload forks after create_app: children must not share pooled
            # connections, nor wait on a probe thread that only the parent has
            engine.dispose(close=False)
            state["probe"] = _ReadinessProbe(functools.partial(_check_database, state))

        os.register_at_fork(after_in_child=after_fork)
        app.extensions["store"] = state
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

    def check(self, timeout: float = READY_TIMEOUT_SECONDS) -> DatabaseCheck:
        """Whether the database answers within `timeout`, and its schema revision (for /readyz)."""
        return self._state()["probe"](timeout)

    def ping(self, timeout: float = READY_TIMEOUT_SECONDS) -> bool:
        """Whether the database answers within `timeout`."""
        return self.check(timeout).reachable


db = Store()


def _check_database(state: dict) -> DatabaseCheck:
    """SELECT 1, and the schema revision until it has been seen at head (then it stays there)."""
    engine: Engine = state["probe_engine"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SET LOCAL statement_timeout = {_READY_STATEMENT_TIMEOUT_MS}"))
        conn.execute(text("SELECT 1"))
        if state["at_head"]:
            return DatabaseCheck(True, head_revision(), head_revision())
        from alembic.runtime.migration import MigrationContext

        revision = MigrationContext.configure(conn).get_current_revision()
    head = head_revision()
    state["at_head"] = revision == head
    return DatabaseCheck(True, revision, head)


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


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision of this code (read once: the migration scripts do not change)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@functools.lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision this code's migrations define."""
    from alembic.script import ScriptDirectory

    return frozenset(script.revision
                     for script in ScriptDirectory.from_config(alembic_config()).walk_revisions())


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
