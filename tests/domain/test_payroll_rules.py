"""server/domain/payroll_rules.py: НДФЛ, contributions, pay and due dates. Every figure is
worked by hand in the comments; amounts in kopecks (₽ × 100)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from server.domain import payroll_rules as pr
from server.domain import work_calendar

R = 100  # kopecks in a rouble
INJ = pr.INJURY_DEFAULT_RATE


def contrib(year=2025, *, before=0, pay=100_000 * R, sme=False, director=False, **kw):
    return pr.contributions(year, base_ytd_before=before, pay_month=pay, sme=sme,
                            injury_rate=INJ, director_min_base_applies=director, **kw)


# --- the yearly figures -----------------------------------------------------------------


def test_year_rules():
    r25, r26 = pr.rules(2025), pr.rules(2026)
    assert (r25.mrot, r26.mrot) == (22_440 * R, 27_093 * R)
    assert (r25.base_limit, r26.base_limit) == (2_759_000 * R, 2_979_000 * R)
    # 1.5 МРОТ: 22 440 × 1.5 = 33 660; 27 093 × 1.5 = 40 639,50.
    assert (r25.sme_threshold, r26.sme_threshold) == (33_660 * R, 4_063_950)
    assert r25.child_deductions == (1_400 * R, 2_800 * R, 6_000 * R, 12_000 * R)
    assert r25.child_deduction_limit == 450_000 * R
    assert [rate for _, rate in r25.ndfl_bands] == [Decimal(x) for x in (13, 15, 18, 20, 22)]
    assert (r25.rate_main, r25.rate_above_limit) == (Decimal("30"), Decimal("15.1"))
    assert (r25.sme_reduced_for_all, r26.sme_reduced_for_all) == (True, False)
    assert (r25.director_min_base, r26.director_min_base) == (False, True)
    assert INJ == Decimal("0.2")
    with pytest.raises(ValueError, match="2027"):
        pr.rules(2027)


# --- a full month -----------------------------------------------------------------------


def test_a_full_month_of_100_000():
    # НДФЛ: 100 000 × 13 % = 13 000.
    assert pr.ndfl_to_withhold(2025, 0, 100_000 * R, 0, 0, 0) == 13_000 * R
    # Contributions, not МСП: 100 000 × 30 % = 30 000; injury 100 000 × 0.2 % = 200.
    c = contrib()
    assert (c.main, c.injury, c.base) == (30_000 * R, 200 * R, 100_000 * R)
    # МСП 2025: 33 660 × 30 % + 66 340 × 15 % = 10 098 + 9 951 = 20 049.
    c = contrib(sme=True)
    assert (c.main, c.injury) == (20_049 * R, 200 * R)
    # МСП pay below 1.5 МРОТ: 20 000 × 30 % = 6 000 (no 15 % part).
    assert contrib(sme=True, pay=20_000 * R).main == 6_000 * R


def test_a_partial_month_is_pro_rata_by_working_days():
    # January 2025 has 17 working days; 10 worked: 100 000 × 10 / 17 = 58 823,529… → 58 823,53.
    assert work_calendar.working_days(2025, 1) == 17
    assert pr.pro_rata(100_000 * R, 10, 17) == 5_882_353
    assert pr.pro_rata(100_000 * R, 17, 17) == 100_000 * R
    # 1 / 3 of 100 000 = 33 333,333… → 33 333,33; 2 / 3 = 66 666,666… → 66 666,67.
    assert pr.pro_rata(100_000 * R, 1, 3) == 3_333_333
    assert pr.pro_rata(100_000 * R, 2, 3) == 6_666_667
    with pytest.raises(ValueError):
        pr.pro_rata(100_000 * R, 1, 0)


# --- НДФЛ -------------------------------------------------------------------------------


def run_year(year, monthly, months, children=()):
    """Withholdings month by month, cumulative as a payroll does it."""
    income = deductions = withheld = 0
    out = []
    for _ in range(months):
        deduction = pr.child_deduction(year, children, income + monthly)
        tax = pr.ndfl_to_withhold(year, income, monthly, deductions, deduction, withheld)
        income += monthly
        deductions += deduction
        withheld += tax
        out.append((deduction, tax))
    return out


def test_crossing_2_4_million():
    # 300 000 a month: month 8 brings the year to exactly 2 400 000, still 13 %: 39 000 a
    # month (2 400 000 × 13 % = 312 000 = 8 × 39 000). Month 9: 2 700 000 → 312 000 +
    # 300 000 × 15 % = 357 000, so 45 000 that month.
    taxes = [t for _, t in run_year(2025, 300_000 * R, 9)]
    assert taxes == [39_000 * R] * 8 + [45_000 * R]
    # 280 000 a month: after 8 months 2 240 000, tax 291 200. Month 9 → 2 520 000:
    # 160 000 × 13 % = 20 800 plus 120 000 × 15 % = 18 000 → 38 800.
    taxes = [t for _, t in run_year(2026, 280_000 * R, 10)]
    assert taxes[:8] == [36_400 * R] * 8
    assert taxes[8] == 38_800 * R
    # Month 10 all at 15 %: 280 000 × 15 % = 42 000.
    assert taxes[9] == 42_000 * R


def test_all_the_bands():
    # 60 million: 2.4 M × 13 % = 312 000; 2.6 M × 15 % = 390 000; 15 M × 18 % = 2 700 000;
    # 30 M × 20 % = 6 000 000; 10 M × 22 % = 2 200 000 → 11 602 000.
    assert pr.ndfl_ytd(2025, 60_000_000 * R) == 11_602_000 * R
    # Exactly 5 M: 312 000 + 390 000 = 702 000.
    assert pr.ndfl_ytd(2025, 5_000_000 * R) == 702_000 * R
    assert pr.ndfl_ytd(2025, 0) == 0
    assert pr.ndfl_ytd(2025, -5_000 * R) == 0


def test_ndfl_rounding_to_whole_roubles():
    # 10 073 × 13 % = 1 309,49 → 1 309 (below 50 kopecks dropped).
    assert pr.ndfl_ytd(2025, 10_073 * R) == 1_309 * R
    # 10 050 × 13 % = 1 306,50 → 1 307 (50 kopecks up).
    assert pr.ndfl_ytd(2025, 10_050 * R) == 1_307 * R
    # The base keeps its kopecks: 10 050,01 × 13 % = 1 306,5013 → 1 307.
    assert pr.ndfl_ytd(2025, 1_005_001) == 1_307 * R
    # Cumulative rounding: two payments of 10 050 → 20 100 × 13 % = 2 613 in all;
    # the first withholds 1 307, the second 2 613 − 1 307 = 1 306.
    first = pr.ndfl_to_withhold(2025, 0, 10_050 * R, 0, 0, 0)
    second = pr.ndfl_to_withhold(2025, 10_050 * R, 10_050 * R, 0, 0, first)
    assert (first, second) == (1_307 * R, 1_306 * R)
    # Never negative: more withheld before than due → 0.
    assert pr.ndfl_to_withhold(2025, 10_000 * R, 0, 0, 0, 5_000 * R) == 0


def test_child_deductions_stop_when_income_passes_450_000():
    kids = (pr.Child(1), pr.Child(2))
    # 1 400 + 2 800 = 4 200 a month.
    assert pr.child_deduction(2025, kids, 100_000 * R) == 4_200 * R
    # Exactly 450 000 still gets it; 450 000,01 does not.
    assert pr.child_deduction(2025, kids, 450_000 * R) == 4_200 * R
    assert pr.child_deduction(2025, kids, 450_000 * R + 1) == 0
    # 100 000 a month: months 1–4 (income ≤ 400 000) get 4 200; month 5 (500 000) does not.
    # Month 1: (100 000 − 4 200) × 13 % = 95 800 × 13 % = 12 454; months 2–4 the same.
    # Month 5: (500 000 − 16 800) × 13 % = 483 200 × 13 % = 62 816 − 4 × 12 454 (49 816)
    # = 13 000.
    got = run_year(2025, 100_000 * R, 6, kids)
    assert got[:4] == [(4_200 * R, 12_454 * R)] * 4
    assert got[4] == (0, 13_000 * R)
    assert got[5] == (0, 13_000 * R)


def test_third_and_disabled_children():
    # 1 400 + 2 800 + 6 000 + 6 000 = 16 200.
    kids = (pr.Child(1), pr.Child(2), pr.Child(3), pr.Child(4))
    assert pr.child_deduction(2026, kids, 50_000 * R) == 16_200 * R
    # A disabled second child: 2 800 + 12 000 = 14 800.
    assert pr.child_deduction(2026, (pr.Child(2, disabled=True),), 50_000 * R) == 14_800 * R
    assert pr.child_deduction(2026, (), 50_000 * R) == 0
    with pytest.raises(ValueError):
        pr.child_deduction(2026, (pr.Child(0),), 0)


# --- contributions ----------------------------------------------------------------------


def test_the_base_limit_crossed_in_july_2025():
    # 400 000 a month: after June 2 400 000; limit 2 759 000 leaves 359 000.
    # July: 359 000 × 30 % = 107 700 + 41 000 × 15.1 % = 6 191 → 113 891.
    c = contrib(before=2_400_000 * R, pay=400_000 * R)
    assert (c.main, c.base) == (113_891 * R, 400_000 * R)
    # Injury has no limit: 400 000 × 0.2 % = 800.
    assert c.injury == 800 * R
    # August: all above: 400 000 × 15.1 % = 60 400.
    assert contrib(before=2_800_000 * R, pay=400_000 * R).main == 60_400 * R
    # June: 2 000 000 before, all within: 120 000.
    assert contrib(before=2_000_000 * R, pay=400_000 * R).main == 120_000 * R


def test_the_base_limit_with_the_sme_rate():
    # МСП 2025, 400 000 in July (359 000 of room): 33 660 × 30 % = 10 098 and
    # 366 340 × 15 % = 54 951 → 65 049.
    assert contrib(before=2_400_000 * R, pay=400_000 * R, sme=True).main == 65_049 * R
    # August, above the limit: 33 660 × 15.1 % = 5 082,66 + 54 951 → 60 033,66.
    assert contrib(before=2_800_000 * R, pay=400_000 * R, sme=True).main == 6_003_366


def test_the_sme_rate_in_2025_and_2026():
    # 2025: every МСП; 2026: only those on the priority list.
    assert pr.sme_rate_applies(2025, is_sme=True)
    assert not pr.sme_rate_applies(2026, is_sme=True)
    assert pr.sme_rate_applies(2026, is_sme=True, priority_activity=True)
    assert not pr.sme_rate_applies(2025, is_sme=False)
    # The same 100 000 of an ordinary МСП (trade): 2025 → 20 049; 2026 → 30 000.
    for year, main in ((2025, 20_049 * R), (2026, 30_000 * R)):
        sme = pr.sme_rate_applies(year, is_sme=True)
        assert contrib(year, sme=sme).main == main, year
    # A qualifying МСП in 2026: 40 639,50 × 30 % = 12 191,85 + 59 360,50 × 15 % = 8 904,075
    # → 21 095,925 → 21 095,93.
    assert contrib(2026, sme=True).main == 2_109_593


def test_the_director_minimum_base_in_2026():
    # A director paid 10 000: the base is 1 МРОТ = 27 093 → 27 093 × 30 % = 8 127,90.
    c = contrib(2026, pay=10_000 * R, director=True)
    assert (c.base, c.main) == (27_093 * R, 812_790)
    # Injury on the actual pay: 10 000 × 0.2 % = 20 (the minimum is an НК rule).
    assert c.injury == 20 * R
    # No pay at all (unpaid leave): still 8 127,90.
    assert contrib(2026, pay=0, director=True).main == 812_790
    # Pay above МРОТ: the pay is the base: 50 000 × 30 % = 15 000.
    assert contrib(2026, pay=50_000 * R, director=True).base == 50_000 * R
    # Part of June 2026 (30 days), 15 days employed: 27 093 × 15 / 30 = 13 546,50; pay 5 000
    # → base 13 546,50 × 30 % = 4 063,95.
    c = contrib(2026, pay=5_000 * R, director=True, month_days_employed=15, month_days=30)
    assert (c.base, c.main) == (1_354_650, 406_395)
    # 2025 has no such rule: 10 000 × 30 % = 3 000.
    c = contrib(2025, pay=10_000 * R, director=True)
    assert (c.base, c.main) == (10_000 * R, 3_000 * R)
    # Not a director: the pay is the base in 2026 too.
    assert contrib(2026, pay=10_000 * R).main == 3_000 * R


def test_contribution_rounding_to_the_kopeck():
    # 12 345,67 × 30 % = 3 703,701 → 3 703,70; × 0.2 % = 24,69134 → 24,69.
    c = contrib(pay=1_234_567)
    assert (c.main, c.injury) == (370_370, 2_469)
    # 12 345,65 × 30 % = 3 703,695 → 3 703,70 (half up).
    assert contrib(pay=1_234_565).main == 370_370
    # Injury at 1.7 %: 100 000 × 1.7 % = 1 700.
    c = pr.contributions(2025, base_ytd_before=0, pay_month=100_000 * R, sme=False,
                         injury_rate=Decimal("1.7"), director_min_base_applies=False)
    assert c.injury == 1_700 * R


# --- vacation and sick pay --------------------------------------------------------------


def test_vacation_pay():
    # 1 200 000 over 12 months: 1 200 000 / 12 / 29.3 = 100 000 / 29.3 = 3 412,969… →
    # 3 412,97; 14 days: 3 412,97 × 14 = 47 781,58.
    avg = pr.average_daily_vacation(1_200_000 * R)
    assert avg == 341_297
    assert pr.vacation_pay(avg, 14) == 4_778_158
    # 11 full months and 15 of 30 days of a month: divisor 29.3 × 11 + 29.3 / 30 × 15 =
    # 322.3 + 14.65 = 336.95; pay 1 150 000 / 336.95 = 3 412,969… → 3 412,97.
    assert pr.average_daily_vacation(1_150_000 * R, 11, [(15, 30)]) == 341_297
    # 6 full months, 600 000: 600 000 / (29.3 × 6 = 175.8) = 3 412,969… → 3 412,97.
    assert pr.average_daily_vacation(600_000 * R, 6) == 341_297
    with pytest.raises(ValueError):
        pr.average_daily_vacation(0, 0)


def test_sick_pay_first_three_days():
    avg = 341_297  # 3 412,97
    # Record 3 years: 60 % → 2 047,782 → 2 047,78 a day × 3 = 6 143,34.
    assert pr.sick_pay_employer(avg, 3) == 614_334
    # 6 years: 80 % → 2 730,376 → 2 730,38 × 3 = 8 191,14.
    assert pr.sick_pay_employer(avg, 6) == 819_114
    # 10 years: 100 % → 3 412,97 × 3 = 10 238,91; 8 years exactly is 100 %, 5 exactly 80 %.
    assert pr.sick_pay_employer(avg, 10) == 1_023_891
    assert pr.sick_pay_employer(avg, 8) == 1_023_891
    assert pr.sick_pay_employer(avg, Decimal("5")) == 819_114
    assert pr.sick_pay_employer(avg, Decimal("4.99")) == 614_334
    # Ill for 2 days only: 2 × 3 412,97 = 6 825,94 (record 10 years).
    assert pr.sick_pay_employer(avg, 10, days=2) == 682_594


def test_average_daily_sick():
    # Illness in 2026: 2024 and 2025 earnings 1 200 000 each: 2 400 000 / 730 = 3 287,671…
    # → 3 287,67.
    assert pr.average_daily_sick(2026, 1_200_000 * R, 1_200_000 * R) == 328_767
    # Capped by the limits: 2 225 000 (2024) + 2 759 000 (2025) = 4 984 000 / 730 =
    # 6 827,397… → 6 827,40.
    assert pr.average_daily_sick(2026, 3_000_000 * R, 3_000_000 * R) == 682_740
    # Floor: МРОТ 27 093 × 24 / 730 = 650 232 / 730 = 890,728… → 890,73.
    assert pr.average_daily_sick(2026, 0, 0) == 89_073


# --- due dates --------------------------------------------------------------------------


@pytest.mark.parametrize(("withheld", "due"), [
    # 1–22 January → 28 January (Wednesday 28.01.2026).
    (date(2026, 1, 5), date(2026, 1, 28)),
    (date(2026, 1, 22), date(2026, 1, 28)),
    # 23–31 January → the 5th of February (НК ст. 226 п. 6 since 2024): Thursday
    # 05.02.2026. 1–22 February → 28.02.2026, a Saturday → Monday 02.03.2026.
    (date(2026, 1, 23), date(2026, 2, 5)),
    (date(2026, 2, 22), date(2026, 3, 2)),
    # 23 May – 22 June → 28.06.2026, a Sunday → Monday 29.06.2026.
    (date(2026, 6, 10), date(2026, 6, 29)),
    # 23–30 November 2025 → Friday 05.12.2025; 1–22 December → 28.12.2025, a Sunday →
    # Monday 29.12.2025.
    (date(2025, 11, 23), date(2025, 12, 5)),
    (date(2025, 12, 22), date(2025, 12, 29)),
    # 23–31 December → the last working day of the year: 30.12.2025 (31 December off);
    # 30.12.2026 (31 December 2026 off too).
    (date(2025, 12, 25), date(2025, 12, 30)),
    (date(2025, 12, 31), date(2025, 12, 30)),
    (date(2026, 12, 25), date(2026, 12, 30)),
])
def test_ndfl_due_date(withheld, due):
    assert pr.ndfl_due_date(withheld) == due


def test_contribution_due_dates():
    # December 2025 → 28.01.2026 (Wednesday).
    assert pr.contributions_due_date(2025, 12) == date(2026, 1, 28)
    # January 2026 → 28.02.2026 (Saturday) → 02.03.2026.
    assert pr.contributions_due_date(2026, 1) == date(2026, 3, 2)
    # May 2026 → 28.06.2026 (Sunday) → 29.06.2026.
    assert pr.contributions_due_date(2026, 5) == date(2026, 6, 29)
    # Injury: the 15th of the next month: December 2025 → 15.01.2026 (Thursday);
    # February 2026 → 15.03.2026 (Sunday) → 16.03.2026; April 2025 → 15.05.2025 (Thursday).
    assert pr.injury_due_date(2025, 12) == date(2026, 1, 15)
    assert pr.injury_due_date(2026, 2) == date(2026, 3, 16)
    assert pr.injury_due_date(2025, 4) == date(2025, 5, 15)


def test_pay_day_on_a_day_off_moves_back():
    # 15.03.2026 is a Sunday → Friday 13.03.2026; 12.06.2026 (Russia Day) → 11.06.2026.
    assert pr.pay_date(date(2026, 3, 15)) == date(2026, 3, 13)
    assert pr.pay_date(date(2026, 6, 12)) == date(2026, 6, 11)
    assert pr.pay_date(date(2026, 6, 15)) == date(2026, 6, 15)
