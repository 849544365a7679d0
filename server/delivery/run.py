"""Provides ``buhta-server worker``: the delivery worker in a process of its own.

Run one or more beside API servers started with ``BUHTA_RUN_WORKER=false``; on PostgreSQL
any number of them share the work (jobs are claimed with ``FOR UPDATE SKIP LOCKED``).
SIGTERM or Ctrl+C stops it after the message in flight.
"""

from __future__ import annotations

import logging
import signal
import threading

from server.config import Settings
from server.db.session import make_engine, make_sessionmaker, migrate
from server.delivery.worker import OutboxWorker
from server.services import turnovers

log = logging.getLogger("buhta.delivery")


def run(settings: Settings, stop: threading.Event | None = None) -> None:
    """Deliver until ``stop`` is set (or SIGTERM / SIGINT in the main thread)."""
    stop = stop or threading.Event()
    engine = make_engine(settings.database_url)
    turnovers.install()
    if settings.migrate_on_start:
        migrate(engine)
    worker = OutboxWorker(make_sessionmaker(engine), settings)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    worker.start()
    log.info("delivery worker started")
    try:
        stop.wait()
    finally:
        worker.stop()
        engine.dispose()
        log.info("delivery worker stopped")


__all__ = ["run"]
