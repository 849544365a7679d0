"""Provides the VAT books of a quarter (книга покупок, книга продаж) and the VAT
declaration's figures (разделы 3, 8, 9) computed from them.

- Книга продаж (Постановление Правительства РФ от 26.12.2011 № 1137, приложение 5): every
  posted sale (акт, реализация) of the quarter with VAT charged (a rate other than «без
  НДС»; a 0 % sale is listed too), by the document's date; код вида операции 01 (a
  shipment). The счёт-фактура is the sale document itself (an УПД): its number and date.
  Only a VAT payer (``general``, ``usn_5``, ``usn_7``) keeps it.
- Advances (``server.domain.bank_advances``): every VAT charge on an advance received,
  a posting Дт 76.АВ Кт 68.02 dated in the quarter, is a sales-book row with код 02 (ст.
  154 п. 1, ст. 167 п. 1 пп. 2; Правила ведения книги продаж п. 17); every deduction of
  it on the shipment, Дт 68.02 Кт 76.АВ, a purchase-book row with код 22 (ст. 171 п. 8,
  ст. 172 п. 6; Правила ведения книги покупок п. 22). The rows follow the ledger, so the
  declaration agrees with 68.02: a posting made by hand counts too, an entry reversed
  (``Entry.reverses_id``) counts with neither it nor its reversal. See ``_charges``.
- Книга покупок (приложение 4): every posted поступление of the quarter with VAT, for a
  payer with the right to deduct (``general``; НК РФ ст. 171–172), dated by acceptance
  (дата принятия на учёт, гр. 7), with the supplier's счёт-фактура number and date
  (гр. 3). A поступление without them is listed and marked ``missing_invoice``: Buhta
  deducts on posting (server.domain.posting_rules), the accountant has to get the
  счёт-фактура (ст. 169 п. 1, ст. 172 п. 1) or cancel the deduction.
- The declaration (форма по КНД 1151001): раздел 3 — base and tax by rate, the total
  computed (стр. 118, the advances' стр. 070 included), the deductions (стр. 120 the
  purchases', стр. 170 the advances' VAT deducted on shipment, стр. 190 their sum),
  payable (стр. 200) or refundable (стр. 210); раздел 8 total = the purchase book's VAT;
  раздел 9 totals = the sales book's. The line numbers below are those of the form of
  приказ ФНС № ММВ-7-3/558@ as amended; the lines of the 22 % and of the УСН rates 5 %
  and 7 % are UNCONFIRMED (marked in ``SECTION3_LINES``).
A line's base is its cost without VAT and its VAT as the document computed it (each line
rounded on its own, ``core.documents``); a book's totals are the sums of its rows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks, to_kopecks
from server.db.models import (
    BankImportLine,
    Counterparty,
    Document,
    DocumentLine,
    Entry,
    Organisation,
    Posting,
)
from server.domain import bank_advances as adv
from server.domain import posting_rules as rules
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import check_book_dates

SALE_TYPES = ("act", "sale_goods")
PURCHASE_TYPES = ("purchase_goods", "purchase_services")
RATE_ORDER = ("22", "20", "10", "7", "5", "0")
SECTION3_LINES: dict[str, str] = {
    "20": "010",
    "22": "010",  # UNCONFIRMED: the 2026 form's line of the 22 % rate
    "10": "020",
    "5": "043",  # UNCONFIRMED: УСН 5 % (ст. 164 п. 8)
    "7": "044",  # UNCONFIRMED: УСН 7 %
}
"""Раздел 3 line of each rate's base and tax. 0 % goes to раздел 4, not here."""
LINE_ADVANCES = "070"  # UNCONFIRMED for the 2026 form (ММВ-7-3/558@: оплата в счёт
# предстоящих поставок — the amount with VAT in гр. 3, the calculated VAT in гр. 5)
LINE_ADVANCES_DEDUCTED = "170"  # UNCONFIRMED for the 2026 form (ММВ-7-3/558@: НДС с
# оплаты, подлежащий вычету с даты отгрузки)
ADVANCE_RATES = (22, 20, 10, 7, 5)
"""The rates an advance's calculated VAT may have been charged at (ст. 164 п. 4, п. 8)."""


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ServiceError(422, "report.quarter")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    end = date.fromordinal(end.toordinal() - 1)
    check_book_dates(date_from=start, date_to=end)
    return start, end


@dataclass
class _Rate:
    base: int = 0
    vat: int = 0


def _by_rate(rates: dict[str, _Rate]) -> list[m.VatByRate]:
    return [m.VatByRate(rate=r, base=from_kopecks(rates[r].base), vat=from_kopecks(rates[r].vat))
            for r in sorted(rates, key=lambda x: RATE_ORDER.index(x) if x in RATE_ORDER else 99)]


class VatBooks:
    def purchase_book(self, db: Session, oc: OrgCtx, year: int, quarter: int) -> m.VatBook:
        with db.begin():
            return self._book(db, oc, year, quarter, "purchases")

    def sales_book(self, db: Session, oc: OrgCtx, year: int, quarter: int) -> m.VatBook:
        with db.begin():
            return self._book(db, oc, year, quarter, "sales")

    def declaration(self, db: Session, oc: OrgCtx, year: int, quarter: int) -> m.VatDeclaration:
        with db.begin():
            sales = self._book(db, oc, year, quarter, "sales")
            purchases = self._book(db, oc, year, quarter, "purchases")
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            lines: list[m.VatDeclarationLine] = []
            computed = 0
            for r in sales.by_rate:
                code = SECTION3_LINES.get(r.rate)  # an advance's "22/122" has none
                if code is None:  # 0 %: раздел 4
                    continue
                lines.append(m.VatDeclarationLine(
                    code=code, title=f"Реализация по ставке {r.rate} %", base=r.base, vat=r.vat))
                computed += to_kopecks(r.vat)
            advances = [r for r in sales.rows if r.operation_code == "02"]
            if advances:
                total = sum(to_kopecks(r.total) for r in advances)
                vat = sum(to_kopecks(r.vat) for r in advances)
                lines.append(m.VatDeclarationLine(
                    code=LINE_ADVANCES, title="Оплата в счёт предстоящих поставок",
                    base=from_kopecks(total), vat=from_kopecks(vat)))
                computed += vat
            deducted = sum(to_kopecks(r.vat) for r in purchases.rows
                           if r.operation_code == "22")
            deductions = to_kopecks(purchases.vat)
            lines.append(m.VatDeclarationLine(code="118", title="Общая сумма НДС, исчисленная",
                                              base=None, vat=from_kopecks(computed)))
            lines.append(m.VatDeclarationLine(
                code="120", title="НДС, предъявленный при приобретении (к вычету)", base=None,
                vat=from_kopecks(deductions - deducted)))
            if any(r.operation_code == "22" for r in purchases.rows):
                lines.append(m.VatDeclarationLine(
                    code=LINE_ADVANCES_DEDUCTED,
                    title="НДС с оплаты в счёт предстоящих поставок к вычету после отгрузки",
                    base=None, vat=from_kopecks(deducted)))
            lines.append(m.VatDeclarationLine(code="190", title="Общая сумма НДС к вычету",
                                              base=None, vat=from_kopecks(deductions)))
            payable = max(computed - deductions, 0)
            refundable = max(deductions - computed, 0)
            lines.append(m.VatDeclarationLine(code="200", title="НДС к уплате", base=None,
                                              vat=from_kopecks(payable)))
            lines.append(m.VatDeclarationLine(code="210", title="НДС к возмещению", base=None,
                                              vat=from_kopecks(refundable)))
            return m.VatDeclaration(
                head=sales.head, year=year, quarter=quarter, vat_mode=org.vat_mode,
                section3=lines, section8_vat=purchases.vat, section9_total=sales.total,
                section9_vat=sales.vat, section9_by_rate=sales.by_rate,
                payable=from_kopecks(payable), refundable=from_kopecks(refundable))

    # --- the books --------------------------------------------------------------------

    def _book(self, db: Session, oc: OrgCtx, year: int, quarter: int, kind: str) -> m.VatBook:
        start, end = quarter_dates(year, quarter)
        org = db.get(Organisation, oc.org_id)
        if org is None:
            raise ServiceError(404, "orgs.not_found")
        head = m.ReportHead(org_name=org.short_name, org_inn=org.inn, date_from=start,
                            date_to=end, computed_at=oc.ctx.now)
        keeps = (rules.pays_vat(org.vat_mode) if kind == "sales"
                 else rules.deducts_vat(org.vat_mode))
        docs: list[Document] = []
        if keeps:
            docs = list(db.scalars(
                select(Document).where(
                    Document.org_id == oc.org_id, Document.state == "posted",
                    Document.type.in_(SALE_TYPES if kind == "sales" else PURCHASE_TYPES),
                    Document.date >= start, Document.date <= end)
                .order_by(Document.date, Document.type, Document.number)))
        ids = [x.id for x in docs]
        lines: dict[str, list[DocumentLine]] = defaultdict(list)
        if ids:
            for line in db.scalars(select(DocumentLine).where(DocumentLine.document_id.in_(ids))
                                   .order_by(DocumentLine.document_id, DocumentLine.line)):
                lines[line.document_id].append(line)
        cps = {c.id: c for c in db.scalars(select(Counterparty).where(
            Counterparty.id.in_({x.counterparty_id for x in docs if x.counterparty_id})))} \
            if docs else {}
        rows: list[m.VatBookRow] = []
        totals: dict[str, _Rate] = defaultdict(_Rate)
        book_total = book_vat = 0
        days: list[date] = []
        for doc in docs:
            rates: dict[str, _Rate] = defaultdict(_Rate)
            total = vat = 0
            for line in lines[doc.id]:
                if line.vat_rate == "none":
                    continue
                line_total = line.amount_kopecks + (0 if doc.vat_included else line.vat_kopecks)
                rates[line.vat_rate].base += line_total - line.vat_kopecks
                rates[line.vat_rate].vat += line.vat_kopecks
                total += line_total
                vat += line.vat_kopecks
            if not rates or (kind == "purchases" and vat == 0):
                continue
            for r, x in rates.items():
                totals[r].base += x.base
                totals[r].vat += x.vat
            book_total += total
            book_vat += vat
            cp = cps.get(doc.counterparty_id or "")
            if kind == "sales":
                number, day, accepted, missing = str(doc.number), doc.date, None, False
            else:
                number = doc.supplier_invoice_number or ""
                day = doc.supplier_invoice_date
                accepted, missing = doc.date, not doc.supplier_invoice_number
            rows.append(m.VatBookRow(
                number=len(rows) + 1, operation_code="01", invoice_number=number,
                invoice_date=day, accepted_on=accepted, counterparty=cp.name if cp else "",
                inn_kpp=f"{cp.inn or ''}/{cp.kpp or ''}" if cp and cp.inn else "",
                total=from_kopecks(total), vat=from_kopecks(vat), by_rate=_by_rate(rates),
                document_id=doc.id, missing_invoice=missing))
            days.append(doc.date)
        # The advances: from the ledger, for a payer of VAT (the purchase book's code 22
        # too: the ledger deducts an advance's VAT on the shipment for a payer on the УСН
        # rates as well, ``documents_links.advance_offset``; UNCONFIRMED for them).
        if rules.pays_vat(org.vat_mode):
            for row, day in self._advance_rows(db, oc.org_id, org.vat_mode, start, end, kind):
                for x in row.by_rate:
                    totals[x.rate].base += to_kopecks(x.base)
                    totals[x.rate].vat += to_kopecks(x.vat)
                book_total += to_kopecks(row.total)
                book_vat += to_kopecks(row.vat)
                rows.append(row)
                days.append(day)
        # By date, the documents first on a day (a sort is stable), numbered in that order.
        order = sorted(range(len(rows)), key=lambda i: days[i])
        rows = [rows[i].model_copy(update={"number": n}) for n, i in enumerate(order, 1)]
        return m.VatBook(head=head, kind=kind, year=year, quarter=quarter,  # type: ignore[arg-type]
                         rows=rows, total=from_kopecks(book_total), vat=from_kopecks(book_vat),
                         by_rate=_by_rate(totals))

    # --- the advances -----------------------------------------------------------------

    def _advance_rows(self, db: Session, org_id: str, vat_mode: str, start: date, end: date,
                      kind: str) -> list[tuple[m.VatBookRow, date]]:
        """The sales book's code-02 rows (the VAT charged on the advances received in the
        quarter) or the purchase book's code-22 rows (that VAT deducted on the shipments
        of the quarter), each with its day."""
        items: list[_Charge] = []
        if kind == "sales":
            items = _charges(db, org_id, vat_mode, start, end)
        else:
            deductions = _advance_postings(db, org_id, adv.VAT_ACCOUNT,
                                           adv.ADVANCE_VAT_ACCOUNT, start, end)
            # The offset Дт 62.02 Кт 62.01 the shipment posted beside the deduction (the
            # same entry and counterparty): the advance's amount with VAT offset.
            offsets = _companions(db, [p.entry_id for p in deductions], adv.ADVANCE_ACCOUNT,
                                  adv.SALES_ACCOUNT)
            entries = _entries(db, {p.entry_id for p in deductions})
            cps_of = {p.counterparty_id or entries[p.entry_id].document_cp
                      for p in deductions}
            by_cp: dict[str | None, list[_Charge]] = defaultdict(list)
            for c in _charges(db, org_id, vat_mode, None, end,
                              {c for c in cps_of if c is not None}):
                by_cp[c.cp_id].append(c)  # in date order
            days_of = {cp: [c.day for c in charges] for cp, charges in by_cp.items()}
            ambiguous = _ambiguous(deductions)
            for p in deductions:
                e = entries[p.entry_id]
                cp = p.counterparty_id or e.document_cp
                # The счёт-фактура registered is the one issued on the advance (Правила
                # ведения книги покупок п. 22): the latest advance of the customer on or
                # before the shipment. With several advances offset at once only the
                # latest one's is shown (UNCONFIRMED: no FIFO matching of the advances).
                at = bisect_right(days_of.get(cp, []), p.date)
                charge = by_cp[cp][at - 1] if at else None
                rate = charge.rate if charge else _rate_of_date(vat_mode, p.date)
                key = (p.entry_id, p.counterparty_id)
                total = None if key in ambiguous else offsets.get(key)
                items.append(_Charge(
                    p.date, cp, total or _gross(p.amount_kopecks, rate), p.amount_kopecks,
                    rate, charge.number if charge else "—",
                    charge.invoice_date if charge else None,
                    e.document.id if e.document is not None else None, accepted_on=p.date))
        cps = {c.id: c for c in db.scalars(select(Counterparty).where(
            Counterparty.id.in_({x.cp_id for x in items if x.cp_id})))} if items else {}
        out: list[tuple[m.VatBookRow, date]] = []
        for c in items:
            cp_row = cps.get(c.cp_id or "")
            total, vat, rate = c.total, c.vat, c.rate
            out.append((m.VatBookRow(
                number=0, operation_code="02" if kind == "sales" else "22",
                invoice_number=c.number, invoice_date=c.invoice_date, accepted_on=c.accepted_on,
                counterparty=cp_row.name if cp_row else "",
                inn_kpp=f"{cp_row.inn or ''}/{cp_row.kpp or ''}" if cp_row and cp_row.inn
                else "",
                total=from_kopecks(total), vat=from_kopecks(vat),
                by_rate=[m.VatByRate(rate=f"{rate}/{100 + rate}",
                                     base=from_kopecks(total - vat), vat=from_kopecks(vat))],
                document_id=c.document_id or ""), c.day))
        return out


@dataclass
class _Charge:
    """A VAT charge on an advance (a posting Дт 76.АВ Кт 68.02) and its receipt."""
    day: date
    cp_id: str | None
    total: int
    """The advance with VAT, kopecks."""
    vat: int
    rate: int
    number: str
    """The payment's document number (its счёт-фактура on the advance), «—» if none."""
    invoice_date: date | None
    document_id: str | None = None
    """The document that made the entry: the receipt (sales book) or the shipment."""
    accepted_on: date | None = None
    """The purchase book's гр. 7: the day of the deduction (the shipment's)."""


@dataclass
class _EntryInfo:
    document: Document | None
    bank_line: BankImportLine | None

    @property
    def document_cp(self) -> str | None:
        if self.document is not None and self.document.counterparty_id:
            return self.document.counterparty_id
        return self.bank_line.counterparty_id if self.bank_line is not None else None


def _advance_postings(db: Session, org_id: str, debit: str, credit: str,
                      start: date | None, end: date, cps: set[str] | None = None
                      ) -> list[Posting]:
    """The postings ``debit``/``credit`` of [start, end], in date order, but for an entry
    reversed (a reversal entry names it in ``reverses_id``) and the reversals themselves:
    a charge cancelled counts with neither (their amounts sum to nothing in the ledger
    when both fall in the quarter; a reversal in a later quarter is left out of both)."""
    reversed_ids = select(Entry.reverses_id).where(
        Entry.org_id == org_id, Entry.reverses_id.is_not(None))
    q = (select(Posting).join(Entry, Entry.id == Posting.entry_id)
         .where(Posting.org_id == org_id, Posting.debit == debit, Posting.credit == credit,
                Posting.date <= end, Entry.reverses_id.is_(None),
                Entry.id.not_in(reversed_ids)))
    if start is not None:
        q = q.where(Posting.date >= start)
    if cps is not None:
        q = q.where(Posting.counterparty_id.in_(cps))
    return list(db.scalars(q.order_by(Posting.date, Entry.number, Posting.line)))


def _entries(db: Session, entry_ids: set[str]) -> dict[str, _EntryInfo]:
    """Each entry's receipt: the document that made it, or the bank statement's line."""
    if not entry_ids:
        return {}
    entries = {e.id: e for e in db.scalars(select(Entry).where(Entry.id.in_(entry_ids)))}
    doc_ids = {e.document_id for e in entries.values() if e.document_id}
    docs = {d.id: d for d in db.scalars(select(Document).where(Document.id.in_(doc_ids)))} \
        if doc_ids else {}
    lines = {x.entry_id: x for x in db.scalars(select(BankImportLine).where(
        BankImportLine.entry_id.in_(entry_ids)))}
    return {i: _EntryInfo(docs.get(e.document_id or ""), lines.get(i))
            for i, e in entries.items()}


def _companions(db: Session, entry_ids: list[str], debit: str | None, credit: str
                ) -> dict[tuple[str, str | None], int]:
    """The sum of the postings ``debit`` (any, None) / ``credit`` in each of the entries,
    by (entry, counterparty)."""
    if not entry_ids:
        return {}
    cond = Posting.credit == credit
    if debit is not None:
        cond = cond & (Posting.debit == debit)
    out: dict[tuple[str, str | None], int] = defaultdict(int)
    for p in db.scalars(select(Posting).where(Posting.entry_id.in_(set(entry_ids)), cond)):
        out[(p.entry_id, p.counterparty_id)] += p.amount_kopecks
    return dict(out)


def _ambiguous(postings: list[Posting]) -> set[tuple[str, str | None]]:
    """The (entry, counterparty) holding more than one of ``postings``: a companion's
    amount cannot be told apart between them."""
    seen = Counter((p.entry_id, p.counterparty_id) for p in postings)
    return {k for k, n in seen.items() if n > 1}


def _rate_of_date(vat_mode: str, day: date) -> int:
    """The org's calculated rate of ``day`` for an amount that does not tell it
    (UNCONFIRMED for such a row: an entry by hand, say): 22 from 2026, 20 before."""
    return adv.advance_rate(vat_mode, day) or (22 if day >= adv.GENERAL_RATE_2026 else 20)


def _gross(vat: int, rate: int) -> int:
    """The advance with VAT whose calculated VAT is ``vat``: VAT × (100+rate)/rate, half
    up (11 000,00 at 22/122 → 61 000,00)."""
    return (2 * vat * (100 + rate) + rate) // (2 * rate)


def _charges(db: Session, org_id: str, vat_mode: str, start: date | None, end: date,
             cps: set[str] | None = None) -> list[_Charge]:
    """The VAT charges on advances of [start, end] (not reversed), in date order.

    The amount with VAT is the receipt's own, when reachable: the receipt document's
    total (bank_in, cash_in on 62.02), else the entry's credit to 62.02 for the same
    counterparty (a bank statement line: its advance part, the line's amount less what
    settled unpaid sales); else VAT × (100+rate)/rate. The rate is the one whose
    calculated VAT of that amount is the VAT posted; if none is (an entry by hand), the
    org's rate of the day (UNCONFIRMED). The счёт-фактура on the advance is the payment's
    document: the receipt document's number and date, the statement line's payment order
    number and date, else «—»."""
    if cps is not None and not cps:
        return []
    postings = _advance_postings(db, org_id, adv.ADVANCE_VAT_ACCOUNT, adv.VAT_ACCOUNT,
                                 start, end, cps)
    entries = _entries(db, {p.entry_id for p in postings})
    advances = _companions(db, [p.entry_id for p in postings], None, adv.ADVANCE_ACCOUNT)
    ambiguous = _ambiguous(postings)
    out: list[_Charge] = []
    for p in postings:
        e = entries[p.entry_id]
        cp = p.counterparty_id or e.document_cp
        doc, line = e.document, e.bank_line
        total: int | None = None
        if doc is not None and doc.type in ("bank_in", "cash_in") \
                and doc.account == adv.ADVANCE_ACCOUNT:
            total = doc.total_kopecks
        elif (p.entry_id, p.counterparty_id) not in ambiguous:
            total = advances.get((p.entry_id, p.counterparty_id))
        rate = next((r for r in ADVANCE_RATES
                     if total and adv.calculated_vat(total, r) == p.amount_kopecks), None)
        if rate is None:
            rate = _rate_of_date(vat_mode, p.date)
            total = total if total else _gross(p.amount_kopecks, rate)
        if doc is not None:
            number, day = str(doc.number), doc.date
        elif line is not None:
            number, day = line.number or "—", line.date
        else:
            number, day = "—", None
        out.append(_Charge(p.date, cp, total, p.amount_kopecks, rate, number, day,
                           doc.id if doc is not None else None))
    return out
