"""/readyz and /healthz when the database is hung, refused, empty or behind this version's schema.

A hung PostgreSQL is a local listener that accepts and never answers (psycopg's own connect
timeout is 130 s); nothing here touches the machine's PostgreSQL service itself.
"""

from __future__ import annotations

import secrets
import threading
import time

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from server.store import (DatabaseCheck, _ReadinessProbe, current_revision, head_revision,
                          make_engine, make_probe_engine, upgrade)

from .conftest import make_app
from .tcp_faults import Blackhole, closed_port


@pytest.fixture
def hung():
    with Blackhole() as listener:
        yield listener


@pytest.fixture
def hung_postgres(hung):
    """The hung server, as DATABASE_URL names it in production (no connect_timeout of its own)."""
    return f"postgresql+psycopg://postgres@127.0.0.1:{hung.port}/none"


@pytest.fixture
def quick_hung_postgres(hung_postgres):
    """The same, with the shortest connect timeout: create_app tries the database once (2 s, not 5)."""
    return hung_postgres + "?connect_timeout=2"


def unreachable_app(url, tmp_path, **overrides):
    """An app on a database that does not answer: made directly (the app_factory fixture's
    cleanup would connect to it once more)."""
    return make_app(url, tmp_path, AUTO_MIGRATE=False, **overrides)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_readyz_answers_503_within_seconds_when_postgres_hangs(hung_postgres, tmp_path):
    app = unreachable_app(hung_postgres, tmp_path)
    response, elapsed = timed(lambda: app.test_client().get("/readyz"))
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/not-ready")
    assert response.headers["Retry-After"] == "5"
    assert elapsed < 7.0  # READY_TIMEOUT_SECONDS (3); psycopg's default: 130 s


def test_parallel_readyz_share_one_check_and_healthz_stays_fast(hung, quick_hung_postgres, tmp_path):
    app = unreachable_app(quick_hung_postgres, tmp_path)
    accepted_at_start = hung.accepted  # create_app's own attempt (a purge of old dedupe keys)
    results: list[tuple[int, float]] = []

    def probe() -> None:
        response, elapsed = timed(lambda: app.test_client().get("/readyz"))
        results.append((response.status_code, elapsed))

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the checks are waiting on the hung server now
    health, health_elapsed = timed(lambda: app.test_client().get("/healthz"))
    for thread in threads:
        thread.join(30)
    assert health.status_code == 200 and health_elapsed < 2.5  # not behind the hung checks
    assert [status for status, _ in results] == [503] * 8
    assert max(elapsed for _, elapsed in results) < 7.0  # 3 s each, not one after another
    # one check in flight per process, not a connection per caller
    assert hung.accepted - accepted_at_start == 1


def test_healthz_never_touches_the_database(hung, quick_hung_postgres, tmp_path):
    app = unreachable_app(quick_hung_postgres, tmp_path)
    accepted_at_start = hung.accepted
    response, elapsed = timed(lambda: app.test_client().get("/healthz"))
    assert response.status_code == 200 and elapsed < 2.5
    assert hung.accepted == accepted_at_start


def test_a_request_on_a_hung_database_fails_after_the_connect_timeout(hung_postgres, tmp_path):
    app = unreachable_app(hung_postgres, tmp_path)
    response, elapsed = timed(lambda: app.test_client().get(
        "/api/v1/badges", query_string={"url": "https://news.example/a"}))
    assert response.status_code == 503
    assert response.json["type"].endswith("/database-unavailable")
    assert elapsed < 8.0  # CONNECT_TIMEOUT_SECONDS (5), not psycopg's 130 s


def test_a_connect_timeout_in_the_url_wins(quick_hung_postgres):
    engine = make_engine(quick_hung_postgres)
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError):
            engine.connect()
        assert time.monotonic() - started < 4.0  # 2 s, not the default 5 s
    finally:
        engine.dispose()


def test_readyz_503_when_the_database_refuses(tmp_path):
    app = unreachable_app(f"postgresql+psycopg://nobody@127.0.0.1:{closed_port()}/none", tmp_path)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "does not answer" in response.json["detail"]


# -- the schema revision --------------------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path):
    """A database nobody has migrated: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    base = request.getfixturevalue("postgres_url").split("?")[0]
    schema = f"t_ready_{secrets.token_hex(4)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_readyz_503_on_an_empty_database_names_the_revisions(empty_database, app_factory):
    app = app_factory(empty_database, AUTO_MIGRATE=False)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.json
    assert body["type"].endswith("/not-ready")
    assert body["revision"] is None and body["expected_revision"] == head_revision()
    assert head_revision() in body["detail"] and "reliability db upgrade" in body["detail"]

    upgrade(app.extensions["store"]["engine"])
    assert app.test_client().get("/readyz").json == {"status": "ready"}


def test_readyz_503_on_an_older_revision(empty_database, app_factory):
    engine = make_engine(empty_database)
    upgrade(engine, "0001_initial")
    engine.dispose()
    app = app_factory(empty_database, AUTO_MIGRATE=False)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["revision"] == "0001_initial"
    assert "0001_initial" in response.json["detail"]


def test_a_database_seen_at_head_is_not_asked_again(tmp_path, app_factory):
    url = f"sqlite:///{tmp_path}/head.sqlite3"
    app = app_factory(url)
    engine = app.extensions["store"]["engine"]
    assert current_revision(engine) == head_revision()
    assert app.test_client().get("/readyz").status_code == 200
    with engine.begin() as conn:  # were the revision read again, this would be "not at head"
        conn.execute(text("DELETE FROM alembic_version"))
    assert app.test_client().get("/readyz").status_code == 200


def test_readyz_on_a_database_migrated_by_a_newer_version_does_not_say_upgrade(empty_database,
                                                                              app_factory):
    engine = make_engine(empty_database)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_a_newer_release'"))
    engine.dispose()
    app = app_factory(empty_database, AUTO_MIGRATE=False)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.json
    assert body["revision"] == "0099_from_a_newer_release"
    assert body["expected_revision"] == head_revision()
    assert "newer version" in body["detail"] and "upgrade" not in body["detail"]


# -- a check that never ends ----------------------------------------------------------------

def test_a_hung_check_is_abandoned_and_readyz_recovers():
    """A connection that goes silent mid-query (half-open: statement_timeout cannot help) holds
    its check forever; after the bound a new check starts instead of joining the dead one."""
    hang, calls = threading.Event(), []

    def check():
        calls.append(1)
        if len(calls) == 1:
            hang.wait(30)  # the first check never answers (until the test ends)
        return DatabaseCheck(True, "r", "r")

    probe = _ReadinessProbe(check)
    probe._min_abandon_after = 0.5  # max(10 s, 3 × timeout) in production
    try:
        assert not probe(0.1).reachable  # hung
        assert not probe(0.1).reachable and len(calls) == 1  # within the bound: still shared
        time.sleep(0.6)
        deadline = time.monotonic() + 5
        while not probe(0.15).reachable:  # a new check, on a database that is fine now
            assert time.monotonic() < deadline, "still joined to the hung check"
        checks = len(calls)
        assert checks >= 2
        assert probe(1.0).reachable and len(calls) == checks + 1  # a finished one is not reused
    finally:
        hang.set()


def test_the_probe_connection_gives_up_on_a_half_open_connection():
    """TCP keepalives and tcp_user_timeout on the check's own connection (libpq parameters)."""
    engine = make_probe_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    seen = {}

    @event.listens_for(engine, "do_connect")
    def capture(_dialect, _record, _cargs, cparams):
        seen.update(cparams)
        raise RuntimeError("captured")

    with pytest.raises(Exception, match="captured"):
        engine.connect()
    engine.dispose()
    assert seen["keepalives"] == 1 and seen["keepalives_idle"] > 0
    assert 0 < seen["tcp_user_timeout"] <= 30_000  # milliseconds
    assert seen["connect_timeout"] == 2
