"""Fixtures for the service: `app`, `client`, `runner` over SQLite and PostgreSQL; loopback web
servers standing in for the outside world; an audit-hook recorder of network activity.

- `database` (session scope, params sqlite/postgres): a migrated database. SQLite is a real file;
  PostgreSQL is the real server (database `test`) in a schema of its own, so parallel runs and
  other suites do not collide; it is skipped with a reason only when no server answers.
- `app` (function scope): create_app() on that database; tables are emptied after each test.
- `sqlite_app`: the same on SQLite only, for tests whose subject is not storage.
- `web`: a real HTTP server on 127.0.0.1 with misbehaving routes (see loopback.py).
- `network`: records socket.connect / getaddrinfo audit events (assert no connection attempted).
"""

from __future__ import annotations

import os
import secrets
import sys
import threading

import pytest
from sqlalchemy import MetaData, create_engine, text

from server import create_app
from server.store import make_engine, upgrade

from .loopback_web import LoopbackWeb

PG_URLS = [
    os.environ.get("TEST_POSTGRES_URL", ""),
    "postgresql+psycopg://postgres@/test?host=/var/run/postgresql",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "RATELIMIT_ENABLED": False,
    "REQUEST_COUNT_FLUSH_SECONDS": 0,
    "BADGE_CACHE_SECONDS": 0,  # tests read their writes at once (test_badge_cache covers it)
    "SESSION_COOKIE_SECURE": False,
    "FETCH_TOTAL_TIMEOUT": 2.0,
    "FETCH_CONNECT_TIMEOUT": 1.0,
    "JSON_LOGS": True,
    "PRELOAD_ANALYZER": True,
    # moderation (server/moderation) plugs into every app unless this is set to 0
    "MODERATION_ENABLED": os.environ.get("TEST_SERVER_MODERATION", "1") == "1",
}


# -- network recorder (audit hooks cannot be removed: install one, switch it on per test) -----

class NetworkRecorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, tuple]] = []
        self.active = False
        self._lock = threading.Lock()

    def __call__(self, event: str, args: tuple) -> None:
        if self.active and event in ("socket.connect", "socket.getaddrinfo"):
            with self._lock:
                self.events.append((event, tuple(str(a) for a in args)))

    def connects(self) -> list[tuple]:
        return [args for event, args in self.events if event == "socket.connect"]

    def lookups(self) -> list[tuple]:
        return [args for event, args in self.events if event == "socket.getaddrinfo"]


_RECORDER = NetworkRecorder()
sys.addaudithook(_RECORDER)


@pytest.fixture
def network():
    _RECORDER.events.clear()
    _RECORDER.active = True
    yield _RECORDER
    _RECORDER.active = False
    _RECORDER.events.clear()


# -- databases ------------------------------------------------------------------------------

def _postgres_base_url() -> str | None:
    for url in PG_URLS:
        if not url:
            continue
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            return url
        except Exception:  # noqa: BLE001 - try the next way in
            continue
    return None


@pytest.fixture(scope="session")
def postgres_url():
    base = _postgres_base_url()
    if base is None:
        pytest.skip("PostgreSQL not reachable (socket /var/run/postgresql or 127.0.0.1:5432, "
                    "database 'test'); set TEST_POSTGRES_URL to point at one")
    schema = f"t_server_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path_factory):
    """A migrated database URL (session scope)."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory):
    url = "sqlite:///" + str(tmp_path_factory.mktemp("db1") / "test.sqlite3")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _empty_tables(app) -> None:
    from sqlalchemy.exc import OperationalError

    engine = app.extensions["store"]["engine"]
    meta = MetaData()
    try:
        meta.reflect(bind=engine)
    except OperationalError:  # a deliberately unreachable database
        return
    with engine.begin() as conn:
        for table in reversed(meta.sorted_tables):
            if table.name != "alembic_version":
                conn.execute(table.delete())


def make_app(database_url: str, instance_path, **overrides):
    config = dict(BASE_CONFIG, DATABASE_URL=database_url, **overrides)
    app = create_app(config)
    app.instance_path = str(instance_path)
    return app


@pytest.fixture
def app_factory(tmp_path):
    """Build extra apps on a database (for config variants); emptied and disposed after."""
    made = []

    def factory(database_url: str, **overrides):
        app = make_app(database_url, tmp_path, **overrides)
        made.append(app)
        return app

    yield factory
    for app in made:
        _empty_tables(app)
        app.extensions["store"]["engine"].dispose()


@pytest.fixture
def app(database, app_factory):
    return app_factory(database)


@pytest.fixture
def sqlite_app(sqlite_database, app_factory):
    return app_factory(sqlite_database)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def sqlite_client(sqlite_app):
    return sqlite_app.test_client()


# -- the outside world on loopback ----------------------------------------------------------

@pytest.fixture(scope="session")
def web():
    server = LoopbackWeb()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fetch_app(sqlite_database, app_factory):
    """An app on SQLite whose fetcher may reach loopback (the test-only switch)."""
    return app_factory(sqlite_database, FETCH_ALLOW_LOOPBACK=True, FETCH_TOTAL_TIMEOUT=1.5,
                       FETCH_MAX_BYTES=1024 * 1024)


@pytest.fixture(scope="session")
def redis_url():
    try:
        import redis

        conn = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        conn.ping()
        conn.flushdb()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__}); "
                    "start redis-server or set TEST_REDIS_URL")
    return REDIS_URL
