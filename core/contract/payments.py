"""Provides the wire contract for payment orders (платёжные поручения)."""

from __future__ import annotations

from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from core.contract.common import BookDate, Money, WireModel

# Made by hand, by payroll (salaries, the ЕНП for НДФЛ and contributions) or from a
# document; exported to the bank-client as a 1CClientBankExchange file
# (server/domain/bank_exchange.py). Money out posts when the bank statement comes back.

PaymentKind = Literal["supplier", "tax", "salary", "other"]


"""supplier: to a counterparty; tax: the ЕНП (or another budget payment) to the Treasury
with the budget fields 101–110; salary: to an employee's account; other."""


class PaymentOrderIn(WireModel):
    kind: PaymentKind = "supplier"
    date: BookDate
    number: Annotated[int | None, Field(ge=1, le=999_999)] = None
    """Empty: the next free number of the year."""
    amount: Money
    bank_account_id: Annotated[str | None, Field(max_length=36)] = None
    """The organisation's account paid from; its first one when empty."""
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    """Fills the payee from the counterparty's card where the payee fields are empty."""
    employee_id: Annotated[str | None, Field(max_length=36)] = None
    """An employee of the organisation (404 ``pay.unknown_employee`` otherwise): fills the
    payee from the employee's card (ФИО, ИНН, account, БИК, к/с, bank) where the payee
    fields are empty. Needs the payroll rights (the card is personal data)."""
    payee_name: Annotated[str | None, Field(max_length=160)] = None
    payee_inn: Annotated[str | None, Field(max_length=12)] = None
    payee_kpp: Annotated[str | None, Field(max_length=9)] = None
    payee_account: Annotated[str | None, Field(max_length=20)] = None
    payee_bik: Annotated[str | None, Field(max_length=9)] = None
    payee_corr_account: Annotated[str | None, Field(max_length=20)] = None
    payee_bank: Annotated[str | None, Field(max_length=160)] = None
    purpose: Annotated[str, Field(min_length=1, max_length=210)]
    """Назначение платежа, with «В т.ч. НДС …» or «Без налога (НДС)» as the user wrote it."""
    priority: Annotated[int, Field(ge=1, le=5)] = 5
    """Очерёдность платежа (5 for ordinary payments and taxes paid voluntarily; 3 for
    salaries and taxes, see ст. 855 ГК)."""
    # Budget fields (kind "tax"): 101 status, 104 КБК, 105 ОКТМО, 106–109, 22 УИН.
    payer_status: Annotated[str | None, Field(max_length=2)] = None
    kbk: Annotated[str | None, Field(max_length=20)] = None
    oktmo: Annotated[str | None, Field(max_length=11)] = None
    basis: Annotated[str | None, Field(max_length=2)] = None
    tax_period: Annotated[str | None, Field(max_length=10)] = None
    doc_number: Annotated[str | None, Field(max_length=15)] = None
    doc_date: Annotated[str | None, Field(max_length=10)] = None
    uin: Annotated[str | None, Field(max_length=25)] = None
    budget: Literal["enp", "sfr_injury"] | None = None
    """For ``kind="tax"``: the ЕНП to ФНС (the default) or the injury contributions (НС и
    ПЗ) to СФР — КБК, status and zero fields by default; the payee (the region's ОСФР
    branch at the treasury) must be typed, and the ОКТМО."""


class PaymentOrderOut(WireModel):
    id: str
    kind: PaymentKind
    number: int
    date: date_
    amount: Decimal
    amount_in_words: str
    bank_account_id: str
    payer_account: str
    counterparty_id: str | None
    employee_id: str | None
    payee_name: str
    payee_inn: str | None
    payee_kpp: str | None
    payee_account: str
    payee_bik: str
    payee_corr_account: str | None
    payee_bank: str
    purpose: str
    priority: int
    payer_status: str | None
    kbk: str | None
    oktmo: str | None
    basis: str | None
    tax_period: str | None
    doc_number: str | None
    doc_date: str | None
    uin: str | None
    exported_at: datetime | None
    created_at: datetime
    posted_entry_id: str | None = None
    """The entry that already booked this payment (payroll's Дт 70 Кт 51): the bank
    statement's line of it is then in the books, not posted again."""
    income_type_code: str | None = None
    """Field 20 «Наз. пл.» of a payment to a person: the code of the income type, «1» for
    wages (``kind="salary"``); None for other orders."""


class PaymentOrderPage(WireModel):
    items: list[PaymentOrderOut]
    next_cursor: str | None


class PaymentExportIn(WireModel):
    ids: Annotated[list[str], Field(min_length=1, max_length=1000)]
