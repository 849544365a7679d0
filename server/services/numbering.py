"""Provides the numbering of entries, documents and payment orders under concurrency.

Why: numbering by ``max(number) + 1`` lets two parallel writers read the same maximum and
collide on the unique number (on PostgreSQL, where writers do not wait for each other as
SQLite's ``BEGIN IMMEDIATE`` makes them). Each series — an organisation's entries, its
documents of one type in one year, its payment orders of one year — has a row in
``number_counters``; a writer locks it (``UPDATE … RETURNING``) in its own transaction
and holds it until commit, so the next writer of the series waits and then sees the
number taken.

- entries are never deleted and never numbered by hand: the counter is the last number
  given (``allocate``), floored by the entries' maximum should a row be missing;
- documents and payment orders may be numbered by hand and a draft or an order deleted:
  their writers take the lock (``lock``) and then number ``max(number) + 1`` as before,
  read after the lock, so the numbering stays exactly what it was, only serialised.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server.db.models import Entry, NumberCounter

T = NumberCounter.__table__
ENTRIES = "entry"
PAYMENT_ORDERS = "payment_order"


def documents(doc_type: str) -> str:
    """The series of one document type: ``document:act``."""
    return f"document:{doc_type}"


def _where(org_id: str, sequence: str, year: int) -> list[Any]:
    return [T.c.org_id == org_id, T.c.sequence == sequence, T.c.year == year]


def _ensure(db: Session, org_id: str, sequence: str, year: int) -> None:
    """Create the series' row at 0 if it is missing (a parallel creator is no error)."""
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(T).values(org_id=org_id, sequence=sequence, year=year, value=0)
               .on_conflict_do_nothing())


def lock(db: Session, org_id: str, sequence: str, year: int = 0) -> int:
    """Lock the series' row until the transaction ends and return its value."""
    stmt = (update(T).where(*_where(org_id, sequence, year)).values(value=T.c.value)
            .returning(T.c.value))
    value = db.execute(stmt).scalar()
    if value is None:
        _ensure(db, org_id, sequence, year)
        value = db.execute(stmt).scalar_one()
    return int(value)


def remember(db: Session, org_id: str, sequence: str, year: int, number: int) -> None:
    """Record ``number`` as the series' latest when it is higher (the row is locked)."""
    db.execute(update(T).where(*_where(org_id, sequence, year), T.c.value < number)
               .values(value=number))


def allocate(db: Session, org_id: str, count: int = 1) -> int:
    """Take the next ``count`` entry numbers of an organisation; return the first.

    The counter row stays locked until the caller's transaction ends: 1 is the first
    number; after 41 entries a take of 3 gives 42 (and 43, 44) and leaves 44.
    """
    assert count >= 1
    lock(db, org_id, ENTRIES)
    highest = func.coalesce(select(func.max(Entry.number))
                            .where(Entry.org_id == org_id).scalar_subquery(), 0)
    bigger = func.greatest if db.get_bind().dialect.name == "postgresql" else func.max
    last = db.execute(update(T).where(*_where(org_id, ENTRIES, 0))
                      .values(value=bigger(T.c.value, highest) + count)
                      .returning(T.c.value)).scalar_one()
    return int(last) - count + 1
