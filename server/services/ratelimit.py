"""Provides sliding-window rate limits kept in the database (shared by every node)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
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


def clear(db: Session, bucket: str) -> None:
    db.execute(delete(RateEvent).where(RateEvent.bucket == bucket))


def purge(db: Session, older_than: datetime) -> None:
    db.execute(delete(RateEvent).where(RateEvent.created_at < older_than))
