"""Provides the local mailbox of the embedded server (mail and SMS kept, not sent).

Mounted only when ``dev_outbox`` is set: the embedded app and tests.
"""

from __future__ import annotations

from fastapi import APIRouter, Query

from core import contract as m
from server.api.deps import DbDep
from server.services import outbox

router = APIRouter(tags=["dev"])


@router.get("/dev/outbox")
def local_outbox(db: DbDep, after: int = Query(0, ge=0, le=2**62)) -> m.OutboxList:
    # Bounded: a larger position than any id fits no BIGINT (a 500 before, not a 4xx).
    return outbox.local_mailbox(db, after)
