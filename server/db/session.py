"""Provides the engine factory (SQLite durability pragmas), the session factory with its
flush hooks, and the migration runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"

FlushHook = Callable[[Session, UOWTransaction], None]
_FLUSH_HOOKS: list[FlushHook] = []


def normalize_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # The driver's own transaction handling is switched off so that every
            # transaction starts as BEGIN IMMEDIATE (below): two writers then wait
            # for each other (busy timeout) instead of failing on lock upgrade.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # An acknowledged write survives a crash or power loss.
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def on_flush(hook: FlushHook) -> FlushHook:
    """Run ``hook`` after every flush of every session a :func:`make_sessionmaker` factory
    makes, inside the flush's transaction (so what it writes commits or rolls back with it).

    The database layer knows no rule: a service registers its hook at start-up (the app
    factory calls ``server.services.turnovers.install``). Registering twice is harmless.
    """
    if hook not in _FLUSH_HOOKS:
        _FLUSH_HOOKS.append(hook)
    return hook


def _after_flush(session: Session, flush: UOWTransaction) -> None:
    for hook in tuple(_FLUSH_HOOKS):
        hook(session, flush)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """The session factory: every session it makes runs the hooks of :func:`on_flush`
    (those registered later too)."""
    maker = sessionmaker(engine, expire_on_commit=False)
    event.listen(maker, "after_flush", _after_flush)
    return maker


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision (the same scripts on SQLite and PG)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several hosted nodes may start at once: one migrates, the others wait.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(74657001)")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
