"""Provides the wire contract for primary documents (счёт, акт, накладная, поступления, банк,
касса).
"""

from __future__ import annotations

import re
from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import BookDate, DecimalText, Money, WireModel
from core.money import MONEY_MAX
from core.validation import InvalidInput

# Contract shared by the server (server/services/documents.py), the printable forms and
# the document screens. Amounts are computed by client/documents.py, on both sides.

DocType = Literal[
    "invoice",  # счёт на оплату: no postings
    "act",  # акт оказанных услуг (sale): Дт 62.01 Кт 90.01; VAT Дт 90.03 Кт 68.02
    "sale_goods",  # товарная накладная / УПД, sale of goods from 41
    "purchase_goods",  # поступление товаров (накладная / УПД): Дт 41.01 Кт 60.01
    "purchase_services",  # поступление услуг: Дт 26/44 Кт 60.01
    "bank_in",  # поступление на расчётный счёт: Дт 51 Кт 62.01/…
    "bank_out",  # списание с расчётного счёта: Дт 60.01/… Кт 51
    "cash_in",  # ПКО: Дт 50.01 Кт 62.01/…
    "cash_out",  # РКО: Дт 60.01/71/… Кт 50.01
]


LINE_DOC_TYPES: tuple[str, ...] = (
    "invoice",
    "act",
    "sale_goods",
    "purchase_goods",
    "purchase_services",
)


"""Documents made of item lines; the others carry one amount (payments)."""


VatRate = Literal["none", "0", "5", "7", "10", "20", "22"]


"""«без НДС» or a rate in per cent (НК РФ ст. 164; 22 % from 2026, 5/7 % for УСН)."""


DocState = Literal["draft", "posted", "cancelled"]


_QTY_MAX = Decimal("999999999.999")


_PRICE_MAX = MONEY_MAX


_ACCOUNT_CODE = re.compile(r"[0-9]{2}(\.[0-9A-Za-zА-Яа-я]{1,4})*")


class DocumentLineIn(WireModel):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    quantity: DecimalText
    """Up to 3 decimals, positive."""
    unit: Annotated[str, Field(min_length=1, max_length=20)] = "шт"
    price: Money
    """Roubles and kopecks, not negative."""
    vat_rate: VatRate = "none"
    item_id: Annotated[str | None, Field(max_length=36)] = None
    """The item (номенклатура) of a поступление товаров / реализация line: counted in stock
    (``core.contract.stock``). None: the item of the line's name; a поступление adds a new
    name to the nomenclature, a sale of a name no поступление brought stays out of stock."""
    warehouse_id: Annotated[str | None, Field(max_length=36)] = None
    """The warehouse of an item line; None: the organisation's «Основной склад»."""

    @model_validator(mode="after")
    def _shape(self) -> DocumentLineIn:
        self.name = self.name.strip()
        if not self.name:  # min_length counted the spaces
            raise InvalidInput("validation.required", field="name")
        self.unit = self.unit.strip()
        if not self.unit:
            raise InvalidInput("validation.required", field="unit")
        q, p = self.quantity, self.price
        # The bound first: quantize() of a huge number overflows the decimal context.
        if not q.is_finite() or q <= 0 or q > _QTY_MAX or q != q.quantize(Decimal("0.001")):
            raise InvalidInput("doc.quantity", field="quantity")
        if not p.is_finite() or p < 0 or p > _PRICE_MAX or p != p.quantize(Decimal("0.01")):
            raise InvalidInput("doc.price", field="price")
        return self


class DocumentIn(WireModel):
    """A primary document as typed. ``number`` empty: the next free one of its type and year.

    Line documents (LINE_DOC_TYPES) need ``lines``; payments need ``amount``.
    ``vat_included``: the prices (or the payment's amount) already include the VAT.
    ``account``: the correspondent account chosen by the user where the type allows a
    choice: the expense account of ``purchase_services`` (26 or 44), the settlement
    account of a payment (62.01 by default for money in, 60.01 for money out).
    """

    type: DocType
    date: BookDate
    number: Annotated[int | None, Field(ge=1, le=999_999)] = None
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    contract: Annotated[str | None, Field(max_length=300)] = None
    basis: Annotated[str | None, Field(max_length=300)] = None
    """Основание: «Счёт № 5 от 02.03.2026», «Договор № 12»."""
    vat_included: bool = True
    lines: Annotated[list[DocumentLineIn], Field(max_length=500)] = []
    amount: Money | None = None
    vat_rate: VatRate = "none"
    """A payment's VAT rate, for the «в т.ч. НДС» of its purpose."""
    purpose: Annotated[str | None, Field(max_length=210)] = None
    """Назначение платежа / основание of a cash order."""
    account: Annotated[str | None, Field(max_length=20)] = None
    supplier_invoice_number: Annotated[str | None, Field(max_length=40)] = None
    """The supplier's счёт-фактура (or УПД) number on a поступление: the purchase book's
    гр. 3 (Постановление № 1137); only purchases carry it."""
    supplier_invoice_date: BookDate | None = None
    post: bool = True
    """Post on saving; False keeps a draft (editable, no postings)."""

    @model_validator(mode="after")
    def _shape(self) -> DocumentIn:
        from core import documents as d

        for name in ("contract", "basis", "purpose", "account", "supplier_invoice_number"):
            setattr(self, name, (getattr(self, name) or "").strip() or None)
        if self.type not in d.NO_COUNTERPARTY_TYPES and not self.counterparty_id:
            raise InvalidInput("validation.required", field="counterparty_id")
        if self.type in LINE_DOC_TYPES:
            if not self.lines:
                raise InvalidInput("doc.lines_required", field="lines")
            self.amount = None  # a document of lines has no amount of its own
            totals = d.document_totals(
                [(x.quantity, x.price, x.vat_rate) for x in self.lines], self.vat_included
            )
        else:
            if self.lines:
                raise InvalidInput("doc.payment_lines", field="lines")
            a = self.amount
            if a is not None and a.is_finite() and a > d.WORDS_LIMIT:
                raise InvalidInput("doc.too_large", field="amount")
            if a is None or not a.is_finite() or a <= 0 or a != a.quantize(Decimal("0.01")):
                raise InvalidInput("doc.amount", field="amount")
            totals = d.payment_totals(a, self.vat_rate, self.vat_included)
        if totals.total > d.WORDS_LIMIT:
            raise InvalidInput("doc.too_large", field="lines" if self.lines else "amount")
        self.account = _doc_account(self.type, self.account)
        if self.type not in ("purchase_goods", "purchase_services"):
            self.supplier_invoice_number = self.supplier_invoice_date = None
        if not self.supplier_invoice_number and self.supplier_invoice_date is not None:
            raise InvalidInput("validation.required", field="supplier_invoice_number")
        for x in self.lines:
            x.item_id = (x.item_id or "").strip() or None
            x.warehouse_id = (x.warehouse_id or "").strip() or None if x.item_id else None
        return self


def _doc_account(doc_type: str, account: str | None) -> str | None:
    """The correspondent account as the type allows: a code of 26/44 for a purchase of
    services, any code but the money account itself for a payment, none otherwise."""
    from core import documents as d

    if doc_type not in ("purchase_services", *d.PAYMENT_TYPES) or account is None:
        return None
    if not _ACCOUNT_CODE.fullmatch(account):
        raise InvalidInput("doc.account", field="account")
    root = account.split(".")[0]
    if doc_type == "purchase_services" and root not in ("26", "44"):
        raise InvalidInput("doc.expense_account", field="account")
    money = "51" if doc_type in d.BANK_TYPES else "50"
    if root == money:
        raise InvalidInput("validation.posting_same_account", field="account")
    return account


class DocumentLineOut(WireModel):
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    vat_rate: VatRate
    amount: Decimal
    """The line's sum as shown on the form (with VAT when ``vat_included``)."""
    vat: Decimal
    item_id: str | None = None
    warehouse_id: str | None = None


class DocumentPostingOut(WireModel):
    """One posting of a document's entry (and of its reversal, negative)."""

    debit: str
    credit: str
    amount: Decimal
    memo: str | None = None
    entry_number: int


class DocumentOut(WireModel):
    id: str
    type: DocType
    number: int
    date: date_
    state: DocState
    counterparty_id: str | None
    counterparty: str | None
    """The counterparty's short name."""
    contract: str | None
    basis: str | None
    vat_included: bool
    lines: list[DocumentLineOut]
    vat_rate: VatRate
    purpose: str | None
    account: str | None
    total: Decimal
    """What the counterparty pays, VAT included."""
    vat_total: Decimal
    total_in_words: str
    entry_id: str | None
    """The ledger entry the posting made; None for a draft, an invoice or a cancelled one."""
    created_at: datetime
    supplier_invoice_number: str | None = None
    supplier_invoice_date: date_ | None = None
    warnings: list[str] = []
    """What posting noticed and let through (a sale of more than is in stock, when the
    organisation warns instead of refusing), in the server's language."""
    postings: list[DocumentPostingOut] = []
    """The postings of the document's entries (its posting, then a reversal's), Дт/Кт/сумма."""
    paid: Decimal | None = None
    """An invoice's payments received so far (bank receipts naming it); None otherwise."""
    payment_state: Literal["unpaid", "partial", "paid"] | None = None


class DocumentPage(WireModel):
    items: list[DocumentOut]
    next_cursor: str | None


class CancelIn(WireModel):
    reason: Annotated[str, Field(min_length=1, max_length=300)]
