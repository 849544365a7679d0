"""Provides the models of the newsletter: subscribers (a user and a topic), the consent
history, the issues sent and each issue's deliveries, and the server's signing key of the
unsubscribe links.

The consent history is proof of prior consent to advertising by e-mail (38-ФЗ «О рекламе»,
ст. 18 ч. 1: the advertiser must be able to prove it): rows are only ever added — a
subscription and its withdrawal are two rows, each with its time, source and address; a
subscription's row keeps the exact text shown, its versioned id and its SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow


class NewsletterSubscriber(Base):
    """One user's standing on one topic. The row stays after unsubscribing (``active``
    false): its id is what an unsubscribe link signs, so an old link still works and
    a new subscription does not change the links already sent."""

    __tablename__ = "newsletter_subscribers"
    __table_args__ = (
        UniqueConstraint("user_id", "topic", name="uq_newsletter_subscribers_user_topic"),
        Index("ix_newsletter_subscribers_topic", "topic", "active", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE", name="fk_newsletter_subscribers_user"))
    topic: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    subscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NewsletterConsent(Base):
    """One consent or withdrawal, never changed afterwards."""

    __tablename__ = "newsletter_consents"
    __table_args__ = (Index("ix_newsletter_consents_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    subscriber_id: Mapped[str] = mapped_column(
        ForeignKey("newsletter_subscribers.id", ondelete="CASCADE",
                   name="fk_newsletter_consents_subscriber"))
    user_id: Mapped[str] = mapped_column(String(36))
    topic: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(12))
    """``subscribe`` or ``unsubscribe``."""
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(8))
    """``app``, ``web`` or ``link`` (an issue's unsubscribe link)."""
    ip: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(36))
    email: Mapped[str] = mapped_column(String(320))
    """The address the consent was given for (or withdrawn from)."""
    text_id: Mapped[str | None] = mapped_column(String(40))
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    """The exact consent text shown (a subscription's row)."""


class NewsletterIssue(Base):
    """One issue of a topic. ``id`` names it for a resumed run (by default the SHA-256 of
    the topic and the file, so running the same file again resumes)."""

    __tablename__ = "newsletter_issues"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When a run last queued the issue for every subscriber."""


class NewsletterDelivery(Base):
    """One issue to one subscriber: unique, so no address gets an issue twice, whatever
    the runs. Written with its mail job (``jobs``, kind ``newsletter``) in one
    transaction; the job's run sets ``sent_at``."""

    __tablename__ = "newsletter_deliveries"
    __table_args__ = (
        UniqueConstraint("issue_id", "subscriber_id", name="uq_newsletter_deliveries"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    issue_id: Mapped[str] = mapped_column(
        ForeignKey("newsletter_issues.id", ondelete="CASCADE",
                   name="fk_newsletter_deliveries_issue"))
    subscriber_id: Mapped[str] = mapped_column(
        ForeignKey("newsletter_subscribers.id", ondelete="CASCADE",
                   name="fk_newsletter_deliveries_subscriber"))
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    job_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NewsletterKey(Base):
    """The server's secret for the unsubscribe links (HMAC-SHA256), made once on first use
    when ``BUHTA_NEWSLETTER_SECRET`` is not set, so every node signs alike."""

    __tablename__ = "newsletter_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
