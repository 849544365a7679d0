"""Provides the wire contract for bank statement import, rules and reconciliation."""

from __future__ import annotations

from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import WireModel
from core.contract.ledger import AccountCode
from core.validation import InvalidInput

# A 1CClientBankExchange statement (выписка) is uploaded and staged: each document that
# touches one of the organisation's accounts becomes a line with a proposed Дт/Кт, a
# matched counterparty and a reason; the user may change a line's accounts, then posts
# the whole import in one transaction. A line already posted by an earlier import (same
# account, date, number, amount, direction and counterparty ИНН) is a duplicate.

BankDirection = Literal["in", "out"]


StatementLineStatus = Literal["new", "duplicate", "unknown_account", "posted", "in_books"]


"""new: will be posted; duplicate: already in the books (an earlier import); unknown_account:
neither side is one of the organisation's bank accounts (never posted); posted: done;
in_books: the money movement is already booked by another path (a posted bank document,
or a payment order whose entry was made by payroll), never posted (``entry_id`` is it)."""


class StatementLineOut(WireModel):
    no: int
    """1-based position in the import (the key to change a line)."""
    line: int
    """The line of the file where its document starts."""
    kind: str
    """The document type: «Платежное поручение», «Банковский ордер», …"""
    date: date_
    number: str | None
    direction: BankDirection
    amount: Decimal
    bank_account: str
    """The organisation's account the money came into or left."""
    counterparty_name: str
    counterparty_inn: str | None
    counterparty_kpp: str | None
    counterparty_account: str | None
    counterparty_id: str | None
    """The matched counterparty (by ИНН); None when there is none yet."""
    new_counterparty: bool
    """No counterparty with this ИНН yet: one is created on posting (60/62/76 lines)."""
    purpose: str
    debit: str
    credit: str
    reason: str
    """Why these accounts: «правило: …», «покупатель», «ЕНП», «комиссия банка», …"""
    status: StatementLineStatus
    entry_id: str | None = None
    warnings: list[str] = []
    """What the line is accepted despite: ``account_key`` (the counterparty's account fails
    the control key against its БИК; the bank's data is taken as it is). The client shows
    ``bank.warning.<code>``."""
    employee: str | None = None
    """The employee a line on 71 is about (a person returning an advance)."""


class StatementAccountOut(WireModel):
    account: str
    date_from: date_ | None
    date_to: date_ | None
    opening: Decimal | None
    credited: Decimal | None
    debited: Decimal | None
    closing: Decimal | None
    known: bool
    """One of the organisation's bank accounts."""


class StatementCounts(WireModel):
    total: int
    new: int
    duplicate: int
    unknown_account: int
    posted: int
    incoming: Decimal
    outgoing: Decimal
    in_books: int = 0
    """Lines already in the books by another path (a document, payroll)."""


class StatementPreview(WireModel):
    id: str
    file_name: str
    encoding: str
    state: Literal["staged", "posted"]
    uploaded_at: datetime
    accounts: list[StatementAccountOut]
    lines: list[StatementLineOut]
    counts: StatementCounts


class ImportLineChange(WireModel):
    debit: AccountCode
    credit: AccountCode

    @model_validator(mode="after")
    def _shape(self) -> ImportLineChange:
        if self.debit == self.credit:
            raise InvalidInput("validation.posting_same_account", field="credit")
        return self


BankRuleDirection = Literal["in", "out", "any"]


class BankRuleIn(WireModel):
    """Lines whose counterparty ИНН is ``inn`` and/or whose purpose contains ``purpose``
    (case-insensitive), in ``direction``, go to ``account`` (Дт for money out, Кт for money
    in; the other side is 51). The lowest ``priority`` wins; rules come before the
    built-in proposals."""

    direction: BankRuleDirection = "any"
    inn: Annotated[str | None, Field(pattern=r"^(\d{10}|\d{12})$")] = None
    purpose: Annotated[str | None, Field(min_length=2, max_length=100)] = None
    account: AccountCode
    priority: Annotated[int, Field(ge=0, le=10_000)] = 100

    @model_validator(mode="after")
    def _something(self) -> BankRuleIn:
        if self.purpose is not None:
            self.purpose = self.purpose.strip() or None
        if not self.inn and not self.purpose:
            raise InvalidInput("bank.rule_empty", field="inn")
        return self


class BankRuleOut(WireModel):
    id: str
    direction: BankRuleDirection
    inn: str | None
    purpose: str | None
    account: str
    priority: int
    created_at: datetime


class BankRuleList(WireModel):
    items: list[BankRuleOut]


class BankPostResult(WireModel):
    import_id: str
    posted: int
    duplicates: int
    skipped: int
    """Lines of an account that is not the organisation's."""
    counterparties_created: int
    first_entry: int | None
    last_entry: int | None
    in_books: int = 0
    """Lines not posted because they are already in the books by another path."""


class ReconciliationRow(WireModel):
    account: str
    """A bank account of the file, or «51» for the total against the books."""
    date_from: date_ | None
    date_to: date_ | None
    statement_opening: Decimal | None
    statement_closing: Decimal | None
    statement_credited: Decimal | None
    statement_debited: Decimal | None
    lines_in: Decimal
    """The file's documents crediting this account (money in)."""
    lines_out: Decimal
    books_opening: Decimal | None
    """Account 51 in the books at the start of ``date_from`` (total row only)."""
    books_closing: Decimal | None
    difference_opening: Decimal | None
    """Statement minus books."""
    difference_closing: Decimal | None
    consistent: bool
    """The statement's own figures agree: opening + in − out = closing, and its totals
    equal the sums of its documents."""


class ReconciliationOut(WireModel):
    import_id: str
    rows: list[ReconciliationRow]
    total: ReconciliationRow
    unmatched: list[StatementLineOut]
    """Lines with no entry in the books (not posted, or of an unknown account)."""
