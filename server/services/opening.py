"""Provides the opening balances (ввод остатков) of a business moving from another system.

The balances on the eve of the first day kept in Buhta (the start date, the first of a
month) go in as one entry dated the day before (31.12.2025 for a start on 01.01.2026), each
against the auxiliary account 000 «Вспомогательный счёт» (1С's convention; 000 is no
account of the 94н chart): a debit balance Дт <account> Кт 000, a credit balance Дт 000
Кт <account>, with the counterparty on the posting for an account kept by counterparty
(60, 62, 76 …: 94н instructions to those accounts ask for the analytics by counterparty).
Once every balance is in, the debits equal the credits and 000 nets to zero: the answer
carries 000's balance in the books, and the trial balance (ОСВ) shows it too.

Changing them: the entry is never edited (the books are immutable, migration 0011): a new
set reverses the old entry (сторно on its own date, linked) and posts the new one, in one
transaction. Both dates must be in open months. Only roles that write the books
(``ledger.write``: the accountant) may set them.

Worked example (``tests/server/test_opening_balances.py``), start 01.01.2026, in roubles:
Дт 51 100 000, Дт 62.01 30 000 (customer A) + 20 000 (customer B), Дт 01 20 000 — debits
170 000; Кт 60.01 40 000 (supplier), Кт 80 10 000, Кт 84 120 000 — credits 170 000; 000 is
debited 170 000 and credited 170 000: balance 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from core.contract import closing as cm
from core.money import from_kopecks, to_kopecks
from server.db.models import (
    AccountTurnover,
    Counterparty,
    Entry,
    EntryMark,
    LedgerAccount,
    Posting,
)
from server.domain import chart
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import (
    Ledger,
    _check_open,
    check_accounts,
    check_counterparties,
    ensure_chart,
)

AUXILIARY = chart.AUXILIARY.code
BOOKS_ACCOUNTS = ("000", "84.01", "84.02")
"""Accounts the opening and the closing post to that an organisation's chart, copied from
the data file before they were added, may lack (migration 0014 adds them too)."""


def ensure_books_accounts(db: Session, org_id: str) -> None:
    """The organisation's chart has the built-in chart, 000 and 84.01 / 84.02 (idempotent,
    in the caller's transaction)."""
    ensure_chart(db, org_id)
    have = set(db.scalars(select(LedgerAccount.code).where(
        LedgerAccount.org_id == org_id, LedgerAccount.code.in_(BOOKS_ACCOUNTS))).all())
    for code in BOOKS_ACCOUNTS:
        if code in have:
            continue
        account = chart.AUXILIARY if code == AUXILIARY else chart.find(code)
        assert account is not None, code
        db.add(LedgerAccount(org_id=org_id, code=account.code, name=account.name,
                             kind=account.kind, analytics=",".join(account.analytics),
                             parent=account.parent, builtin=True))
    db.flush()


def active_marked(db: Session, org_id: str, kind: str, month: date | None = None) -> list[Entry]:
    """The organisation's entries marked ``kind`` (of ``month``) that are not reversed,
    in number order."""
    reversal = aliased(Entry)
    query = (select(Entry).join(EntryMark, EntryMark.entry_id == Entry.id)
             .where(EntryMark.org_id == org_id, EntryMark.kind == kind,
                    ~exists().where(reversal.reverses_id == Entry.id)))
    if month is not None:
        query = query.where(EntryMark.month == month)
    return list(db.scalars(query.order_by(Entry.number)).all())


def reverse_entry(db: Session, oc: OrgCtx, original: Entry, why: str) -> Entry:
    """The сторно of ``original`` on its own date, linked (its postings negated)."""
    entry = Ledger()._new_entry(db, oc, original.date, f"Сторно №{original.number}: {why}",
                                reverses_id=original.id)
    for p in db.scalars(select(Posting).where(Posting.entry_id == original.id)
                        .order_by(Posting.line)):
        db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=p.line, date=original.date,
                       debit=p.debit, credit=p.credit, amount_kopecks=-p.amount_kopecks,
                       memo=p.memo, counterparty_id=p.counterparty_id))
    return entry


Key = tuple[str, str | None, int, int]
"""(account, counterparty, debit kopecks, credit kopecks) of one opening line."""


@dataclass
class Opening:
    def current(self, db: Session, oc: OrgCtx) -> cm.OpeningBalances:
        with db.begin():
            ensure_books_accounts(db, oc.org_id)
            return self._out(db, oc.org_id)

    def set(self, db: Session, oc: OrgCtx, data: cm.OpeningBalancesIn) -> cm.OpeningBalances:
        start = data.start_date
        if start.day != 1:
            raise ServiceError(422, "opening.start_date", params={"field": "start_date"})
        day = start - timedelta(days=1)
        wanted = [(line.account, line.counterparty_id or None, to_kopecks(line.debit),
                   to_kopecks(line.credit)) for line in data.lines]
        with db.begin():
            ensure_books_accounts(db, oc.org_id)
            self._check_lines(db, oc.org_id, wanted)
            old = active_marked(db, oc.org_id, "opening")
            if len(old) == 1 and old[0].date == day and self._keys(db, old[0]) == sorted(
                    wanted, key=_order):
                return self._out(db, oc.org_id)  # the same set again: nothing to write
            _check_open(db, oc.org_id, day)
            for entry in old:
                _check_open(db, oc.org_id, entry.date)
                reverse_entry(db, oc, entry, "изменение начальных остатков")
            if wanted:
                entry = Ledger()._new_entry(db, oc, day,
                                            f"Ввод начальных остатков на {start:%d.%m.%Y}")
                for n, (account, cp, debit, credit) in enumerate(wanted):
                    pair = (account, AUXILIARY) if debit else (AUXILIARY, account)
                    db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=n, date=day,
                                   debit=pair[0], credit=pair[1],
                                   amount_kopecks=debit or credit, counterparty_id=cp))
                db.add(EntryMark(entry_id=entry.id, org_id=oc.org_id, kind="opening",
                                 month=start))
            db.flush()
            out = self._out(db, oc.org_id)
            audit.record(db, oc.ctx, "ledger.opening_balances", org_id=oc.org_id,
                         object_type="entry", object_id=out.entry_id,
                         summary=f"на {start:%d.%m.%Y}: Дт {out.debit_total} Кт "
                                 f"{out.credit_total}, сальдо 000 {out.auxiliary_balance}")
            return out

    @staticmethod
    def _check_lines(db: Session, org_id: str, wanted: list[Key]) -> None:
        check_accounts(db, org_id, {w[0] for w in wanted})
        check_counterparties(db, org_id, {w[1] for w in wanted})
        analytics = dict(db.execute(select(LedgerAccount.code, LedgerAccount.analytics).where(
            LedgerAccount.org_id == org_id,
            LedgerAccount.code.in_({w[0] for w in wanted}))).all())
        seen: set[tuple[str, str | None]] = set()
        for n, (account, cp, _d, _c) in enumerate(wanted):
            if cp and "counterparty" not in analytics.get(account, "").split(","):
                raise ServiceError(422, "opening.no_counterparty_analytics", params={
                    "account": account, "field": f"lines.{n}.counterparty_id"})
            if (account, cp) in seen:
                raise ServiceError(422, "opening.duplicate", params={
                    "account": account, "field": f"lines.{n}.account"})
            seen.add((account, cp))

    @staticmethod
    def _keys(db: Session, entry: Entry) -> list[Key]:
        out = []
        for p in db.scalars(select(Posting).where(Posting.entry_id == entry.id)):
            if p.credit == AUXILIARY:
                out.append((p.debit, p.counterparty_id, p.amount_kopecks, 0))
            else:
                out.append((p.credit, p.counterparty_id, 0, p.amount_kopecks))
        return sorted(out, key=_order)

    def _out(self, db: Session, org_id: str) -> cm.OpeningBalances:
        found = active_marked(db, org_id, "opening")
        entry = found[-1] if found else None
        keys = self._keys(db, entry) if entry else []
        names = dict(db.execute(select(LedgerAccount.code, LedgerAccount.name).where(
            LedgerAccount.org_id == org_id)).all())
        cps = {k[1] for k in keys if k[1]}
        cp_names = dict(db.execute(select(Counterparty.id, Counterparty.name)
                                   .where(Counterparty.id.in_(cps))).all()) if cps else {}
        mark = db.get(EntryMark, entry.id) if entry else None
        aux = db.scalar(select(func.coalesce(
            func.sum(AccountTurnover.debit_kopecks - AccountTurnover.credit_kopecks), 0))
            .where(AccountTurnover.org_id == org_id, AccountTurnover.account == AUXILIARY))
        debit = sum(k[2] for k in keys)
        credit = sum(k[3] for k in keys)
        return cm.OpeningBalances(
            start_date=mark.month if mark else None,
            entry_date=entry.date if entry else None,
            entry_id=entry.id if entry else None,
            entry_number=entry.number if entry else None,
            lines=[cm.OpeningLineOut(account=a, account_name=names.get(a, a), counterparty_id=cp,
                                     counterparty=cp_names.get(cp) if cp else None,
                                     debit=from_kopecks(d), credit=from_kopecks(c))
                   for a, cp, d, c in keys],
            debit_total=from_kopecks(debit), credit_total=from_kopecks(credit),
            auxiliary_balance=from_kopecks(int(aux or 0)), balanced=int(aux or 0) == 0)


def _order(key: Key) -> tuple[tuple[str, ...], str, int, int]:
    return tuple(key[0].split(".")), key[1] or "", key[2], key[3]
