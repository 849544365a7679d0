"""Provides the primary-document use cases: the list, the card, create, edit, post, cancel.

Rules kept here, whatever the client sends:
- documents are numbered per organisation, type and calendar year: an empty number
  takes the next one (the largest + 1), a typed one must be free (409
  ``doc.number_taken``); the database refuses a duplicate too;
- only a draft changes (409 ``doc.not_draft``); a posted document is cancelled, and
  its entry reversed (сторно) by a new entry linked to the original, as the ledger does;
- posting makes one ledger entry by ``server.domain.posting_rules``, linked to the
  document; nothing is posted or reversed inside a closed month (409
  ``ledger.period_closed``); an invoice (счёт) posts nothing;
- the counterparty belongs to the organisation (422 ``ledger.unknown_counterparty``);
- a bank document needs the bank right (``Perm.BANK_WRITE``) besides the documents one;
- every write lands in the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from core import documents as d
from core.money import amount_in_words, from_kopecks, to_kopecks
from server import i18n
from server.db.models import (
    Counterparty,
    Document,
    DocumentLine,
    Entry,
    Organisation,
    Posting,
)
from server.domain import posting_rules as rules
from server.domain.roles import Perm, allows
from server.services import audit, numbering
from server.services import documents_links as links
from server.services.context import OrgCtx
from server.services.counterparties import fold
from server.services.errors import ServiceError
from server.services.ledger import (
    Ledger,
    _check_open,
    check_accounts,
    check_counterparties,
    ensure_chart,
)
from server.services.paging import decode_cursor_value, encode_cursor_value
from server.services.stock import Stock

T = TypeVar("T")
STATE_NAMES = {"draft": "черновик", "posted": "проведён", "cancelled": "отменён"}
_AUTO_NUMBER_TRIES = 3


def document_title(doc: Document) -> str:
    return d.document_title(doc.type, doc.number, doc.date)


def _quantity(milli: int) -> Decimal:
    """Thousandths as a quantity without needless zeros: 3000 → 3, 1500 → 1.5."""
    for places in range(4):
        step = 10 ** (3 - places)
        if milli % step == 0:
            return Decimal(milli // step).scaleb(-places)
    raise AssertionError("unreachable")


def _digits(text: str) -> str | None:
    digits = "".join(text.split())
    return digits if digits and digits.isascii() and digits.isdigit() else None


def _links_of(doc: Document, postings: dict[str, list[m.DocumentPostingOut]],
              paid: dict[str, int]) -> dict[str, Any]:
    """A document's postings and, for an invoice, its paid state (documents_links)."""
    out: dict[str, Any] = {"postings": postings.get(doc.id, [])}
    if doc.type == "invoice" and doc.state != "cancelled":
        got = paid.get(doc.id, 0)
        out["paid"] = from_kopecks(got)
        out["payment_state"] = links.payment_state(doc.total_kopecks, got)
    return out


def _number_clash(exc: IntegrityError) -> bool:
    """The database refused a document number already taken (PostgreSQL names the
    constraint, SQLite its columns)."""
    text = str(exc.orig)
    return "uq_documents_org_type_year_number" in text or "documents.number" in text


@dataclass
class Documents:
    ledger: Ledger = field(default_factory=Ledger)
    stock: Stock = field(default_factory=Stock)
    """Item lines of goods documents move the stock (server.services.stock)."""

    # --- reads -------------------------------------------------------------------

    def page(
        self, db: Session, oc: OrgCtx, *, doc_type: str | None, date_from: date | None,
        date_to: date | None, q: str | None, cursor: str | None, limit: int,
    ) -> m.DocumentPage:
        """Newest first by (date, number); ``q``: a fragment of the counterparty's name, the
        first digits of its ИНН, or the document's number."""
        query = select(Document).where(Document.org_id == oc.org_id)
        if doc_type:
            query = query.where(Document.type == doc_type)
        if date_from:
            query = query.where(Document.date >= date_from)
        if date_to:
            query = query.where(Document.date <= date_to)
        text = (q or "").strip().lstrip("№").strip()
        if text:
            query = query.outerjoin(Counterparty, Counterparty.id == Document.counterparty_id)
            digits = _digits(text)
            if digits is not None:
                cond = Counterparty.inn.startswith(digits, autoescape=True)
                if len(digits) <= 6:
                    cond = cond | (Document.number == int(digits))
                query = query.where(cond)
            else:
                query = query.where(Counterparty.name_folded.contains(fold(text),
                                                                      autoescape=True))
        if cursor:
            day_s, num_s, last_id = [*decode_cursor_value(cursor, "d").split("/", 2), "", ""][:3]
            try:
                day, num = date.fromisoformat(day_s), int(num_s)
                uuid.UUID(last_id)
            except ValueError:
                raise ServiceError(422, "validation.cursor") from None
            query = query.where(
                (Document.date < day)
                | ((Document.date == day) & (Document.number < num))
                | ((Document.date == day) & (Document.number == num) & (Document.id < last_id))
            )
        with db.begin():
            rows = db.scalars(
                query.order_by(Document.date.desc(), Document.number.desc(), Document.id.desc())
                .limit(limit + 1)
            ).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = self._outs(db, rows)
        last = rows[-1] if rows else None
        return m.DocumentPage(
            items=items,
            next_cursor=encode_cursor_value(f"{last.date.isoformat()}/{last.number}/{last.id}",
                                            "d") if more and last else None,
        )

    def get(self, db: Session, oc: OrgCtx, document_id: str) -> m.DocumentOut:
        with db.begin():
            return self._outs(db, [self._find(db, oc, document_id)])[0]

    # --- writes ------------------------------------------------------------------

    def create(self, db: Session, oc: OrgCtx, data: m.DocumentIn) -> m.DocumentOut:
        def run() -> m.DocumentOut:
            for attempt in range(_AUTO_NUMBER_TRIES):
                try:
                    with db.begin():
                        return self._create(db, oc, data)
                except IntegrityError as exc:
                    # Another request took the number (or the entry's number) between the
                    # check and the insert: a typed document number is refused, anything
                    # else is tried again with fresh numbers.
                    clash = _number_clash(exc)
                    if clash and data.number is not None:
                        raise self._taken(data.number, data.date.year) from None
                    if attempt == _AUTO_NUMBER_TRIES - 1:
                        if clash:
                            raise self._taken(None, data.date.year) from None
                        raise
            raise AssertionError("unreachable")

        return self._guarded(db, oc, "documents.create", run)

    def update(
        self, db: Session, oc: OrgCtx, document_id: str, data: m.DocumentIn
    ) -> m.DocumentOut:
        def run() -> m.DocumentOut:
            try:
                with db.begin():
                    return self._update(db, oc, document_id, data)
            except IntegrityError as exc:
                if not _number_clash(exc):
                    raise
                raise self._taken(data.number, data.date.year) from None

        return self._guarded(db, oc, "documents.update", run)

    def post(self, db: Session, oc: OrgCtx, document_id: str) -> m.DocumentOut:
        def run() -> m.DocumentOut:
            with db.begin():
                doc = self._find(db, oc, document_id, lock=True)
                self._check_rights(oc, doc.type)
                self._post(db, oc, doc)
                db.flush()
                return self._outs(db, [doc])[0]

        return self._guarded(db, oc, "documents.post", run)

    def cancel(
        self, db: Session, oc: OrgCtx, document_id: str, data: m.CancelIn
    ) -> m.DocumentOut:
        def run() -> m.DocumentOut:
            with db.begin():
                doc = self._find(db, oc, document_id, lock=True)
                self._check_rights(oc, doc.type)
                self._cancel(db, oc, doc, data.reason.strip() or "—")
                db.flush()
                return self._outs(db, [doc])[0]

        return self._guarded(db, oc, "documents.cancel", run)

    # --- the steps ---------------------------------------------------------------

    def _create(self, db: Session, oc: OrgCtx, data: m.DocumentIn) -> m.DocumentOut:
        self._check_rights(oc, data.type)
        cp = self._counterparty(db, oc, data.counterparty_id)
        self._check_chosen_account(db, oc, data)
        year = data.date.year
        if data.number is None:
            number = self._next_number(db, oc, data.type, year)
        else:
            number = data.number
            self._check_free(db, oc, data.type, year, number, None)
        doc = Document(org_id=oc.org_id, state="draft", created_at=oc.ctx.now,
                       created_by=oc.user_id, updated_at=oc.ctx.now)
        self._apply(db, oc, doc, data, number)
        audit.record(db, oc.ctx, "documents.create", org_id=oc.org_id, object_type="document",
                     object_id=doc.id, summary=self._summary(doc, cp))
        if data.post:
            self._post(db, oc, doc)
        db.flush()
        return self._outs(db, [doc])[0]

    def _update(
        self, db: Session, oc: OrgCtx, document_id: str, data: m.DocumentIn
    ) -> m.DocumentOut:
        doc = self._find(db, oc, document_id, lock=True)
        self._check_rights(oc, doc.type)
        self._check_rights(oc, data.type)
        if doc.state != "draft":
            raise ServiceError(409, "doc.not_draft")
        cp = self._counterparty(db, oc, data.counterparty_id)
        self._check_chosen_account(db, oc, data)
        before = self._summary(doc, self._counterparty(db, oc, doc.counterparty_id))
        year = data.date.year
        same_series = (doc.type, doc.year) == (data.type, year)
        if data.number is not None:
            number = data.number
            if not same_series or number != doc.number:
                self._check_free(db, oc, data.type, year, number, doc.id)
        elif same_series:
            number = doc.number
        else:
            number = self._next_number(db, oc, data.type, year)
        doc.updated_at = oc.ctx.now
        self._apply(db, oc, doc, data, number)
        audit.record(db, oc.ctx, "documents.update", org_id=oc.org_id, object_type="document",
                     object_id=doc.id,
                     summary=f"{before} → {self._summary(doc, cp)}")
        if data.post:
            self._post(db, oc, doc)
        db.flush()
        return self._outs(db, [doc])[0]

    def _apply(self, db: Session, oc: OrgCtx, doc: Document, data: m.DocumentIn,
               number: int) -> None:
        """Write the typed document and its computed amounts onto ``doc`` (and its lines)."""
        doc.type = data.type
        doc.year = data.date.year
        doc.number = number
        doc.date = data.date
        doc.counterparty_id = data.counterparty_id
        doc.contract = data.contract
        doc.basis = data.basis
        doc.vat_included = data.vat_included
        doc.vat_rate = data.vat_rate
        doc.purpose = data.purpose
        doc.supplier_invoice_number = data.supplier_invoice_number
        doc.supplier_invoice_date = data.supplier_invoice_date
        self.stock.check_lines(db, doc.org_id, data.lines)
        items = self.stock.line_items(db, oc, data.type, data.lines)
        # The account the posting uses: the chosen one or the type's default (26, 62.01…).
        doc.account = rules.account_for(data.type, data.account)
        if data.type in m.LINE_DOC_TYPES:
            totals = d.document_totals([(x.quantity, x.price, x.vat_rate) for x in data.lines],
                                       data.vat_included)
            doc.amount_kopecks = None
        else:
            assert data.amount is not None  # DocumentIn requires it for a payment
            totals = d.payment_totals(data.amount, data.vat_rate, data.vat_included)
            doc.amount_kopecks = to_kopecks(data.amount)
        doc.total_kopecks = to_kopecks(totals.total)
        doc.vat_kopecks = to_kopecks(totals.vat_total)
        if doc.id is None:
            db.add(doc)
        else:
            db.execute(delete(DocumentLine).where(DocumentLine.document_id == doc.id))
        db.flush()
        # A payment has no lines (its one amount is counted as a line in ``totals`` only).
        for i, (line, amounts, item_id) in enumerate(zip(data.lines, totals.lines, items,
                                                         strict=False)):
            db.add(DocumentLine(
                document_id=doc.id, line=i, name=line.name,
                quantity_milli=int(line.quantity * 1000), unit=line.unit,
                price_kopecks=to_kopecks(line.price), vat_rate=line.vat_rate,
                amount_kopecks=to_kopecks(amounts.amount), vat_kopecks=to_kopecks(amounts.vat),
                item_id=item_id, warehouse_id=line.warehouse_id,
            ))
        db.flush()

    def _post(self, db: Session, oc: OrgCtx, doc: Document) -> None:
        if doc.state != "draft":
            raise ServiceError(409, "doc.not_draft")
        if doc.type != "invoice":  # a счёт is an offer to pay: nothing to book
            _check_open(db, oc.org_id, doc.date)
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            facts = rules.DocumentFacts(type=doc.type, total=doc.total_kopecks,
                                        vat=doc.vat_kopecks, account=doc.account,
                                        counterparty_id=doc.counterparty_id)
            planned = rules.postings_for(facts, org.vat_mode)
            # Item lines: the stock moves, and a sale's cost (Дт 90.02 Кт 41.01).
            stock = self.stock.plan(db, oc, doc, org.vat_mode)
            planned += stock.postings
            if not planned:
                raise ServiceError(422, "doc.zero_total")
            # A sale offsets the customer's advances (documents_links, bank_advances).
            planned += links.advance_offset(db, oc.org_id, doc, org.vat_mode)
            planned += links.receipt_advance_vat(doc, org.vat_mode)
            # The mirror for suppliers: a payment beyond the debt is an advance paid, a
            # поступление offsets it.
            planned = links.payment_advance_paid(db, oc.org_id, doc, planned)
            planned += links.advance_paid_offset(db, oc.org_id, doc)
            self._check_accounts(db, oc, {c for p in planned for c in (p.debit, p.credit)})
            check_counterparties(db, oc.org_id, {p.counterparty_id for p in planned})
            cp = self._counterparty(db, oc, doc.counterparty_id)
            description = document_title(doc) + (f", {cp.name}" if cp else "")
            entry = self.ledger._new_entry(db, oc, doc.date, description[:500],
                                           document_id=doc.id)
            for line, p in enumerate(planned):
                db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=line, date=doc.date,
                               debit=p.debit, credit=p.credit, amount_kopecks=p.amount,
                               memo=p.memo, counterparty_id=p.counterparty_id))
            db.flush()
            self.stock.apply(db, stock)
            doc._stock_warnings = stock.warnings  # type: ignore[attr-defined]
            booked = "; ".join(f"Дт {p.debit} Кт {p.credit} {from_kopecks(p.amount)}"
                               for p in planned)
            summary = f"{document_title(doc)}: запись №{entry.number} — {booked}"
        else:
            summary = document_title(doc)
        doc.state = "posted"
        doc.updated_at = oc.ctx.now
        audit.record(db, oc.ctx, "documents.post", org_id=oc.org_id, object_type="document",
                     object_id=doc.id, summary=summary)

    def _cancel(self, db: Session, oc: OrgCtx, doc: Document, reason: str) -> None:
        if doc.state == "cancelled":
            raise ServiceError(409, "doc.already_cancelled")
        summary = f"{document_title(doc)}: {reason}"
        original = self._entry_of(db, doc.id) if doc.state == "posted" else None
        self.stock.on_cancel(db, doc)
        if original is not None:
            already = db.scalar(select(Entry.id).where(Entry.reverses_id == original.id))
            if already is None:  # not reversed by hand in the journal meanwhile
                _check_open(db, oc.org_id, doc.date)
                text = f"Сторно №{original.number}: {document_title(doc)}: {reason}"
                entry = self.ledger._new_entry(db, oc, doc.date, text[:500],
                                               reverses_id=original.id, document_id=doc.id)
                for p in db.scalars(select(Posting).where(Posting.entry_id == original.id)
                                    .order_by(Posting.line)):
                    db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=p.line,
                                   date=doc.date, debit=p.debit, credit=p.credit,
                                   amount_kopecks=-p.amount_kopecks, memo=p.memo,
                                   counterparty_id=p.counterparty_id))
                db.flush()
                summary += f" (запись №{original.number} сторнирована записью №{entry.number})"
        doc.state = "cancelled"
        doc.cancel_reason = reason
        doc.updated_at = oc.ctx.now
        audit.record(db, oc.ctx, "documents.cancel", org_id=oc.org_id, object_type="document",
                     object_id=doc.id, summary=summary)

    # --- helpers -----------------------------------------------------------------

    def _guarded(self, db: Session, oc: OrgCtx, action: str, run: Callable[[], T]) -> T:
        """Run a write; a refusal for want of a right is logged (after its rollback)."""
        try:
            return run()
        except ServiceError as exc:
            if exc.code == "orgs.forbidden":
                with db.begin():
                    audit.record(db, oc.ctx, f"denied.{Perm.BANK_WRITE.value}",
                                 org_id=oc.org_id, outcome="denied",
                                 summary=f"{i18n.text(f'audit.{action}', audit.LANG)}: "
                                         f"{audit.refusal(exc.code, oc.role)}")
            raise

    def _check_rights(self, oc: OrgCtx, doc_type: str) -> None:
        if doc_type in d.BANK_TYPES and not allows(oc.role, Perm.BANK_WRITE):
            raise ServiceError(403, "orgs.forbidden")

    def _find(self, db: Session, oc: OrgCtx, document_id: str, *, lock: bool = False) -> Document:
        doc = db.get(Document, document_id, with_for_update=lock)
        if doc is None or doc.org_id != oc.org_id:
            raise ServiceError(404, "doc.not_found")
        return doc

    def _counterparty(
        self, db: Session, oc: OrgCtx, counterparty_id: str | None
    ) -> Counterparty | None:
        if not counterparty_id:
            return None
        check_counterparties(db, oc.org_id, {counterparty_id})
        return db.get(Counterparty, counterparty_id)

    def _next_number(self, db: Session, oc: OrgCtx, doc_type: str, year: int) -> int:
        """``max(number) + 1`` of the series, read under its counter's lock (held until
        commit: a parallel writer of the series waits, then sees this number taken)."""
        series = numbering.documents(doc_type)
        numbering.lock(db, oc.org_id, series, year)
        with db.no_autoflush:
            number = (db.scalar(select(func.max(Document.number)).where(
                Document.org_id == oc.org_id, Document.type == doc_type, Document.year == year,
            )) or 0) + 1
        numbering.remember(db, oc.org_id, series, year, number)
        return number

    def _check_free(
        self, db: Session, oc: OrgCtx, doc_type: str, year: int, number: int,
        own_id: str | None,
    ) -> None:
        # A typed number takes the series' lock too: an automatic one beside it waits.
        numbering.lock(db, oc.org_id, numbering.documents(doc_type), year)
        query = select(Document.id).where(Document.org_id == oc.org_id,
                                          Document.type == doc_type, Document.year == year,
                                          Document.number == number)
        if own_id is not None:
            query = query.where(Document.id != own_id)
        with db.no_autoflush:
            taken = db.scalar(query)
        if taken is not None:
            raise self._taken(number, year)

    def _taken(self, number: int | None, year: int) -> ServiceError:
        return ServiceError(409, "doc.number_taken",
                            params={"number": number if number is not None else "—",
                                    "year": year})

    def _check_accounts(self, db: Session, oc: OrgCtx, codes: set[str]) -> None:
        ensure_chart(db, oc.org_id)
        check_accounts(db, oc.org_id, codes)

    def _check_chosen_account(self, db: Session, oc: OrgCtx, data: m.DocumentIn) -> None:
        """A typed account must be in the chart already when a draft is saved."""
        if data.account:
            self._check_accounts(db, oc, {data.account})

    def _entry_of(self, db: Session, document_id: str) -> Entry | None:
        """The entry a posting made (not its reversal)."""
        return db.scalar(select(Entry).where(Entry.document_id == document_id,
                                             Entry.reverses_id.is_(None)))

    def _summary(self, doc: Document, cp: Counterparty | None) -> str:
        who = f", {cp.name}" if cp else ""
        return (f"{document_title(doc)}{who}: {from_kopecks(doc.total_kopecks)} "
                f"({STATE_NAMES[doc.state]})")

    def _outs(self, db: Session, docs: list[Document]) -> list[m.DocumentOut]:
        """The documents as the wire shows them, with their lines, names and entries."""
        if not docs:
            return []
        ids = [doc.id for doc in docs]
        lines: dict[str, list[DocumentLine]] = {i: [] for i in ids}
        for line in db.scalars(select(DocumentLine).where(DocumentLine.document_id.in_(ids))
                               .order_by(DocumentLine.document_id, DocumentLine.line)):
            lines[line.document_id].append(line)
        cp_ids = {doc.counterparty_id for doc in docs if doc.counterparty_id}
        names = dict(db.execute(select(Counterparty.id, Counterparty.name)
                                .where(Counterparty.id.in_(cp_ids))).all()) \
            if cp_ids else {}
        entries = dict(db.execute(
            select(Entry.document_id, Entry.id).where(Entry.document_id.in_(ids),
                                                      Entry.reverses_id.is_(None))
        ).all())
        postings = links.postings_of(db, ids)
        org_id = docs[0].org_id
        paid = links.invoice_payments(db, org_id, [doc for doc in docs
                                                   if doc.type == "invoice"
                                                   and doc.state != "cancelled"])
        return [
            m.DocumentOut(
                id=doc.id, type=doc.type, number=doc.number,  # type: ignore[arg-type]
                date=doc.date, state=doc.state,  # type: ignore[arg-type]
                counterparty_id=doc.counterparty_id,
                counterparty=names.get(doc.counterparty_id or ""),
                contract=doc.contract, basis=doc.basis, vat_included=doc.vat_included,
                lines=[m.DocumentLineOut(
                    name=x.name, quantity=_quantity(x.quantity_milli), unit=x.unit,
                    price=from_kopecks(x.price_kopecks), vat_rate=x.vat_rate,  # type: ignore[arg-type]
                    amount=from_kopecks(x.amount_kopecks), vat=from_kopecks(x.vat_kopecks),
                    item_id=x.item_id, warehouse_id=x.warehouse_id,
                ) for x in lines[doc.id]],
                vat_rate=doc.vat_rate,  # type: ignore[arg-type]
                purpose=doc.purpose, account=doc.account,
                total=from_kopecks(doc.total_kopecks), vat_total=from_kopecks(doc.vat_kopecks),
                total_in_words=amount_in_words(from_kopecks(doc.total_kopecks)),
                entry_id=entries.get(doc.id) if doc.state == "posted" else None,
                created_at=doc.created_at,
                supplier_invoice_number=doc.supplier_invoice_number,
                supplier_invoice_date=doc.supplier_invoice_date,
                warnings=list(getattr(doc, "_stock_warnings", ())),
                **_links_of(doc, postings, paid),
            )
            for doc in docs
        ]
