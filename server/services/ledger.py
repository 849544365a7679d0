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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks, to_kopecks
from core.validation import DATE_MAX, DATE_MIN, InvalidInput
from server.db.models import ClosedPeriod, Counterparty, Entry, LedgerAccount, Posting
from server.domain import chart
from server.domain import query as jq
from server.services import audit, numbering, payroll_view
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.paging import decode_cursor_value, encode_cursor_value


def month_of(day: date) -> date:
    return day.replace(day=1)


def check_book_dates(**dates: date | None) -> None:
    """Each named date (a report's period, a month to close) lies in the books' one range
    (``core.validation.DATE_MIN`` … ``DATE_MAX``): 422 ``validation.date_range`` naming the
    field otherwise — ``date_to=9999-12-31`` is refused before any month arithmetic."""
    for name, value in dates.items():
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ServiceError(422, "validation.date_range", params={
                "field": name, "min": f"{DATE_MIN:%d.%m.%Y}", "max": f"{DATE_MAX:%d.%m.%Y}"})


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


def check_accounts(db: Session, org_id: str, codes: set[str]) -> None:
    """Every account code is in the organisation's chart (422 naming the others)."""
    known = set(db.scalars(
        select(LedgerAccount.code).where(LedgerAccount.org_id == org_id,
                                         LedgerAccount.code.in_(codes))
    ).all())
    unknown = sorted(codes - known)
    if unknown:
        raise ServiceError(422, "ledger.unknown_account", params={"accounts": ", ".join(unknown)})


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
            check_accounts(db, oc.org_id, {c for p in data.postings for c in (p.debit, p.credit)})
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

    def _new_entry(self, db: Session, oc: OrgCtx, day: date, description: str, *,
                   reverses_id: str | None = None, document_id: str | None = None) -> Entry:
        """Insert an entry with the organisation's next number (``numbering.allocate``:
        the counter stays locked until commit, so parallel posters never collide). Its
        links are set here, in the INSERT: entries are never updated (the database's
        triggers refuse it, migration 0011)."""
        number = numbering.allocate(db, oc.org_id)
        entry = Entry(org_id=oc.org_id, number=number, date=day, description=description,
                      created_at=oc.ctx.now, created_by=oc.user_id, reverses_id=reverses_id,
                      document_id=document_id)
        db.add(entry)
        db.flush()
        return entry

    def entry(self, db: Session, oc: OrgCtx, entry_id: str) -> m.EntryOut:
        with db.begin():
            found = db.get(Entry, entry_id)
            if found is None or found.org_id != oc.org_id:
                raise ServiceError(404, "ledger.entry_not_found")
            return payroll_view.redact_entry(oc, self._out(db, found))

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
                entry = self._new_entry(db, oc, day, f"Сторно №{original.number}: {data.reason}",
                                        reverses_id=original.id)
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
        cursor: str | None, limit: int, q: str | None = None,
    ) -> m.EntryPage:
        """One page of the journal, newest first by (date, number).

        ``q`` is a journal query (``server.domain.query``): raises ``QueryError`` when it
        cannot be read. Its posting terms (acct, amt, cp) must hold together on one posting
        of the entry, as in hledger; a negated one excludes entries with any such posting.
        The page is built in a fixed number of queries whatever its size (``_outs``), plus
        up to two for a query (``_query_scope``).
        """
        spec = jq.parse_query(q)
        after: tuple[date, int] | None = None
        if cursor:
            day_s, _, num_s = decode_cursor_value(cursor, "e").partition("/")
            try:
                after = date.fromisoformat(day_s), int(num_s)
            except ValueError:
                raise ServiceError(422, "validation.cursor") from None
        latest = min(x for x in (date_to, after and after[0]) if x) \
            if date_to or after else None
        with db.begin():
            scope = _query_scope(db, oc.org_id, spec, date_from, latest) if spec \
                else [Entry.org_id == oc.org_id]
            if payroll_view.hides_entry(oc, {t.field for t in spec.terms}):
                scope.append(~payroll_view.payroll_entry())  # no guessing hidden text
            query = select(Entry).where(*scope)
            if date_from:
                query = query.where(Entry.date >= date_from)
            if latest:
                query = query.where(Entry.date <= latest)
            if after:
                # Newest first by (date, number): the cursor is the last row's pair. The
                # ``date <=`` bound above lets the (org_id, date, number) index start right
                # there, so a page deep in the ledger costs what the first one does.
                query = query.where((Entry.date < after[0]) | (Entry.number < after[1]))
            rows = db.scalars(
                query.order_by(Entry.date.desc(), Entry.number.desc()).limit(limit + 1)
            ).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = [payroll_view.redact_entry(oc, e) for e in self._outs(db, rows)]
        last = rows[-1] if rows else None
        return m.EntryPage(
            items=items,
            next_cursor=encode_cursor_value(f"{last.date.isoformat()}/{last.number}", "e")
            if more and last else None,
        )

    def _outs(self, db: Session, entries: Sequence[Entry]) -> list[m.EntryOut]:
        """``_out`` for a whole page: the postings, reversals, counterparty names and
        documents of all its entries in one query each, instead of a few per entry."""
        if not entries:
            return []
        ids = [e.id for e in entries]
        postings: dict[str, list[Row[Any]]] = {i: [] for i in ids}
        for row in db.execute(
            select(Posting.entry_id, Posting.debit, Posting.credit, Posting.amount_kopecks,
                   Posting.memo, Posting.counterparty_id)
            .where(Posting.entry_id.in_(ids)).order_by(Posting.entry_id, Posting.line)
        ):
            postings[row.entry_id].append(row)
        reversed_by: dict[str, str] = {
            r.reverses_id: r.id for r in db.execute(
                select(Entry.reverses_id, Entry.id).where(Entry.reverses_id.in_(ids)))}
        cp_ids = {p.counterparty_id for lines in postings.values() for p in lines
                  if p.counterparty_id}
        names: dict[str, str] = {
            r.id: r.name for r in db.execute(select(Counterparty.id, Counterparty.name)
                                             .where(Counterparty.id.in_(cp_ids)))
        } if cp_ids else {}
        titles = _document_titles(db, {e.document_id for e in entries if e.document_id})
        return [
            m.EntryOut(
                id=e.id, number=e.number, date=e.date, description=e.description,
                postings=[m.PostingOut(debit=p.debit, credit=p.credit,
                                       amount=from_kopecks(p.amount_kopecks), memo=p.memo,
                                       counterparty_id=p.counterparty_id,
                                       counterparty=names.get(p.counterparty_id or ""))
                          for p in postings[e.id]],
                total=from_kopecks(sum(p.amount_kopecks for p in postings[e.id])),
                reverses=e.reverses_id, reversed_by=reversed_by.get(e.id),
                created_at=e.created_at,
                document_id=e.document_id, document=titles.get(e.document_id or ""),
            )
            for e in entries
        ]

    def _out(self, db: Session, entry: Entry) -> m.EntryOut:
        postings = db.scalars(select(Posting).where(Posting.entry_id == entry.id)
                              .order_by(Posting.line)).all()
        reversed_by = db.scalar(select(Entry.id).where(Entry.reverses_id == entry.id))
        cp_ids = {p.counterparty_id for p in postings if p.counterparty_id}
        names = dict(db.execute(select(Counterparty.id, Counterparty.name)
                                .where(Counterparty.id.in_(cp_ids))).all()) \
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
            document_id=entry.document_id, document=_document_title(db, entry.document_id),
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


def _document_title(db: Session, document_id: str | None) -> str | None:
    """«Акт № 3 от 05.03.2026» for the document that made an entry (None for a manual one)."""
    return _document_titles(db, {document_id}).get(document_id) if document_id else None


def _document_titles(db: Session, ids: set[str]) -> dict[str, str]:
    """The titles of the documents that made some entries, in one query."""
    if not ids:
        return {}
    from core.documents import document_title
    from server.db.models import Document

    rows = db.execute(select(Document.id, Document.type, Document.number, Document.date)
                      .where(Document.id.in_(ids))).all()
    return {r.id: document_title(r.type, r.number, r.date) for r in rows}


def _describe(entry: m.EntryOut) -> str:
    lines = "; ".join(f"Дт {p.debit} Кт {p.credit} {p.amount}" for p in entry.postings)
    return f"№{entry.number} от {entry.date:%d.%m.%Y}: {entry.description} — {lines}"


# --- the journal query in SQL (server.domain.query) --------------------------------

CANDIDATES_MAX = 2000
"""Up to this many postings match a query's account/counterparty terms: the entries are
looked up by id; more: the journal is walked newest first, each entry tested (EXISTS)."""


def _query_scope(db: Session, org_id: str, spec: jq.QuerySpec, earliest: date | None,
                 latest: date | None) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``Entry`` for a query, the organisation's scope included.

    The same field repeated is OR-ed, different fields AND-ed; the posting fields hold
    together on one posting; each negated term is its own NOT (NOT EXISTS for a posting
    field: no posting of the entry matches it).

    Two plans, the same rows. A term on accounts or counterparties is looked up in the
    postings' (org_id, debit|credit|counterparty_id, date) indexes first: when it matches
    few postings (a rare counterparty, an account seldom used) the entries are fetched by
    id and sorted; when it matches many, walking the journal newest first and testing each
    entry stops after a page, sooner than fetching them all would.
    """
    codes = _account_codes(db, org_id, spec)
    scope: list[ColumnElement[bool]] = [Entry.org_id == org_id]
    on_posting = _posting_match(org_id, spec, codes)
    if on_posting and (spec.any_of("acct") or spec.any_of("cp")):
        found = select(Posting.entry_id).where(*on_posting)
        if earliest:
            found = found.where(Posting.date >= earliest)
        if latest:
            found = found.where(Posting.date <= latest)  # a posting is dated as its entry
        ids = set(db.scalars(found.limit(CANDIDATES_MAX + 1)).all())
        if len(ids) <= CANDIDATES_MAX:
            # These entries are the organisation's (their postings are): no org_id test,
            # so the database looks them up by id instead of walking the journal index.
            scope, on_posting = [Entry.id.in_(sorted(ids))], []
    if on_posting:
        scope.append(exists().where(Posting.entry_id == Entry.id, *on_posting))
    for term_field in ("date", "desc"):
        alternatives = [_entry_match(t) for t in spec.terms
                        if t.field == term_field and not t.negated]
        if alternatives:
            scope.append(or_(*alternatives))
    for term in spec.negated:
        if term.field in jq.POSTING_FIELDS:
            single = jq.QuerySpec((jq.Term(term.field, term.value),))
            scope.append(~exists().where(Posting.entry_id == Entry.id,
                                         *_posting_match(org_id, single, codes)))
        else:
            scope.append(~_entry_match(term))
    return scope


def _account_codes(db: Session, org_id: str, spec: jq.QuerySpec) -> dict[str, list[str]]:
    """Each acct: term as the chart's codes it covers: ``60`` → 60, 60.01, 60.02 (the
    built-in chart and the organisation's own sub-accounts), so the indexes on debit and
    credit serve it. A posting's accounts are always in the chart (``post`` checks)."""
    wanted = {t.value for t in spec.terms if t.field == "acct" and isinstance(t.value, str)}
    if not wanted:
        return {}
    known = {a.code for a in chart.load_chart()}
    known.update(db.scalars(select(LedgerAccount.code)
                            .where(LedgerAccount.org_id == org_id)).all())
    return {w: sorted(c for c in known if jq.matches_account(w, c)) for w in wanted}


def _posting_match(org_id: str, spec: jq.QuerySpec,
                   codes: dict[str, list[str]]) -> list[ColumnElement[bool]]:
    """The positive posting terms of ``spec``, to hold together on one posting."""
    match: list[ColumnElement[bool]] = []
    accounts = sorted({c for v in spec.any_of("acct") if isinstance(v, str) for c in codes[v]})
    if spec.any_of("acct"):
        # org_id in each branch: the database can use both indexes, (org_id, debit, …)
        # and (org_id, credit, …), and join what they find.
        match.append(or_(and_(Posting.org_id == org_id, Posting.debit.in_(accounts)),
                         and_(Posting.org_id == org_id, Posting.credit.in_(accounts))))
    amounts = [v for v in spec.any_of("amt") if isinstance(v, jq.AmountCond)]
    if amounts:
        match.append(or_(*[_amount_match(a) for a in amounts]))
    parties = [v for v in spec.any_of("cp") if isinstance(v, jq.CounterpartyCond)]
    if parties:
        which = [Counterparty.inn == c.inn if c.inn else
                 Counterparty.name_folded.contains(c.name or "", autoescape=True)
                 for c in parties]
        match.append(Posting.org_id == org_id)
        match.append(Posting.counterparty_id.in_(
            select(Counterparty.id).where(Counterparty.org_id == org_id, or_(*which))))
    return match


def _amount_match(cond: jq.AmountCond) -> ColumnElement[bool]:
    value = Posting.amount_kopecks if cond.signed else func.abs(Posting.amount_kopecks)
    return {
        ">": value > cond.kopecks, ">=": value >= cond.kopecks, "<": value < cond.kopecks,
        "<=": value <= cond.kopecks, "=": value == cond.kopecks,
    }[cond.op]


def _entry_match(term: jq.Term) -> ColumnElement[bool]:
    """A date: or desc: term on the entry."""
    if isinstance(term.value, jq.DateRange):
        bounds = [Entry.date >= term.value.start] if term.value.start else []
        bounds += [Entry.date <= term.value.end] if term.value.end else []
        return and_(*bounds)
    assert isinstance(term.value, str)
    return Entry.description_folded.contains(term.value, autoescape=True)
