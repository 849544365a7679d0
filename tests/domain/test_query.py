"""server/domain/query.py: the journal query line read into a typed filter."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.query import (
    AmountCond,
    CounterpartyCond,
    DateRange,
    QueryError,
    QuerySpec,
    Term,
    fold,
    matches_account,
    matches_amount,
    parse_query,
    tokenize,
)


def one(text: str) -> Term:
    spec = parse_query(text)
    assert len(spec.terms) == 1, spec
    return spec.terms[0]


def test_the_example_from_the_issue():
    spec = parse_query("acct:51 date:2025-Q1 amt:>10000 desc:аренда cp:7707083893")
    assert [(t.field, t.value, t.negated) for t in spec.terms] == [
        ("acct", "51", False),
        ("date", DateRange(date(2025, 1, 1), date(2025, 3, 31)), False),
        # 10 000 ₽ = 1 000 000 коп., compared with the absolute amount (no sign written).
        ("amt", AmountCond(">", 1_000_000, signed=False), False),
        ("desc", "аренда", False),
        ("cp", CounterpartyCond(inn="7707083893"), False),
    ]
    assert [t.raw for t in spec.terms] == [
        "acct:51", "date:2025-Q1", "amt:>10000", "desc:аренда", "cp:7707083893"]


def test_an_empty_line_is_an_empty_spec():
    for text in (None, "", "   ", "\t"):
        spec = parse_query(text)
        assert spec == QuerySpec() and not spec


# --- acct ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("acct:51", "51"), ("acct:60.01", "60.01"), ("счёт:62", "62"), ("счет:68.02", "68.02"),
    ("ACCT:76.ав", "76.АВ"),  # field names in any case; letter sub-codes upper-cased
    ("acct:51.01.02", "51.01.02"),
])
def test_account_terms(text, code):
    assert one(text).field == "acct" and one(text).value == code


def test_an_account_matches_itself_and_everything_below_it():
    assert matches_account("60", "60") and matches_account("60", "60.01")
    assert matches_account("60", "60.02") and matches_account("60.01", "60.01.03")
    assert not matches_account("60.01", "60.02") and not matches_account("60.01", "60")
    assert not matches_account("6", "60") and not matches_account("60", "600")


# --- date ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "start", "end"), [
    ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
    ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30)),
    ("2025-q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
    ("2025-К2", date(2025, 4, 1), date(2025, 6, 30)),  # Cyrillic К for квартал
    ("2025Q1", date(2025, 1, 1), date(2025, 3, 31)),
    ("2025-03", date(2025, 3, 1), date(2025, 3, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # 2024 is a leap year
    ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
    ("03.2025", date(2025, 3, 1), date(2025, 3, 31)),
    ("2025-03-05", date(2025, 3, 5), date(2025, 3, 5)),
    ("05.03.2025", date(2025, 3, 5), date(2025, 3, 5)),
    ("5.3.2025", date(2025, 3, 5), date(2025, 3, 5)),
])
def test_a_date_is_the_whole_period_written(value, start, end):
    assert one(f"date:{value}").value == DateRange(start, end)


@pytest.mark.parametrize(("value", "start", "end"), [
    # The end includes the whole period written: up to 31 March, not 1 March.
    ("2025-01..2025-03", date(2025, 1, 1), date(2025, 3, 31)),
    ("2025-01-15..", date(2025, 1, 15), None),
    ("..2025-06", None, date(2025, 6, 30)),
    ("2024..2025-Q1", date(2024, 1, 1), date(2025, 3, 31)),
    ("01.02.2025..10.02.2025", date(2025, 2, 1), date(2025, 2, 10)),
    ("2025-03..2025-03", date(2025, 3, 1), date(2025, 3, 31)),
])
def test_date_ranges(value, start, end):
    assert one(f"дата:{value}").value == DateRange(start, end)


@pytest.mark.parametrize("value", [
    "2025-13", "2025-00", "2025-02-30", "2025-Q5", "31.02.2025", "32.01.2025", "25", "вчера",
    "2025/03/05", "..", "2025-03...2025-04", "13.2025",
])
def test_bad_dates(value):
    with pytest.raises(QueryError) as caught:
        parse_query(f"acct:51 date:{value}")
    assert caught.value.key == "query.reason.date"
    assert caught.value.term == f"date:{value}"


def test_a_range_that_ends_before_it_starts():
    with pytest.raises(QueryError) as caught:
        parse_query("date:2025-03..2025-01")
    assert caught.value.key == "query.reason.date_order"


# --- amt ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "cond"), [
    (">10000", AmountCond(">", 1_000_000, False)),
    (">=10000", AmountCond(">=", 1_000_000, False)),
    ("<500", AmountCond("<", 50_000, False)),
    ("<=500,5", AmountCond("<=", 50_050, False)),  # 500,50 ₽
    ("=1234.56", AmountCond("=", 123_456, False)),
    ("1234.56", AmountCond("=", 123_456, False)),  # no operator: equal
    ('"1 234,56"', AmountCond("=", 123_456, False)),  # quoted: the space stays
    (">1\u00a0234,56", AmountCond(">", 123_456, False)),  # a no-break space never splits
    ("<0", AmountCond("<", 0, True)),  # zero compares signed (hledger)
    ("-100", AmountCond("=", -10_000, True)),
    ("<-100", AmountCond("<", -10_000, True)),
    ("+100", AmountCond("=", 10_000, True)),
    ("> 100", None),  # a space after the operator splits the term: refused below
])
def test_amount_terms(value, cond):
    if cond is None:
        with pytest.raises(QueryError):
            parse_query(f"amt:{value}")
        return
    assert one(f"сумма:{value}").value == cond


def test_amount_comparison_absolute_unless_signed():
    over = AmountCond(">", 1_000_000, False)
    assert matches_amount(over, 1_000_001) and matches_amount(over, -1_000_001)
    assert not matches_amount(over, 1_000_000)
    negative = AmountCond("<", 0, True)
    assert matches_amount(negative, -1) and not matches_amount(negative, 1)
    assert matches_amount(AmountCond("=", 50_000, False), -50_000)
    assert not matches_amount(AmountCond("=", -50_000, True), 50_000)


@pytest.mark.parametrize("value", [">abc", ">", "1,234", "1.234,56", "12,345", "1e5", ">>5"])
def test_bad_amounts(value):
    with pytest.raises(QueryError) as caught:
        parse_query(f"amt:{value}")
    assert caught.value.key == "query.reason.amount" and caught.value.term == f"amt:{value}"


# --- desc, cp -----------------------------------------------------------------------


def test_desc_is_folded_and_a_bare_word_is_desc():
    assert one("desc:АРЕНДА").value == "аренда"
    assert one("текст:Подотчёт").value == "подотчет"  # ё read as е
    assert one("аренда") == Term("desc", "аренда", False, "аренда")
    assert one('desc:"аренда офиса"').value == "аренда офиса"
    assert one('"аренда офиса"').value == "аренда офиса"
    assert one("«Ромашка: офис»").value == "ромашка: офис"  # a quoted colon is text
    assert one('desc:"a:b"').value == "a:b"
    assert fold("ЁЛКА Straße") == "елка strasse"


@pytest.mark.parametrize(("value", "cond"), [
    ("7707083893", CounterpartyCond(inn="7707083893")),
    ("500100732259", CounterpartyCond(inn="500100732259")),
    ('"7707 083 893"', CounterpartyCond(inn="7707083893")),
    ("ромашка", CounterpartyCond(name="ромашка")),
    ("Ёлка", CounterpartyCond(name="елка")),
    ('"ИП Петров"', CounterpartyCond(name="ип петров")),
    ("770708", CounterpartyCond(name="770708")),  # not 10 or 12 digits: a name fragment
])
def test_counterparty_terms(value, cond):
    assert one(f"cp:{value}").value == cond
    assert one(f"контрагент:{value}").value == cond


# --- not, combining, errors -----------------------------------------------------------


def test_negation():
    assert one("not:acct:51") == Term("acct", "51", True, "not:acct:51")
    assert one("не:счёт:51").negated and one("не:счёт:51").value == "51"
    assert one("NOT:аренда") == Term("desc", "аренда", True, "NOT:аренда")
    assert one('not:"a: b"').value == "a: b"
    spec = parse_query("acct:51 not:acct:60 not:date:2025")
    assert spec.any_of("acct") == ["51"] and spec.any_of("date") == []
    assert [(t.field, t.raw) for t in spec.negated] == [("acct", "not:acct:60"),
                                                        ("date", "not:date:2025")]


def test_a_repeated_field_is_listed_for_or():
    spec = parse_query("acct:50 desc:касса acct:51")
    assert spec.any_of("acct") == ["50", "51"]
    assert spec.any_of("desc") == ["касса"]


def test_tokens_keep_quoted_parts_and_the_text_typed():
    assert tokenize('desc:"аренда: офис"  51') == [
        ("desc:аренда: офис", 5, 'desc:"аренда: офис"'), ("51", None, "51")]
    assert tokenize("«a b»") == [("a b", 0, "«a b»")]
    assert tokenize('x""') == [("x", 1, 'x""')]


@pytest.mark.parametrize(("text", "key", "term"), [
    ("foo:1", "query.reason.field", "foo:1"),
    ("acct:51 payee:x", "query.reason.field", "payee:x"),
    ("not:foo:1", "query.reason.field", "not:foo:1"),
    ("acct:", "query.reason.empty", "acct:"),
    ("not:", "query.reason.empty", "not:"),
    ('desc:""', "query.reason.empty", 'desc:""'),
    ('acct:51 desc:"аренда офиса', "query.reason.quote", 'desc:"аренда офиса'),
    ("acct:5%", "query.reason.account", "acct:5%"),
    ("acct:.51", "query.reason.account", "acct:.51"),
    ("acct:51.", "query.reason.account", "acct:51."),
    ("cp:", "query.reason.empty", "cp:"),
])
def test_errors_carry_the_reason_and_the_term(text, key, term):
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert (caught.value.key, caught.value.term) == (key, term)
    assert caught.value.params == {"term": term}


def test_too_many_terms():
    parse_query(" ".join(["x"] * 30))
    with pytest.raises(QueryError) as caught:
        parse_query(" ".join(f"w{i}" for i in range(31)))
    assert caught.value.key == "query.reason.too_many" and caught.value.term == "w30"


def test_every_reason_has_a_catalogue_text():
    from server.i18n import CATALOGUE

    for lang in ("ru", "en"):
        for key in ("field", "empty", "quote", "too_many", "date", "date_order", "amount",
                    "account"):
            assert f"query.reason.{key}" in CATALOGUE.keys(lang)
        assert "error.query.invalid" in CATALOGUE.keys(lang)
