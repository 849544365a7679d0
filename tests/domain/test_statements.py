"""server/domain/statements.py: accounts to the lines of the simplified balance sheet and
financial results statement, on a realistic ledger worked by hand (amounts in roubles,
×100 to kopecks)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest

from server.domain import statements as st

R = 100


@dataclass(frozen=True)
class T:
    debit: int
    credit: int


def closing(postings) -> dict[tuple[str, str | None], int]:
    """Signed balances (debit positive) by (account, counterparty)."""
    out: dict[tuple[str, str | None], int] = defaultdict(int)
    for debit, credit, roubles, *cp in postings:
        who = cp[0] if cp else None
        out[(debit, who)] += roubles * R
        out[(credit, who)] -= roubles * R
    return dict(out)


def turnovers(postings) -> dict[str, T]:
    d: dict[str, int] = defaultdict(int)
    c: dict[str, int] = defaultdict(int)
    for debit, credit, roubles, *_ in postings:
        d[debit] += roubles * R
        c[credit] += roubles * R
    return {code: T(d[code], c[code]) for code in set(d) | set(c)}


# A trading ООО's first month (roubles; the last item is the counterparty).
LEDGER = [
    ("75.01", "80", 10_000, "founder"),      # capital subscribed
    ("51", "75.01", 10_000, "founder"),      # ... and paid in
    ("51", "66", 50_000, "bank"),            # a short-term loan
    ("41.01", "60.01", 60_000, "supplier"),  # goods bought
    ("60.01", "51", 40_000, "supplier"),     # partly paid: 20 000 still owed
    ("60.02", "51", 5_000, "other"),         # an advance to another supplier
    ("62.01", "90.01", 120_000, "buyer"),    # a sale
    ("90.03", "68.02", 20_000),              # its VAT
    ("90.02", "41.01", 45_000),              # cost of the goods sold
    ("51", "62.01", 100_000, "buyer"),       # the buyer pays 100 000 of 120 000
    ("51", "62.02", 30_000, "customer2"),    # another customer pays in advance
    ("26", "60.01", 15_000, "landlord"),     # rent
    ("60.01", "51", 15_000, "landlord"),     # paid
    ("44", "70", 20_000),                    # wages
    ("70", "68.01", 2_600),                  # НДФЛ withheld
    ("44", "69.09", 6_000),                  # contributions
    ("70", "51", 17_400),                    # wages paid
    ("69.09", "51", 6_000),                  # contributions paid
    ("08.04", "60.01", 24_000, "dealer"),    # equipment bought
    ("01", "08.04", 24_000),                 # put into use
    ("26", "02", 1_000),                     # depreciation
    ("91.02", "51", 500),                    # a bank fee
    ("51", "91.01", 300),                    # interest received
    ("99", "68.04", 2_000),                  # profit tax
]


def test_the_balance_sheet_of_a_realistic_ledger_balances():
    lines = st.balance_sheet(closing(LEDGER))
    expected = {
        # 01 24 000 − 02 1 000 (08.04 is zero again)
        "1150": 23_000,
        "1170": 0,
        # 41.01: 60 000 − 45 000
        "1210": 15_000,
        # 51: 10 000 + 50 000 − 40 000 − 5 000 + 100 000 + 30 000 − 15 000 − 17 400
        #     − 6 000 − 500 + 300 = 106 400
        "1250": 106_400,
        # debit balances: the advance 60.02 5 000 + the buyer's debt 62.01 20 000
        "1230": 25_000,
        "1600": 169_400,
        # capital 10 000 + the result not yet closed: revenue 120 000 − VAT 20 000 − cost
        # 45 000 − 26 16 000 − 44 26 000 − 500 + 300 − tax 2 000 = 10 800 → 20 800
        "1300": 20_800,
        "1410": 0,
        "1450": 0,
        "1510": 50_000,
        # credit balances: supplier 20 000, dealer 24 000, advance received 30 000,
        # VAT 20 000, НДФЛ 2 600, profit tax 2 000 = 98 600
        "1520": 98_600,
        "1550": 0,
        "1700": 169_400,
    }
    assert lines == {k: v * R for k, v in expected.items()}
    assert [f.code for f in st.BALANCE_SHEET_FORM] == list(expected)


def test_the_financial_results_match_the_result_in_the_balance_sheet():
    lines = st.financial_results(turnovers(LEDGER))
    expected = {
        "2110": 100_000,  # 120 000 − VAT 20 000
        "2120": 87_000,   # cost 45 000 + 26 (15 000 + 1 000) + 44 (20 000 + 6 000)
        "2330": 0,
        "2340": 300,
        "2350": 500,
        "2410": 2_000,
        "2400": 10_800,   # 100 000 − 87 000 + 300 − 500 − 2 000
    }
    assert lines == {k: v * R for k, v in expected.items()}
    # The profit is what the balance sheet's 1300 gained beyond the capital paid in.
    assert lines["2400"] == st.balance_sheet(closing(LEDGER))["1300"] - 10_000 * R


def test_closing_the_cost_accounts_counts_nothing_twice():
    # Month-end closing (when it exists): 26 to 90.08, 44 to 90.07, and a production
    # cost moved to finished goods.
    closed = [*LEDGER, ("90.08", "26", 16_000), ("90.07", "44", 26_000)]
    assert st.financial_results(turnovers(closed)) == st.financial_results(turnovers(LEDGER))
    assert st.balance_sheet(closing(closed)) == st.balance_sheet(closing(LEDGER))
    # Дт 20 Кт 60 3 000 then Дт 43 Кт 20 3 000: the cost is an asset (finished goods), not
    # an expense of the period.
    made = [*LEDGER, ("20", "60.01", 3_000, "supplier"), ("43", "20", 3_000)]
    results = st.financial_results(turnovers(made))
    assert results["2120"] == 87_000 * R
    sheet = st.balance_sheet(closing(made))
    assert (sheet["1210"], sheet["1520"]) == (18_000 * R, 101_600 * R)
    assert sheet["1600"] == sheet["1700"] == 172_400 * R


def test_settlements_are_shown_expanded_by_counterparty_and_sub_account():
    balances = {
        ("62.01", "a"): 700 * R,     # a owes us 700
        ("62.01", "b"): -200 * R,    # b overpaid 200
        ("60.01", "c"): -500 * R,    # we owe c 500
        ("60.02", "c"): 100 * R,     # ... and gave c an advance of 100
        ("68.01", None): -130 * R,   # НДФЛ to pay
        ("68.02", None): 40 * R,     # VAT overpaid
        ("66", "bank"): -1_000 * R,
        ("67", "bank"): -3_000 * R,
        ("51", None): 4_090 * R,
        ("80", "founder"): -100 * R,
    }
    lines = st.balance_sheet(balances)
    # Debit side: 700 + 100 = 800; credit side of settlements: 200 + 500 = 700, and the
    # settlements with the budget (ЕНС: 68.01, 68.02) netted into one figure (issue 13
    # point 10): −130 + 40 = 90 credit → 1520, not 40 on 1230 and 130 on 1520.
    assert lines["1230"] == 800 * R
    assert lines["1520"] == 790 * R
    assert (lines["1510"], lines["1410"]) == (1_000 * R, 3_000 * R)
    # Netted per account it would be 62 +500, 60 −400, 68 −90: 500 and 490; expanded,
    # 1600 = 4 090 + 800 = 4 890 = 1700 = 100 + 1 000 + 3 000 + 790.
    assert lines["1300"] == 100 * R
    assert lines["1600"] == lines["1700"] == 4_890 * R


def test_000_goes_to_no_line_and_the_ens_excludes_69_11():
    # Opening balances by counterparty make 000 look split: (000, a) −700, (000, None)
    # +700; they must land on neither 1230 nor 1550. 69.11 (injuries, paid to the СФР)
    # stays out of the ЕНС: its credit 50 on 1520 even with 68.90 debit 300 beside it.
    balances = {
        ("62.01", "a"): 700 * R, ("000", "a"): -700 * R, ("000", None): 700 * R,
        ("80", None): -700 * R, ("51", None): 700 * R,
        ("68.90", None): 300 * R, ("69.11", None): -50 * R, ("69.01", None): -20 * R,
    }
    lines = st.balance_sheet(balances)
    # 1230: 700 (62.01 a) + ЕНС 300 − 20 = 280 → 980; 1520: 69.11 50; 1550: 0.
    assert (lines["1230"], lines["1520"], lines["1550"]) == (980 * R, 50 * R, 0)
    assert st.auxiliary(balances) == 0


@pytest.mark.parametrize(("code", "kind", "line", "credit_line"), [
    ("60.01", "split", "1230", "1520"),
    ("62", "split", "1230", "1520"),
    ("69.11", "split", "1230", "1520"),
    ("66", "split", "1230", "1510"),
    ("67", "split", "1230", "1410"),
    ("08.04", "asset", "1150", None),
    ("08.05", "asset", "1170", None),
    ("02", "asset", "1150", None),
    ("58", "asset", "1170", None),
    ("41.01", "asset", "1210", None),
    ("57", "asset", "1250", None),
    ("19.03", "asset", "1230", None),
    ("97", "asset", "1230", None),
    ("84", "liability", "1300", None),
    ("90.09", "liability", "1300", None),
    ("26", "liability", "1300", None),
    ("96", "liability", "1550", None),
    ("31", "split", "1230", "1550"),  # no rule: split to the «other» lines
])
def test_account_rules(code, kind, line, credit_line):
    rule = st.rule_for(code)
    assert (rule.kind, rule.line, rule.credit_line) == (kind, line, credit_line)


def test_any_set_of_balanced_postings_balances():
    # Whatever the accounts, including ones no rule names, 1600 = 1700.
    odd = [("31", "51", 7), ("51", "32.1", 9), ("99", "84", 3), ("81", "51", 2),
           ("63", "91.01", 4), ("62.01", "90.01", 11, "x"), ("51", "62.01", 15, "x")]
    lines = st.balance_sheet(closing(odd))
    assert lines["1600"] == lines["1700"]
    assert st.balance_sheet({}) == dict.fromkeys(lines, 0)


def test_a_loss_is_negative():
    lines = st.financial_results(turnovers([("26", "60.01", 1_000, "s"),
                                            ("62.01", "90.01", 400, "b")]))
    assert lines["2400"] == -600 * R
    sheet = st.balance_sheet(closing([("26", "60.01", 1_000, "s"),
                                      ("62.01", "90.01", 400, "b")]))
    assert sheet["1300"] == -600 * R and sheet["1600"] == sheet["1700"] == 400 * R
