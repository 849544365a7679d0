"""server/domain/usn.py: the УСН tax by cumulative periods, its reduction, the minimum tax,
due dates on working days, and what goes into the book (КУДиР). Worked examples by hand;
amounts in kopecks (₽ × 100)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from server.domain import usn

R = 100  # kopecks in a rouble


def tax(**over):
    facts = {"year": 2026, "regime": "usn_income", "rate": Decimal("6"), "kind": "ip",
             "income": (0, 0, 0, 0), **over}
    return {p.period: p for p in usn.compute(usn.UsnFacts(**facts))}


def test_ip_without_staff_reduces_the_tax_by_all_contributions():
    got = tax(income=(300_000 * R, 200_000 * R, 100_000 * R, 900_000 * R),
              contributions=(12_000 * R, 0, 20_000 * R, 21_658 * R))
    # Q1: 300 000 × 6 % = 18 000; contributions 12 000 all count (no staff) → 6 000,
    # due 28.04.2026 (a Tuesday).
    q1 = got["Q1"]
    assert (q1.base, q1.tax, q1.reduction, q1.due) == (300_000 * R, 18_000 * R, 12_000 * R,
                                                       6_000 * R)
    assert q1.due_date == date(2026, 4, 28)
    # H1 cumulative: 500 000 × 6 % = 30 000 − 12 000 = 18 000; Q1's 6 000 was due → 12 000
    # by 28.07.2026 (Tuesday).
    h1 = got["H1"]
    assert (h1.income, h1.tax, h1.contributions, h1.reduction, h1.due) == (
        500_000 * R, 30_000 * R, 12_000 * R, 12_000 * R, 12_000 * R)
    assert h1.due_date == date(2026, 7, 28)
    # 9M: 600 000 × 6 % = 36 000 − 32 000 = 4 000, less than the 18 000 due so far → 0.
    assert (got["9M"].tax, got["9M"].reduction, got["9M"].due) == (36_000 * R, 32_000 * R, 0)
    # Year: 1 500 000 × 6 % = 90 000 − 53 658 = 36 342; due before 6 000 + 12 000 + 0 =
    # 18 000 → 18 342 by 28.04.2027 (an ИП; a Wednesday).
    y = got["Y"]
    assert (y.tax, y.reduction, y.due, y.minimum_tax) == (90_000 * R, 53_658 * R, 18_342 * R, 0)
    assert y.due_date == date(2027, 4, 28)
    assert y.rate == Decimal("6") and y.expense == 0


def test_contributions_never_make_the_tax_negative_for_an_ip():
    # 100 000 × 6 % = 6 000; contributions 53 658 reduce it to zero, not below.
    q1 = tax(income=(100_000 * R, 0, 0, 0), contributions=(53_658 * R, 0, 0, 0))["Q1"]
    assert (q1.tax, q1.reduction, q1.due) == (6_000 * R, 6_000 * R, 0)


def test_an_organisation_reduces_by_at_most_half_of_the_tax():
    got = tax(kind="ooo", year=2025,
              income=(1_000_000 * R, 500_000 * R, 0, 0),
              contributions=(45_000 * R, 10_000 * R, 0, 0))
    # Q1: 1 000 000 × 6 % = 60 000; half is 30 000 < 45 000 paid → reduction 30 000,
    # due 30 000 by 28.04.2025 (Monday).
    assert (got["Q1"].tax, got["Q1"].reduction, got["Q1"].due) == (
        60_000 * R, 30_000 * R, 30_000 * R)
    assert got["Q1"].due_date == date(2025, 4, 28)
    # H1: 1 500 000 × 6 % = 90 000; half 45 000 < 55 000 → 45 000 left, 30 000 due before
    # → 15 000 by 28.07.2025 (Monday).
    assert (got["H1"].tax, got["H1"].reduction, got["H1"].due) == (
        90_000 * R, 45_000 * R, 15_000 * R)
    assert got["H1"].due_date == date(2025, 7, 28)
    # An organisation's tax for 2025 is due 28.03.2026, a Saturday → Monday 30.03.2026.
    assert got["Y"].due_date == date(2026, 3, 30)
    # Nothing more after June: the year stays at 90 000 − 45 000 = 45 000, all due before.
    assert got["Y"].due == 0


def test_the_half_cap_is_whole_roubles_rounded_down():
    # 300 017 × 6 % = 18 001,02 → 18 001; half is 9 000,50 → at most 9 000, so 9 001
    # remains (never less than half of the tax).
    q1 = tax(kind="ooo", income=(300_017 * R, 0, 0, 0),
             contributions=(10_000 * R, 0, 0, 0))["Q1"]
    assert (q1.tax, q1.reduction, q1.due) == (18_001 * R, 9_000 * R, 9_001 * R)


def test_an_ip_who_hires_gets_the_half_cap_from_that_period():
    got = tax(income=(300_000 * R, 300_000 * R, 0, 0),
              contributions=(18_000 * R, 20_000 * R, 0, 0),
              staff=(False, True, False, False), periods=2)
    # Q1 without staff: 18 000 − 18 000 = 0.
    assert (got["Q1"].reduction, got["Q1"].due) == (18_000 * R, 0)
    # H1 with staff: 600 000 × 6 % = 36 000, contributions 38 000 but at most 18 000 →
    # 18 000 due (nothing was due for Q1).
    assert (got["H1"].tax, got["H1"].reduction, got["H1"].due) == (
        36_000 * R, 18_000 * R, 18_000 * R)
    assert set(got) == {"Q1", "H1"}  # periods=2: the year is not computed yet


def test_income_less_expenses_with_the_minimum_tax():
    got = tax(regime="usn_income_expense", rate=Decimal("15"),
              income=(1_000_000 * R, 1_000_000 * R, 500_000 * R, 500_000 * R),
              expense=(900_000 * R, 1_050_000 * R, 400_000 * R, 700_000 * R),
              contributions=(30_000 * R, 0, 0, 0))
    # Q1: (1 000 000 − 900 000) × 15 % = 15 000; contributions are an expense here, they
    # do not reduce the tax.
    assert (got["Q1"].base, got["Q1"].tax, got["Q1"].reduction, got["Q1"].due) == (
        100_000 * R, 15_000 * R, 0, 15_000 * R)
    assert got["Q1"].contributions == 30_000 * R
    # H1: 2 000 000 − 1 950 000 = 50 000 × 15 % = 7 500 < 15 000 already due → 0.
    assert (got["H1"].base, got["H1"].tax, got["H1"].due) == (50_000 * R, 7_500 * R, 0)
    # 9M: 2 500 000 − 2 350 000 = 150 000 × 15 % = 22 500 − 15 000 → 7 500.
    assert (got["9M"].tax, got["9M"].due) == (22_500 * R, 7_500 * R)
    assert got["9M"].minimum_tax == 0  # the minimum tax is a year's figure only
    # Year: 3 000 000 − 3 050 000 is a loss → base 0, tax 0; the minimum tax
    # 1 % × 3 000 000 = 30 000 is due, less 22 500 due before → 7 500 by 28.04.2027.
    y = got["Y"]
    assert (y.income, y.expense, y.base, y.tax, y.minimum_tax, y.due) == (
        3_000_000 * R, 3_050_000 * R, 0, 0, 30_000 * R, 7_500 * R)
    assert y.due_date == date(2027, 4, 28)


def test_the_minimum_tax_does_not_apply_when_the_tax_is_larger():
    y = tax(regime="usn_income_expense", rate=Decimal("15"), kind="ooo",
            income=(0, 0, 0, 1_000_000 * R), expense=(0, 0, 0, 600_000 * R))["Y"]
    # (1 000 000 − 600 000) × 15 % = 60 000 > 1 % × 1 000 000 = 10 000.
    assert (y.tax, y.minimum_tax, y.due) == (60_000 * R, 10_000 * R, 60_000 * R)
    # An organisation's tax for 2026: 28.03.2027 is a Sunday → Monday 29.03.2027.
    assert y.due_date == date(2027, 3, 29)


def test_a_regional_rate_and_rounding_to_whole_roubles():
    # 1 %: income 1 234 567,89 → 1 234 568 ₽ (rounded) × 1 % = 12 345,68 → 12 346 ₽.
    q1 = tax(rate=Decimal("1"), income=(123_456_789, 0, 0, 0), periods=1)["Q1"]
    assert (q1.income, q1.base, q1.tax, q1.due) == (123_456_789, 123_456_800, 1_234_600,
                                                   1_234_600)
    assert q1.rate == Decimal("1")
    # 6 %: 100 008,33 → 100 008 ₽ × 6 % = 6 000,48 → 6 000 ₽ (under 50 kopecks dropped);
    # 100 008,50 → 100 009 ₽ × 6 % = 6 000,54 → 6 001 ₽ (50 kopecks and more round up).
    assert tax(income=(10_000_833, 0, 0, 0), periods=1)["Q1"].tax == 6_000 * R
    assert tax(income=(10_000_850, 0, 0, 0), periods=1)["Q1"].tax == 6_001 * R
    # A rate with a fraction: 200 000 × 7,5 % = 15 000 (a region's «доходы минус
    # расходы»).
    q1 = tax(regime="usn_income_expense", rate=Decimal("7.5"),
             income=(300_000 * R, 0, 0, 0), expense=(100_000 * R, 0, 0, 0), periods=1)["Q1"]
    assert q1.tax == 15_000 * R


def test_base_rate_and_rounding_helpers():
    assert usn.base_rate("usn_income", None) == Decimal("6")
    assert usn.base_rate("usn_income_expense", None) == Decimal("15")
    assert usn.base_rate("usn_income", Decimal("1")) == Decimal("1")
    assert usn.round_roubles(123_449) == 123_400 and usn.round_roubles(123_450) == 123_500
    with pytest.raises(ValueError):
        tax(regime="osno")


@pytest.mark.parametrize(("year", "period", "kind", "due"), [
    # 2024: 28.04 is a Sunday, 29 and 30 April days off by the decree, 1 May a holiday →
    # Thursday 02.05.2024. 28.07.2024 is a Sunday → Monday 29.07.
    (2024, "Q1", "ip", date(2024, 5, 2)),
    (2024, "H1", "ooo", date(2024, 7, 29)),
    (2024, "9M", "ooo", date(2024, 10, 28)),
    # For 2024: 28.03.2025 is a Friday, 28.04.2025 a Monday (reference §2).
    (2024, "Y", "ooo", date(2025, 3, 28)),
    (2024, "Y", "ip", date(2025, 4, 28)),
    # For 2025: 28.03.2026 a Saturday → 30.03.2026; 28.04.2026 a Tuesday (reference §2).
    (2025, "Y", "ooo", date(2026, 3, 30)),
    (2025, "Y", "ip", date(2026, 4, 28)),
    (2025, "9M", "ip", date(2025, 10, 28)),
    (2026, "9M", "ip", date(2026, 10, 28)),
])
def test_due_dates_move_to_the_next_working_day(year, period, kind, due):
    assert usn.due_date(year, period, kind) == due


def test_the_production_calendar():
    # Weekends and holidays.
    assert not usn.is_working_day(date(2026, 3, 28))  # Saturday
    assert not usn.is_working_day(date(2026, 6, 12))  # День России, a Friday
    assert usn.is_working_day(date(2026, 3, 30))
    # Decrees (UNCONFIRMED table): 01.11.2025 a working Saturday, 03.11.2025 off,
    # 31.12.2025 off; 24.02.2025 working (23 February's day off went to 8 May).
    assert usn.is_working_day(date(2025, 11, 1))
    assert not usn.is_working_day(date(2025, 11, 3))
    assert not usn.is_working_day(date(2025, 12, 31))
    assert usn.is_working_day(date(2025, 2, 24))
    assert not usn.is_working_day(date(2025, 5, 8))
    # A year without a decree in the table (2027): ТК ст. 112 ч. 2 moves the day off of a
    # holiday on a weekend: 1 May (Saturday) → Monday 3 May; 9 May (Sunday) → Monday
    # 10 May; 12 June (Saturday) → Monday 14 June.
    assert not usn.is_working_day(date(2027, 5, 3))
    assert not usn.is_working_day(date(2027, 5, 10))
    assert not usn.is_working_day(date(2027, 6, 14))
    assert usn.is_working_day(date(2027, 5, 4))
    assert usn.next_working_day(date(2027, 5, 8)) == date(2027, 5, 11)


def test_what_goes_into_the_book():
    ie = "usn_income_expense"
    # Money in from customers, other debtors, sales, other income: income.
    for debit, credit in (("51", "62.01"), ("51", "62.02"), ("50.01", "62.01"),
                          ("57", "62.01"), ("51", "90.01"), ("51", "91.01"), ("52", "76")):
        assert usn.kudir_kind(debit, credit, "usn_income") == "income", (debit, credit)
    # Not income: loans, founders' money, own transfers, a supplier's refund.
    for debit, credit in (("51", "66"), ("51", "67"), ("51", "75.01"), ("51", "50.01"),
                          ("51", "57"), ("51", "60.01"), ("51", "71")):
        assert usn.kudir_kind(debit, credit, "usn_income") is None, (debit, credit)
    # Expenses only for «доходы минус расходы»: suppliers, wages, contributions, НДФЛ.
    for debit, credit in (("60.01", "51"), ("60.02", "51"), ("70", "50.01"), ("69.09", "51"),
                          ("68.01", "51"), ("26", "51"), ("44", "51")):
        assert usn.kudir_kind(debit, credit, ie) == "expense", (debit, credit)
        assert usn.kudir_kind(debit, credit, "usn_income") is None
    # Not expenses: the УСН tax itself, VAT, the ЕНП, a loan repaid, cash to the bank.
    for debit, credit in (("68.12", "51"), ("68.02", "51"), ("68.90", "51"), ("66", "51"),
                          ("51", "50.01"), ("60.01", "62.01")):
        assert usn.kudir_kind(debit, credit, ie) is None, (debit, credit)
    assert usn.is_contribution_payment("69.11", "51")
    assert usn.is_contribution_payment("69", "50.01")
    assert not usn.is_contribution_payment("69.09", "68.90")
    assert not usn.is_contribution_payment("44", "69.09")
