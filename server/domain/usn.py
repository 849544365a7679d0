"""Provides the УСН tax (упрощённая система налогообложения) of a year and its due dates.

Pure: amounts in whole kopecks (int), rates in per cent (Decimal), no I/O. Figures from the
team reference (``/work/shared/reference/ru-rules-2025-2026.md`` §2 and §6); each is data
at module level so that a change of the law is a change of one table.

How the tax is counted (НК РФ гл. 26.2):
- the tax periods are cumulative from 1 January: Q1, half-year (H1), nine months (9M)
  and the year (Y) (ст. 346.19);
- «доходы»: base = income; «доходы минус расходы»: base = income − expenses, never below
  zero (a loss is not carried forward here: ст. 346.18 п. 7 allows it, Buhta does not
  yet);
- rate: the organisation's regional rate when it has one, else the base 6 % / 15 %
  (``core.contract.USN_BASE_RATE``; ст. 346.20);
- rounding: the declaration carries income, expenses, contributions and the tax in whole
  roubles (50 kopecks and more round up, less is dropped: ст. 52 п. 6 НК for the tax; the
  declaration's filling order for the other figures) **[law]**: the base is the rounded
  income minus the rounded expenses, the tax is base × rate rounded the same way;
- «доходы»: the tax is reduced by insurance contributions paid in the cumulative period
  (ст. 346.21 п. 3.1): an ИП without employees by all of them (down to zero), an
  organisation or an ИП with employees by at most 50 % of the tax. The 50 % cap is taken
  in whole roubles rounded down (18 001 ₽ → at most 9 000 ₽), so that what is left to pay
  is never below half of the tax;
- «доходы минус расходы»: the contributions are an expense, they do not reduce the tax;
  for the year the minimum tax, 1 % of income, is due when it is larger than the tax
  (ст. 346.18 п. 6), also in a year of loss;
- what is due for a period is the cumulative tax after the reduction minus what was due
  for the earlier periods of the year, never below zero. When a later period comes out
  lower (the declaration's «к уменьшению»), the difference stays on the ЕНС and the next
  period subtracts everything due before it;
- due dates: the 28th of the month after Q1, H1 and 9M; the year's tax by 28 March
  (organisations) or 28 April (ИП) of the next year (ст. 346.21 п. 7, ст. 346.23); a date
  on a day off moves to the next working day (ст. 6.1 п. 7 НК).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.contract import USN_BASE_RATE
from server.domain.work_calendar import is_working_day as is_working_day
from server.domain.work_calendar import next_working_day as next_working_day

PERIODS = ("Q1", "H1", "9M", "Y")
"""The cumulative periods of a tax year, in order."""
PERIOD_END_MONTH = {"Q1": 3, "H1": 6, "9M": 9, "Y": 12}

ADVANCE_DUE = {"Q1": (4, 28), "H1": (7, 28), "9M": (10, 28)}
"""(month, day) of the same year by which the advance of a period is due (reference §2)."""
YEAR_DUE = {"ooo": (3, 28), "ip": (4, 28)}
"""(month, day) of the next year by which the tax for the year is due, by the kind of
payer (organisation / ИП) (reference §2)."""

MINIMUM_TAX_RATE = Decimal("1")
"""Per cent of the year's income («доходы минус расходы» only; ст. 346.18 п. 6)."""
STAFF_REDUCTION_SHARE = Decimal("0.5")
"""At most this share of the tax is reduced by contributions for an organisation or an ИП
with employees (ст. 346.21 п. 3.1)."""

# --- the production calendar -------------------------------------------------------------
# The days off (holidays, the government's transfer decrees, ТК ст. 112 ч. 2 for a year
# without a decree table) live in ``server.domain.work_calendar``; ``is_working_day`` and
# ``next_working_day`` are re-exported here for the callers of this module.


def due_date(year: int, period: str, kind: str) -> date:
    """When the advance (or the year's tax) of ``period`` of ``year`` is due.

    ``kind`` is the payer: ``"ip"`` or ``"ooo"`` (only the year's date depends on it).
    """
    if period == "Y":
        month, dom = YEAR_DUE[kind]
        return next_working_day(date(year + 1, month, dom))
    month, dom = ADVANCE_DUE[period]
    return next_working_day(date(year, month, dom))


def period_end(year: int, period: str) -> date:
    month = PERIOD_END_MONTH[period]
    return date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)


def quarter_of(day: date) -> int:
    """0 for January–March … 3 for October–December."""
    return (day.month - 1) // 3


# --- the tax ---------------------------------------------------------------------------


def round_roubles(kopecks: int | Decimal) -> int:
    """Kopecks rounded to whole roubles, half up (ст. 52 п. 6 НК): 1 234,50 → 1 235,00;
    1 234,49 → 1 234,00. Returned in kopecks (a multiple of 100)."""
    roubles = (Decimal(kopecks) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(roubles) * 100


def percent_of(kopecks: int, rate: Decimal) -> int:
    """``rate`` per cent of ``kopecks``, rounded to whole roubles (in kopecks)."""
    return round_roubles(Decimal(kopecks) * rate / 100)


def base_rate(regime: str, regional: Decimal | None) -> Decimal:
    """The organisation's regional rate if set, else the base rate of ``regime``."""
    return regional if regional is not None else USN_BASE_RATE[regime]


@dataclass(frozen=True)
class UsnFacts:
    """What the tax of a year is computed from. Sequences hold one value per quarter
    (January–March … October–December), not cumulative; kopecks."""

    year: int
    regime: str
    """``usn_income`` («доходы») or ``usn_income_expense`` («доходы минус расходы»)."""
    rate: Decimal
    kind: str
    """``ip`` or ``ooo``."""
    income: Sequence[int]
    expense: Sequence[int] = (0, 0, 0, 0)
    contributions: Sequence[int] = (0, 0, 0, 0)
    """Insurance contributions paid in each quarter."""
    staff: Sequence[bool] = (False, False, False, False)
    """Whether the payer had employees in each quarter; once true, true for the rest of
    the year (for an organisation it does not matter: its cap is always 50 %)."""
    periods: int = 4
    """How many cumulative periods to compute (1 = Q1 only … 4 = the whole year)."""


@dataclass(frozen=True)
class UsnPeriod:
    """One cumulative period; kopecks (the tax figures are whole roubles)."""

    period: str
    income: int
    """Exact, as in the book (КУДиР); the base uses it rounded to roubles."""
    expense: int
    base: int
    rate: Decimal
    tax: int
    contributions: int
    reduction: int
    minimum_tax: int
    due: int
    due_date: date


def compute(facts: UsnFacts) -> list[UsnPeriod]:
    """The cumulative periods Q1, H1, 9M, Y (the first ``facts.periods`` of them).

    Worked example (ИП, «доходы» 6 %, no employees): income Q1 300 000 ₽, contributions
    paid in Q1 12 000 ₽ → tax 18 000, reduction 12 000, due 6 000 by 28.04.
    """
    if facts.regime not in USN_BASE_RATE:
        raise ValueError(f"not a УСН regime: {facts.regime}")
    income_only = facts.regime == "usn_income"
    out: list[UsnPeriod] = []
    income = expense = contributions = 0
    staff = False
    due_before = 0
    for index, period in enumerate(PERIODS[: facts.periods]):
        income += facts.income[index]
        expense += facts.expense[index]
        contributions += facts.contributions[index]
        staff = staff or bool(facts.staff[index])
        income_r = round_roubles(income)
        if income_only:
            base = max(0, income_r)
        else:
            base = max(0, income_r - round_roubles(expense))
        tax = percent_of(base, facts.rate)
        reduction = 0
        minimum_tax = 0
        payable = tax
        if income_only:
            paid = max(0, round_roubles(contributions))
            if facts.kind == "ip" and not staff:
                cap = tax
            else:  # whole roubles, rounded down: what is left is at least half the tax
                cap = int(Decimal(tax) * STAFF_REDUCTION_SHARE / 100) * 100
            reduction = min(paid, cap)
            payable = tax - reduction
        elif period == "Y":
            minimum_tax = percent_of(max(0, income_r), MINIMUM_TAX_RATE)
            payable = max(tax, minimum_tax)
        due = max(0, payable - due_before)
        due_before += due
        out.append(UsnPeriod(
            period=period, income=income, expense=0 if income_only else expense, base=base,
            rate=facts.rate, tax=tax, contributions=contributions, reduction=reduction,
            minimum_tax=minimum_tax, due=due,
            due_date=due_date(facts.year, period, facts.kind)))
    return out


# --- what the book (КУДиР) counts ------------------------------------------------------

MONEY_ACCOUNTS = ("50", "51", "52", "55", "57")
"""Cash, bank accounts, special accounts, transfers in transit: money in hand (УСН counts
income when money comes in, the cash method, ст. 346.17 п. 1)."""
INCOME_SOURCES = ("62", "76", "90.01", "91.01")
"""Дт money Кт one of these: income (from customers, other debtors, sales, other income).
Not income: loans (66, 67), contributions of founders (75), money moved between own
accounts (50 ↔ 51 ↔ 57), a supplier's refund (60), an employee's return (71)."""
EXPENSE_TARGETS = ("60", "20", "23", "25", "26", "44", "68", "69", "70")
"""Дт one of these Кт 50/51/52/55: an expense of «доходы минус расходы» (paid suppliers,
costs paid directly, taxes, contributions, wages). A simplification: the law also wants
the goods or services received (ст. 346.17 п. 2) and goods sold; Buhta counts the payment."""
EXPENSE_EXCLUDED = ("68.02", "68.04", "68.12", "68.90")
"""Not an expense: VAT, profit tax, the УСН tax itself (ст. 346.16 п. 1 пп. 22), and the
ЕНП paid to 68.90 (what it pays for is not known from the posting)."""
EXPENSE_MONEY = ("50", "51", "52", "55")
CONTRIBUTION_ACCOUNTS = ("69",)
"""Дт 69.xx Кт money: insurance contributions paid (for employees, and an ИП's own)."""
STAFF_ACCOUNTS = ("70",)
"""Credit turnover on 70 (wages accrued) means the payer has employees."""
MANUAL_ENTRY_TITLE = "Бухгалтерская справка № {number} от {date:%d.%m.%Y}"
"""The КУДиР «document» of an entry that no primary document made."""


def under(code: str, prefixes: Sequence[str]) -> bool:
    """``code`` is one of ``prefixes`` or a sub-account of one (``62`` → ``62.01``)."""
    return any(code == p or code.startswith(p + ".") for p in prefixes)


def kudir_kind(debit: str, credit: str, regime: str) -> str | None:
    """``"income"``, ``"expense"`` (only for «доходы минус расходы») or None: whether a
    posting Дт ``debit`` Кт ``credit`` goes into the book."""
    if under(debit, MONEY_ACCOUNTS) and under(credit, INCOME_SOURCES):
        return "income"
    if (regime == "usn_income_expense" and under(credit, EXPENSE_MONEY)
            and under(debit, EXPENSE_TARGETS) and not under(debit, EXPENSE_EXCLUDED)):
        return "expense"
    return None


def is_contribution_payment(debit: str, credit: str) -> bool:
    return under(debit, CONTRIBUTION_ACCOUNTS) and under(credit, EXPENSE_MONEY)
