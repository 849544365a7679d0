"""Provides the organisation's data version and the ETag of an organisation's GET from it.

Why: a report's body carries ``computed_at`` and a PDF its creation time, so a hash of the
body changes on every call and a repeat visit never costs a 304. The version instead
counts the writes: a GET's tag is the version with what else the answer depends on, and
is known before the route does any work.

The version is a row of ``number_counters`` (sequence ``version``, year 0; no schema of
its own): every transaction that changes a row of an organisation (anything with an
``org_id``, a document's or payroll run's lines, a task's history, the organisation
itself, a member's e-mail or phone) adds 1 to it just before it commits (a session
``before_commit`` listener; the flush hook collects the organisations). So it is shared by
every server process and the delivery worker, and changes in the writing transaction.
Taking its row lock last (at commit) keeps the counter out of any lock cycle on
PostgreSQL. Rows that change on reads or say nothing an organisation's GET shows (a
device's last-seen time, notifications, rate-limit and idempotency records) do not count.

Bulk statements through the session (``db.execute(update(X)...)``) count for the
``org_id`` they name in their WHERE; Core statements on a bare connection go unseen, and
every one in the services runs beside an ORM write of the same organisation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import event, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from server.db.models import (
    Device,
    DocumentLine,
    IdempotencyRecord,
    Membership,
    NumberCounter,
    Organisation,
    PayrollLine,
    RateEvent,
    TaskChange,
    User,
)
from server.db.models.documents import Document
from server.db.models.notifications import Notification
from server.db.models.payroll import PayrollRun
from server.db.models.tasks import Task
from server.db.session import on_flush
from server.domain import tasks as task_rules
from server.domain.roles import Perm, allows

SEQUENCE = "version"
SCHEMA = "1"
"""Bumped when what a tag covers changes: every old tag stops matching."""
TOUCHED = "buhta.touched_orgs"
T = NumberCounter.__table__
UNCOUNTED: tuple[type, ...] = (Device, IdempotencyRecord, RateEvent, Notification)
PARENTS: dict[type, tuple[str, type]] = {
    DocumentLine: ("document_id", Document),
    PayrollLine: ("run_id", PayrollRun),
    TaskChange: ("task_id", Task),
}
"""Rows without an ``org_id``: the column naming their parent, and the parent's model."""


# --- counting the writes ----------------------------------------------------------------


def _touched(session: Session) -> set[str]:
    return session.info.setdefault(TOUCHED, set())


def _orgs_of(session: Session, objects: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for obj in objects:
        if isinstance(obj, UNCOUNTED):
            continue
        if isinstance(obj, Organisation):
            found.add(obj.id)
        elif isinstance(obj, User):
            state = obj.__dict__.get("_sa_instance_state")
            changed = state is not None and any(
                state.attrs[name].history.has_changes() for name in ("email", "phone"))
            if changed and obj.id:
                found.update(session.scalars(select(Membership.org_id)
                                             .where(Membership.user_id == obj.id)))
        elif isinstance(obj, tuple(PARENTS)):
            column, parent = PARENTS[type(obj)]
            parent_id = getattr(obj, column, None)
            if parent_id:
                org = session.scalar(select(parent.org_id).where(parent.id == parent_id))
                if org:
                    found.add(org)
        else:
            org = getattr(obj, "org_id", None)
            if isinstance(org, str) and org:
                found.add(org)
    return found


def _collect(session: Session, flush: UOWTransaction) -> None:
    """The flush hook: note the organisations whose rows this flush changes."""
    _touched(session).update(_orgs_of(session, [*session.new, *session.dirty,
                                                *session.deleted]))


def _bulk(state: ORMExecuteState) -> None:
    """A bulk UPDATE/DELETE/INSERT through the session: the ``org_id`` it names counts."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ in UNCOUNTED or "org_id" not in mapper.columns:
        return
    params = state.statement.compile().params
    orgs = {v for k, v in params.items() if k.startswith("org_id") and isinstance(v, str)}
    _touched(state.session).update(orgs)


def _bump(session: Session) -> None:
    """Before a commit: add 1 to the version of every organisation the transaction
    changed (after flushing what is still pending, so that it is counted too)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    orgs = session.info.pop(TOUCHED, None)
    if not orgs:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for org_id in sorted(orgs):  # one order for every writer
        where = (T.c.org_id == org_id, T.c.sequence == SEQUENCE, T.c.year == 0)
        done = session.execute(update(T).where(*where).values(value=T.c.value + 1))
        if not done.rowcount:  # type: ignore[attr-defined]
            # The first write since versions exist (an organisation just created, or one
            # from before): the row starts at 1. Only for an organisation that exists.
            session.execute(insert(T).from_select(
                ["org_id", "sequence", "year", "value"],
                select(Organisation.id, literal(SEQUENCE), literal(0), literal(1))
                .where(Organisation.id == org_id))
                .on_conflict_do_nothing())
    session.info.pop(TOUCHED, None)


def _forget(session: Session, transaction: Any) -> None:
    """The session's own transaction ended (committed or rolled back): nothing is left to
    count. A savepoint's end changes nothing (its writes are the outer one's)."""
    if transaction.parent is None and not transaction.nested:
        session.info.pop(TOUCHED, None)


_installed = False


def install() -> None:
    """Count the writes in every session (called by the app factory; twice is harmless)."""
    global _installed
    on_flush(_collect)
    if not _installed:
        event.listen(Session, "before_commit", _bump)
        event.listen(Session, "after_transaction_end", _forget)
        event.listen(Session, "do_orm_execute", _bulk)
        _installed = True


# --- reading the version ----------------------------------------------------------------


def version(db: Session, org_id: str) -> int:
    """The organisation's version now: 0 before its first counted write."""
    value = db.scalar(select(T.c.value).where(T.c.org_id == org_id, T.c.sequence == SEQUENCE,
                                              T.c.year == 0))
    return int(value or 0)


def org_tag(db: Session, *, user_id: str, org_id: str, perm: Perm | None, now: datetime,
            lang: str, path: str, query: str) -> str | None:
    """The ETag of an organisation's GET as the caller would get it now, or None when the
    caller would be refused (not a member, blocked, or the role lacks ``perm``): such a
    request is left to the route, which refuses and records it.

    It covers the data (the version), what was asked (the path and the query), who asks
    (the user, the role and the membership's state, so rights are never shared), the
    language of the texts in it and the day in Moscow (answers that default to today)."""
    with db.begin():
        membership = db.get(Membership, (org_id, user_id))
        if membership is None or membership.status != "active":
            return None
        if perm is not None and not allows(membership.role, perm):
            return None
        current = version(db, org_id)
    day = task_rules.today(now).isoformat()
    raw = "|".join((SCHEMA, org_id, str(current), user_id, membership.role, lang, day,
                    path, query))
    return f'W/"v{current}-{hashlib.sha256(raw.encode()).hexdigest()[:24]}"'
