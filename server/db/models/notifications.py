"""Provides the models of notifications and of the job table their deliveries run from.

- ``Notification``: one event for one user (the in-app list when ``in_app``; the daily
  digest's material while ``digest_pending``), written in the transaction of the change.
- ``NotificationOrgPref`` / ``NotificationUserPref``: the event × channel matrix of an
  organisation and a user's own choices in it (a missing cell follows the level above).
- ``NotificationChannel``: a user's channel settings (digest, the linked Telegram chat, its
  pending one-time link code as a hash).
- ``WebhookEndpoint``: an organisation's HTTPS receiver with its signing secret.
- ``Job``: a delivery to run (a webhook POST, a Telegram message), claimed by a worker
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), retried with backoff.
- ``WorkerLease``: a named lease one worker node holds at a time (the Telegram poll),
  with the state that goes with it (the ``getUpdates`` offset).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow

_BIGINT = BigInteger().with_variant(Integer, "sqlite")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user", "user_id", "in_app", "created_at"),
        Index("ix_notifications_digest", "digest_pending", "user_id"),
        UniqueConstraint("dedupe_key", name="uq_notifications_dedupe_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE", name="fk_notifications_user"))
    org_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_notifications_org"))
    event: Mapped[str] = mapped_column(String(40))
    object_kind: Mapped[str | None] = mapped_column(String(20))
    object_id: Mapped[str | None] = mapped_column(String(100))
    params: Mapped[str] = mapped_column(Text, default="{}")
    """JSON: what the texts need (a task's title, a deadline's date, who did it)."""
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationOrgPref(Base):
    __tablename__ = "notification_org_prefs"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_notification_org_prefs_org"),
        primary_key=True)
    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


class NotificationUserPref(Base):
    __tablename__ = "notification_user_prefs"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE",
                   name="fk_notification_user_prefs_org"), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE", name="fk_notification_user_prefs_user"),
        primary_key=True)
    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


class NotificationChannel(Base):
    __tablename__ = "notification_channels"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE", name="fk_notification_channels_user"),
        primary_key=True)
    email_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_hour: Mapped[int] = mapped_column(Integer, default=9)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    telegram_chat_id: Mapped[str | None] = mapped_column(String(40))
    telegram_chat_title: Mapped[str | None] = mapped_column(String(200))
    telegram_linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    telegram_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    telegram_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_org", "org_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_webhook_endpoints_org"))
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(200))
    events: Mapped[str | None] = mapped_column(Text)
    """JSON list of event types, or ``None`` for every event."""
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(36))


class Job(Base):
    """A delivery. ``run_at`` is when it is due; a worker that claims it moves ``run_at``
    a lease ahead, so a node that dies mid-send leaves it to be claimed again later."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_due", "status", "run_at"),
        Index("ix_jobs_ref", "ref_id", "id"),
        UniqueConstraint("dedupe_key", name="uq_jobs_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    """``pending`` (due at ``run_at``), ``done`` or ``failed`` (given up)."""
    run_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=7)
    org_id: Mapped[str | None] = mapped_column(String(36))
    ref_id: Mapped[str | None] = mapped_column(String(36))
    """The webhook endpoint (or the user) the job delivers to."""
    event: Mapped[str | None] = mapped_column(String(40))
    event_id: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WorkerLease(Base):
    __tablename__ = "worker_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(80))
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str | None] = mapped_column(Text)
