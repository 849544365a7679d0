"""Provides checks for Russian requisites: ИНН, КПП, ОГРН(ИП), БИК, bank accounts and СНИЛС.

Each ``check_*`` function takes the string as the user typed it, drops the spaces
(and, for СНИЛС, the dashes), and returns the normalised digits or raises
``InvalidInput`` carrying a catalogue key, like the checks in ``core.validation``.
The rules follow the 2025–2026 reference notes (section 8, "Identifier validation").

Only the standard library is used, and only ASCII digits count as digits: ``str.isdigit``
and ``\\d`` would also accept "１２３" or "²".
"""

from __future__ import annotations

import re
from typing import Literal

from core.validation import InvalidInput

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
# 7,1,3 repeated over the 3-digit prefix and the 20-digit account (23 digits).
_ACCOUNT_WEIGHTS = (7, 1, 3) * 7 + (7, 1)
_SNILS_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, 1)
# СНИЛС numbers up to 001-001-998 were issued before the check digits existed.
_SNILS_UNCHECKED_MAX = 1_001_998
# БИК digits 7–9 of a Bank of Russia division: 000 РКЦ, 001 ГРКЦ/main office,
# 002 other divisions; credit institutions get 050–999.
_BANK_OF_RUSSIA_SUFFIXES = frozenset({"000", "001", "002"})
# БИК of a credit institution or a Bank of Russia division start with 04. Since 2021 the
# Treasury's territorial bodies (ТОФК) have their own БИК starting 00, 01 or 02, e.g.
# 017003983 (ОПЕРУ-1 Банка России//Межрегиональное ОУ ФК), 004525988 (УФК по г. Москве),
# 014030106 (УФК по г. Санкт-Петербургу).
_BIK_PREFIXES = ("04", "00", "01", "02")
_TOFK_BIK_PREFIXES = ("00", "01", "02")
# A ТОФК's correspondent account is its part of the single treasury account (ЕКС, 40102…).
_TREASURY_CORR_PREFIX = "40102"
# Treasury accounts (казначейские счета) opened at a ТОФК start with 03.
_TREASURY_ACCOUNT_PREFIX = "03"

_KPP_RE = re.compile(r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")
_SPACES_RE = re.compile(r"\s+")
# Hyphen-minus plus the dashes a word processor substitutes for it.
_SNILS_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def _digits(value: str, length: int) -> bool:
    """Return whether ``value`` is exactly ``length`` ASCII digits."""
    return len(value) == length and value.isascii() and value.isdigit()


def _strip_spaces(value: str | None) -> str:
    return _SPACES_RE.sub("", value or "")


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def check_inn(value: str, kind: Literal["org", "person"] | None = None) -> str:
    """Return the ИНН digits or raise ``InvalidInput``.

    Args:
        value: The ИНН as typed.
        kind: ``"org"`` requires the 10-digit ИНН of an organisation, ``"person"`` the
            12-digit ИНН of a person or ИП; ``None`` accepts either.

    Raises:
        InvalidInput: ``validation.inn_digits`` (with ``expected`` = 10, 12 or
            ``"10 или 12"``) or ``validation.inn_checksum``.
    """
    inn = _strip_spaces(value)
    if kind == "org":
        lengths: tuple[int, ...] = (10,)
        expected: object = 10
    elif kind == "person":
        lengths, expected = (12,), 12
    else:
        lengths, expected = (10, 12), "10 или 12"
    if not any(_digits(inn, n) for n in lengths):
        raise InvalidInput("validation.inn_digits", expected=expected)
    if len(inn) == 10:
        valid = _weighted(inn, _INN10_WEIGHTS) % 11 % 10 == int(inn[9])
    else:
        c11 = _weighted(inn, _INN11_WEIGHTS) % 11 % 10
        c12 = _weighted(inn, _INN12_WEIGHTS) % 11 % 10
        valid = c11 == int(inn[10]) and c12 == int(inn[11])
    if not valid:
        raise InvalidInput("validation.inn_checksum")
    return inn


def check_kpp(value: str) -> str:
    """Return the КПП (uppercased) or raise ``InvalidInput("validation.kpp")``.

    Four digits, two digits or Latin capitals (the reason code), three digits.
    There is no checksum.
    """
    kpp = _strip_spaces(value).upper()
    if not _KPP_RE.fullmatch(kpp):
        raise InvalidInput("validation.kpp")
    return kpp


def check_ogrn(value: str) -> str:
    """Return the 13-digit ОГРН or raise ``InvalidInput``.

    The first digit must be 1 or 5; the 13th is ``int(first 12) % 11 % 10``.

    Raises:
        InvalidInput: ``validation.ogrn_digits`` or ``validation.ogrn_checksum``.
    """
    ogrn = _strip_spaces(value)
    if not _digits(ogrn, 13) or ogrn[0] not in "15":
        raise InvalidInput("validation.ogrn_digits")
    if int(ogrn[:12]) % 11 % 10 != int(ogrn[12]):
        raise InvalidInput("validation.ogrn_checksum")
    return ogrn


def check_ogrnip(value: str) -> str:
    """Return the 15-digit ОГРНИП or raise ``InvalidInput``.

    The first digit must be 3; the 15th is ``int(first 14) % 13 % 10`` (a remainder of
    11 or 12 gives 1 or 2: mapping only 10 → 0 rejects valid numbers).

    Raises:
        InvalidInput: ``validation.ogrnip_digits`` or ``validation.ogrnip_checksum``.
    """
    ogrnip = _strip_spaces(value)
    if not _digits(ogrnip, 15) or ogrnip[0] != "3":
        raise InvalidInput("validation.ogrnip_digits")
    if int(ogrnip[:14]) % 13 % 10 != int(ogrnip[14]):
        raise InvalidInput("validation.ogrnip_checksum")
    return ogrnip


def check_bik(value: str) -> str:
    """Return the 9-digit БИК or raise ``InvalidInput("validation.bik")``.

    A bank's БИК starts with ``04``; a Treasury body's (ТОФК) with ``00``, ``01`` or ``02``.
    There is no checksum; only the ЦБ directory can tell whether the БИК exists.
    """
    bik = _strip_spaces(value)
    if not _digits(bik, 9) or not bik.startswith(_BIK_PREFIXES):
        raise InvalidInput("validation.bik")
    return bik


def is_treasury_bik(bik: str) -> bool:
    """Whether the (checked) БИК is that of a Treasury body (ТОФК), not of a bank."""
    return bik.startswith(_TOFK_BIK_PREFIXES)


def _key_ok(prefix: str, account: str) -> bool:
    """The ЦБ control key: Σ(digit × 7,1,3,…) over prefix + account is a multiple of 10."""
    return _weighted(prefix + account, _ACCOUNT_WEIGHTS) % 10 == 0


def _bank_of_russia_prefix(bik: str) -> str:
    """The key prefix of an account held at a Bank of Russia division: "0" + БИК digits 5–6."""
    return "0" + bik[4:6]


def check_account(account: str, bik: str) -> str:
    """Return the 20-digit settlement account or raise ``InvalidInput``.

    The control key (digit 9) is checked against the БИК: the prefix is the last three
    digits of the БИК, or "0" + БИК digits 5–6 when the БИК belongs to a Bank of Russia
    division (digits 7–9 are 000, 001 or 002), as for an account held at an РКЦ.

    A treasury account (03…) at a ТОФК is not key-checked: its digit 9 is not a control
    key computed from the ТОФК БИК (03100643000000018500 at БИК 017003983 fails the sum with
    every prefix). Other accounts at a ТОФК use the Bank of Russia prefix.

    Args:
        account: The account number as typed.
        bik: The БИК of the bank holding the account, as typed.

    Raises:
        InvalidInput: ``validation.bik`` when the БИК itself is malformed,
            ``validation.account_digits`` or ``validation.account_checksum``.
    """
    bik = check_bik(bik)
    number = _strip_spaces(account)
    if not _digits(number, 20):
        raise InvalidInput("validation.account_digits")
    if is_treasury_bik(bik) and number.startswith(_TREASURY_ACCOUNT_PREFIX):
        return number
    suffix = bik[6:9]
    rkc = suffix in _BANK_OF_RUSSIA_SUFFIXES or is_treasury_bik(bik)
    prefix = _bank_of_russia_prefix(bik) if rkc else suffix
    if not _key_ok(prefix, number):
        raise InvalidInput("validation.account_checksum")
    return number


def check_corr_account(account: str, bik: str) -> str:
    """Return the 20-digit correspondent account (к/с) or raise ``InvalidInput``.

    A к/с starts with 301, ends with the last three digits of the БИК, and its key is
    computed with the prefix "0" + БИК digits 5–6 (it is held at the Bank of Russia).
    For a ТОФК БИК the к/с is the single treasury account (ЕКС): it starts with 40102, its
    ending is not tied to the БИК, and its key uses the same prefix ("003" for 017003983
    and 40102810445370000059).

    Raises:
        InvalidInput: ``validation.bik`` when the БИК itself is malformed;
            ``validation.corr_account_digits`` for a wrong length, non-digits or a prefix
            other than 301; ``validation.corr_account_checksum`` when the ending or the
            key does not match the БИК.
    """
    bik = check_bik(bik)
    number = _strip_spaces(account)
    if is_treasury_bik(bik):
        if not _digits(number, 20) or not number.startswith(_TREASURY_CORR_PREFIX):
            raise InvalidInput("validation.corr_account_digits")
        if not _key_ok(_bank_of_russia_prefix(bik), number):
            raise InvalidInput("validation.corr_account_checksum")
        return number
    if not _digits(number, 20) or not number.startswith("301"):
        raise InvalidInput("validation.corr_account_digits")
    if number[17:] != bik[6:9] or not _key_ok(_bank_of_russia_prefix(bik), number):
        raise InvalidInput("validation.corr_account_checksum")
    return number


def _snils_check_digits(digits: str) -> int:
    """The expected last two digits: S = Σ(d × 9..1); S mod 101, where 100 (and 101) give 0."""
    return _weighted(digits[:9], _SNILS_WEIGHTS) % 101 % 100


def check_snils(value: str) -> str:
    """Return the 11 СНИЛС digits (``"112-233-445 95"`` → ``"11223344595"``) or raise.

    Numbers up to 001-001-998 predate the check digits and are accepted without them.

    Raises:
        InvalidInput: ``validation.snils_digits`` or ``validation.snils_checksum``.
    """
    snils = _SNILS_SEPARATORS_RE.sub("", value or "")
    if not _digits(snils, 11):
        raise InvalidInput("validation.snils_digits")
    if int(snils[:9]) > _SNILS_UNCHECKED_MAX and _snils_check_digits(snils) != int(snils[9:]):
        raise InvalidInput("validation.snils_checksum")
    return snils


def format_snils(digits: str) -> str:
    """``"11223344595"`` → ``"112-233-445 95"`` for display."""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"
