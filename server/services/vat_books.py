"""Provides the VAT books of a quarter (книга покупок, книга продаж) and the VAT
declaration's figures (разделы 3, 8, 9) computed from them.

- Книга продаж (Постановление Правительства РФ от 26.12.2011 № 1137, приложение 5): every
  posted sale (акт, реализация) of the quarter with VAT charged (a rate other than «без
  НДС»; a 0 % sale is listed too), by the document's date; код вида операции 01 (a
  shipment; 02, an advance received, is not booked by Buhta yet). The счёт-фактура is the
  sale document itself (an УПД): its number and date. Only a VAT payer (``general``,
  ``usn_5``, ``usn_7``) keeps it.
- Книга покупок (приложение 4): every posted поступление of the quarter with VAT, for a
  payer with the right to deduct (``general``; НК РФ ст. 171–172), dated by acceptance
  (дата принятия на учёт, гр. 7), with the supplier's счёт-фактура number and date
  (гр. 3). A поступление without them is listed and marked ``missing_invoice``: Buhta
  deducts on posting (server.domain.posting_rules), the accountant has to get the
  счёт-фактура (ст. 169 п. 1, ст. 172 п. 1) or cancel the deduction.
- The declaration (форма по КНД 1151001): раздел 3 — base and tax by rate, the total
  computed (стр. 118), the deductions (стр. 120 = стр. 190, the purchase book's VAT),
  payable (стр. 200) or refundable (стр. 210); раздел 8 total = the purchase book's VAT;
  раздел 9 totals = the sales book's. The line numbers below are those of the form of
  приказ ФНС № ММВ-7-3/558@ as amended; the lines of the 22 % and of the УСН rates 5 %
  and 7 % are UNCONFIRMED (marked in ``SECTION3_LINES``).
A line's base is its cost without VAT and its VAT as the document computed it (each line
rounded on its own, ``core.documents``); a book's totals are the sums of its rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks, to_kopecks
from server.db.models import Counterparty, Document, DocumentLine, Organisation
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
                code = SECTION3_LINES.get(r.rate)
                if code is None:  # 0 %: раздел 4
                    continue
                lines.append(m.VatDeclarationLine(
                    code=code, title=f"Реализация по ставке {r.rate} %", base=r.base, vat=r.vat))
                computed += to_kopecks(r.vat)
            deductions = to_kopecks(purchases.vat)
            lines.append(m.VatDeclarationLine(code="118", title="Общая сумма НДС, исчисленная",
                                              base=None, vat=from_kopecks(computed)))
            lines.append(m.VatDeclarationLine(
                code="120", title="НДС, предъявленный при приобретении (к вычету)", base=None,
                vat=from_kopecks(deductions)))
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
        return m.VatBook(head=head, kind=kind, year=year, quarter=quarter,  # type: ignore[arg-type]
                         rows=rows, total=from_kopecks(book_total), vat=from_kopecks(book_vat),
                         by_rate=_by_rate(totals))
