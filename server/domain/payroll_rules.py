"""Provides the payroll rules: НДФЛ, insurance contributions, pro rata pay, vacation and sick
pay, and the payment due dates.

Pure: amounts in whole kopecks (int), rates in per cent (Decimal), dates ``datetime.date``,
no I/O. Every yearly figure is a row of ``RULES`` keyed by year, so a new year is a data
change. Figures from the team reference (``/work/shared/reference/ru-rules-2025-2026.md``
§3 НДФЛ, §4 contributions, §5 payroll rules, §6); [law] = from the statute as remembered,
not confirmed by a retrieved page; UNCONFIRMED = an open question.

Rounding:
- НДФЛ: the base is in kopecks, the tax is in whole roubles — less than 50 kopecks is
  dropped, 50 kopecks and more make a rouble (НК ст. 52 п. 6). The tax is computed on the
  cumulative base since 1 January (ст. 226 п. 3) and rounded once, as a whole; what is
  withheld now is the cumulative tax less what was withheld before;
- contributions: to the kopeck, half up (ст. 431 п. 4 НК: contributions are in roubles
  and kopecks), the month's total rounded once;
- pay (pro rata, average daily earnings, vacation and sick pay): to the kopeck, half up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from server.domain import work_calendar

KOPECK = Decimal(1)


def _kopecks(value: Decimal) -> int:
    """Decimal kopecks → int kopecks, half up."""
    return int(value.quantize(KOPECK, rounding=ROUND_HALF_UP))


def round_roubles(kopecks: int | Decimal) -> int:
    """Kopecks rounded to whole roubles, half up (НК ст. 52 п. 6): 1 309,49 → 1 309,00;
    1 306,50 → 1 307,00. Returned in kopecks (a multiple of 100)."""
    roubles = (Decimal(kopecks) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(roubles) * 100


# --- the yearly figures ------------------------------------------------------------------


@dataclass(frozen=True)
class YearRules:
    """The payroll figures of one year; money in kopecks, rates in per cent."""

    mrot: int
    """Federal МРОТ, a month."""
    base_limit: int
    """Единая предельная величина базы for contributions, a year per employee."""
    ndfl_bands: tuple[tuple[int | None, Decimal], ...]
    """(upper bound of the band's annual taxable income or None for the last, rate %)."""
    child_deduction_limit: int
    """The child deductions stop in the month the income since 1 January exceeds this."""
    child_deductions: tuple[int, int, int, int]
    """A month: (first child, second, third and each later, a disabled child — added to the
    order's amount)."""
    rate_main: Decimal
    """Единый тариф up to the base limit."""
    rate_above_limit: Decimal
    """Единый тариф above the base limit."""
    sme_rate_above_15mrot: Decimal
    """МСП: the rate on the part of a month's pay above 1.5 МРОТ (п. 2.4 ст. 427 НК)."""
    sme_reduced_for_all: bool
    """Whether every МСП gets the reduced rate (2025) or only qualifying ones (2026)."""
    director_min_base: bool
    """Whether an organisation's director's base is at least 1 МРОТ a month (2026 on)."""

    @property
    def sme_threshold(self) -> int:
        """1.5 МРОТ of a month in kopecks (33 660,00 ₽ in 2025; 40 639,50 ₽ in 2026)."""
        return _kopecks(Decimal(self.mrot) * 3 / 2)


_NDFL_BANDS_2025 = (
    (2_400_000_00, Decimal("13")),
    (5_000_000_00, Decimal("15")),
    (20_000_000_00, Decimal("18")),
    (50_000_000_00, Decimal("20")),
    (None, Decimal("22")),
)
"""Progressive scale from 2025 (ст. 224 п. 1 НК as amended by 176-ФЗ; reference §3: vedomosti.ru,
finance.mail.ru). Each rate applies to the part of the annual income within its band."""

RULES: dict[int, YearRules] = {
    2025: YearRules(
        # МРОТ 22 440 ₽ (vz.ru; ria.ru), base limit 2 759 000 ₽ (klerk.ru/buh/news/663088).
        mrot=22_440_00,
        base_limit=2_759_000_00,
        ndfl_bands=_NDFL_BANDS_2025,
        # 1 400 / 2 800 / 6 000 ₽, disabled child 12 000 ₽, limit 450 000 ₽ from 2025
        # (ст. 218 п. 1 пп. 4 НК; oleg-kolesnikov.ru). The guardian's 6 000 ₽ for a
        # disabled child is not modelled (UNCONFIRMED in the reference).
        child_deduction_limit=450_000_00,
        child_deductions=(1_400_00, 2_800_00, 6_000_00, 12_000_00),
        # 30 % / 15.1 % (ст. 425 п. 3 НК; klerk.ru/buh/articles/663050).
        rate_main=Decimal("30"),
        rate_above_limit=Decimal("15.1"),
        # 2025: every МСП in the register, 15 % above 1.5 МРОТ (п. 2.4 ст. 427; kontursverka.ru).
        sme_rate_above_15mrot=Decimal("15"),
        sme_reduced_for_all=True,
        director_min_base=False,
    ),
    2026: YearRules(
        # МРОТ 27 093 ₽ (kommersant.ru/doc/8247437; ria.ru). Base limit 2 979 000 ₽
        # (center-yf.ru states it as final; the number of the government resolution is
        # UNCONFIRMED).
        mrot=27_093_00,
        base_limit=2_979_000_00,
        ndfl_bands=_NDFL_BANDS_2025,
        child_deduction_limit=450_000_00,
        child_deductions=(1_400_00, 2_800_00, 6_000_00, 12_000_00),
        rate_main=Decimal("30"),
        rate_above_limit=Decimal("15.1"),
        # 2026 (425-ФЗ): 15 % above 1.5 МРОТ only for МСП whose main activity is on the
        # priority list (распоряжение от 27.12.2025 № 4125-р) and who meet its conditions
        # (the list and conditions: UNCONFIRMED, the caller decides).
        sme_rate_above_15mrot=Decimal("15"),
        sme_reduced_for_all=False,
        # From 01.01.2026 an organisation's director: base at least 1 МРОТ a month
        # (axelsoft.ru; dzen.ru/antiaccounting). Not for ИП or НКО.
        director_min_base=True,
    ),
}

INJURY_DEFAULT_RATE = Decimal("0.2")
"""НС и ПЗ, class I risk (the lowest of the 32 classes, 0.2 %–8.5 %; 179-ФЗ) — the default
until the organisation enters its class from СФР's notice (reference §4)."""

SICK_RECORD_SHARES: tuple[tuple[float, Decimal], ...] = (
    (8, Decimal("100")),
    (5, Decimal("80")),
    (0, Decimal("60")),
)
"""Sick pay share of the average daily earnings by insurance record: ≥ 8 years 100 %,
5–8 years 80 %, < 5 years 60 % (255-ФЗ ст. 7) [law]."""
SICK_EMPLOYER_DAYS = 3
"""The first 3 days of the employee's own illness are paid by the employer (255-ФЗ ст. 3
ч. 2 п. 1); from day 4 СФР pays directly (reference §5) [law]."""

SICK_BASE_LIMITS: dict[int, int] = {
    2023: 1_917_000_00,
    2024: 2_225_000_00,
    2025: 2_759_000_00,
    2026: 2_979_000_00,
}
"""Base limits of the years that cap the earnings of sick pay (255-ФЗ ст. 14 ч. 3.2).
2023 and 2024 are from memory [law, UNCONFIRMED]; 2025 and 2026 as in ``RULES``."""

VACATION_MONTH_DAYS = Decimal("29.3")
"""Average calendar days of a month for vacation pay (ТК ст. 139 ч. 4; пост. № 922 п. 10)."""
SICK_DIVISOR = 730
"""Days in the two years of sick-pay earnings (255-ФЗ ст. 14 ч. 3)."""


def rules(year: int) -> YearRules:
    """The figures of ``year``; ValueError naming the year when there is no row."""
    try:
        return RULES[year]
    except KeyError:
        raise ValueError(f"no payroll rules for {year}") from None


# --- НДФЛ -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    """A child for the standard deduction: ``order`` 1, 2, 3… by birth among the parent's
    children (older children count even when they no longer give a deduction)."""

    order: int
    disabled: bool = False


def child_deduction(year: int, children: Sequence[Child], income_ytd_incl_month: int) -> int:
    """The month's standard child deduction (ст. 218 п. 1 пп. 4 НК), in kopecks.

    1 400 ₽ for the first child, 2 800 ₽ for the second, 6 000 ₽ for the third and each
    later one; a disabled child adds 12 000 ₽ to its order's amount (the sum rule of the
    2025 wording) [law]. 0 from the month in which the income since 1 January, this month
    included, exceeds 450 000 ₽ (exactly 450 000 still gets it). The double deduction of a
    single parent and the guardian's amounts are not modelled.
    """
    r = rules(year)
    if income_ytd_incl_month > r.child_deduction_limit:
        return 0
    first, second, third, disabled = r.child_deductions
    total = 0
    for child in children:
        if child.order < 1:
            raise ValueError(f"child order must be 1 or more: {child.order}")
        total += first if child.order == 1 else second if child.order == 2 else third
        if child.disabled:
            total += disabled
    return total


def ndfl_exact(year: int, taxable_ytd: int) -> Decimal:
    """The progressive tax on a cumulative base, in kopecks, not rounded."""
    base = Decimal(max(0, taxable_ytd))
    tax = Decimal(0)
    lower = 0
    for upper, rate in rules(year).ndfl_bands:
        top = base if upper is None else min(base, Decimal(upper))
        if top > lower:
            tax += (top - lower) * rate / 100
        if upper is None or base <= upper:
            break
        lower = upper
    return tax


def ndfl_ytd(year: int, taxable_ytd: int) -> int:
    """НДФЛ on the cumulative taxable base since 1 January (income − deductions, never
    below 0) by the bands of ``year``: 13 % up to 2.4 million ₽, 15 % to 5 million,
    18 % to 20 million, 20 % to 50 million, 22 % above — each on its part only.

    Rounded to whole roubles (НК ст. 52 п. 6: < 50 kopecks dropped, ≥ 50 up), returned in
    kopecks. Example: 2 520 000 ₽ → 2 400 000 × 13 % + 120 000 × 15 % = 312 000 + 18 000
    = 330 000 ₽.
    """
    return round_roubles(ndfl_exact(year, taxable_ytd))


def ndfl_to_withhold(year: int, income_ytd_before: int, income_now: int,
                     deductions_ytd_before: int, deductions_now: int,
                     withheld_before: int) -> int:
    """The НДФЛ to withhold from a payment now: the cumulative tax after it (whole roubles)
    less what was withheld before this year, never below 0 (an overpayment is returned
    through ст. 231, not by a negative withholding)."""
    taxable = (income_ytd_before + income_now) - (deductions_ytd_before + deductions_now)
    return max(0, ndfl_ytd(year, max(0, taxable)) - withheld_before)


# --- contributions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contributions:
    """One employee's contributions for a month, kopecks."""

    main: int
    """Страховые взносы at the единый тариф (to ФНС, the ЕНП)."""
    injury: int
    """НС и ПЗ (to СФР)."""
    base: int
    """The month's base of the main contributions (with the director's minimum)."""


def sme_rate_applies(year: int, is_sme: bool, priority_activity: bool = False) -> bool:
    """Whether the МСП reduced rate applies: 2025 every МСП in the register; 2026 only an
    МСП whose main activity is on the priority list and which meets its conditions
    (``priority_activity``, decided by the caller: the list is UNCONFIRMED here)."""
    return is_sme and (rules(year).sme_reduced_for_all or priority_activity)


def director_min_base(year: int, month_days_employed: int = 0, month_days: int = 0) -> int:
    """The director's minimum monthly base of ``year`` (0 when the year has no such rule):
    1 МРОТ, pro-rated by calendar days employed when ``month_days`` is given (kopecks,
    half up)."""
    r = rules(year)
    if not r.director_min_base:
        return 0
    if month_days > 0:
        return _kopecks(Decimal(r.mrot) * month_days_employed / month_days)
    return r.mrot


def contributions(year: int, *, base_ytd_before: int, pay_month: int, sme: bool,
                  injury_rate: Decimal, director_min_base_applies: bool,
                  month_days_employed: int = 0, month_days: int = 0) -> Contributions:
    """A month's contributions of one employee.

    - ``base_ytd_before``: the employee's base since 1 January before this month;
    - general: 30 % up to the year's base limit, 15.1 % above it (the month's base split
      at the limit);
    - ``sme`` (the caller passes True only when the reduced rate applies to the employer,
      see ``sme_rate_applies``): the part of the month's base up to 1.5 МРОТ at the
      general rates (30 % / 15.1 % above the limit), the part above 1.5 МРОТ at 15 %
      (п. 2.4 ст. 427 НК: 15 % both within and above the limit). When the limit is crossed
      in the month, the 1.5 МРОТ part is taken first within the limit (a simplification);
    - ``director_min_base_applies`` (a director of an organisation; the rule works only in
      a year with ``YearRules.director_min_base``): the base is at least 1 МРОТ, pro-rated
      by calendar days employed (``month_days_employed`` / ``month_days``) when
      ``month_days`` is given;
    - injury (НС и ПЗ) = the pay × ``injury_rate`` %, no base limit (125-ФЗ ст. 20.1). It is
      charged on the actual pay: the director's minimum is a rule of НК гл. 34, which does
      not govern injury contributions (as the reference reads it; UNCONFIRMED);
    - every total rounded to the kopeck, half up, once.

    Example (2025, 100 000 ₽, not МСП): 30 000,00; МСП: 33 660 × 30 % + 66 340 × 15 %
    = 10 098 + 9 951 = 20 049,00; injury at 0.2 %: 200,00.
    """
    r = rules(year)
    base = pay_month
    if director_min_base_applies and r.director_min_base:
        base = max(base, director_min_base(year, month_days_employed, month_days))
    base = max(0, base)
    room = max(0, r.base_limit - max(0, base_ytd_before))

    def general(amount: int) -> Decimal:
        within = min(amount, room)
        above = amount - within
        return (Decimal(within) * r.rate_main + Decimal(above) * r.rate_above_limit) / 100

    if sme:
        low = min(base, r.sme_threshold)
        main = general(low) + Decimal(base - low) * r.sme_rate_above_15mrot / 100
    else:
        main = general(base)
    injury = Decimal(max(0, pay_month)) * injury_rate / 100
    return Contributions(main=_kopecks(main), injury=_kopecks(injury), base=base)


# --- pay -------------------------------------------------------------------------------


def pro_rata(salary: int, worked_days: int, working_days: int) -> int:
    """A monthly salary for part of the month: salary × worked / working days of the month
    (kopecks, half up). 100 000 ₽ × 10 / 17 = 58 823,53 ₽."""
    if working_days <= 0:
        raise ValueError("a month has at least one working day")
    return _kopecks(Decimal(salary) * worked_days / working_days)


def average_daily_vacation(pay_12_months: int, months_full: int = 12,
                           partial_months: Sequence[tuple[int, int]] = ()) -> int:
    """Average daily earnings for vacation pay (ТК ст. 139; пост. № 922 п. 10), kopecks, half
    up: the pay of the 12 calendar months before the leave ÷ (29.3 × full months + for each
    partly worked month 29.3 ÷ its calendar days × the calendar days worked in it).

    ``partial_months`` holds (calendar days worked, calendar days of the month). Example:
    1 200 000 ₽ over 12 full months → 1 200 000 ÷ 12 ÷ 29.3 = 3 412,97 ₽.
    """
    divisor = VACATION_MONTH_DAYS * months_full
    for worked, days in partial_months:
        divisor += VACATION_MONTH_DAYS * worked / days
    if divisor <= 0:
        raise ValueError("no months to average over")
    return _kopecks(Decimal(pay_12_months) / divisor)


def vacation_pay(avg_daily: int, days: int) -> int:
    """Vacation pay: average daily earnings × calendar days of leave (public holidays inside
    the leave are not counted: ТК ст. 120; see ``work_calendar.public_holidays_between``)."""
    return avg_daily * days


def average_daily_sick(year: int, earnings_prev2: int, earnings_prev1: int) -> int:
    """Average daily earnings for sick pay of an illness starting in ``year`` (255-ФЗ ст. 14),
    kopecks, half up: the earnings of the two previous years, each capped by its base limit,
    ÷ 730; at least МРОТ × 24 ÷ 730 (ст. 14 ч. 1.1). The choice of other years and the
    part-time minimum are not modelled."""
    capped = min(earnings_prev2, SICK_BASE_LIMITS[year - 2]) + \
        min(earnings_prev1, SICK_BASE_LIMITS[year - 1])
    avg = Decimal(max(0, capped)) / SICK_DIVISOR
    floor = Decimal(rules(year).mrot) * 24 / SICK_DIVISOR
    return _kopecks(max(avg, floor))


def sick_share(record_years: Decimal | int) -> Decimal:
    """Per cent of the average earnings by insurance record (60 / 80 / 100)."""
    for years, share in SICK_RECORD_SHARES:
        if record_years >= years:
            return share
    return SICK_RECORD_SHARES[-1][1]


def sick_pay_employer(
    avg_daily: int, record_years: Decimal | int, days: int = SICK_EMPLOYER_DAYS
) -> int:
    """The employer's part of sick pay: the first 3 days (fewer when the illness is shorter:
    ``days``) × the daily allowance = average daily earnings × 60 / 80 / 100 % for an
    insurance record < 5 / 5–8 / ≥ 8 years, the daily allowance rounded to the kopeck
    (half up) first. Example: 3 412,97 × 60 % = 2 047,78 × 3 = 6 143,34 ₽."""
    daily = _kopecks(Decimal(avg_daily) * sick_share(record_years) / 100)
    return daily * max(0, min(days, SICK_EMPLOYER_DAYS))


# --- due dates -------------------------------------------------------------------------


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


NDFL_PAYMENT_DAY = 28
"""Tax withheld on the 1st–22nd is paid by the 28th of the same month (НК ст. 226 п. 6)."""
NDFL_SECOND_PAYMENT_DAY = 5
"""Tax withheld on the 23rd–month end is paid by the 5th of the next month (НК ст. 226
п. 6 as amended by 389-ФЗ of 31.07.2023, from 2024; consultant.ru, «Перечисление НДФЛ»:
«с 23-го по последнее число текущего месяца — не позднее 5-го числа следующего месяца»).
The project's reference (§3) still gives the 2023 rule (23rd of the previous month to the
22nd → the 28th); its notice dates (25th / 3rd) are the 2024 rule's, which this follows."""


def ndfl_due_date(withheld_on: date) -> date:
    """When НДФЛ withheld on ``withheld_on`` is due (НК ст. 226 п. 6): withheld on the
    1st–22nd → the 28th of the same month; the 23rd–month end → the 5th of the next month;
    23–31 December → the last working day of the year. A date on a day off moves to the
    next working day (ст. 6.1 п. 7; ``work_calendar``).

    Example: withheld 05.02.2026 → 28.02.2026, a Saturday → 02.03.2026; withheld
    27.02.2026 → 05.03.2026 (a Thursday); withheld 25.12.2026 → 30.12.2026 (31 December
    2026 is a day off)."""
    year, month = withheld_on.year, withheld_on.month
    if withheld_on.day > NDFL_FIRST_PERIOD_END:
        if month == 12:
            return work_calendar.last_working_day_of_year(year)
        year, month = _next_month(year, month)
        return work_calendar.next_working_day(date(year, month, NDFL_SECOND_PAYMENT_DAY))
    return work_calendar.next_working_day(date(year, month, NDFL_PAYMENT_DAY))


# --- the income date and the withholding (НК ст. 223 п. 2, ст. 226 п. 4) ---------------


def income_date(year: int, month: int) -> date:
    """The day salary income for ``month`` arises: the last day of the month it was accrued
    for (НК ст. 223 п. 2; on dismissal the last working day — not modelled)."""
    return work_calendar.month_bounds(year, month)[1]


def advance_is_taxed(paid_on: date, year: int, month: int) -> bool:
    """Whether НДФЛ is withheld from an advance for ``month`` paid on ``paid_on``.

    The tax is withheld on the payment of income (ст. 226 п. 4), and salary income arises
    only on the last day of the month (ст. 223 п. 2): an advance paid inside the month is
    not income yet, nothing is withheld from it, and the whole month's tax is withheld
    from the final payment. An advance paid on the month's last day (or later) is paid
    after the income arose: its tax is withheld from it. Example: the advance for January
    2026 paid 20.01.2026 → False; paid 31.01.2026 → True.

    CONFLICT, to settle: this is the rule issue 13 (point 1) asks for, but п. 2 ст. 223 lost
    force on 01.01.2023 (263-ФЗ of 14.07.2022): since then salary income is recognised on
    the day it is paid and НДФЛ is withheld from the advance too (the project's reference
    §3; Минфин, letter of 14.09.2022 № 03-04-06/88989; moedelo.org, «НДФЛ» changes of
    2023). The law's rule is ``return True`` here with ``income_date`` = the pay day in
    ``services.payroll.quarter`` and ``forms``.
    """
    return paid_on >= income_date(year, month)


@dataclass(frozen=True)
class NdflNotice:
    """The уведомление об исчисленных суммах НДФЛ (п. 9 ст. 58 НК) covering a withholding
    day: the half-month period it falls in, the notice's deadline and the payment's."""

    period_from: date
    period_to: date
    notice_due: date
    payment_due: date


NDFL_FIRST_PERIOD_END = 22
"""НДФЛ withheld on the 1st–22nd is one notice period, the 23rd–month end the other
(п. 9 ст. 58 НК; reference §3)."""
NDFL_NOTICE_DAY = 25
"""The notice of the 1st–22nd: by the 25th of the same month (п. 9 ст. 58 НК)."""
NDFL_SECOND_NOTICE_DAY = 3
"""The notice of the 23rd–month end: by the 3rd of the next month (п. 9 ст. 58 НК); for
23–31 December: the last working day of the year (reference §3: [law, UNCONFIRMED
detail])."""


def ndfl_notice(withheld_on: date) -> NdflNotice:
    """The notice period of НДФЛ withheld on ``withheld_on`` and its deadlines, each moved
    to the next working day when it falls on a day off (ст. 6.1 п. 7).

    - 1st–22nd → notice by the 25th, payment by the 28th of the same month;
    - 23rd–end → notice by the 3rd of the next month, payment by the 5th of the next
      month (``ndfl_due_date``);
    - 23–31 December → notice and payment by the last working day of the year.

    Example: withheld 05.02.2026 → period 01.02–22.02.2026, notice 25.02.2026
    (a Wednesday), payment 28.02.2026 is a Saturday → Monday 02.03.2026.
    """
    year, month = withheld_on.year, withheld_on.month
    first, last = work_calendar.month_bounds(year, month)
    if withheld_on.day <= NDFL_FIRST_PERIOD_END:
        period = (first, date(year, month, NDFL_FIRST_PERIOD_END))
        notice = work_calendar.next_working_day(date(year, month, NDFL_NOTICE_DAY))
    else:
        period = (date(year, month, NDFL_FIRST_PERIOD_END + 1), last)
        if month == 12:
            notice = work_calendar.last_working_day_of_year(year)
        else:
            ny, nm = _next_month(year, month)
            notice = work_calendar.next_working_day(date(ny, nm, NDFL_SECOND_NOTICE_DAY))
    return NdflNotice(period_from=period[0], period_to=period[1], notice_due=notice,
                      payment_due=ndfl_due_date(withheld_on))


def contributions_due_date(year: int, month: int) -> date:
    """Contributions for ``month`` are due by the 28th of the next month (НК ст. 431 п. 3),
    moved to the next working day."""
    y, m = _next_month(year, month)
    return work_calendar.next_working_day(date(y, m, 28))


def injury_due_date(year: int, month: int) -> date:
    """НС и ПЗ for ``month`` is due by the 15th of the next month (125-ФЗ ст. 22 п. 4),
    moved to the next working day."""
    y, m = _next_month(year, month)
    return work_calendar.next_working_day(date(y, m, 15))


def pay_date(day: date) -> date:
    """A pay day that falls on a day off moves to the working day before (ТК ст. 136 ч. 8)."""
    return work_calendar.previous_working_day(day)
