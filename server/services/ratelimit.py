"""Provides sliding-window rate limits kept in the database (shared by every node).

:func:`take` counts an attempt before the slow work it guards (an argon2 check, a code
look-up), atomically with the check: on PostgreSQL under a transaction-scoped advisory
lock per bucket, on SQLite under the one writer's lock every transaction takes
(``BEGIN IMMEDIATE``). So parallel attempts cannot all pass a check made before any of
them was counted. An attempt that turns out not to count (the right password) is given
back with :func:`refund`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from server.db.models import RateEvent
from server.services.errors import RateLimited


def check(
    db: Session,
    bucket: str,
    limit: int,
    window_s: int,
    now: datetime,
    code: str = "auth.rate_limited",
) -> None:
    """Raise RateLimited (with Retry-After) when ``bucket`` has ``limit`` events in the window."""
    since = now - timedelta(seconds=window_s)
    count, oldest = db.execute(
        select(func.count(RateEvent.id), func.min(RateEvent.created_at)).where(
            RateEvent.bucket == bucket, RateEvent.created_at > since
        )
    ).one()
    if count >= limit:
        free_at = (oldest or now) + timedelta(seconds=window_s)
        raise RateLimited(int((free_at - now).total_seconds()) + 1, code)


def hit(db: Session, bucket: str, now: datetime) -> None:
    db.add(RateEvent(bucket=bucket, created_at=now))


def take(
    db: Session,
    bucket: str,
    limit: int,
    window_s: int,
    now: datetime,
    code: str = "auth.rate_limited",
) -> int:
    """Check and count one attempt at once (inside the caller's transaction); the id of
    the counted event, for :func:`refund`. Raises RateLimited like :func:`check`."""
    _lock(db, bucket)
    check(db, bucket, limit, window_s, now, code)
    event = RateEvent(bucket=bucket, created_at=now)
    db.add(event)
    db.flush()
    return event.id


def refund(db: Session, event_ids: Iterable[int]) -> None:
    """Forget attempts counted by :func:`take` that turned out not to count."""
    ids = list(event_ids)
    if ids:
        db.execute(delete(RateEvent).where(RateEvent.id.in_(ids)))


def _lock(db: Session, bucket: str) -> None:
    """Serialise the check-and-count of one bucket until the transaction ends."""
    if db.get_bind().dialect.name != "postgresql":
        return  # SQLite: every transaction already holds the one writer's lock
    number = int.from_bytes(hashlib.sha256(bucket.encode()).digest()[:8], "big", signed=True)
    db.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": number})


def clear(db: Session, bucket: str) -> None:
    db.execute(delete(RateEvent).where(RateEvent.bucket == bucket))


def purge(db: Session, older_than: datetime) -> None:
    db.execute(delete(RateEvent).where(RateEvent.created_at < older_than))
