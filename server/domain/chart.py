"""Provides the chart of accounts (План счетов, приказ Минфина от 31.10.2000 № 94н).

The chart ships as ``data/chart_94n.csv`` (UTF-8, ``;``-separated, header
``code;name;kind;analytics;parent``): the accounts and sub-accounts a small business
uses, as listed in the team reference (``ru-rules-2025-2026.md`` §1).

- ``kind``: ``active`` (balance on the debit side), ``passive`` (credit side) or
  ``active_passive`` (either). It describes the account's nature; a settlement
  sub-account can still end up on the other side (an overpaid supplier), so a ledger
  should not refuse a posting because of it.
- ``analytics``: the dimensions an entry on the account carries, from ``ANALYTICS``.
- ``parent``: the account a sub-account belongs to; empty for a synthetic account.

Provenance. The reference gives the codes, the names and the kinds of the synthetic
accounts it lists, and the codes of the sub-accounts. Everything else is general
knowledge (94н text, textbook classification, 1С:Бухгалтерия 3.0 conventions): the
``analytics`` column throughout, the kinds of all sub-accounts, the Russian wording of
sub-account names the reference describes in English, and the entries in
``GENERAL_KNOWLEDGE`` below, each with what came from where.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.validation import InvalidInput

CHART_FILE = Path(__file__).parent / "data" / "chart_94n.csv"
HEADER = ("code", "name", "kind", "analytics", "parent")
KINDS = frozenset({"active", "passive", "active_passive"})
ANALYTICS = frozenset({"counterparty", "contract", "employee", "item"})
"""counterparty: контрагент (also a founder on 75/80); contract: договор;
employee: сотрудник (also an accountable person on 71); item: номенклатура / ТМЦ."""
SUB_ACCOUNT_NAME_MAX = 200

GENERAL_KNOWLEDGE: dict[str, str] = {
    # Not in the reference at all; required by the brief; 94н names and textbook kinds.
    "04": "account not in the reference (94н)",
    "05": "account not in the reference (94н)",
    "23": "account not in the reference (94н)",
    "25": "account not in the reference (94н)",
    "43": "account not in the reference (94н)",
    "45": "account not in the reference (94н)",
    "55": "account not in the reference (94н)",
    "58": "account not in the reference (94н)",
    "94": "account not in the reference (94н)",
    "96": "account not in the reference (94н)",
    # Reference lists only 19.03 ("on goods bought, etc."); 19-1…19-3 are 94н's own
    # sub-accounts, 19.04 (services) is the 1С addition.
    "19": "full 94н name; the reference abbreviates it to «НДС по приобретенным ценностям»",
    "19.01": "sub-account not in the reference (94н 19-1)",
    "19.02": "sub-account not in the reference (94н 19-2)",
    "19.04": "sub-account not in the reference (1С convention)",
    # The reference says "68.11 (or similar) УСН" and calls the numbering the
    # organisation's choice; 68.12 is the 1С code for УСН (1С's 68.11 was ЕНВД).
    "68.12": "code from 1С; the reference says «68.11 (or similar)»",
    # All taxes are paid through the единый налоговый счёт since 2023; 1С books it on 68.90.
    "68.90": "sub-account not in the reference (1С convention since 2023)",
    # The reference lists 69.11 and, UNCONFIRMED, "69.НС / 69.ЕНП"; the codes below are
    # the 1С ones. 69.01–69.03 carry pre-2023 balances; 69.09 is the 2023 единый тариф.
    "69.01": "sub-account not in the reference (1С convention)",
    "69.02": "sub-account not in the reference (1С convention)",
    "69.03": "sub-account not in the reference (1С convention)",
    "69.09": "sub-account not in the reference (1С convention; reference: UNCONFIRMED)",
    # The reference lists 71 without sub-accounts; 71.01 (roubles) is the 1С one a
    # person's return of an advance is credited to (issue 13 point 3).
    "71.01": "sub-account not in the reference (1С convention)",
    # The reference's "76.АВ / 76.ВА" are written with Cyrillic letters, as in 1С.
    "76.АВ": "name from 1С; the code uses Cyrillic А and В",
    "76.ВА": "name from 1С; the code uses Cyrillic В and А",
    # The reference gives 70 as "П (can be А-П)"; the chart keeps passive.
    "70": "kind: passive chosen of the reference's «П (can be А-П)»",
    # 94н's instructions to account 84 leave its sub-accounts to the organisation; these
    # two are the 1С ones the year-end reformation (99 → 84) posts to (issue 13 point 7).
    "84.01": "sub-account not in the reference (1С convention)",
    "84.02": "sub-account not in the reference (1С convention)",
}


_SUB_ACCOUNT_SUFFIX = re.compile(r"[0-9]{2}")  # ASCII only: \d also matches "１２"
# Latin letters that look like the Cyrillic ones in codes such as 76.АВ.
_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


@dataclass(frozen=True, slots=True)
class Account:
    """One account or sub-account of the chart."""

    code: str
    name: str
    kind: str
    analytics: tuple[str, ...]
    parent: str | None


AUXILIARY = Account("000", "Вспомогательный счёт", "active_passive", (), None)
"""Account 000, off the 94н chart: the other side of opening balances (ввод остатков) of a
business moving from another system, as 1С keeps it. Each opening balance is posted
against it (Дт 51 Кт 000, Дт 000 Кт 60.01 …), so once every balance is in, 000 nets to
zero. Not in the data file (every 94н account has a two-digit code): the organisations'
charts get it from ``server.services.opening.ensure_books_accounts`` and migration 0014."""


def _row_problem(
    code: str, name: str, kind: str, analytics: tuple[str, ...], parent: str, seen: set[str]
) -> str | None:
    if not code or not name:
        return "empty code or name"
    if code in seen:
        return f"duplicate code {code}"
    if kind not in KINDS:
        return f"unknown kind {kind!r}"
    if not set(analytics) <= ANALYTICS:
        return f"unknown analytics {analytics!r}"
    if parent and parent not in seen:
        return f"parent {parent} is not listed above {code}"
    if parent and not code.startswith(parent + "."):
        return f"{code} is not a sub-account of {parent}"
    return None


def _parse(text: str) -> tuple[Account, ...]:
    """Read the chart file's text; a malformed file raises ``ValueError`` naming the row."""
    rows = csv.reader(io.StringIO(text), delimiter=";")
    header = next(rows, None)
    if tuple(header or ()) != HEADER:
        raise ValueError(f"chart header must be {';'.join(HEADER)}, got {header!r}")
    accounts: list[Account] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) != len(HEADER):
            raise ValueError(f"chart line {line}: expected {len(HEADER)} fields, got {row!r}")
        code, name, kind, analytics_text, parent = (field.strip() for field in row)
        analytics = tuple(a for a in analytics_text.split(",") if a)
        problem = _row_problem(code, name, kind, analytics, parent, seen)
        if problem:
            raise ValueError(f"chart line {line}: {problem}")
        seen.add(code)
        accounts.append(Account(code, name, kind, analytics, parent or None))
    return tuple(accounts)


@lru_cache(maxsize=1)
def load_chart() -> tuple[Account, ...]:
    """Return the built-in chart in file order (synthetic accounts before their subs)."""
    return _parse(CHART_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Account]:
    return {account.code: account for account in load_chart()}


def normalize_code(code: str) -> str:
    """Strip spaces and read Latin lookalikes as Cyrillic: ``"76.ab "`` → ``"76.АВ"``."""
    return code.strip().upper().translate(_LOOKALIKES)


def find(code: str) -> Account | None:
    """Return the built-in account with this code, or ``None``."""
    return _by_code().get(normalize_code(code))


def validate_sub_account(
    parent_code: str, code: str, name: str, *, taken: Iterable[str] = ()
) -> Account:
    """Check a sub-account a user adds; return it, inheriting the parent's kind and analytics.

    Rules: the parent is an account of the built-in chart; the code is the parent's
    code, a dot and two ASCII digits other than ``00`` (``60.05``); the code is neither
    in the built-in chart nor in ``taken`` (the organisation's own sub-accounts); the
    name is not blank, at most ``SUB_ACCOUNT_NAME_MAX`` characters and has no control
    characters. A broken rule raises ``InvalidInput("validation.sub_account")`` with a
    ``reason`` parameter: ``parent``, ``code``, ``taken`` or ``name``.
    """
    parent = find(parent_code)
    if parent is None:
        raise InvalidInput("validation.sub_account", reason="parent")
    normalized = normalize_code(code)
    prefix = parent.code + "."
    suffix = normalized[len(prefix):]
    if (
        not normalized.startswith(prefix)
        or not _SUB_ACCOUNT_SUFFIX.fullmatch(suffix)
        or suffix == "00"
    ):
        raise InvalidInput("validation.sub_account", reason="code")
    if normalized in _by_code() or normalized in {normalize_code(c) for c in taken}:
        raise InvalidInput("validation.sub_account", reason="taken")
    clean_name = " ".join(name.split())
    if (
        not clean_name
        or len(clean_name) > SUB_ACCOUNT_NAME_MAX
        or any(unicodedata.category(ch) == "Cc" for ch in clean_name)
    ):
        raise InvalidInput("validation.sub_account", reason="name")
    return Account(normalized, clean_name, parent.kind, parent.analytics, parent.code)
