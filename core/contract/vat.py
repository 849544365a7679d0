"""Provides the wire contract of the VAT books (книга покупок / книга продаж) and the
VAT declaration's figures for a quarter.

The books' columns are the main ones of Постановление Правительства РФ от 26.12.2011
№ 1137 (приложения 4 and 5): № п/п (гр. 1), код вида операции (гр. 2), номер и дата
счёта-фактуры (гр. 3), the counterparty (гр. 9 / 7) with its ИНН/КПП (гр. 10 / 8), the
cost with VAT (гр. 15 / 13б) and the VAT (гр. 16 / 17–19). A line here keeps the base
and the VAT by rate instead of one column per rate: the columns of the 22 % rate from
2026 are UNCONFIRMED.
"""

from __future__ import annotations

from datetime import date as date_
from decimal import Decimal
from typing import Literal

from core.contract.common import WireModel
from core.contract.reports import ReportHead

OperationCode = Literal["01", "02", "22"]
"""Код вида операции (приказ ФНС от 14.03.2016 № ММВ-7-3/136@): 01 a shipment or a
purchase, 02 an advance received (the sales book), 22 the VAT on an advance deducted on
the shipment (the purchase book)."""


class VatByRate(WireModel):
    rate: str
    """Per cent: ``22``, ``10``, ``5``, ``7``, ``0``; an advance's calculated rate
    (коды 02 and 22): ``22/122``, ``20/120``, ``5/105``…, its base the advance less VAT."""
    base: Decimal
    vat: Decimal


class VatBookRow(WireModel):
    number: int
    operation_code: OperationCode
    invoice_number: str
    """The счёт-фактура's number: the supplier's (purchases) or our document's (sales)."""
    invoice_date: date_ | None
    accepted_on: date_ | None
    """Purchases: the day the goods or services were accepted (дата принятия на учёт)."""
    counterparty: str
    inn_kpp: str
    total: Decimal
    """Стоимость с НДС."""
    vat: Decimal
    by_rate: list[VatByRate]
    document_id: str
    missing_invoice: bool = False
    """A purchase without the supplier's счёт-фактура: no deduction is lawful for it
    (НК РФ ст. 169 п. 1, ст. 172 п. 1) until it arrives."""


class VatBook(WireModel):
    head: ReportHead
    kind: Literal["purchases", "sales"]
    year: int
    quarter: int
    rows: list[VatBookRow]
    total: Decimal
    vat: Decimal
    by_rate: list[VatByRate]


class VatDeclarationLine(WireModel):
    code: str
    """The declaration's line (раздел 3 / 8 / 9); UNCONFIRMED for the 2026 form."""
    title: str
    base: Decimal | None
    vat: Decimal


class VatDeclaration(WireModel):
    head: ReportHead
    year: int
    quarter: int
    vat_mode: str
    section3: list[VatDeclarationLine]
    """Base and tax by rate, the total computed, the deductions, payable or refundable."""
    section8_vat: Decimal
    """Раздел 8 total: the purchase book's VAT (стр. 190)."""
    section9_total: Decimal
    section9_vat: Decimal
    """Раздел 9 totals: the sales book's cost and VAT."""
    section9_by_rate: list[VatByRate]
    payable: Decimal
    refundable: Decimal
