"""Provides the database side of Idempotency-Key: one unit of work per keyed write, whose
single transaction holds the request's writes and the answer kept for its key.

The HTTP side (reading the request, sealing the answer with the key, replaying it) is
``server.api.idempotency``. A keyed write runs in a :class:`UnitOfWork`: one connection,
one transaction. The request's session (``UnitOfWork.session``) joins that transaction,
so each service's ``with db.begin():`` becomes a savepoint inside it. When the answer is
known, the record (``done``, with the sealed answer) is inserted in the same transaction
and everything commits at once. Hence, after a crash at any moment, either the writes
and the answer are both there (a retry gets the replay) or neither is (a retry runs the
request afresh) — never a second write. Two attempts racing under one key cannot both
commit: the record's primary key lets one in, the other rolls back and replays it.

A record's key is a hash of the method, the path, the caller (see :meth:`UnitOfWork.owner`)
and the client's key, so a key replays only to the caller that made it. Records live
:data:`KEEP_FOR` (the outbox worker calls :func:`purge`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.db.models import Device, IdempotencyRecord
from server.db.types import utcnow
from server.services.tokens import digest

KEEP_FOR = timedelta(hours=24)
Mismatch = Literal["mismatch"]


@dataclass(frozen=True)
class StoredAnswer:
    """The answer kept for a key: status, content type and the (sealed) body."""

    status_code: int
    content_type: str | None
    body: bytes


class UnitOfWork:
    """One keyed write: a connection with one open transaction until :meth:`complete`,
    :meth:`finish` or :meth:`close`. Its methods block (call them off the event loop)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        engine = sessions.kw["bind"]
        self.connection: Connection = engine.connect()
        # On SQLite this is BEGIN IMMEDIATE: keyed writes take the one writer's lock in turn.
        self.connection.begin()
        self._own = self.session()

    def session(self) -> Session:
        """A session inside the unit's transaction: its ``begin()`` is a savepoint."""
        return self._sessions(bind=self.connection, join_transaction_mode="create_savepoint")

    def owner(self, access_token: str | None) -> str | None:
        """The user a live bearer token belongs to; None for no token or a dead one (the
        request then runs unauthenticated and never sees a signed-in caller's answer)."""
        if not access_token:
            return None
        with self._own.begin():
            return self._own.scalars(
                select(Device.user_id).where(
                    Device.access_hash == digest(access_token),
                    Device.revoked_at.is_(None),
                    Device.access_expires_at > utcnow(),
                )
            ).first()

    def lookup(self, key: str, request_hash: str) -> Mismatch | StoredAnswer | None:
        """``None``: no answer is kept, run the request. ``"mismatch"``: the key was used
        for another request. A ``StoredAnswer``: replay it."""
        with self._own.begin():
            row = self._own.get(IdempotencyRecord, key)
            if row is not None and row.state != "done":
                # A claim left by the earlier scheme (claim first, answer later): under
                # this one nothing it guarded was written without its answer. Drop it.
                self._own.delete(row)
                return None
            return _verdict(row, request_hash)

    def complete(
        self, key: str, request_hash: str, status: int, content_type: str | None, body: bytes
    ) -> bool:
        """Keep the answer and commit it with the request's writes. False: another attempt
        under the same key committed first; everything here was rolled back."""
        try:
            with self._own.begin():
                self._own.add(
                    IdempotencyRecord(
                        key=key, request_hash=request_hash, state="done", status_code=status,
                        content_type=content_type, body=body, created_at=utcnow(),
                    )
                )
            self.connection.commit()
            return True
        except DBAPIError:  # the key's row exists now (unique), or a deadlock victim
            self.connection.rollback()
            return False

    def finish(self) -> None:
        """Commit the request's writes without an answer (one to be retried: 401, 429 …)."""
        self.connection.commit()

    def close(self) -> None:
        """Roll back whatever is not committed and give the connection back."""
        self._own.close()
        self.connection.close()


class IdempotencyStore:
    """Look-ups outside a unit of work (after an attempt lost its race)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def unit(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def stored(self, key: str, request_hash: str) -> Mismatch | StoredAnswer | None:
        with self.sessions() as db, db.begin():
            return _verdict(db.get(IdempotencyRecord, key), request_hash)


def _verdict(row: IdempotencyRecord | None, request_hash: str) -> Mismatch | StoredAnswer | None:
    if row is None:
        return None
    if row.request_hash != request_hash:
        return "mismatch"
    assert row.status_code is not None  # kept with its answer
    return StoredAnswer(row.status_code, row.content_type, row.body or b"")


def purge(db: Session) -> None:
    """Delete the records older than :data:`KEEP_FOR`."""
    db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR))
