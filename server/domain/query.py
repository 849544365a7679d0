"""Provides the journal query language: a line such as
``acct:51 date:2025-Q1 amt:>10000 desc:аренда cp:7707083893`` read into a typed filter.

Terms are separated by spaces; a value with spaces is quoted (``desc:"аренда офиса"``).

- ``acct:CODE`` (``счёт:``/``счет:``) — a posting on the account, debit or credit side,
  or on one of its sub-accounts: ``acct:60`` matches 60, 60.01, 60.02; ``acct:60.01``
  matches 60.01 and anything below it (never 60.02, never 600).
- ``date:`` (``дата:``) — the entry's date: ``2025``, ``2025-Q1``…``2025-Q4`` (also
  ``2025-К1``), ``2025-03`` (also ``03.2025``), ``2025-03-05`` (also ``05.03.2025``), or a
  range ``A..B``, ``A..``, ``..B``. A range includes the whole period written at its end:
  ``2025-01..2025-03`` runs from 1 January to 31 March.
- ``amt:`` (``сумма:``) — a posting's amount with ``>``, ``>=``, ``<``, ``<=``, ``=`` or no
  operator (``=``); the amount as people type it (``10000``, ``1 234,56``, ``1234.56``).
  As in hledger, an amount written without a sign is compared with the posting's
  absolute amount (a reversal's −5 000 is «5 000»); one written with a sign (``+100``,
  ``-100``) or zero is compared with the signed amount (``amt:<0`` finds reversals).
- ``desc:`` (``текст:``) — a case-insensitive fragment of the entry's description
  (ё read as е); a bare word without a prefix is the same.
- ``cp:`` (``контрагент:``) — a posting's counterparty: 10 or 12 digits are an exact
  ИНН, anything else a case-insensitive fragment of the name.
- ``not:`` (``не:``) before a term negates it: ``not:acct:51``.

How terms combine (hledger's rules): different fields are AND-ed; the same field
repeated is OR-ed (``acct:50 acct:51`` — cash or bank). The posting fields (acct, amt,
cp) must all hold on one and the same posting: ``acct:51 amt:>10000`` is an entry with
a posting on 51 of more than 10 000, not one with a small bank line and a large other
line. A negated posting term excludes an entry with any posting that matches it
(``not:acct:51`` — entries that do not touch 51 at all).

Errors raise ``QueryError`` (an ``InvalidInput``) carrying a catalogue key for the
reason and the offending ``term`` as typed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from core.money import parse_amount, to_kopecks
from core.validation import InvalidInput

Field = Literal["acct", "date", "amt", "desc", "cp"]
POSTING_FIELDS: frozenset[str] = frozenset({"acct", "amt", "cp"})
"""Fields tested on a single posting (together); the others are tested on the entry."""

FIELD_ALIASES: dict[str, Field] = {
    "acct": "acct", "счёт": "acct", "счет": "acct",
    "date": "date", "дата": "date",
    "amt": "amt", "сумма": "amt",
    "desc": "desc", "текст": "desc",
    "cp": "cp", "контрагент": "cp",
}
NEGATIONS = ("not", "не")
MAX_TERMS = 30

_QUOTES = {'"': '"', "'": "'", "«": "»"}
# Thousands separators inside an amount (``1 234,56`` typed with a no-break space) are
# not term separators; a plain space is.
_NOT_SEPARATORS = "\u00a0\u202f\u2009"
_ACCOUNT_RE = re.compile(r"^[0-9A-ZА-ЯЁ]+(?:\.[0-9A-ZА-ЯЁ]+)*$")
_AMOUNT_OPS = (">=", "<=", ">", "<", "=")
_YEAR_RE = re.compile(r"^(\d{4})$")
_QUARTER_RE = re.compile(r"^(\d{4})-?[QqКк]([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_RU_RE = re.compile(r"^(\d{1,2})\.(\d{4})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_RU_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class QueryError(InvalidInput):
    """A query that cannot be read: ``key`` names the reason, ``term`` is the term."""

    def __init__(self, key: str, term: str) -> None:
        super().__init__(key, term=term)
        self.term = term


def fold(text: str) -> str:
    """The searchable form of a text: case-folded in Python (SQLite's lower() folds ASCII
    only), ё read as е. The same rule as the counterparties' ``name_folded``."""
    return text.casefold().replace("ё", "е")


@dataclass(frozen=True)
class DateRange:
    start: date | None
    """First day, inclusive; None for an open start."""
    end: date | None
    """Last day, inclusive; None for an open end."""


@dataclass(frozen=True)
class AmountCond:
    op: Literal[">", ">=", "<", "<=", "="]
    kopecks: int
    signed: bool
    """Compare with the signed amount (a sign was written, or zero); else the absolute."""


@dataclass(frozen=True)
class CounterpartyCond:
    inn: str | None = None
    """An exact ИНН (10 or 12 digits)."""
    name: str | None = None
    """A folded fragment of the name."""


TermValue = str | DateRange | AmountCond | CounterpartyCond


@dataclass(frozen=True)
class Term:
    field: Field
    value: TermValue
    """acct: the account code; desc: the folded fragment; date/amt/cp: the typed conds."""
    negated: bool = False
    raw: str = ""
    """The term as typed, for messages."""


@dataclass(frozen=True)
class QuerySpec:
    terms: tuple[Term, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.terms)

    def any_of(self, name: Field) -> list[TermValue]:
        """The positive values of one field (OR-ed together)."""
        return [t.value for t in self.terms if t.field == name and not t.negated]

    @property
    def negated(self) -> list[Term]:
        """Each of these excludes the entries it matches."""
        return [t for t in self.terms if t.negated]


# --- tokens -----------------------------------------------------------------------


def _is_separator(ch: str) -> bool:
    return ch.isspace() and ch not in _NOT_SEPARATORS


Token = tuple[str, int | None, str]


def tokenize(text: str) -> list[Token]:
    """Split on spaces, keeping quoted parts together (the quotes dropped); each token
    comes with where its first quoted part starts (None when nothing was quoted: a colon
    inside quotes is text, never a prefix) and as it was typed.

    ``desc:"аренда: офис" 51`` →
    ``[('desc:аренда: офис', 5, 'desc:"аренда: офис"'), ('51', None, '51')]``.
    """
    tokens: list[Token] = []
    buf: list[str] = []
    length = 0
    quote_at: int | None = None
    raw_start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if _is_separator(ch):
            if buf or quote_at is not None:
                tokens.append(("".join(buf), quote_at, text[raw_start:i]))
            buf, length, quote_at = [], 0, None
            i += 1
            raw_start = i
            continue
        if ch in _QUOTES:
            close = text.find(_QUOTES[ch], i + 1)
            if close < 0:  # the rest of the line is the broken term
                raise QueryError("query.reason.quote", text[raw_start:].rstrip())
            if quote_at is None:
                quote_at = length
            part = text[i + 1:close]
            buf.append(part)
            length += len(part)
            i = close + 1
            continue
        buf.append(ch)
        length += 1
        i += 1
    if buf or quote_at is not None:
        tokens.append(("".join(buf), quote_at, text[raw_start:]))
    return tokens


# --- values -----------------------------------------------------------------------


def _day(year: int, month: int, day: int, term: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise QueryError("query.reason.date", term) from None


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def parse_period(text: str, term: str) -> tuple[date, date]:
    """One written period as its first and last day.

    ``2025`` → 2025-01-01..2025-12-31; ``2025-Q2`` → 2025-04-01..2025-06-30;
    ``2024-02`` → 2024-02-01..2024-02-29 (a leap year); ``05.03.2025`` → that day.
    """
    text = text.strip()
    if m := _YEAR_RE.match(text):
        year = int(m[1])
        return _day(year, 1, 1, term), _day(year, 12, 31, term)
    if m := _QUARTER_RE.match(text):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * quarter - 2
        last = first + 2
        return _day(year, first, 1, term), _day(year, last, _month_end(year, last), term)
    if (m := _MONTH_RE.match(text)) or (m := _MONTH_RU_RE.match(text)):
        year, month = (int(m[1]), int(m[2])) if "-" in text else (int(m[2]), int(m[1]))
        if not (1 <= month <= 12 and year >= 1):
            raise QueryError("query.reason.date", term)
        return _day(year, month, 1, term), _day(year, month, _month_end(year, month), term)
    if m := _DAY_RE.match(text):
        day = _day(int(m[1]), int(m[2]), int(m[3]), term)
        return day, day
    if m := _DAY_RU_RE.match(text):
        day = _day(int(m[3]), int(m[2]), int(m[1]), term)
        return day, day
    raise QueryError("query.reason.date", term)


def parse_date(value: str, term: str) -> DateRange:
    """A period or a range of periods; a range's end includes the whole period written."""
    if ".." in value:
        left, _, right = value.partition("..")
        if not left.strip() and not right.strip():
            raise QueryError("query.reason.date", term)
        start = parse_period(left, term)[0] if left.strip() else None
        end = parse_period(right, term)[1] if right.strip() else None
        if start and end and start > end:
            raise QueryError("query.reason.date_order", term)
        return DateRange(start, end)
    start, end = parse_period(value, term)
    return DateRange(start, end)


def parse_amount_cond(value: str, term: str) -> AmountCond:
    """``>10000`` → (>, 1 000 000 коп., absolute); ``1 234,56`` → (=, 123 456, absolute);
    ``<-100`` → (<, −10 000, signed)."""
    text = value.strip()
    op = "="
    for candidate in _AMOUNT_OPS:
        if text.startswith(candidate):
            op, text = candidate, text[len(candidate):].strip()
            break
    signed = text[:1] in ("+", "-", "\u2212")
    if text.startswith("+"):
        text = text[1:]
    try:
        kopecks = to_kopecks(parse_amount(text))
    except (InvalidInput, ValueError):
        raise QueryError("query.reason.amount", term) from None
    return AmountCond(op, kopecks, signed or kopecks == 0)  # type: ignore[arg-type]


def parse_account(value: str, term: str) -> str:
    code = value.strip().upper()
    if not _ACCOUNT_RE.match(code) or len(code) > 20:
        raise QueryError("query.reason.account", term)
    return code


def parse_counterparty(value: str, term: str) -> CounterpartyCond:
    text = value.strip()
    digits = "".join(text.split())
    if digits.isascii() and digits.isdigit() and len(digits) in (10, 12):
        return CounterpartyCond(inn=digits)
    if not text:
        raise QueryError("query.reason.empty", term)
    return CounterpartyCond(name=fold(text))


# --- the query --------------------------------------------------------------------


def _prefix(text: str, quote_at: int | None) -> tuple[str, str] | None:
    """``("acct", "51")`` for ``acct:51``; None when there is no colon before the quotes."""
    colon = text.find(":")
    if colon < 0 or (quote_at is not None and colon >= quote_at):
        return None
    return text[:colon], text[colon + 1:]


def _term(token: str, quote_at: int | None, raw: str) -> Term:
    rest = token
    negated = False
    split = _prefix(rest, quote_at)
    if split and split[0].strip().casefold() in NEGATIONS:
        negated, rest = True, split[1]
        quote_at = None if quote_at is None else quote_at - (len(token) - len(rest))
        split = _prefix(rest, quote_at)
    name: Field = "desc"
    value = rest
    if split:
        alias = FIELD_ALIASES.get(split[0].strip().casefold())
        if alias is None:
            raise QueryError("query.reason.field", raw)
        name, value = alias, split[1]
    if not value.strip():
        raise QueryError("query.reason.empty", raw)
    parsed: TermValue
    if name == "acct":
        parsed = parse_account(value, raw)
    elif name == "date":
        parsed = parse_date(value, raw)
    elif name == "amt":
        parsed = parse_amount_cond(value, raw)
    elif name == "cp":
        parsed = parse_counterparty(value, raw)
    else:
        parsed = fold(value.strip())
    return Term(name, parsed, negated, raw)


def parse_query(text: str | None) -> QuerySpec:
    """Read a query line; an empty line is an empty spec (everything matches).

    Raises:
        QueryError: ``query.reason.*`` with the offending term: an unknown prefix, a date,
            an amount or an account code that cannot be read, an empty value, an unclosed
            quote, too many terms.
    """
    tokens = tokenize(text or "")
    if len(tokens) > MAX_TERMS:
        raise QueryError("query.reason.too_many", tokens[MAX_TERMS][2])
    return QuerySpec(tuple(_term(*token) for token in tokens))


def matches_amount(cond: AmountCond, kopecks: int) -> bool:
    """The amount rule in Python (the service applies the same one in SQL)."""
    value = kopecks if cond.signed else abs(kopecks)
    return {
        ">": value > cond.kopecks, ">=": value >= cond.kopecks, "<": value < cond.kopecks,
        "<=": value <= cond.kopecks, "=": value == cond.kopecks,
    }[cond.op]


def matches_account(query_code: str, code: str) -> bool:
    """``60`` matches 60 and 60.xx; ``60.01`` matches 60.01 and 60.01.xx."""
    return code == query_code or code.startswith(query_code + ".")

