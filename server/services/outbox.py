"""Provides ``enqueue``: mail and SMS written in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.db.models import OutboxMessage


def enqueue_email(db: Session, to: str, subject: str, body: str) -> None:
    db.add(OutboxMessage(channel="email", recipient=to, subject=subject, body=body))


def enqueue_sms(db: Session, to: str, text: str) -> None:
    db.add(OutboxMessage(channel="sms", recipient=to, subject=None, body=text))
