"""The pure rules of the dashboard's checks (``server.domain.checks``), worked examples in
kopecks."""

from __future__ import annotations

from datetime import date

from server.domain import checks as rules


def test_the_first_day_a_balance_closes_below_zero():
    # Opening 1 000,00; 03.03 −1 500,00; 04.03 +2 000,00: 03.03 closes at −500,00.
    moves = [(date(2026, 3, 4), 200_000), (date(2026, 3, 3), -150_000)]
    assert rules.first_negative_day(100_000, moves) == (date(2026, 3, 3), -50_000)
    # Two movements of one day are summed: −1 500 and +1 500 the same day never go negative.
    assert rules.first_negative_day(0, [(date(2026, 3, 3), -150_000),
                                        (date(2026, 3, 3), 150_000)]) is None


def test_parties_net_sub_accounts_of_one_account_only():
    # «Ромашка» 62.01 +50 000, 62.02 −20 000, 60.01 −7 000 → owes us 30 000, we owe 7 000.
    balances = {("62.01", "r"): 5_000_000, ("62.02", "r"): -2_000_000,
                ("60.01", "r"): -700_000, ("76.АВ", "r"): 100_000, ("51", None): 9_000}
    [party] = rules.parties(balances)
    assert (party.owes_us, party.we_owe) == (3_000_000, 700_000)
    assert rules.debt_and_advance(balances) == [("r", "62")]
    assert rules.debt_and_advance({("62.01", "r"): 100}) == []


def test_top_debtors_largest_first():
    found = [rules.Party("a", 100, 0), rules.Party("b", 300, 0), rules.Party("c", 200, 5),
             rules.Party("d", 50, 0), rules.Party(None, 999, 0)]
    assert [p.counterparty_id for p in rules.top(found, debtors=True)] == ["b", "c", "a"]
    assert [p.counterparty_id for p in rules.top(found, debtors=False)] == ["c"]


def test_invoices_are_paid_oldest_first():
    # Счета of 10 000 (01.03) and 5 000 (05.03), payments 12 000 (10.03): the first is
    # paid, the second has 3 000 unpaid; due 15.03 (10 days), overdue on 20.03.
    first = rules.Invoice("1", "cp", date(2026, 3, 1), 1_000_000)
    second = rules.Invoice("2", "cp", date(2026, 3, 5), 500_000)
    paid = [("cp", date(2026, 3, 10), 1_200_000), ("other", date(2026, 3, 10), 9)]
    assert rules.unpaid_invoices([second, first], paid, date(2026, 3, 20)) == [(second, 300_000)]
    assert rules.unpaid_invoices([second, first], paid, date(2026, 3, 15)) == []
    # A payment before a счёт's date does not pay it.
    early = [("cp", date(2026, 2, 1), 1_500_000)]
    assert rules.unpaid_invoices([first], early, date(2026, 4, 1)) == [(first, 1_000_000)]


def test_months_not_closed_and_the_ens():
    months = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert rules.months_not_closed(months, [date(2026, 1, 1)], date(2026, 3, 10)) == [
        date(2026, 2, 1)]
    # 68.90 +15 000 against the next ЕНП of 40 000: 25 000 short; a credit balance is 0.
    assert rules.ens_shortfall(1_500_000, 4_000_000) == 2_500_000
    assert rules.ens_shortfall(-100, 4_000_000) == 4_000_000
    assert rules.ens_shortfall(5_000_000, 4_000_000) == 0


def test_the_worst_first():
    found = [rules.Finding("documents.draft", "info", 1),
             rules.Finding("periods.not_closed", "warning", 2),
             rules.Finding("cash.negative", "error", 1),
             rules.Finding("bank.unposted_lines", "warning", 3)]
    assert [f.code for f in rules.ordered(found)] == [
        "cash.negative", "periods.not_closed", "bank.unposted_lines", "documents.draft"]
