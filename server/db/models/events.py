"""Provides the model of the events a user is to be told about (in-app, and by the
notifications issue's channels): a task assigned, commented on, due soon, overdue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base
from server.db.types import UTCDateTime, utcnow


class UserEvent(Base):
    """Something for ``user_id`` to hear about, written in the transaction of the change
    that caused it. ``payload`` is JSON (what a notice needs: the task's title, due date,
    who did it). ``dedupe_key``, when set, is unique: an event produced by a sweep (due
    soon, overdue) is never recorded twice. ``read_at`` is set once the user has seen it."""

    __tablename__ = "user_events"
    __table_args__ = (
        Index("ix_user_events_user_unread", "user_id", "read_at", "id"),
        UniqueConstraint("dedupe_key", name="uq_user_events_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_user_events_org"))
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE", name="fk_user_events_user"))
    kind: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
