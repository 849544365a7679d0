"""Provides ``enqueue``: mail and SMS written in the caller's transaction, and the local
mailbox of the embedded server (``local_mailbox``: what was written, newest first)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import OutboxMessage

MAILBOX_PAGE = 50


def enqueue_email(db: Session, to: str, subject: str, body: str) -> None:
    db.add(OutboxMessage(channel="email", recipient=to, subject=subject, body=body))


def enqueue_sms(db: Session, to: str, text: str) -> None:
    db.add(OutboxMessage(channel="sms", recipient=to, subject=None, body=text))


def local_mailbox(db: Session, after: int = 0) -> m.OutboxList:
    """The newest messages with an id above ``after`` (at most :data:`MAILBOX_PAGE`)."""
    with db.begin():
        rows = db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id > after)
            .order_by(OutboxMessage.id.desc())
            .limit(MAILBOX_PAGE)
        ).all()
        return m.OutboxList(
            items=[
                m.OutboxMessage(
                    id=r.id,
                    channel=r.channel,  # type: ignore[arg-type]
                    recipient=r.recipient,
                    subject=r.subject,
                    body=r.body,
                    created_at=r.created_at,
                    sent_at=r.sent_at,
                )
                for r in rows
            ]
        )
