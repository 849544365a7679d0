"""Provides the pure rules of the checks on the books the dashboard («Сводка») runs, and the
settlement figures it shows. No I/O: kopecks (int), dates and ids in, findings out; the
queries are ``server.services.dashboard``'s.

The checks, each with a stable code (``CODES``, in the order the dashboard lists them):
- ``cash.negative`` — the balance of 50 or 51 (each account as posted) went below zero on
  some day: ``first_negative_day``;
- ``settlements.debt_and_advance`` — a counterparty with a debit and a credit balance on
  sub-accounts of the same settlement account (62.01 debt and 62.02 advance; 60.01 and
  60.02): the advance was not set off (``debt_and_advance``);
- ``documents.draft`` — a document left in draft (a warning once older than
  ``DRAFT_STALE_DAYS``);
- ``bank.unposted_lines`` — a statement line not posted;
- ``payroll.unpaid`` — a payroll approved and its final pay day passed, not paid;
- ``ndfl.no_enp_order`` — НДФЛ withheld (a part of a payroll paid) with no exported ЕНП
  order for the deadline of its period;
- ``invoices.overdue`` — a счёт unpaid past its due date: ``unpaid_invoices`` (a счёт has
  no due date of its own: ``INVOICE_TERM_DAYS`` after its date);
- ``periods.not_closed`` — a month before the current one with entries, not closed
  (``months_not_closed``);
- ``ens.short`` — the balance of the единый налоговый счёт (68.90, debit) below the next
  ЕНП payment (``ens_shortfall``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

CODES = ("cash.negative", "ens.short", "ndfl.no_enp_order", "payroll.unpaid",
         "invoices.overdue", "settlements.debt_and_advance", "periods.not_closed",
         "bank.unposted_lines", "documents.draft")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
DRAFT_STALE_DAYS = 5
"""A draft older than this many days is a warning; a younger one is information."""
INVOICE_TERM_DAYS = 10
"""A счёт carries no due date: it is due this many days after its date (a common term of
payment in Russian contracts; the contract's own term is free text the books cannot read)."""
SETTLEMENT_ACCOUNTS = ("60", "62", "76")
NOT_SETTLEMENTS = ("76.АВ", "76.ВА")
"""VAT on advances: carries the counterparty, but is a tax figure, not a debt."""
TOP = 3


@dataclass(frozen=True)
class Finding:
    """A failed check: its code, severity, how many items fail, the first of them."""

    code: str
    severity: str
    count: int
    link_kind: str | None = None
    link_id: str | None = None
    period: str | None = None
    day: date | None = None
    params: tuple[tuple[str, object], ...] = ()


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """The worst first, then in the order of ``CODES``."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], CODES.index(f.code)))


def synthetic(code: str) -> str:
    """``62.01`` → ``62``."""
    return code.split(".", 1)[0]


# --- balances by day ------------------------------------------------------------------


def first_negative_day(opening: int, movements: Iterable[tuple[date, int]]
                       ) -> tuple[date, int] | None:
    """The first day the balance closes below zero, with that balance.

    ``movements``: (day, debit − credit of the day), in any order, a day at most once or
    several times (summed). Example: opening 1 000,00; 03.03 −1 500,00; 04.03 +2 000,00
    → (03.03, −500,00): the day closes negative although the month does not.
    """
    by_day: dict[date, int] = defaultdict(int)
    for day, delta in movements:
        by_day[day] += delta
    balance = opening
    for day in sorted(by_day):
        balance += by_day[day]
        if balance < 0:
            return day, balance
    return None


# --- settlements ----------------------------------------------------------------------


def is_settlement(code: str) -> bool:
    return synthetic(code) in SETTLEMENT_ACCOUNTS and code not in NOT_SETTLEMENTS


@dataclass(frozen=True)
class Party:
    counterparty_id: str | None
    owes_us: int
    """Debit balances of its settlement accounts (each synthetic account netted)."""
    we_owe: int
    """Credit balances, positive."""


def parties(balances: dict[tuple[str, str | None], int]) -> list[Party]:
    """Each counterparty's receivable and payable from (account, counterparty) → closing
    balance (debit positive). A counterparty's sub-accounts of one synthetic account are
    netted (an advance on 62.02 against a debt on 62.01 is one figure), the synthetic
    accounts are not (a customer's 62 debt and the same firm's 60 credit are both shown).

    Example: «Ромашка» 62.01 +50 000, 62.02 −20 000, 60.01 −7 000 → owes us 30 000, we owe
    7 000.
    """
    nets: dict[tuple[str | None, str], int] = defaultdict(int)
    for (code, cp), amount in balances.items():
        if is_settlement(code):
            nets[(cp, synthetic(code))] += amount
    figures: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for (cp, _account), amount in nets.items():
        if amount > 0:
            figures[cp][0] += amount
        elif amount < 0:
            figures[cp][1] -= amount
    return [Party(cp, f[0], f[1]) for cp, f in figures.items() if f[0] or f[1]]


def top(found: list[Party], *, debtors: bool, n: int = TOP) -> list[Party]:
    """The ``n`` largest debtors (or creditors) with a counterparty, largest first."""
    key = (lambda p: p.owes_us) if debtors else (lambda p: p.we_owe)
    named = [p for p in found if p.counterparty_id is not None and key(p) > 0]
    return sorted(named, key=lambda p: (-key(p), p.counterparty_id or ""))[:n]


def debt_and_advance(balances: dict[tuple[str, str | None], int],
                     accounts: tuple[str, ...] = ("60", "62")) -> list[tuple[str, str]]:
    """(counterparty, synthetic account) pairs with a debit balance on one sub-account and
    a credit balance on another of the same account: 62.01 +10 000 and 62.02 −3 000 for
    one customer is a debt and an advance not set off; on 62.01 alone it cannot happen."""
    sides: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (code, cp), amount in balances.items():
        if cp is None or synthetic(code) not in accounts or amount == 0:
            continue
        sides[(cp, synthetic(code))].add(1 if amount > 0 else -1)
    return sorted(key for key, signs in sides.items() if len(signs) == 2)


# --- invoices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Invoice:
    id: str
    counterparty_id: str
    day: date
    total: int


def unpaid_invoices(invoices: Iterable[Invoice], payments: Iterable[tuple[str, date, int]],
                    today: date, term_days: int = INVOICE_TERM_DAYS) -> list[tuple[Invoice, int]]:
    """The счета past their due date (``day + term_days`` before ``today``) with what is
    still unpaid on each, oldest first.

    ``payments``: (counterparty, day, kopecks) of money received from the customer (Кт 62
    against 50/51). A customer's payments go to its счета oldest first (FIFO), a payment
    only to a счёт dated on or before it. Example: счета of 10 000 (01.03) and 5 000
    (05.03), payments 12 000 (10.03): the first is paid, the second has 3 000 unpaid; on
    20.03 (term 10 days: due 15.03) it is overdue with 3 000.
    """
    by_cp: dict[str, list[Invoice]] = defaultdict(list)
    for inv in invoices:
        by_cp[inv.counterparty_id].append(inv)
    paid_in: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for cp, day, amount in payments:
        if cp in by_cp and amount > 0:
            paid_in[cp].append((day, amount))
    out: list[tuple[Invoice, int]] = []
    for cp, items in by_cp.items():
        items.sort(key=lambda i: (i.day, i.id))
        left = [inv.total for inv in items]
        for day, amount in sorted(paid_in[cp]):
            for i, inv in enumerate(items):
                if amount <= 0:
                    break
                if inv.day > day or left[i] <= 0:
                    continue
                used = min(left[i], amount)
                left[i] -= used
                amount -= used
        for inv, rest in zip(items, left, strict=True):
            if rest > 0 and inv.day + timedelta(days=term_days) < today:
                out.append((inv, rest))
    return sorted(out, key=lambda x: (x[0].day, x[0].id))


# --- periods and the ЕНС ----------------------------------------------------------------


def months_not_closed(months: Iterable[date], closed: Iterable[date], today: date) -> list[date]:
    """The months (first days) with entries before today's month that are not closed,
    oldest first. Example: entries in January–March, January closed, today 10.03 →
    [February]."""
    current = today.replace(day=1)
    shut = set(closed)
    return sorted({m for m in months if m < current and m not in shut})


def ens_shortfall(balance: int, due: int) -> int:
    """How much the ЕНС (68.90's debit balance, ``balance``) lacks to cover a payment of
    ``due``: 0 when it covers it. Example: 68.90 +15 000, the next ЕНП 40 000 → 25 000."""
    return max(0, due - max(balance, 0))
