"""Provides the wire contract of the dashboard («Сводка»): one organisation's aggregate
(balances, settlements, the next deadlines, my tasks, drafts, statement lines, the checks
on the books) and the short line per organisation of «Мои организации».

Money is a decimal string; a section the caller's role may not read is ``null`` (the
books for a role without ``ledger.read``; payroll figures are never in it for a role
without ``payroll.read``).
"""

from __future__ import annotations

from datetime import date as date_
from decimal import Decimal
from typing import Literal

from core.contract.common import WireModel

CheckSeverity = Literal["error", "warning", "info"]
"""error: the books are wrong or a deadline is missed; warning: needs doing soon;
info: worth a look."""

LinkKind = Literal["account", "counterparty", "document", "bank_import", "payroll",
                   "period", "deadline"]
"""What a check's key opens: an account card on a day (``id`` = the code, ``day``), a
counterparty, a document, a statement import, a payroll month (``period``), a month of
the books (``period``), a tax-calendar deadline (``id``)."""


class DashboardLink(WireModel):
    kind: LinkKind
    id: str | None = None
    period: str | None = None
    """A month, ``2026-03``."""
    day: date_ | None = None


class DashboardCheck(WireModel):
    code: str
    """Stable: ``cash.negative``, ``settlements.debt_and_advance``, ``documents.draft``,
    ``bank.unposted_lines``, ``payroll.unpaid``, ``ndfl.no_enp_order``,
    ``invoices.overdue``, ``periods.not_closed``, ``ens.short``."""
    severity: CheckSeverity
    text: str
    """In the caller's language, from the server's catalogue."""
    count: int = 1
    """How many items fail the check; ``link`` opens the first (the oldest)."""
    link: DashboardLink | None = None


class MoneyBalance(WireModel):
    account: str
    """``51``, or a sub-account of it the books use (``51.01``)."""
    name: str
    balance: Decimal


class PartyBalance(WireModel):
    counterparty_id: str
    name: str
    amount: Decimal


class Settlements(WireModel):
    """Settlements on 60, 62 and 76 (the VAT of advances, 76.АВ/76.ВА, left out) by
    counterparty, today: what each owes us (a debit balance) and what we owe."""

    receivables: Decimal
    payables: Decimal
    debtors: list[PartyBalance]
    """The three largest debtors."""
    creditors: list[PartyBalance]


class DashboardDeadline(WireModel):
    id: str
    """The tax-calendar id, ``ndfl_payment:2026-03``."""
    title: str
    due_date: date_
    amount: Decimal | None = None
    estimate: bool = False
    amount_hidden: bool = False
    prepared: bool = False


class DashboardTask(WireModel):
    id: str
    title: str
    due: date_ | None = None
    overdue: bool = False
    priority: str = "normal"


class DashboardTasks(WireModel):
    """The caller's open tasks in this organisation: overdue and due soon."""

    overdue: int
    due_soon: int
    items: list[DashboardTask]
    """The first few, by due date."""


class DashboardDraft(WireModel):
    id: str
    type: str
    number: int
    date: date_
    total: Decimal
    counterparty: str | None = None


class DashboardDrafts(WireModel):
    count: int
    oldest: list[DashboardDraft]


class Dashboard(WireModel):
    org_id: str
    short_name: str
    as_of: date_
    """The day the figures are for (Moscow)."""
    bank: list[MoneyBalance] | None = None
    bank_total: Decimal | None = None
    cash: Decimal | None = None
    settlements: Settlements | None = None
    deadlines: list[DashboardDeadline]
    tasks: DashboardTasks
    drafts: DashboardDrafts | None = None
    unposted_lines: int | None = None
    """Statement lines not posted (staged, or on an account not the organisation's)."""
    checks: list[DashboardCheck]
    """The checks that failed, the worst first."""
    checks_run: int
    """How many checks the caller's role was shown the result of."""


class OrgDashboardLine(WireModel):
    org_id: str
    short_name: str
    role: str
    money: Decimal | None = None
    """Bank and cash together today; ``null`` for a role that does not read the books."""
    overdue_tasks: int
    failed_checks: int
    errors: int
    """Of the failed checks, those of severity ``error``."""
    next_deadline: DashboardDeadline | None = None


class MyDashboard(WireModel):
    as_of: date_
    items: list[OrgDashboardLine]
