"""Provides the wire contract for reports: trial balance, account card and analysis, statements,
КУДиР and УСН.
"""

from __future__ import annotations

from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Literal

from core.contract.common import WireModel

# Computed by the server (server/services/reports.py) from per-month turnover aggregates;
# shown and exported by screens/reports.py. Money: Decimal roubles; a balance is split
# into its debit and credit side (one of them zero) as Russian reports print it.


class ReportHead(WireModel):
    """What every report states: the organisation, the period, when it was computed."""

    org_name: str
    org_inn: str
    date_from: date_
    date_to: date_
    computed_at: datetime


class TrialBalanceRow(WireModel):
    account: str
    name: str
    level: int
    """0 for a synthetic account, 1 for a sub-account, 2 for an analytics line."""
    parent: str | None
    counterparty_id: str | None = None
    counterparty: str | None = None
    """Set on analytics lines (``by=counterparty``); the account's own line has None."""
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal
    expanded: bool = False
    """The balances are expanded (развёрнутое сальдо: 60, 62, 68, 69, 71, 76): the debit
    side sums the debit balances of the counterparties (or sub-accounts), the credit side
    the credit ones, so both may be non-zero."""


class TrialBalance(WireModel):
    """Оборотно-сальдовая ведомость. Rows in chart order: a synthetic account, then its
    sub-accounts, then (by counterparty) their analytics lines. Accounts with neither a
    balance nor turnover in the period are left out. ``totals`` sums the synthetic rows
    (level 0) only, so its debit and credit columns are equal pairwise."""

    head: ReportHead
    by: Literal["account", "counterparty"]
    rows: list[TrialBalanceRow]
    totals: TrialBalanceRow


class AccountCardRow(WireModel):
    date: date_
    entry_id: str
    entry_number: int
    description: str
    document: str | None
    corr_account: str
    counterparty: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    """Running balance after this posting: positive on the debit side, negative on credit."""


class AccountCard(WireModel):
    """Карточка счёта: the account's postings (sub-accounts included) in date order with a
    running balance; optionally only those of one counterparty. Paged: ``next_cursor``."""

    head: ReportHead
    account: str
    name: str
    counterparty_id: str | None
    counterparty: str | None
    opening: Decimal
    """Signed (debit positive) at the start of the period; for a later page, at its start."""
    rows: list[AccountCardRow]
    debit: Decimal
    credit: Decimal
    """Turnover of the whole period (not only this page)."""
    closing: Decimal
    next_cursor: str | None


class AccountAnalysisRow(WireModel):
    corr_account: str
    name: str
    debit: Decimal
    """The account debited, the corresponding account credited."""
    credit: Decimal


class AccountAnalysis(WireModel):
    """Анализ счёта: the period's turnover split by corresponding account."""

    head: ReportHead
    account: str
    name: str
    opening: Decimal
    rows: list[AccountAnalysisRow]
    debit: Decimal
    credit: Decimal
    closing: Decimal


class StatementLine(WireModel):
    code: str
    """The line code of the form: «1600», «2110»…"""
    name: str
    current: Decimal
    previous: Decimal
    """Balance sheet: at the start of the period (end of the previous year in the official
    form; here the day before ``date_from``). Financial results: the same period a year
    earlier."""
    level: int = 0
    """0 a line, 1 a total (bold), 2 a grand total."""
    previous_year_end: Decimal | None = None
    """Balance sheet only: at 31 December of the year before ``date_to``'s (the form's
    «На 31 декабря предыдущего года»); None on the financial results."""
    year_before_end: Decimal | None = None
    """Balance sheet only: at 31 December two years before (the form's «На 31 декабря
    года, предшествующего предыдущему»)."""


Units = Literal["roubles", "thousands"]


class Statement(WireModel):
    """Бухгалтерский баланс (form 0710001) or Отчёт о финансовых результатах (0710002) in
    the simplified small-business form. The paper form is in thousands of roubles; here
    amounts are roubles and kopecks (a screen or an export may round)."""

    head: ReportHead
    kind: Literal["balance_sheet", "financial_results"]
    lines: list[StatementLine]
    units: Units = "roubles"
    """``thousands``: every amount is whole thousands of roubles, each line rounded on its
    own (half up) and each total the sum of its rounded lines, as the paper form is
    filled; 1600 and 1700 may then differ by the rounding."""
    previous_year_end_date: date_ | None = None
    year_before_end_date: date_ | None = None
    """Balance sheet: the dates of the comparison columns (31.12 of the two years before
    ``date_to``'s)."""
    auxiliary_balance: Decimal = Decimal(0)
    """Balance sheet: the balance of account 000 at ``date_to`` (debit positive, in
    ``units``). Not zero: the opening balances are incomplete, no line takes 000 and the
    sheet does not balance by it (1600 − 1700 = −auxiliary_balance)."""


class KudirRow(WireModel):
    number: int
    date: date_
    document: str
    """«Поступление на р/с № 1 от 25.11.2026»."""
    description: str
    income: Decimal
    expense: Decimal
    """Counted only for «доходы минус расходы»."""


class UsnQuarter(WireModel):
    period: Literal["Q1", "H1", "9M", "Y"]
    """Cumulative periods as the tax counts them: quarter, half-year, nine months, year."""
    income: Decimal
    expense: Decimal
    base: Decimal
    rate: Decimal
    tax: Decimal
    """Computed tax for the cumulative period, before the reduction."""
    contributions: Decimal
    """Insurance contributions paid in the cumulative period (reduce the 6 % tax)."""
    reduction: Decimal
    """Applied: all of them for an ИП without staff, at most 50 % of the tax otherwise."""
    minimum_tax: Decimal
    """1 % of income («доходы минус расходы», year only); zero otherwise."""
    due: Decimal
    """Advance (or the tax for the year) to pay for this period: cumulative tax after the
    reduction minus the advances of the earlier periods, never below zero."""
    due_date: date_


class UsnReport(WireModel):
    """КУДиР and the УСН tax for a year (rows up to ``head.date_to``)."""

    head: ReportHead
    regime: Literal["usn_income", "usn_income_expense"]
    rate: Decimal
    rows: list[KudirRow]
    income: Decimal
    expense: Decimal
    quarters: list[UsnQuarter]
