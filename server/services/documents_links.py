"""Provides what a document is linked to beyond itself: an invoice's payments (its paid
state), the postings a document made, and the offset of a customer's advances when a
sale is shipped.

Paid state (issue 13 point 11). An invoice (счёт на оплату) is paid by the money that
names it: a posted bank-statement line in from the invoice's counterparty whose purpose
says «счёт № N» (``invoice_refs``), or a posted receipt document (bank_in, cash_in) of
that counterparty whose «основание» or purpose says so. A reference with a date («счёт
№ 5 от 02.03.2026») is the invoice of that number and date; one without is the latest
invoice of that number dated on or before the payment. Nothing is stored: the state is
worked out from these links whenever an invoice is read.

Advance VAT. A VAT payer's receipt document on 62.02 charges VAT on the advance
(``receipt_advance_vat``), as the bank import does for a statement line.

Advance offset. A VAT payer's sale (act, sale_goods) to a customer holding advances on
62.02 offsets them, Дт 62.02 Кт 62.01, and deducts the VAT charged on them, Дт 68.02
Кт 76.АВ (НК ст. 171 п. 8, ст. 172 п. 6; ``server.domain.bank_advances``).

Advance paid (the mirror for suppliers, any organisation). A payment document (bank_out,
cash_out) to a supplier on 60.01 that the supplier's unpaid поступления (its 60.01 credit
balance on the payment's date) do not cover is an advance paid: the covered part Дт 60.01,
the rest Дт 60.02 (``payment_advance_paid``); a payment the user pointed at another
account is left as it is. A поступление (purchase_goods, purchase_services) from a
supplier holding an advance paid (60.02 debit balance) offsets it, Дт 60.01 Кт 60.02, in
its own entry (``advance_paid_offset``). No VAT on an advance paid: the deduction of the
VAT on it (НК ст. 171 п. 12) is the buyer's right, not a duty, and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks
from server.db.models import BankImportLine, Document, Entry, Posting
from server.domain import bank_advances as adv
from server.domain import posting_rules as rules
from server.domain.query import fold

_REF = re.compile(
    r"(?<![а-яa-z])сч(?:[её]т[а-я]*|\.)\s*(?:на\s+оплату\s*)?(?:№|n|#|no\.?)?\s*(\d{1,6})"
    r"(?:\s*от\s*(\d{1,2})[./](\d{1,2})[./](\d{2,4}))?")
"""«счёт № 5», «по счету №5 от 02.03.2026», «сч. 5», «счета на оплату № 5 от 2.3.26»;
not «счёт-фактура № 5» (the hyphen stops it)."""


def invoice_refs(text: str | None) -> list[tuple[int, date | None]]:
    """The invoices a purpose or basis names: (number, date or None)."""
    out: list[tuple[int, date | None]] = []
    for match in _REF.finditer(fold(text or "")):
        number, day, month, year = match.groups()
        when = None
        if day:
            y = int(year) + (2000 if len(year) == 2 else 0)
            try:
                when = date(y, int(month), int(day))
            except ValueError:
                when = None
        out.append((int(number), when))
    return out


def invoice_payments(db: Session, org_id: str, invoices: Sequence[Document]) -> dict[str, int]:
    """Invoice id → kopecks received naming it, for the given invoices."""
    wanted = [doc for doc in invoices if doc.type == "invoice" and doc.counterparty_id]
    if not wanted:
        return {}
    cps = sorted({doc.counterparty_id for doc in wanted if doc.counterparty_id})
    start = min(doc.date for doc in wanted)
    # Every invoice of these counterparties: a reference without a date goes to the
    # latest of its number on or before the payment, which may be off the page.
    series: dict[tuple[str, int], list[tuple[date, str]]] = {}
    for inv in db.execute(select(Document.id, Document.counterparty_id, Document.number,
                                 Document.date)
                          .where(Document.org_id == org_id, Document.type == "invoice",
                                 Document.state != "cancelled",
                                 Document.counterparty_id.in_(cps))):
        series.setdefault((inv.counterparty_id, inv.number), []).append((inv.date, inv.id))
    for dates in series.values():
        dates.sort()
    payments: list[tuple[str, date, int, str]] = []  # (counterparty, date, kopecks, text)
    for line in db.execute(select(BankImportLine.counterparty_id, BankImportLine.date,
                                  BankImportLine.amount_kopecks, BankImportLine.purpose)
                           .where(BankImportLine.org_id == org_id,
                                  BankImportLine.status == "posted",
                                  BankImportLine.direction == "in",
                                  BankImportLine.counterparty_id.in_(cps),
                                  BankImportLine.date >= start)):
        payments.append((line.counterparty_id, line.date, line.amount_kopecks, line.purpose))
    for doc in db.execute(select(Document.counterparty_id, Document.date,
                                 Document.total_kopecks, Document.basis, Document.purpose)
                          .where(Document.org_id == org_id, Document.state == "posted",
                                 Document.type.in_(("bank_in", "cash_in")),
                                 Document.counterparty_id.in_(cps),
                                 Document.date >= start)):
        text = " ".join(x for x in (doc.basis, doc.purpose) if x)
        payments.append((doc.counterparty_id, doc.date, doc.total_kopecks, text))
    paid: dict[str, int] = {}
    for cp, day, kopecks, text in payments:
        for number, when in dict.fromkeys(invoice_refs(text)):
            inv_id = _invoice_of(series.get((cp, number), []), when, day)
            if inv_id is not None:
                paid[inv_id] = paid.get(inv_id, 0) + kopecks
                break  # one payment pays the first invoice it names
    return paid


def _invoice_of(dates: list[tuple[date, str]], when: date | None, paid_on: date
                ) -> str | None:
    if when is not None:
        return next((inv_id for day, inv_id in dates if day == when), None)
    earlier = [inv_id for day, inv_id in dates if day <= paid_on]
    return earlier[-1] if earlier else None


def payment_state(total: int, paid: int) -> str:
    if paid <= 0:
        return "unpaid"
    return "paid" if paid >= total else "partial"


def postings_of(db: Session, doc_ids: Iterable[str]) -> dict[str, list[m.DocumentPostingOut]]:
    """Document id → the postings of its entries (the posting's, then a reversal's), in
    entry and line order."""
    ids = sorted(set(doc_ids))
    out: dict[str, list[m.DocumentPostingOut]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.execute(select(Entry.document_id, Entry.number, Posting.debit, Posting.credit,
                             Posting.amount_kopecks, Posting.memo)
                      .join(Posting, Posting.entry_id == Entry.id)
                      .where(Entry.document_id.in_(ids))
                      .order_by(Entry.document_id, Entry.number, Posting.line))
    for r in rows:
        out[r.document_id].append(m.DocumentPostingOut(
            debit=r.debit, credit=r.credit, amount=from_kopecks(r.amount_kopecks),
            memo=r.memo, entry_number=r.number))
    return out


def _balance(db: Session, org_id: str, cp: str, account: str, day: date) -> int:
    """The counterparty's debit balance (credit negative) on ``account`` at ``day``."""
    signed = case((Posting.debit == account, Posting.amount_kopecks),
                  else_=-Posting.amount_kopecks)
    total = db.scalar(select(func.sum(signed)).where(
        Posting.org_id == org_id, Posting.counterparty_id == cp, Posting.date <= day,
        (Posting.debit == account) | (Posting.credit == account)))
    return int(total or 0)


def advance_offset(db: Session, org_id: str, doc: Document, vat_mode: str
                   ) -> list[rules.PlannedPosting]:
    """The postings offsetting the customer's advances when ``doc`` (a sale) is posted:
    none for a payer of no VAT, a purchase, or a customer holding no advance."""
    if doc.type not in rules.SALES or not doc.counterparty_id \
            or not rules.pays_vat(vat_mode):
        return []
    cp = doc.counterparty_id
    advance = -_balance(db, org_id, cp, adv.ADVANCE_ACCOUNT, doc.date)
    if advance <= 0:
        return []
    vat = _balance(db, org_id, cp, adv.ADVANCE_VAT_ACCOUNT, doc.date)
    offset, vat_back = adv.offset_on_shipment(doc.total_kopecks, advance, vat)
    out = [rules.PlannedPosting(adv.ADVANCE_ACCOUNT, adv.SALES_ACCOUNT, offset,
                                "Зачёт аванса", cp)]
    if vat_back > 0:
        out.append(rules.PlannedPosting(adv.VAT_ACCOUNT, adv.ADVANCE_VAT_ACCOUNT, vat_back,
                                        "НДС с аванса к вычету", cp))
    return out


def receipt_advance_vat(doc: Document, vat_mode: str) -> list[rules.PlannedPosting]:
    """A VAT payer's receipt document (bank_in, cash_in) credited to 62.02: the VAT on the
    advance at the calculated rate, Дт 76.АВ Кт 68.02 (``bank_advances``): 12 200,00 in
    2026 → 2 200,00. Nothing for any other document."""
    if doc.type not in ("bank_in", "cash_in") or doc.account != adv.ADVANCE_ACCOUNT:
        return []
    rate = adv.advance_rate(vat_mode, doc.date)
    vat = adv.calculated_vat(doc.total_kopecks, rate) if rate else 0
    if vat <= 0:
        return []
    return [rules.PlannedPosting(adv.ADVANCE_VAT_ACCOUNT, adv.VAT_ACCOUNT, vat,
                                 f"НДС с аванса {rate}/{100 + rate}", doc.counterparty_id)]


def advance_paid_offset(db: Session, org_id: str, doc: Document
                        ) -> list[rules.PlannedPosting]:
    """The posting offsetting the supplier's advances paid when ``doc`` (a поступление)
    is posted, Дт 60.01 Кт 60.02 for the smaller of the advance (60.02 debit balance on
    the document's date) and the document's total: advance 15 000,00, поступление
    12 000,00 → 12 000,00. None for a sale or a supplier holding no advance."""
    if doc.type not in rules.PURCHASES or not doc.counterparty_id:
        return []
    cp = doc.counterparty_id
    advance = _balance(db, org_id, cp, adv.ADVANCE_PAID_ACCOUNT, doc.date)
    offset, _ = adv.offset_on_shipment(doc.total_kopecks, advance, 0)  # no VAT on it
    if offset <= 0:
        return []
    return [rules.PlannedPosting(adv.SUPPLIER_ACCOUNT, adv.ADVANCE_PAID_ACCOUNT, offset,
                                 "Зачёт аванса", cp)]


def payment_advance_paid(db: Session, org_id: str, doc: Document,
                         planned: list[rules.PlannedPosting]) -> list[rules.PlannedPosting]:
    """``planned`` with a payment document's (bank_out, cash_out) Дт 60.01 split by the
    supplier's unpaid поступления (60.01 credit balance on the document's date,
    ``bank_advances.split_receipt``): the covered part stays Дт 60.01, the rest is an
    advance paid, Дт 60.02, no VAT. 25 000,00 to a supplier owed 10 000,00 → Дт 60.01
    10 000,00 and Дт 60.02 15 000,00. Unchanged for any other document or account, and
    for a payment naming no supplier (whose debt is unknown)."""
    if doc.type not in ("bank_out", "cash_out") or doc.account != adv.SUPPLIER_ACCOUNT \
            or not doc.counterparty_id:
        return planned
    owed = -_balance(db, org_id, doc.counterparty_id, adv.SUPPLIER_ACCOUNT, doc.date)
    out: list[rules.PlannedPosting] = []
    for p in planned:
        if p.debit != adv.SUPPLIER_ACCOUNT:
            out.append(p)
            continue
        settled, advance = adv.split_receipt(p.amount, owed)
        owed -= settled
        if settled:
            out.append(replace(p, amount=settled))
        if advance:
            out.append(replace(p, debit=adv.ADVANCE_PAID_ACCOUNT, amount=advance,
                               memo="Аванс выдан"))
    return out
