"""Provides the rules of how a balance is shown: expanded (развёрнутое сальдо) in the trial
balance, and rounded to thousands of roubles in the statements.

Pure: kopecks (int), no I/O.

Expanded balances (issue 13 point 10). An active-passive settlement account is owed by
some counterparties and owes others at once; netting those hides both the receivable and
the payable. As 1С's ОСВ does, the balance of such an account (and of each of its
sub-accounts) is shown expanded: its debit side is the sum of the debit balances of its
finest parts, its credit side the sum of the credit balances, both printed. The finest
part is (posted code, counterparty) when the account is kept by counterparty (60, 62, 71,
76: 94н instructions to those accounts ask for the analytics by counterparty, by
employee for 71), the posted code otherwise (68, 69: each tax or contribution is its own
sub-account). Example: 62.01 buyer A debit 50 000, buyer B credit 5 000, 62.02 buyer B
credit 12 000 → row 62: Дт 50 000, Кт 17 000 (not a net 33 000 Дт); row 62.01: Дт 50 000,
Кт 5 000; row 62.02: Кт 12 000.

Expanding adds the same amount to both sides of a row (the hidden part), so the totals of
the ОСВ stay equal pairwise.

Thousands (тыс. руб.). The statements' paper forms are filled in thousands of roubles
(приказ Минфина № 66н, the forms' heading «в тыс. рублей»). Each line is rounded on its own
(half up, arithmetic rounding; UNCONFIRMED: no standard names the rounding method, half up
is the general practice), and a total line is the sum of the rounded lines it adds up,
so the printed form adds up as the ФНС's control ratios check it (1600 = 1150 + … + 1230).
The price: 1600 and 1700 may then differ by a thousand or two of rounding; the accountant
moves it by hand onto the largest line, as the practice is — Buhta does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

EXPANDED_ACCOUNTS = ("60", "62", "68", "69", "71", "76")
"""Active-passive settlement accounts whose balance the ОСВ shows expanded."""

EXPANDED_ANALYTICS = ("counterparty", "employee")
"""An account with one of these analytics is expanded by the posting's counterparty."""

KOPECKS_PER_THOUSAND = 100_000


def is_expanded(code: str) -> bool:
    """``code`` is one of ``EXPANDED_ACCOUNTS`` or under one (62.01, 68.02)."""
    return any(code == p or code.startswith(p + ".") for p in EXPANDED_ACCOUNTS)


def sides(parts: Iterable[int]) -> tuple[int, int]:
    """(debit side, credit side) of the expanded balance of signed parts (debit positive):
    the sum of the debit parts and the sum of the credit parts (positive)."""
    debit = credit = 0
    for amount in parts:
        if amount > 0:
            debit += amount
        else:
            credit -= amount
    return debit, credit


def thousands(kopecks: int) -> int:
    """Kopecks to whole thousands of roubles, half up, symmetric: 1 234 567,89 ₽ → 1 235;
    1 499,99 ₽ → 1; 1 500,00 ₽ → 2; −1 500,00 ₽ → −2."""
    sign = -1 if kopecks < 0 else 1
    return sign * ((abs(kopecks) + KOPECKS_PER_THOUSAND // 2) // KOPECKS_PER_THOUSAND)


def rounded(lines: Mapping[str, int], totals: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """Line code → thousands: each line rounded on its own, each total (``totals``: total
    code → {line code: +1 or −1}) the signed sum of its rounded lines; a total
    ``lines`` lacks is skipped."""
    out = {code: thousands(v) for code, v in lines.items() if code not in totals}
    for code, terms in totals.items():
        if code in lines:
            out[code] = sum(sign * out[line] for line, sign in terms.items())
    return out
