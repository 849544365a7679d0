"""Provides money conversions: kopecks, typed amounts, display and «сумма прописью».

DESIGN "Data rules": money is ``Decimal`` in Python, a decimal string on the wire and
integer kopecks (``BIGINT``) in the database. Nothing here rounds: an amount that does
not fit in whole kopecks is refused, so a rounding decision is always made (and named)
by the caller, never hidden in a conversion.

Every conversion below works on the digits of a ``Decimal`` (``as_tuple``) or on ``int``
arithmetic, so no ``decimal`` context precision or rounding mode is involved.
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.validation import InvalidInput

BIGINT_MAX = 2**63 - 1
"""The largest kopeck amount a ``BIGINT`` column holds (9 223 372 036 854 775 807)."""
BIGINT_MIN = -(2**63)

MONEY_MAX = Decimal("999999999999.99")
"""The largest amount any money field of the wire contract takes: 999 999 999 999,99 ₽
(what «сумма прописью» can write). One amount is 10^14 − 1 kopecks; a BIGINT holds 92 233
of them, so no single entry, document or bank import (at most 10 000 lines) can overflow
an aggregate by itself. The running totals are bounded at posting time (``TURNOVER_MAX``)."""
MONEY_MAX_KOPECKS = 99_999_999_999_999

TURNOVER_MAX = BIGINT_MAX // 4
"""The most an account's turnover on one side (the sum of its monthly aggregates, in
absolute kopecks) may reach: 2 305 843 009 213 693 951 kopecks. Posting refuses more, so
every sum a report makes of them — opening balance (debit − credit), turnovers, a year of
months — stays inside a BIGINT on both databases, with room for one more import."""

NBSP = "\u00a0"
"""No-break space: thousands separator and gap before the currency in displayed amounts."""
MINUS = "\u2212"
"""U+2212 MINUS SIGN, used for negative displayed amounts (typographic minus)."""

_THOUSANDS_SEPARATORS = " \u00a0\u202f\u2009"  # space, no-break, narrow no-break, thin
_CURRENCY_SUFFIX = re.compile(r"(?:₽|руб\.?)$", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?P<sign>[-\u2212])?"
    # Either plain digits, or groups of three after a first group of 1-3 digits.
    rf"(?P<int>[0-9]{{1,3}}(?:[{_THOUSANDS_SEPARATORS}][0-9]{{3}})+|[0-9]+)"
    # One decimal separator, comma or dot, with one or two digits after it.
    r"(?:[.,](?P<frac>[0-9]{1,2}))?"
)
_MAX_TYPED = 64  # longer than any amount that fits BIGINT; keeps int() off huge strings


def _check_decimal(amount: object) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be a Decimal, got {type(amount).__name__}: {amount!r}")
    if not amount.is_finite():
        raise ValueError(f"money must be a finite amount, got {amount}")
    return amount


def to_kopecks(amount: Decimal) -> int:
    """Return ``amount`` roubles as whole kopecks: ``Decimal("1234.56")`` → ``123456``.

    Raises ``ValueError`` naming the amount if it has a non-zero third decimal place
    (``12.345``) — it is never rounded — or if it does not fit a ``BIGINT``.
    ``Decimal("1.230")`` is accepted: its third place is zero, so nothing is lost.
    Raises ``TypeError`` for anything that is not a ``Decimal``.
    """
    _check_decimal(amount)
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    units = int("".join(map(str, digits)))
    shift = exponent + 2  # kopecks = units · 10^(exponent + 2)
    if shift >= 0:
        kopecks = units * 10**shift
    else:
        kopecks, rest = divmod(units, 10**-shift)
        if rest:
            raise ValueError(f"{amount} has more than 2 decimal places; round it explicitly")
    if sign:
        kopecks = -kopecks
    if not BIGINT_MIN <= kopecks <= BIGINT_MAX:
        raise ValueError(f"{amount} is too large to store as kopecks")
    return kopecks


def within_money_max(amount: Decimal) -> bool:
    """``|amount|`` ≤ ``MONEY_MAX``: ``Decimal("1e12")`` is not, ``999999999999.99`` is."""
    return _check_decimal(amount).copy_abs() <= MONEY_MAX


MONEY_MAX_TEXT = "999 999 999 999,99"
"""``MONEY_MAX`` as a refusal names it."""


def check_money_max(amount: Decimal) -> Decimal:
    """``amount`` when its absolute value is at most ``MONEY_MAX`` (the one limit of every
    money field, client and server); else ``InvalidInput("validation.money_max")``."""
    if not within_money_max(amount):
        raise InvalidInput("validation.money_max", max=MONEY_MAX_TEXT)
    return amount


def parse_money(text: str) -> Decimal:
    """``parse_amount`` within ``MONEY_MAX``: what a money field takes (a form refuses
    ``999 999 999 999 999,99`` as the server would, not only what the database can't hold)."""
    return check_money_max(parse_amount(text))


def from_kopecks(k: int) -> Decimal:
    """Return ``k`` kopecks as roubles with 2 places: ``123456`` → ``Decimal("1234.56")``."""
    if not isinstance(k, int) or isinstance(k, bool):
        raise TypeError(f"kopecks must be an int, got {type(k).__name__}: {k!r}")
    digits = tuple(int(d) for d in str(abs(k)))
    return Decimal((1 if k < 0 else 0, digits, -2))


def parse_amount(text: str) -> Decimal:
    """Read an amount as Russian users type it; return it with exactly 2 places.

    Accepted: ``1 234,56``, ``1234.56``, ``1 234``, ``1\\u00a0234,5``, ``-100``, ``−100``,
    ``100,00 ₽``, ``100 руб.``. Thousands may be separated by a space, a no-break space,
    a narrow no-break space or a thin space, in groups of exactly three digits. The
    decimal separator is a comma or a dot, followed by one or two digits.

    Refused with ``InvalidInput("validation.amount")``: empty text, letters, more than
    two decimals, two separators (``12,34,56``), dots used as thousands separators
    (``1.234,56`` — ``1.234`` alone is refused too: 1234 or 1,234?), non-ASCII digits,
    and amounts that would not fit in the database.
    """
    if not isinstance(text, str):
        raise InvalidInput("validation.amount")
    cleaned = text.strip()
    if len(cleaned) > _MAX_TYPED:
        raise InvalidInput("validation.amount")
    cleaned = _CURRENCY_SUFFIX.sub("", cleaned).rstrip()
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InvalidInput("validation.amount")
    whole = re.sub(f"[{_THOUSANDS_SEPARATORS}]", "", match["int"])
    frac = (match["frac"] or "").ljust(2, "0")
    kopecks = int(whole + frac)
    if match["sign"]:
        kopecks = -kopecks
    if not BIGINT_MIN <= kopecks <= BIGINT_MAX:
        raise InvalidInput("validation.amount")
    return from_kopecks(kopecks)  # "-0" comes back as 0.00, not -0.00


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def format_amount(amount: Decimal, lang: str = "ru") -> str:
    """Format for display: ``1 234 567,89 ₽`` in Russian, ``1,234,567.89 RUB`` in English.

    Russian typography separates thousands with a narrow no-break space (U+202F) or a
    no-break space; this uses the no-break space U+00A0 throughout (also before ``₽``
    and ``RUB``), because terminal fonts render it reliably and it keeps the amount on
    one line. Negative amounts start with U+2212 MINUS SIGN: ``−1 234,56 ₽``.
    ``lang`` is ``"ru"`` or ``"en"`` (``"en_US"``, ``"ru-RU"``… are read by their first
    two letters). Amounts with more than 2 decimal places raise ``ValueError``.
    """
    kopecks = to_kopecks(amount)
    roubles, kop = divmod(abs(kopecks), 100)
    minus = MINUS if kopecks < 0 else ""
    language = lang[:2].lower()
    if language == "ru":
        return f"{minus}{_group(str(roubles), NBSP)},{kop:02d}{NBSP}₽"
    if language == "en":
        return f"{minus}{_group(str(roubles), ',')}.{kop:02d}{NBSP}RUB"
    raise ValueError(f"unsupported language for amounts: {lang!r}")


# --- сумма прописью ----------------------------------------------------------------------

_UNITS_MASCULINE = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь",
                    "девять")
_UNITS_FEMININE = ("", "одна", "две", *_UNITS_MASCULINE[3:])
_TEENS = ("десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
          "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать")
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
         "восемьдесят", "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
             "восемьсот", "девятьсот")

# (one, few, many): 1 рубль, 2 рубля, 5 рублей. Gender decides «один/одна», «два/две».
_ROUBLE = ("рубль", "рубля", "рублей")
_KOPECK = ("копейка", "копейки", "копеек")
_SCALES = (  # from the highest; (power of 1000, forms, feminine?)
    (3, ("миллиард", "миллиарда", "миллиардов"), False),
    (2, ("миллион", "миллиона", "миллионов"), False),
    (1, ("тысяча", "тысячи", "тысяч"), True),
)
_WORDS_LIMIT = 10**12  # up to 999 999 999 999 roubles: «девятьсот девяносто девять миллиардов…»


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """Pick the Russian form for ``n``: 1, 21, 101 → one; 2–4, 22–24 → few; else many.

    11–14 take the «many» form whatever their last digit: 11 рублей, 112 рублей.
    """
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return forms[2]
    last = n % 10
    if last == 1:
        return forms[0]
    if 2 <= last <= 4:
        return forms[1]
    return forms[2]


def _triad(n: int, feminine: bool) -> list[str]:
    """Words for 1..999 (empty for 0)."""
    words = [_HUNDREDS[n // 100]]
    tens, units = divmod(n % 100, 10)
    if tens == 1:
        words.append(_TEENS[units])
    else:
        words.append(_TENS[tens])
        words.append((_UNITS_FEMININE if feminine else _UNITS_MASCULINE)[units])
    return [w for w in words if w]


def amount_in_words(amount: Decimal) -> str:
    """Russian «сумма прописью» as printed on invoices and payment orders.

    ``Decimal("1234.56")`` → ``"Одна тысяча двести тридцать четыре рубля 56 копеек"``:
    roubles in words, kopecks as two digits, each with its agreeing form; ``0`` →
    ``"Ноль рублей 00 копеек"``. Up to 999 999 999 999,99 ₽. Negative amounts, amounts
    beyond that and amounts with more than 2 decimal places raise ``ValueError``.
    """
    kopecks = to_kopecks(amount)
    if kopecks < 0:
        raise ValueError(f"{amount} is negative; an amount in words is never negative")
    roubles, kop = divmod(kopecks, 100)
    if roubles >= _WORDS_LIMIT:
        raise ValueError(f"{amount} is too large to write in words")
    words: list[str] = []
    rest = roubles
    for power, forms, feminine in _SCALES:
        count, rest = divmod(rest, 1000**power)
        if count:
            words += _triad(count, feminine)
            words.append(plural(count, forms))
    words += _triad(rest, feminine=False)  # рубль is masculine: «один рубль», «два рубля»
    if not words:
        words = ["ноль"]
    text = " ".join([*words, plural(roubles, _ROUBLE), f"{kop:02d}", plural(kop, _KOPECK)])
    return text[0].upper() + text[1:]
