"""Provides callback orders: the window the user asked for, taken in their zone and kept
in UTC with the zone; the agents' list of those due."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract import support as sp
from server.db.models.support import SupportCallback
from server.services.errors import ServiceError

MAX_AHEAD_DAYS = 30
"""How far ahead a callback may be ordered."""


def window_utc(body: sp.CallbackIn) -> tuple[datetime, datetime]:
    """The window in UTC: 10:00–12:00 on 05.03.2026 in Europe/Moscow (UTC+3) is
    07:00–09:00 UTC; in Asia/Yekaterinburg (UTC+5) 05:00–07:00 UTC."""
    tz = ZoneInfo(body.timezone)
    start = datetime.combine(body.day, body.start, tzinfo=tz)
    end = datetime.combine(body.day, body.end, tzinfo=tz)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def order(db: Session, user_id: str, body: sp.CallbackIn, now: datetime) -> SupportCallback:
    start, end = window_utc(body)
    if end <= now:
        raise ServiceError(422, "support.window_past", params={"field": "day"})
    if start > now + timedelta(days=MAX_AHEAD_DAYS):
        raise ServiceError(422, "support.window_far", params={"field": "day",
                                                              "days": MAX_AHEAD_DAYS})
    row = SupportCallback(user_id=user_id, org_id=body.org_id, phone=body.phone,
                          topic=body.topic, window_start=start, window_end=end,
                          timezone=body.timezone, status="new", created_at=now)
    db.add(row)
    db.flush()
    return row


def of_user(db: Session, user_id: str, limit: int = 50) -> list[SupportCallback]:
    return list(db.scalars(select(SupportCallback).where(SupportCallback.user_id == user_id)
                           .order_by(SupportCallback.created_at.desc()).limit(limit)))


def open_ones(db: Session, now: datetime | None, limit: int) -> list[SupportCallback]:
    """The open callbacks by window; with ``now``, those whose window has begun."""
    query = select(SupportCallback).where(SupportCallback.status == "new")
    if now is not None:
        query = query.where(SupportCallback.window_start <= now)
    return list(db.scalars(query.order_by(SupportCallback.window_start).limit(limit)))


def done(db: Session, callback_id: str, agent_id: str, now: datetime) -> SupportCallback:
    row = db.get(SupportCallback, callback_id)
    if row is None:
        raise ServiceError(404, "support.callback_not_found")
    if row.status == "new":
        row.status, row.done_at, row.done_by = "done", now, agent_id
        db.flush()
    return row
