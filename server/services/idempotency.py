"""Provides the store of Idempotency-Key records: claim a key, keep its answer, release it.

The HTTP side (reading the request, sealing the answer with the key, replaying it) is
``server.api.idempotency``; this module is the database side. A record is ``pending``
while its first request runs and ``done`` once its answer is kept; a ``pending`` record
older than :data:`STALE_AFTER` belonged to an attempt that died and may be taken over.
Records live :data:`KEEP_FOR` (the outbox worker calls :func:`purge`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server.db.models import IdempotencyRecord
from server.db.types import utcnow

STALE_AFTER = timedelta(minutes=2)
KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class StoredAnswer:
    """The answer kept for a key: status, content type and the (sealed) body."""

    status_code: int
    content_type: str | None
    body: bytes


Busy = Literal["busy", "mismatch"]


class IdempotencyStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def claim(self, key: str, request_hash: str) -> Busy | StoredAnswer | None:
        """``None``: the key is ours, run the request. ``"mismatch"``: the key was used for
        another request. ``"busy"``: its first request still runs. A ``StoredAnswer``:
        replay it."""
        now = utcnow()
        with self.sessions() as db:
            try:
                with db.begin():
                    row = db.get(IdempotencyRecord, key, with_for_update=True)
                    if row is None:
                        db.add(
                            IdempotencyRecord(
                                key=key, request_hash=request_hash, state="pending", created_at=now
                            )
                        )
                        return None
                    if row.request_hash != request_hash:
                        return "mismatch"
                    if row.state == "done":
                        assert row.status_code is not None  # kept with its answer
                        return StoredAnswer(row.status_code, row.content_type, row.body or b"")
                    if now - row.created_at < STALE_AFTER:
                        return "busy"
                    row.created_at = now  # the first attempt died: take it over
                    return None
            except IntegrityError:
                return "busy"  # another node claimed it a moment ago

    def store(self, key: str, status: int, content_type: str | None, body: bytes) -> None:
        """Keep the answer of the key's request (``done``)."""
        with self.sessions() as db, db.begin():
            row = db.get(IdempotencyRecord, key)
            if row is not None:
                row.state = "done"
                row.status_code = status
                row.content_type = content_type
                row.body = body

    def release(self, key: str) -> None:
        """Forget a ``pending`` claim (the request ended with an answer not to keep)."""
        with self.sessions() as db, db.begin():
            db.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.key == key, IdempotencyRecord.state == "pending"
                )
            )


def purge(db: Session) -> None:
    """Delete the records older than :data:`KEEP_FOR`."""
    db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR))
