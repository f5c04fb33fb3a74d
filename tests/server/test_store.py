"""The store: migrations up and down on both databases, models match the migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from server.store import current_revision, db, downgrade, head_revision, make_engine, upgrade
from server.store.models import Base, Page

CORE_TABLES = {"pages", "analyses", "reader_reports", "api_clients", "dedupe_keys"}


def test_database_is_at_head_with_the_core_tables(app):
    engine = app.extensions["store"]["engine"]
    assert current_revision(engine) == head_revision()
    assert CORE_TABLES <= set(inspect(engine).get_table_names())


def test_models_match_the_initial_migration(app):
    engine = app.extensions["store"]["engine"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # tables added by later revisions (moderation) are not in this Base: ignore "remove_table"
    relevant = [d for d in diff if not (isinstance(d, tuple) and d[0] == "remove_table")]
    relevant = [d for d in relevant if not (isinstance(d, tuple) and d[0] in ("remove_index", "remove_fk")
                                            and d[1].table.name not in CORE_TABLES)]
    assert relevant == []


def test_initial_revision_upgrades_and_downgrades(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/m.sqlite3")
    upgrade(engine, "0001_initial")
    assert current_revision(engine) == "0001_initial"
    assert CORE_TABLES <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not CORE_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    upgrade(engine)  # idempotent
    assert current_revision(engine) == head_revision()


def test_page_defaults_and_constraints(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(Page(url_key="https://a.example/", url="https://a.example/", site="a.example"))
        db.session.commit()
        page = db.session.scalar(select(Page))
        assert (page.moderation_state, page.request_count, page.report_count) == ("none", 0, 0)
        assert page.first_seen.tzinfo is not None
        page.moderation_state = "bogus"
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(Page(url_key="https://a.example/", url="x", site="a.example"))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_readyz_reflects_the_database(app_factory, tmp_path):
    ok = app_factory(f"sqlite:///{tmp_path}/ready.sqlite3")
    assert ok.test_client().get("/readyz").json == {"status": "ready"}
    broken = app_factory("postgresql+psycopg://nobody@127.0.0.1:1/none", AUTO_MIGRATE=False)
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert broken.test_client().get("/healthz").status_code == 200


def test_database_outage_is_503_not_500(app_factory):
    broken = app_factory("postgresql+psycopg://nobody@127.0.0.1:1/none", AUTO_MIGRATE=False)
    response = broken.test_client().get("/api/v1/badges",
                                        query_string={"url": "https://news.example/a"})
    assert response.status_code == 503
    assert response.json["type"].endswith("/database-unavailable")
    assert "Retry-After" in response.headers
