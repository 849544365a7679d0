"""Provides the wire contract for opening balances and month-end closing (issue 13 points 6, 7).

Money is a decimal string on the wire (``Money``), kopecks in the database.
"""

from __future__ import annotations

from datetime import date as date_
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import BookDate, Money, WireModel
from core.contract.ledger import AccountCode
from core.validation import InvalidInput

OPENING_LINES_MAX = 5000

CostMode = Literal["sales", "production"]
"""Where the management expenses (26) go at month end, by the accounting policy:
``sales`` — written off to 90.08 (ПБУ 10/99 п. 9), ``production`` — to 20, then 20 → 90.02."""

ClosingStep = Literal["costs", "sales_result", "other_result", "tax",
                      "reform_sales", "reform_other", "reform_profit"]


# --- opening balances (ввод остатков) ------------------------------------------------


class OpeningLineIn(WireModel):
    account: AccountCode
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    """For an account with counterparty analytics (60, 62, 76 …): whose balance it is."""
    debit: Money = Decimal("0")
    credit: Money = Decimal("0")

    @model_validator(mode="after")
    def _one_side(self) -> OpeningLineIn:
        for name in ("debit", "credit"):
            value = getattr(self, name)
            if value < 0 or value != value.quantize(Decimal("0.01")):
                raise InvalidInput("validation.amount", field=name)
        if (self.debit > 0) == (self.credit > 0):
            # Exactly one side: a balance is either a debit or a credit one.
            raise InvalidInput("validation.opening_side", field="debit")
        return self


class OpeningBalancesIn(WireModel):
    start_date: BookDate
    """The first day kept in Buhta (the first of a month, e.g. 2026-01-01); the balances
    are posted on the day before (31.12.2025)."""
    lines: Annotated[list[OpeningLineIn], Field(max_length=OPENING_LINES_MAX)]


class OpeningLineOut(WireModel):
    account: str
    account_name: str
    counterparty_id: str | None
    counterparty: str | None
    debit: Decimal
    credit: Decimal


class OpeningBalances(WireModel):
    start_date: date_ | None
    """None until opening balances are entered."""
    entry_date: date_ | None
    entry_id: str | None
    entry_number: int | None
    lines: list[OpeningLineOut]
    debit_total: Decimal
    credit_total: Decimal
    auxiliary_balance: Decimal
    """The balance of account 000 in the books (debit positive): zero when the opening
    balances are complete (the debits equal the credits)."""
    balanced: bool


# --- month-end closing (закрытие месяца) ---------------------------------------------


class ClosingSettingsIn(WireModel):
    cost_mode: CostMode


class ClosingSettingsOut(WireModel):
    cost_mode: CostMode


class ClosingPostingOut(WireModel):
    debit: str
    credit: str
    amount: Decimal


class ClosingEntryOut(WireModel):
    step: ClosingStep
    date: date_
    description: str
    postings: list[ClosingPostingOut]
    entry_id: str | None = None
    """Set once posted (the close's answer); None in a preview."""
    number: int | None = None


class ClosingPreview(WireModel):
    month: str
    """``YYYY-MM``."""
    date: date_
    """The month's last day: the closing entries' date."""
    cost_mode: CostMode
    entries: list[ClosingEntryOut]
    sales_result: Decimal
    """The month's result of sales (90): profit positive, loss negative."""
    other_result: Decimal
    """The month's balance of other income and expenses (91): positive when income."""
    tax: Decimal
    """The tax booked against 99 (УСН at a quarter's end), zero when none."""
    net_result: Decimal
    """What the month leaves on 99: sales + other − tax."""
    notes: list[str]
    """What the closing does not do, in the caller's language (e.g. no profit tax)."""


class ClosingDone(WireModel):
    closing: ClosingPreview
    """What was posted (``entries`` with their ids)."""
    closed: list[str]
    """Closed months as ``YYYY-MM`` after the action."""


class ReopenDone(WireModel):
    reversed: list[str]
    """The ids of the reversals (сторно) of the month's closing entries."""
    closed: list[str]
