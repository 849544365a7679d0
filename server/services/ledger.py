"""Provides the ledger use cases: the chart, entries and their reversal, closed periods.

Rules kept here, whatever the client sends:
- every posting is a pair Дт/Кт with one amount, so an entry balances by its shape;
  the database refuses a zero amount or the same account on both sides;
- postings are never changed or deleted: a mistake is fixed by a reversal (сторно),
  the same correspondence with negative amounts, linked to the original;
- nothing may be dated inside a closed month (409 ``ledger.period_closed``);
- both accounts of a posting exist in the organisation's chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from client import models as m
from client.money import from_kopecks, to_kopecks
from client.validation import InvalidInput
from server.db.models import ClosedPeriod, Counterparty, Entry, LedgerAccount, Posting
from server.domain import chart
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.paging import decode_cursor_value, encode_cursor_value


def month_of(day: date) -> date:
    return day.replace(day=1)


def ensure_chart(db: Session, org_id: str) -> None:
    """Give an organisation the built-in chart if it has none yet (in the caller's transaction)."""
    has = db.scalar(select(func.count()).where(LedgerAccount.org_id == org_id))
    if has:
        return
    for account in chart.load_chart():
        db.add(LedgerAccount(org_id=org_id, code=account.code, name=account.name,
                             kind=account.kind, analytics=",".join(account.analytics),
                             parent=account.parent, builtin=True))


def _account_out(a: LedgerAccount) -> m.LedgerAccountOut:
    return m.LedgerAccountOut(code=a.code, name=a.name, kind=a.kind,  # type: ignore[arg-type]
                              analytics=[x for x in a.analytics.split(",") if x],
                              parent=a.parent, builtin=a.builtin)


def _check_open(db: Session, org_id: str, day: date) -> None:
    month = month_of(day)
    if db.get(ClosedPeriod, (org_id, month)) is not None:
        raise ServiceError(409, "ledger.period_closed", params={"period": month.strftime("%m.%Y")})


def check_counterparties(db: Session, org_id: str, ids: set[str | None]) -> None:
    """Every counterparty named on a posting belongs to the organisation (422 otherwise)."""
    wanted = {x for x in ids if x}
    if not wanted:
        return
    found = set(db.scalars(select(Counterparty.id).where(Counterparty.org_id == org_id,
                                                         Counterparty.id.in_(wanted))).all())
    if wanted - found:
        raise ServiceError(422, "ledger.unknown_counterparty")


@dataclass
class Ledger:
    def accounts(self, db: Session, oc: OrgCtx) -> m.LedgerAccountList:
        with db.begin():
            ensure_chart(db, oc.org_id)
            rows = db.scalars(
                select(LedgerAccount).where(LedgerAccount.org_id == oc.org_id)
                .order_by(LedgerAccount.code)
            ).all()
            return m.LedgerAccountList(items=[_account_out(a) for a in rows])

    def add_sub_account(self, db: Session, oc: OrgCtx, data: m.SubAccountIn) -> m.LedgerAccountOut:
        with db.begin():
            ensure_chart(db, oc.org_id)
            own = db.scalars(
                select(LedgerAccount.code).where(LedgerAccount.org_id == oc.org_id,
                                                 LedgerAccount.builtin.is_(False))
            ).all()
            try:
                account = chart.validate_sub_account(data.parent, data.code, data.name, taken=own)
            except InvalidInput as exc:
                raise ServiceError(422, "ledger.sub_account",
                                   params={"reason": exc.params.get("reason", "")}) from None
            row = LedgerAccount(org_id=oc.org_id, code=account.code, name=account.name,
                                kind=account.kind, analytics=",".join(account.analytics),
                                parent=account.parent, builtin=False)
            db.add(row)
            audit.record(db, oc.ctx, "ledger.sub_account", org_id=oc.org_id,
                         object_type="account", object_id=account.code, summary=account.name)
            return _account_out(row)

    def post(self, db: Session, oc: OrgCtx, data: m.EntryIn) -> m.EntryOut:
        with db.begin():
            ensure_chart(db, oc.org_id)
            _check_open(db, oc.org_id, data.date)
            codes = {c for p in data.postings for c in (p.debit, p.credit)}
            known = set(db.scalars(
                select(LedgerAccount.code).where(LedgerAccount.org_id == oc.org_id,
                                                 LedgerAccount.code.in_(codes))
            ).all())
            unknown = sorted(codes - known)
            if unknown:
                raise ServiceError(422, "ledger.unknown_account",
                                   params={"accounts": ", ".join(unknown)})
            check_counterparties(db, oc.org_id, {p.counterparty_id for p in data.postings})
            entry = self._new_entry(db, oc, data.date, data.description.strip())
            for line, p in enumerate(data.postings):
                db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=line, date=data.date,
                               debit=p.debit, credit=p.credit,
                               amount_kopecks=to_kopecks(p.amount), memo=p.memo,
                               counterparty_id=p.counterparty_id))
            db.flush()
            out = self._out(db, entry)
            audit.record(db, oc.ctx, "ledger.post", org_id=oc.org_id, object_type="entry",
                         object_id=entry.id, summary=_describe(out))
            return out

    def _new_entry(self, db: Session, oc: OrgCtx, day: date, description: str) -> Entry:
        number = (db.scalar(select(func.max(Entry.number)).where(Entry.org_id == oc.org_id))
                  or 0) + 1
        entry = Entry(org_id=oc.org_id, number=number, date=day, description=description,
                      created_at=oc.ctx.now, created_by=oc.user_id)
        db.add(entry)
        db.flush()
        return entry

    def reverse(self, db: Session, oc: OrgCtx, entry_id: str, data: m.ReverseIn) -> m.EntryOut:
        try:
            with db.begin():
                original = db.get(Entry, entry_id, with_for_update=True)
                if original is None or original.org_id != oc.org_id:
                    raise ServiceError(404, "ledger.entry_not_found")
                if original.reverses_id is not None:
                    raise ServiceError(409, "ledger.reversal_of_reversal")
                taken = db.scalar(select(Entry.id).where(Entry.reverses_id == original.id))
                if taken is not None:
                    raise ServiceError(409, "ledger.already_reversed")
                day = data.date or original.date
                _check_open(db, oc.org_id, day)
                entry = self._new_entry(db, oc, day, f"Сторно №{original.number}: {data.reason}")
                entry.reverses_id = original.id
                for p in db.scalars(select(Posting).where(Posting.entry_id == original.id)
                                    .order_by(Posting.line)):
                    db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=p.line, date=day,
                                   debit=p.debit, credit=p.credit,
                                   amount_kopecks=-p.amount_kopecks, memo=p.memo,
                                   counterparty_id=p.counterparty_id))
                db.flush()
                out = self._out(db, entry)
                audit.record(db, oc.ctx, "ledger.reverse", org_id=oc.org_id,
                             object_type="entry", object_id=original.id,
                             summary=f"№{original.number} сторнирована записью №{entry.number}: "
                                     f"{data.reason}")
                return out
        except IntegrityError:
            raise ServiceError(409, "ledger.already_reversed") from None

    def entries(
        self, db: Session, oc: OrgCtx, *, date_from: date | None, date_to: date | None,
        cursor: str | None, limit: int,
    ) -> m.EntryPage:
        query = select(Entry).where(Entry.org_id == oc.org_id)
        if date_from:
            query = query.where(Entry.date >= date_from)
        if date_to:
            query = query.where(Entry.date <= date_to)
        if cursor:
            # Newest first by (date, number): the cursor is the last row's pair.
            day_s, _, num_s = decode_cursor_value(cursor, "e").partition("/")
            day, num = date.fromisoformat(day_s), int(num_s)
            query = query.where((Entry.date < day) | ((Entry.date == day) & (Entry.number < num)))
        with db.begin():
            rows = db.scalars(
                query.order_by(Entry.date.desc(), Entry.number.desc()).limit(limit + 1)
            ).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = [self._out(db, e) for e in rows]
        last = rows[-1] if rows else None
        return m.EntryPage(
            items=items,
            next_cursor=encode_cursor_value(f"{last.date.isoformat()}/{last.number}", "e")
            if more and last else None,
        )

    def _out(self, db: Session, entry: Entry) -> m.EntryOut:
        postings = db.scalars(select(Posting).where(Posting.entry_id == entry.id)
                              .order_by(Posting.line)).all()
        reversed_by = db.scalar(select(Entry.id).where(Entry.reverses_id == entry.id))
        cp_ids = {p.counterparty_id for p in postings if p.counterparty_id}
        names = dict(db.execute(select(Counterparty.id, Counterparty.name)
                                .where(Counterparty.id.in_(cp_ids))).tuples().all()) \
            if cp_ids else {}
        return m.EntryOut(
            id=entry.id, number=entry.number, date=entry.date, description=entry.description,
            postings=[m.PostingOut(debit=p.debit, credit=p.credit,
                                   amount=from_kopecks(p.amount_kopecks), memo=p.memo,
                                   counterparty_id=p.counterparty_id,
                                   counterparty=names.get(p.counterparty_id or ""))
                      for p in postings],
            total=from_kopecks(sum(p.amount_kopecks for p in postings)),
            reverses=entry.reverses_id, reversed_by=reversed_by, created_at=entry.created_at,
        )

    # --- periods ----------------------------------------------------------------

    def periods(self, db: Session, oc: OrgCtx) -> m.PeriodList:
        with db.begin():
            months = db.scalars(select(ClosedPeriod.month).where(ClosedPeriod.org_id == oc.org_id)
                                .order_by(ClosedPeriod.month)).all()
        return m.PeriodList(closed=[x.strftime("%Y-%m") for x in months])

    def close(self, db: Session, oc: OrgCtx, month: date) -> m.PeriodList:
        with db.begin():
            if db.get(ClosedPeriod, (oc.org_id, month)) is None:
                db.add(ClosedPeriod(org_id=oc.org_id, month=month, closed_at=oc.ctx.now,
                                    closed_by=oc.user_id))
                audit.record(db, oc.ctx, "ledger.close_period", org_id=oc.org_id,
                             object_type="period", object_id=month.strftime("%Y-%m"))
        return self.periods(db, oc)

    def reopen(self, db: Session, oc: OrgCtx, month: date, reason: str) -> m.PeriodList:
        with db.begin():
            row = db.get(ClosedPeriod, (oc.org_id, month))
            if row is None:
                raise ServiceError(409, "ledger.period_open",
                                   params={"period": month.strftime("%m.%Y")})
            db.delete(row)
            audit.record(db, oc.ctx, "ledger.reopen_period", org_id=oc.org_id,
                         object_type="period", object_id=month.strftime("%Y-%m"),
                         summary=reason)
        return self.periods(db, oc)


def _describe(entry: m.EntryOut) -> str:
    lines = "; ".join(f"Дт {p.debit} Кт {p.credit} {p.amount}" for p in entry.postings)
    return f"№{entry.number} от {entry.date:%d.%m.%Y}: {entry.description} — {lines}"
