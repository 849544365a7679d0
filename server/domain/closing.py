"""Provides the month-end closing (закрытие месяца): the entries that close a month's books.

Pure: balances in, planned entries out, whole kopecks (int), no I/O. The service
(``server.services.closing``) reads the balances at the month's end and posts the plan.

The rules, in the order they run (each step sees the balances the earlier ones left):

1. ``costs`` — expenses of the ordinary activities (ПБУ 10/99 п. 5, 7) written off to
   sales, by the accounting policy (ПБУ 1/2008; ПБУ 10/99 п. 9 lets management expenses be
   recognised in full in the period as the cost of sales):
   - ``sales`` (the default): 26 → 90.08 (Дт 90.08 Кт 26);
   - ``production``: 26 → 20 (Дт 20 Кт 26), then the month's 20 → 90.02. No work in
     progress is estimated: the whole balance of 20 is written off (UNCONFIRMED for a
     business with unfinished production, which must value its WIP: 94н instructions to
     account 20);
   - either way 20 → 90.02 (Дт 90.02 Кт 20) and 44 → 90.07 (Дт 90.07 Кт 44) in full (94н
     instructions to account 44; a trading business that keeps the transport costs on the
     goods left in stock on 44 would post that part by hand — UNCONFIRMED simplification).
   Each posted code is closed on its own (a sub-account 26.01 is written off from 26.01).
2. ``sales_result`` — the month's financial result of sales. 94н instructions to account
   90: the sub-accounts 90.01…90.08 are kept cumulatively through the year; each month
   the result is found by comparing them and is written off from 90.09 to 99 (profit:
   Дт 90.09 Кт 99; loss: Дт 99 Кт 90.09), so the synthetic account 90 has no balance at a
   month's end. Here: the result is what 90 (all its sub-accounts) holds after step 1 —
   a credit balance is a profit. A month left unclosed before carries into this one.
3. ``other_result`` — the same for 91 (94н instructions to account 91; ПБУ 9/99 п. 7 and
   ПБУ 10/99 п. 11 other income and expenses): Дт 91.09 Кт 99 when income exceeds
   expenses, Дт 99 Кт 91.09 otherwise.
4. ``tax`` — a tax the caller computed (the УСН at a quarter's end, НК ст. 346.21):
   Дт 99 Кт 68.12. The profit tax (ПБУ 18/02) is not computed by Buhta: the caller says
   so in the preview instead.
5. December only, the reformation of the balance sheet (94н instructions to accounts 90,
   91 and 99): ``reform_sales`` closes every 90 sub-account into 90.09 (Дт 90.01 Кт 90.09,
   Дт 90.09 Кт 90.02 …), ``reform_other`` every 91 sub-account into 91.09, so neither has
   a balance; ``reform_profit`` writes the year's net result off 99 to 84: a profit
   Дт 99 Кт 84.01, a loss Дт 84.02 Кт 99 (84.01 / 84.02 are the 1С sub-accounts).

Worked example (in roubles; the test ``tests/server/test_month_closing.py`` builds it):
sales 120 000 incl. VAT 20 % (Дт 62.01 Кт 90.01 120 000, Дт 90.03 Кт 68.02 20 000),
expenses Дт 26 30 000, Дт 44 5 000, bank fees Дт 91.02 1 000. Step 1: Дт 90.08 Кт 26
30 000, Дт 90.07 Кт 44 5 000. Step 2: 90 holds −120 000 + 20 000 + 30 000 + 5 000 =
−65 000 (credit): profit 65 000, Дт 90.09 Кт 99 65 000. Step 3: 91 holds +1 000 (debit):
Дт 99 Кт 91.09 1 000. 99 is left with a credit of 65 000 − 1 000 = 64 000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

STEPS = ("costs", "sales_result", "other_result", "tax",
         "reform_sales", "reform_other", "reform_profit")

COST_ACCOUNTS = ("20", "26", "44")
"""The accounts the closing reads besides 90, 91 and 99."""
READ_ACCOUNTS = ("20", "26", "44", "90", "91", "99")

SALES, SALES_RESULT = "90", "90.09"
OTHER, OTHER_RESULT = "91", "91.09"
PROFIT_AND_LOSS = "99"
RETAINED_PROFIT, UNCOVERED_LOSS = "84.01", "84.02"
USN_TAX = "68.12"

DESCRIPTIONS = {
    "costs": "Закрытие месяца {period}: списание затрат",
    "sales_result": "Закрытие месяца {period}: финансовый результат от продаж",
    "other_result": "Закрытие месяца {period}: сальдо прочих доходов и расходов",
    "tax": "Закрытие месяца {period}: налог при УСН за {tax_period}",
    "reform_sales": "Реформация баланса {year}: закрытие субсчетов счёта 90",
    "reform_other": "Реформация баланса {year}: закрытие субсчетов счёта 91",
    "reform_profit": "Реформация баланса {year}: списание результата года на счёт 84",
}
"""The entries' descriptions: data of the books, in Russian like every entry's."""


@dataclass(frozen=True)
class PlannedPosting:
    debit: str
    credit: str
    kopecks: int
    """Always positive."""


@dataclass
class PlannedEntry:
    step: str
    postings: list[PlannedPosting] = field(default_factory=list)


@dataclass
class Plan:
    entries: list[PlannedEntry]
    sales_result: int
    """Profit positive."""
    other_result: int
    """Income positive."""
    tax: int
    balances: dict[str, int]
    """The balances the plan leaves (debit positive), by code: what the tests check."""

    @property
    def net_result(self) -> int:
        return self.sales_result + self.other_result - self.tax


def under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


class _Books:
    """Signed balances (debit positive) the plan moves as it goes."""

    def __init__(self, balances: Mapping[str, int]) -> None:
        self.b: dict[str, int] = defaultdict(int, balances)

    def total(self, prefix: str) -> int:
        return sum(v for c, v in self.b.items() if under(c, prefix))

    def codes(self, prefix: str) -> list[str]:
        return sorted(c for c, v in self.b.items() if v and under(c, prefix))

    def move(self, entry: PlannedEntry, debit: str, credit: str, kopecks: int) -> None:
        """Post ``kopecks`` Дт ``debit`` Кт ``credit``; a negative amount the other way
        round, so that every planned posting is positive."""
        if kopecks == 0:
            return
        if kopecks < 0:
            debit, credit, kopecks = credit, debit, -kopecks
        entry.postings.append(PlannedPosting(debit, credit, kopecks))
        self.b[debit] += kopecks
        self.b[credit] -= kopecks

    def write_off(self, entry: PlannedEntry, source: str, target: str) -> None:
        """Everything ``source`` and its sub-accounts hold moves to ``target``."""
        for code in self.codes(source):
            self.move(entry, target, code, self.b[code])


def plan(balances: Mapping[str, int], *, cost_mode: str = "sales", year_end: bool = False,
         tax: int = 0) -> Plan:
    """The closing entries of a month whose books end with ``balances``.

    ``balances``: the signed balance (debit positive, kopecks) at the month's end of each
    posted code under ``READ_ACCOUNTS``; ``cost_mode``: ``sales`` or ``production``;
    ``year_end``: December (the reformation runs); ``tax``: kopecks of УСН to book.
    Entries without postings are left out.
    """
    if cost_mode not in ("sales", "production"):
        raise ValueError(f"unknown cost mode {cost_mode!r}")
    books = _Books(balances)
    costs = PlannedEntry("costs")
    if cost_mode == "production":
        books.write_off(costs, "26", "20")
    else:
        books.write_off(costs, "26", "90.08")
    books.write_off(costs, "20", "90.02")
    books.write_off(costs, "44", "90.07")

    sales = PlannedEntry("sales_result")
    sales_result = -books.total(SALES)
    books.move(sales, SALES_RESULT, PROFIT_AND_LOSS, sales_result)

    other = PlannedEntry("other_result")
    other_result = -books.total(OTHER)
    books.move(other, OTHER_RESULT, PROFIT_AND_LOSS, other_result)

    taxed = PlannedEntry("tax")
    books.move(taxed, PROFIT_AND_LOSS, USN_TAX, tax)

    entries = [costs, sales, other, taxed]
    if year_end:
        reform_sales = PlannedEntry("reform_sales")
        for code in books.codes(SALES):
            if code != SALES_RESULT:
                books.move(reform_sales, SALES_RESULT, code, books.b[code])
        reform_other = PlannedEntry("reform_other")
        for code in books.codes(OTHER):
            if code != OTHER_RESULT:
                books.move(reform_other, OTHER_RESULT, code, books.b[code])
        reform_profit = PlannedEntry("reform_profit")
        year = books.total(PROFIT_AND_LOSS)
        if year < 0:  # a credit balance: the year's net profit
            books.move(reform_profit, PROFIT_AND_LOSS, RETAINED_PROFIT, -year)
        elif year > 0:
            books.move(reform_profit, UNCOVERED_LOSS, PROFIT_AND_LOSS, year)
        entries += [reform_sales, reform_other, reform_profit]
    return Plan(entries=[e for e in entries if e.postings], sales_result=sales_result,
                other_result=other_result, tax=tax,
                balances={c: v for c, v in books.b.items() if v})
