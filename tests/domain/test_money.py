"""client/money.py: kopecks, typed amounts, display and «сумма прописью».

Worked examples are computed by hand in the comments; U+00A0 is written as ``\\xa0``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from core import money
from core.money import (
    amount_in_words,
    format_amount,
    from_kopecks,
    parse_amount,
    plural,
    to_kopecks,
)
from core.validation import InvalidInput

BIGINT_MAX = 9_223_372_036_854_775_807  # 2^63 − 1
BIGINT_MIN = -9_223_372_036_854_775_808  # −2^63


# --- kopecks ↔ Decimal ------------------------------------------------------------------------


# 1 234,56 ₽ = 1 234 ₽ · 100 + 56 коп. = 123 400 + 56 = 123 456 kopecks.
# 0,01 ₽ = 1 kopeck; 100 ₽ written as 1E+2 = 100 · 100 = 10 000 kopecks;
# 1,230 has a third decimal place, but it is 0: 123 kopecks, nothing lost.
@pytest.mark.parametrize(
    ("amount", "kopecks"),
    [
        ("1234.56", 123_456),
        ("0.01", 1),
        ("-0.01", -1),
        ("0", 0),
        ("-0.00", 0),
        ("1E+2", 10_000),
        ("1.230", 123),
        ("1234.5", 123_450),
    ],
)
def test_to_kopecks(amount, kopecks):
    result = to_kopecks(Decimal(amount))
    assert result == kopecks
    assert type(result) is int


# 9 223 372 036 854 775 807 kopecks = 92 233 720 368 547 758,07 ₽ (the BIGINT maximum):
# 19 digits, so any rounding through a 28-digit context would not show; digits are kept exact.
@pytest.mark.parametrize(
    ("kopecks", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (-1, "-0.01"),
        (123_456, "1234.56"),
        (BIGINT_MAX, "92233720368547758.07"),
        (BIGINT_MIN, "-92233720368547758.08"),
    ],
)
def test_kopecks_round_trip(kopecks, text):
    amount = from_kopecks(kopecks)
    assert str(amount) == text  # exactly two places, also for 0
    assert amount.as_tuple().exponent == -2
    assert to_kopecks(amount) == kopecks


@pytest.mark.parametrize("amount", ["0.001", "12.345", "-0.005", "1E-3", "1234.5601"])
def test_to_kopecks_refuses_a_third_decimal_and_names_the_amount(amount):
    with pytest.raises(ValueError, match=re.escape(str(Decimal(amount)))):
        to_kopecks(Decimal(amount))


def test_to_kopecks_refuses_what_a_bigint_cannot_hold():
    assert to_kopecks(Decimal("92233720368547758.07")) == BIGINT_MAX
    with pytest.raises(ValueError):
        to_kopecks(Decimal("92233720368547758.08"))  # BIGINT_MAX + 1 kopeck
    with pytest.raises(ValueError):
        to_kopecks(Decimal("-92233720368547758.09"))  # BIGINT_MIN − 1 kopeck


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_to_kopecks_refuses_non_finite(amount):
    with pytest.raises(ValueError):
        to_kopecks(Decimal(amount))


@pytest.mark.parametrize("amount", [0.1, 1, "1.00", None])
def test_to_kopecks_takes_only_decimal(amount):
    # 0.1 as a binary fraction is 0.1000000000000000055…: it must never reach the ledger.
    with pytest.raises(TypeError):
        to_kopecks(amount)


@pytest.mark.parametrize("k", [True, 1.0, "1", Decimal(1)])
def test_from_kopecks_takes_only_int(k):
    with pytest.raises(TypeError):
        from_kopecks(k)


def test_money_module_never_mentions_binary_fractions():
    source = Path(money.__file__).read_text(encoding="utf-8")
    assert "float" not in source


# --- parse_amount -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1 234", "1234.00"),
        ("1\u00a0234,5", "1234.50"),  # one decimal digit: 5 tenths = 50 kopecks
        ("1\u202f234\u202f567,89", "1234567.89"),  # narrow no-break spaces
        ("1\u2009234", "1234.00"),  # thin space
        ("-100", "-100.00"),
        ("\u2212100", "-100.00"),  # what format_amount prints
        ("100,00 ₽", "100.00"),
        ("100,00₽", "100.00"),
        ("100 руб.", "100.00"),
        ("  42  ", "42.00"),
        ("1 234 ", "1234.00"),  # surrounding spaces are dropped
        ("0,01", "0.01"),
        ("-0", "0.00"),  # no negative zero
        ("007", "7.00"),
        ("92 233 720 368 547 758,07", "92233720368547758.07"),  # the BIGINT maximum
    ],
)
def test_parse_amount_accepts_what_people_type(text, expected):
    result = parse_amount(text)
    assert str(result) == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "₽",
        "-",
        "12,34,56",  # two decimal separators
        "1.234,56",  # dots as thousands separators: refused rather than guessed
        "1,234.56",  # the same, English style
        "1.234",  # 1234 or 1,234? ambiguous, and three decimals anyway
        "1,234",
        "12,345",  # more than two decimals
        "0.001",
        "12a",
        "abc",
        "1e3",
        "1 23",  # a group after a separator must have three digits
        "1234 567",  # the first group has at most three digits
        "1  234",  # two spaces
        "12,",
        ",5",
        ".5",
        "- 100",
        "--100",
        "+100",
        "１２３",  # full-width digits
        "١٢٣",  # Arabic-Indic digits
        "100 $",
        "₽ 100",
        "92 233 720 368 547 758,08",  # one kopeck more than a BIGINT holds
        "9" * 70,
        "9" * 5000,  # past Python's int() digit limit: still InvalidInput, not ValueError
    ],
)
def test_parse_amount_refuses_junk(text):
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text)
    assert caught.value.key == "validation.amount"


def test_parse_amount_refuses_a_non_string():
    with pytest.raises(InvalidInput):
        parse_amount(None)  # type: ignore[arg-type]


# --- format_amount ----------------------------------------------------------------------------


# 1234567.89: roubles 1 234 567 grouped from the right as 1 | 234 | 567, kopecks 89.
@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        ("1234567.89", "ru", "1\xa0234\xa0567,89\xa0₽"),
        ("1234567.89", "en", "1,234,567.89\xa0RUB"),
        ("-1234.56", "ru", "\u22121\xa0234,56\xa0₽"),
        ("-1234.56", "en", "\u22121,234.56\xa0RUB"),
        ("0", "ru", "0,00\xa0₽"),
        ("-0.00", "ru", "0,00\xa0₽"),
        ("0.05", "ru", "0,05\xa0₽"),
        ("999", "ru", "999,00\xa0₽"),
        ("1000", "ru", "1\xa0000,00\xa0₽"),
        ("100000", "ru", "100\xa0000,00\xa0₽"),
        ("1234.5", "ru", "1\xa0234,50\xa0₽"),
        ("1.230", "ru", "1,23\xa0₽"),
        ("1234567.89", "en_US", "1,234,567.89\xa0RUB"),
        ("1234567.89", "ru-RU", "1\xa0234\xa0567,89\xa0₽"),
    ],
)
def test_format_amount(amount, lang, expected):
    assert format_amount(Decimal(amount), lang) == expected


def test_format_amount_defaults_to_russian():
    assert format_amount(Decimal("1234.56")) == "1\xa0234,56\xa0₽"


def test_format_amount_never_rounds():
    with pytest.raises(ValueError, match=re.escape("1.005")):
        format_amount(Decimal("1.005"))


def test_format_amount_refuses_an_unknown_language():
    with pytest.raises(ValueError):
        format_amount(Decimal(1), "de")


@pytest.mark.parametrize("amount", ["0", "0.01", "-0.01", "1234567.89", "-1000", "999.9"])
def test_russian_display_reads_back(amount):
    assert parse_amount(format_amount(Decimal(amount))) == Decimal(amount)


# --- сумма прописью ---------------------------------------------------------------------------


# The rouble form follows the last two digits of the rouble count:
#   ends in 1 but not 11        → рубль    (1, 21, 101)
#   ends in 2–4 but not 12–14   → рубля    (2, 1234)
#   otherwise (0, 5–9, 11–14)   → рублей   (5, 11, 1000, 1 000 000)
# The same rule picks тысяча/тысячи/тысяч and копейка/копейки/копеек; тысяча is feminine,
# so it takes «одна/две», while рубль and миллион are masculine: «один/два».
@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # 1: last digit 1 → «один рубль»; 0 kopecks → «копеек».
        ("1", "Один рубль 00 копеек"),
        # 2: last digit 2 → «рубля»; masculine «два».
        ("2", "Два рубля 00 копеек"),
        # 5: last digit 5 → «рублей».
        ("5", "Пять рублей 00 копеек"),
        # 11: 11–14 take «рублей» although the last digit is 1.
        ("11", "Одиннадцать рублей 00 копеек"),
        # 21: ends in 1, not 11 → «рубль», «один».
        ("21", "Двадцать один рубль 00 копеек"),
        # 101: last two digits 01 → «рубль».
        ("101", "Сто один рубль 00 копеек"),
        # 1000: one thousand, feminine «одна тысяча»; 1000 ends in 00 → «рублей».
        ("1000", "Одна тысяча рублей 00 копеек"),
        # 2000: «две тысячи» (feminine two, thousands count 2 → «тысячи»); «рублей».
        ("2000", "Две тысячи рублей 00 копеек"),
        # 5000: thousands count 5 → «тысяч».
        ("5000", "Пять тысяч рублей 00 копеек"),
        # 21 000: thousands count 21 → «двадцать одна тысяча» (feminine, singular form).
        ("21000", "Двадцать одна тысяча рублей 00 копеек"),
        # 1 000 000: «один миллион» (masculine); 000 ends in 0 → «рублей».
        ("1000000", "Один миллион рублей 00 копеек"),
        # 1 234 567,89: 1 → «один миллион»; 234 → «двести тридцать четыре тысячи» (4 → тысячи);
        # 567 → «пятьсот шестьдесят семь рублей» (7 → рублей); 89 → «копеек».
        (
            "1234567.89",
            "Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей"
            " 89 копеек",
        ),
        # 1 234,56: 1 → «одна тысяча»; 234 ends in 4 → «рубля»; 56 → «копеек».
        ("1234.56", "Одна тысяча двести тридцать четыре рубля 56 копеек"),
        # 0: «ноль рублей».
        ("0", "Ноль рублей 00 копеек"),
        # Kopecks keep their digits and agree: 01 → копейка, 02 → копейки, 11 → копеек,
        # 21 → копейка, 24 → копейки.
        ("0.01", "Ноль рублей 01 копейка"),
        ("3.02", "Три рубля 02 копейки"),
        ("12.11", "Двенадцать рублей 11 копеек"),
        ("14.21", "Четырнадцать рублей 21 копейка"),
        ("22.24", "Двадцать два рубля 24 копейки"),
        # 112: last two digits 12 → «рублей» although the last digit is 2.
        ("112", "Сто двенадцать рублей 00 копеек"),
        # 11 000: thousands count 11 → «одиннадцать тысяч».
        ("11000", "Одиннадцать тысяч рублей 00 копеек"),
        # 2 000 001,02: «два миллиарда», empty millions and thousands are skipped.
        ("2000000001.02", "Два миллиарда один рубль 02 копейки"),
        # 3 002 000: «три миллиона две тысячи» — миллион masculine, тысяча feminine.
        ("3002000", "Три миллиона две тысячи рублей 00 копеек"),
        (
            "999999999999.99",
            "Девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов"
            " девятьсот девяносто девять тысяч девятьсот девяносто девять рублей 99 копеек",
        ),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize("amount", ["-1", "1000000000000", "1.005"])
def test_amount_in_words_refuses(amount):
    with pytest.raises(ValueError):
        amount_in_words(Decimal(amount))


@pytest.mark.parametrize(
    ("n", "form"),
    [(0, "c"), (1, "a"), (2, "b"), (4, "b"), (5, "c"), (11, "c"), (12, "c"), (14, "c"),
     (21, "a"), (22, "b"), (111, "c"), (101, "a"), (1000, "c")],
)
def test_plural(n, form):
    assert plural(n, ("a", "b", "c")) == form
