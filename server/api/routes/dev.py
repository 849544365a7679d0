"""Provides the local mailbox of the embedded server (mail and SMS kept, not sent).

Mounted only when ``dev_outbox`` is set: the embedded app and tests.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy import select

from core import contract as m
from server.api.deps import DbDep
from server.db.models import OutboxMessage

router = APIRouter(tags=["dev"])


@router.get("/dev/outbox")
def local_outbox(db: DbDep, after: int = Query(0, ge=0)) -> m.OutboxList:
    with db.begin():
        rows = db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id > after)
            .order_by(OutboxMessage.id.desc())
            .limit(50)
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
