"""Alembic: the migrations build exactly the models' schema, and running them twice is a no-op."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from server.db.models import Base
from server.db.session import MIGRATIONS, make_engine, migrate


def schema(engine) -> dict[str, set[str]]:
    insp = inspect(engine)
    return {name: {c["name"] for c in insp.get_columns(name)} for name in insp.get_table_names()}


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_migration_creates_every_table_on_a_fresh_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        assert inspect(engine).get_table_names() == []
        migrate(engine)
        tables = schema(engine)
        assert set(tables) == set(Base.metadata.tables) | {"alembic_version"}
        for name, table in Base.metadata.tables.items():
            assert tables[name] == {c.name for c in table.columns}, name
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() \
                == [head_revision()]
            # Nothing the models declare is missing from (or extra in) the migrated database.
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_running_the_migration_twice_is_a_no_op(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'twice.sqlite3'}")
    try:
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO rate_events (bucket, created_at) VALUES ('keep-me', '2025-01-01')"
            ))
        before = schema(engine)
        migrate(engine)
        assert schema(engine) == before
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
            assert conn.execute(text("SELECT bucket FROM rate_events")).scalars().all() \
                == ["keep-me"]
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_with_full_sync(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()


def test_cli_migrate_only(tmp_path, monkeypatch):
    from server import cli

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("BUHTA_DATABASE_URL", "sqlite:///must-not-be-used.sqlite3")
    cli.main(["--migrate-only", "--database-url", url, "--log-level", "warning"])
    engine = make_engine(url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
