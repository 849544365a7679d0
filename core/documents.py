"""Provides the arithmetic and the wording of primary documents, shared by the server and the TUI.

The server computes and stores a document's amounts with these functions; the document
form calls the same ones for its live totals, so the two never disagree by a kopeck.

Rules (as 1С and the printed forms do them, line by line):
- a line's amount is quantity × price, rounded to whole kopecks (half up);
- VAT of a line, at rate R per cent:
  - prices include VAT (``vat_included``): VAT = amount × R / (100 + R), rounded;
    the line's total is its amount;
  - VAT on top: VAT = amount × R / 100, rounded; the line's total is amount + VAT;
  - «без НДС» and 0 % give no VAT;
- a document's total (what the counterparty pays, VAT included) and its VAT are the
  sums of its lines' totals and VATs (each line rounded on its own).

A payment (bank or cash) is one amount: it is counted as a single line of one unit.
Pure: no I/O, Decimal only (never a float).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

KOPECK = Decimal("0.01")
MILLI = Decimal("0.001")

DOC_TYPES: tuple[str, ...] = (
    "invoice", "act", "sale_goods", "purchase_goods", "purchase_services",
    "bank_in", "bank_out", "cash_in", "cash_out",
)
LINE_TYPES: tuple[str, ...] = (
    "invoice", "act", "sale_goods", "purchase_goods", "purchase_services",
)
"""Documents made of item lines (the same set as ``core.contract.LINE_DOC_TYPES``)."""
PAYMENT_TYPES: tuple[str, ...] = ("bank_in", "bank_out", "cash_in", "cash_out")
BANK_TYPES: tuple[str, ...] = ("bank_in", "bank_out")
CASH_TYPES: tuple[str, ...] = ("cash_in", "cash_out")
NO_COUNTERPARTY_TYPES: tuple[str, ...] = CASH_TYPES
"""Types that may have no counterparty (a cash order to or from a person not on file)."""

DOC_TYPE_NAMES: dict[str, str] = {
    "invoice": "Счёт на оплату",
    "act": "Акт оказанных услуг",
    "sale_goods": "Реализация (накладная, УПД)",
    "purchase_goods": "Поступление товаров",
    "purchase_services": "Поступление услуг",
    "bank_in": "Поступление на расчётный счёт",
    "bank_out": "Списание с расчётного счёта",
    "cash_in": "Приходный кассовый ордер",
    "cash_out": "Расходный кассовый ордер",
}
"""What each type is called in lists and menus (the catalogue's ``doc.type.*`` in Russian)."""

_TITLE_NAMES: dict[str, str] = {
    "invoice": "Счёт на оплату",
    "act": "Акт",
    "sale_goods": "Накладная",
    "purchase_goods": "Поступление товаров",
    "purchase_services": "Поступление услуг",
    "bank_in": "Поступление на р/с",
    "bank_out": "Списание с р/с",
    "cash_in": "ПКО",
    "cash_out": "РКО",
}

VAT_RATES: tuple[str, ...] = ("none", "0", "5", "7", "10", "20", "22")
"""«без НДС» or a rate in per cent (``core.contract.VatRate``)."""

WORDS_LIMIT = Decimal("999999999999.99")
"""The largest document total: what ``core.money.amount_in_words`` can write."""


def _round(value: Decimal) -> Decimal:
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def rate_percent(vat_rate: str) -> Decimal:
    """The rate as a number of per cent; «без НДС» counts as 0."""
    if vat_rate not in VAT_RATES:
        raise ValueError(f"unknown VAT rate: {vat_rate!r}")
    return Decimal(0) if vat_rate == "none" else Decimal(vat_rate)


def rate_label(vat_rate: str) -> str:
    """``"22 %"`` or ``"без НДС"``, as printed in a document's VAT column."""
    rate_percent(vat_rate)
    return "без НДС" if vat_rate == "none" else f"{vat_rate} %"


@dataclass(frozen=True)
class LineAmounts:
    amount: Decimal
    """Quantity × price in kopecks: the line's sum as the form shows it."""
    vat: Decimal
    total: Decimal
    """What the line costs the buyer, VAT included (the amount itself when VAT is inside)."""

    @property
    def net(self) -> Decimal:
        """The line without VAT."""
        return self.total - self.vat


def vat_of(amount: Decimal, vat_rate: str, vat_included: bool) -> Decimal:
    """The VAT of ``amount`` (whole kopecks) at ``vat_rate``, rounded half up to a kopeck.

    Included: ``amount × R / (100 + R)``; on top: ``amount × R / 100``.
    """
    rate = rate_percent(vat_rate)
    if rate == 0:
        return Decimal("0.00")
    with localcontext() as ctx:
        ctx.prec = 50  # far more digits than any amount has: the division is never cut short
        base = Decimal(100) + rate if vat_included else Decimal(100)
        return _round(amount * rate / base)


def line_amounts(
    quantity: Decimal, price: Decimal, vat_rate: str, vat_included: bool
) -> LineAmounts:
    """Amount, VAT and total of one line (see the module's rules)."""
    with localcontext() as ctx:
        ctx.prec = 50
        amount = _round(quantity * price)
    vat = vat_of(amount, vat_rate, vat_included)
    total = amount if vat_included else amount + vat
    return LineAmounts(amount=amount, vat=vat, total=total)


@dataclass(frozen=True)
class DocumentTotals:
    lines: tuple[LineAmounts, ...]
    total: Decimal
    """What the counterparty pays, VAT included."""
    vat_total: Decimal

    @property
    def net_total(self) -> Decimal:
        return self.total - self.vat_total


def document_totals(
    lines: Iterable[tuple[Decimal, Decimal, str]], vat_included: bool
) -> DocumentTotals:
    """Totals of item lines given as ``(quantity, price, vat_rate)``."""
    each = tuple(line_amounts(q, p, rate, vat_included) for q, p, rate in lines)
    return DocumentTotals(
        lines=each,
        total=sum((x.total for x in each), Decimal("0.00")),
        vat_total=sum((x.vat for x in each), Decimal("0.00")),
    )


def payment_totals(amount: Decimal, vat_rate: str, vat_included: bool) -> DocumentTotals:
    """Totals of a payment: its amount counted as one line of one unit."""
    return document_totals([(Decimal(1), amount, vat_rate)], vat_included)


def document_title(doc_type: str, number: int, day: date) -> str:
    """«Акт № 3 от 05.03.2026»: how a document is named in the journal and on screen."""
    return f"{_TITLE_NAMES[doc_type]} № {number} от {day:%d.%m.%Y}"


def _plain_amount(amount: Decimal) -> str:
    """``1803,28``: roubles and kopecks with a comma, no grouping (bank software reads it)."""
    text = f"{_round(amount):.2f}"
    return text.replace(".", ",")


def vat_purpose_text(vat_rate: str, vat: Decimal) -> str:
    """The VAT clause of a payment's purpose: «В т.ч. НДС (22 %) 1803,28 руб.» or
    «Без налога (НДС)» (the wording banks expect, Положение ЦБ № 762-П, field 24)."""
    if vat_rate == "none":
        return "Без налога (НДС)"
    return f"В т.ч. НДС ({rate_label(vat_rate)}) {_plain_amount(vat)} руб."


def payment_purpose(purpose: str | None, vat_rate: str, vat: Decimal) -> str:
    """A payment's purpose with its VAT clause appended (unless the text already has one)."""
    text = (purpose or "").strip().rstrip(".")
    clause = vat_purpose_text(vat_rate, vat)
    if "ндс" in text.casefold():
        return text
    return f"{text}. {clause}" if text else clause


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros: ``3``, ``1,5``, ``0,125``."""
    q = quantity.quantize(MILLI)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
