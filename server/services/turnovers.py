"""Provides the per-month turnover aggregates (``account_turnovers``) and ``balances``.

Why: a report over a quarter must not sum a million postings. Every posting adds its
amount to the debit side of (its Дт account, its counterparty, its month) and to the
credit side of (its Кт account, its counterparty, its month); a report sums a handful of
such rows per account instead, and reads postings only for the part-months at the edges
of its period.

How the aggregates stay right:
- a flush hook (``install`` registers it with ``server.db.session.on_flush``; the app
  factory calls it at start-up, so it runs for every session the app makes) upserts the
  rows of the postings a flush has just inserted, in the same transaction: a posting and
  its turnover commit or roll back together;
- postings are never updated or deleted (the ledger's rule), so inserts are all there is;
- a bulk load that bypasses the ORM (Core ``insert``, a benchmark) calls ``rebuild``.

Rows are never deleted: a posting and its reversal leave a row of zeros, harmless.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, case, cast, delete, func, literal, or_, select
from sqlalchemy import insert as generic_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, UOWTransaction

from core.money import TURNOVER_MAX
from server.db.models import AccountTurnover, Organisation, Posting
from server.db.session import on_flush
from server.services.errors import ServiceError

T = AccountTurnover.__table__
KEY = ("org_id", "account", "counterparty_key", "month")
Key = tuple[str, str, str, date]


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


# --- maintenance ------------------------------------------------------------------------


def deltas(postings: Iterable[Any]) -> dict[Key, list[int]]:
    """What some postings add to the aggregates: {(org, account, cp or '', month): [Дт, Кт]}.

    A posting Дт 62.01 Кт 90.01 of 1 000,00 ₽ on 05.03.2026 for counterparty C adds
    [100000, 0] to (org, "62.01", C, 2026-03-01) and [0, 100000] to (org, "90.01", C, …).
    """
    out: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for p in postings:
        month = month_of(p.date)
        cp = p.counterparty_id or ""
        out[(p.org_id, p.debit, cp, month)][0] += p.amount_kopecks
        out[(p.org_id, p.credit, cp, month)][1] += p.amount_kopecks
    return out


def apply(conn: Connection, changes: dict[Key, list[int]]) -> None:
    """Add ``changes`` to the aggregates: one INSERT … ON CONFLICT DO UPDATE statement.

    The rows go in key order, so two transactions touching the same rows lock them in the
    same order (no deadlock on PostgreSQL); each key appears once (ON CONFLICT may not
    update a row twice in one statement).
    """
    if not changes:
        return
    rows = [dict(zip(KEY, key, strict=True), debit_kopecks=d, credit_kopecks=c)
            for key, (d, c) in sorted(changes.items())]
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite_insert if dialect == "sqlite" else pg_insert
        stmt = insert(T).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(KEY),
            set_={"debit_kopecks": T.c.debit_kopecks + stmt.excluded.debit_kopecks,
                  "credit_kopecks": T.c.credit_kopecks + stmt.excluded.credit_kopecks},
        )
        conn.execute(stmt)
        return
    for row in rows:  # another database: select, then update or insert
        where = [T.c[k] == row[k] for k in KEY]
        found = conn.execute(select(T.c.org_id).where(*where).with_for_update()).first()
        if found is None:
            conn.execute(generic_insert(T).values(row))
        else:
            conn.execute(T.update().where(*where).values(
                debit_kopecks=T.c.debit_kopecks + row["debit_kopecks"],
                credit_kopecks=T.c.credit_kopecks + row["credit_kopecks"]))


def check_bounds(conn: Connection, changes: dict[Key, list[int]]) -> None:
    """Refuse (422 ``ledger.too_large``) a change that took an account's turnover past
    ``core.money.TURNOVER_MAX``: the sum of its aggregates' absolute values on either
    side, all months and counterparties. Run after ``apply`` in the same transaction, so
    the refusal rolls the postings back with their aggregates.

    Why: a BIGINT aggregate near its limit silently becomes a REAL on SQLite (the trial
    balance then differs from the postings) and fails with an error on PostgreSQL; below
    a quarter of the limit, every sum a report makes of an account's months stays exact.
    """
    touched: dict[str, set[str]] = defaultdict(set)
    for org_id, account, _cp, _month in changes:
        touched[org_id].add(account)
    total = func.total if conn.dialect.name == "sqlite" else func.sum  # total(): no overflow
    for org_id, accounts in sorted(touched.items()):
        rows = conn.execute(
            select(T.c.account, total(func.abs(T.c.debit_kopecks)),
                   total(func.abs(T.c.credit_kopecks)))
            .where(T.c.org_id == org_id, T.c.account.in_(sorted(accounts)))
            .group_by(T.c.account))
        for account, debit, credit in rows:
            if max(debit or 0, credit or 0) > TURNOVER_MAX:
                raise ServiceError(422, "ledger.too_large", params={"account": account})


def keep_turnovers(session: Session, _flush: UOWTransaction) -> None:
    """The flush hook: add the postings this flush has just inserted to their turnovers."""
    # ``session.new`` still lists what this flush has just inserted.
    fresh = [o for o in session.new if isinstance(o, Posting)]
    if fresh:
        changes = deltas(fresh)
        apply(session.connection(), changes)
        check_bounds(session.connection(), changes)


def install() -> None:
    """Keep ``account_turnovers`` in step with new postings in every session of
    ``server.db.session.make_sessionmaker`` (called by the app factory at start-up)."""
    on_flush(keep_turnovers)


def _month_expr(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.date(Posting.date, "start of month")
    return cast(func.date_trunc("month", Posting.date), Date)


def rebuild(db: Session, org_id: str) -> None:
    """Recompute one organisation's aggregates from its postings (delete, INSERT … SELECT).

    Runs in the caller's transaction when there is one (the caller commits), else in its
    own. For postings loaded in bulk with Core, which the flush listener never sees.
    """
    if db.in_transaction():
        _rebuild(db, org_id)
    else:
        with db.begin():
            _rebuild(db, org_id)


def _rebuild(db: Session, org_id: str) -> None:
    conn = db.connection()
    month = _month_expr(conn.dialect.name).label("month")
    cp = func.coalesce(Posting.counterparty_id, "").label("counterparty_key")
    zero = literal(0, type_=T.c.debit_kopecks.type)
    sides = select(Posting.org_id, Posting.debit.label("account"), cp, month,
                   Posting.amount_kopecks.label("d"), zero.label("c")) \
        .where(Posting.org_id == org_id) \
        .union_all(select(Posting.org_id, Posting.credit, cp, month, zero,
                          Posting.amount_kopecks).where(Posting.org_id == org_id)) \
        .subquery("sides")
    grouped = select(sides.c.org_id, sides.c.account, sides.c.counterparty_key, sides.c.month,
                     func.sum(sides.c.d), func.sum(sides.c.c)) \
        .where(select(Organisation.id).where(Organisation.id == org_id).exists()) \
        .group_by(sides.c.org_id, sides.c.account, sides.c.counterparty_key, sides.c.month)
    conn.execute(delete(T).where(T.c.org_id == org_id))
    conn.execute(generic_insert(T).from_select(
        [*KEY, "debit_kopecks", "credit_kopecks"], grouped))


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountBalance:
    opening: int
    """Signed kopecks, debit positive, at the start of ``date_from``."""
    debit: int
    """Turnover within [date_from, date_to]."""
    credit: int

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit


BalanceKey = tuple[str, str | None]


def balances(
    db: Session, org_id: str, date_from: date, date_to: date, *,
    by_counterparty: bool = False, accounts: Iterable[str] | None = None,
) -> dict[BalanceKey, AccountBalance]:
    """Opening balance, debit and credit turnover of each account in [date_from, date_to].

    Keys: (account code exactly as posted, e.g. ``"60.01"``; counterparty id, or None for
    postings without one — always None unless ``by_counterparty``). No roll-up to parent
    accounts. ``accounts`` keeps codes equal to one of them or under it (``"60"``: 60,
    60.01, 60.02…). Keys whose three figures are all zero are left out.

    Cost: whole months come from the aggregates; postings are read (through the
    (org_id, debit|credit, date) indexes) only for the days of a month the period cuts:
    [first of date_from's month, date_from) and [first of date_to's month, date_to] when
    date_to is not a month's last day. Runs in the caller's transaction if one is open.

    Example (kopecks): postings Дт 51 Кт 62.01 10 000 on 20.01, 5 000 on 10.02 and
    2 000 on 20.02; for 15.02–28.02 account 51 has opening 10 000 + 5 000 = 15 000
    (January's aggregate plus 01.02–14.02 from postings), debit 2 000 (February's
    aggregate 7 000 minus the 5 000 before the 15th), credit 0, closing 17 000.
    """
    if date_from > date_to:
        return {}
    prefixes = None if accounts is None else sorted(set(accounts))
    if prefixes is not None and not prefixes:
        return {}
    open_month = month_of(date_from)
    close_month = month_of(date_to + timedelta(days=1))
    # Months in [open_month, close_month) count whole in the turnover; earlier ones make
    # the opening balance.
    cols = [T.c.account, T.c.counterparty_key] if by_counterparty else [T.c.account]
    is_turnover = (T.c.month >= open_month) & (T.c.month < close_month)
    query = select(
        *cols,
        func.sum(func.coalesce(
            _when(T.c.month < open_month, T.c.debit_kopecks - T.c.credit_kopecks), 0)),
        func.sum(func.coalesce(_when(is_turnover, T.c.debit_kopecks), 0)),
        func.sum(func.coalesce(_when(is_turnover, T.c.credit_kopecks), 0)),
    ).where(T.c.org_id == org_id, T.c.month <= month_of(date_to)).group_by(*cols)
    if prefixes is not None:
        query = query.where(_under(T.c.account, prefixes))
    figures: dict[BalanceKey, list[int]] = {}
    for row in db.execute(query):
        cp = (row[1] or None) if by_counterparty else None
        figures[(row[0], cp)] = [int(row[-3]), int(row[-2]), int(row[-1])]
    codes = sorted({a for a, _ in figures})
    if codes and date_from > open_month:
        # The days of the first month before the period: to the opening balance, and out
        # of the turnover when that month was counted whole.
        whole = open_month < close_month
        for key, (d, c) in _posting_sums(db, org_id, codes, open_month, date_from,
                                         by_counterparty).items():
            f = figures.setdefault(key, [0, 0, 0])
            f[0] += d - c
            if whole:
                f[1] -= d
                f[2] -= c
    start = max(close_month, date_from)
    if codes and start <= date_to:
        # The days of the last month up to date_to (its aggregate was not counted).
        for key, (d, c) in _posting_sums(db, org_id, codes, start, date_to + timedelta(days=1),
                                         by_counterparty).items():
            f = figures.setdefault(key, [0, 0, 0])
            f[1] += d
            f[2] += c
    return {key: AccountBalance(*f) for key, f in figures.items() if any(f)}


def _when(cond: ColumnElement[bool], value: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((cond, value))


def _under(column: Any, prefixes: list[str]) -> ColumnElement[bool]:
    """``column`` is one of ``prefixes`` or a sub-account of one (``60`` → ``60.01``)."""
    return or_(column.in_(prefixes),
               *[column.startswith(p + ".", autoescape=True) for p in prefixes])


def _posting_sums(
    db: Session, org_id: str, codes: list[str], lo: date, hi: date, by_counterparty: bool,
) -> dict[BalanceKey, tuple[int, int]]:
    """Debit and credit sums of ``codes`` from postings dated in [lo, hi)."""
    out: dict[BalanceKey, list[int]] = defaultdict(lambda: [0, 0])
    for side, column in enumerate((Posting.debit, Posting.credit)):
        cols = [column, Posting.counterparty_id] if by_counterparty else [column]
        query = select(*cols, func.sum(Posting.amount_kopecks)).where(
            Posting.org_id == org_id, column.in_(codes), Posting.date >= lo, Posting.date < hi,
        ).group_by(*cols)
        for row in db.execute(query):
            cp = (row[1] or None) if by_counterparty else None
            out[(row[0], cp)][side] += int(row[-1])
    return {k: (v[0], v[1]) for k, v in out.items()}
