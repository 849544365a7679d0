"""Provides the wire contract for the chart of accounts, entries and postings, closed periods."""

from __future__ import annotations

from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import BookDate, Money, WireModel
from core.validation import InvalidInput

AccountCode = Annotated[
    str, Field(min_length=2, max_length=20, pattern=r"^[0-9]{2}(\.[0-9A-Za-zА-Яа-я]{1,4})*$")
]


class LedgerAccountOut(WireModel):
    code: str
    name: str
    kind: Literal["active", "passive", "active_passive"]
    analytics: list[str]
    parent: str | None
    builtin: bool


class LedgerAccountList(WireModel):
    items: list[LedgerAccountOut]


class SubAccountIn(WireModel):
    parent: AccountCode
    code: AccountCode
    name: Annotated[str, Field(min_length=1, max_length=200)]


class PostingIn(WireModel):
    debit: AccountCode
    credit: AccountCode
    amount: Money
    """Roubles and kopecks as a decimal string ("1234.56"); positive."""
    memo: Annotated[str | None, Field(max_length=300)] = None
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    """Analytics: the counterparty (of this organisation) the posting concerns."""

    @model_validator(mode="after")
    def _shape(self) -> PostingIn:
        if self.debit == self.credit:
            raise InvalidInput("validation.posting_same_account", field="credit")
        if self.amount <= 0 or self.amount != self.amount.quantize(Decimal("0.01")):
            raise InvalidInput("validation.amount", field="amount")
        return self


class EntryIn(WireModel):
    date: BookDate
    description: Annotated[str, Field(min_length=1, max_length=500)]
    postings: Annotated[list[PostingIn], Field(min_length=1, max_length=200)]


class PostingOut(WireModel):
    debit: str
    credit: str
    amount: Decimal
    memo: str | None
    counterparty_id: str | None = None
    counterparty: str | None = None
    """The counterparty's short name, for display."""


class EntryOut(WireModel):
    id: str
    number: int
    date: date_
    description: str
    postings: list[PostingOut]
    total: Decimal
    reverses: str | None
    reversed_by: str | None
    created_at: datetime
    document_id: str | None = None
    """The primary document that made the entry (None for a manual operation)."""
    document: str | None = None
    """Its title for display: «Акт № 3 от 05.03.2026»."""


class EntryPage(WireModel):
    items: list[EntryOut]
    next_cursor: str | None


class ReverseIn(WireModel):
    date: BookDate | None = None
    """The reversal's date; the original's date when empty (if its month is open)."""
    reason: Annotated[str, Field(min_length=1, max_length=300)]


class ReopenIn(WireModel):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


class PeriodList(WireModel):
    closed: list[str]
    """Closed months as ``YYYY-MM``."""
