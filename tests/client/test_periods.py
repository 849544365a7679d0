"""client/periods.py: the report period and the keys that move it (hledger-ui style)."""

from __future__ import annotations

from datetime import date

import pytest

from client.i18n import set_locale
from client.periods import Period, add_months
from core.validation import InvalidInput


@pytest.fixture(autouse=True)
def _russian():
    set_locale("ru")
    yield
    set_locale("ru")


def span(p: Period) -> tuple[date, date, str]:
    return p.start, p.end, p.length


def test_standard_periods_hold_the_day():
    day = date(2026, 11, 28)
    assert span(Period.of("month", day)) == (date(2026, 11, 1), date(2026, 11, 30), "month")
    assert span(Period.of("quarter", day)) == (date(2026, 10, 1), date(2026, 12, 31), "quarter")
    assert span(Period.of("half", day)) == (date(2026, 7, 1), date(2026, 12, 31), "half")
    assert span(Period.of("half", date(2026, 6, 30)))[:2] == (date(2026, 1, 1),
                                                              date(2026, 6, 30))
    # Nine months are always January to September (the way Russian reports count them).
    assert span(Period.of("nine", day))[:2] == (date(2026, 1, 1), date(2026, 9, 30))
    assert span(Period.of("year", day))[:2] == (date(2026, 1, 1), date(2026, 12, 31))
    # February of a leap year ends on the 29th.
    assert Period.of("month", date(2028, 2, 10)).end == date(2028, 2, 29)
    # The default: this quarter.
    assert span(Period.this(today=day))[:2] == (date(2026, 10, 1), date(2026, 12, 31))


def test_russian_titles():
    day = date(2026, 11, 28)
    assert Period.of("month", day).title() == "ноябрь 2026"
    assert Period.of("quarter", day).title() == "4 квартал 2026"
    assert Period.of("half", date(2026, 3, 1)).title() == "1 полугодие 2026"
    assert Period.of("nine", day).title() == "9 месяцев 2026"
    assert Period.of("year", day).title() == "2026 год"
    assert Period.custom(date(2026, 3, 1), date(2026, 4, 15)).title() == \
        "01.03.2026 – 15.04.2026"


def test_english_titles():
    set_locale("en")
    day = date(2026, 11, 28)
    assert Period.of("month", day).title() == "November 2026"
    assert Period.of("quarter", day).title() == "Q4 2026"
    assert Period.of("half", day).title() == "H2 2026"
    assert Period.of("year", day).title() == "Year 2026"


def test_file_name_slugs():
    day = date(2026, 11, 28)
    assert [Period.of(n, day).slug() for n in ("month", "quarter", "half", "nine", "year")] == \
        ["2026-11", "2026-Q4", "2026-H2", "2026-9M", "2026"]
    assert Period.custom(date(2026, 3, 1), date(2026, 4, 15)).slug() == \
        "2026-03-01_2026-04-15"


def test_stepping_by_the_length():
    q4 = Period.of("quarter", date(2026, 11, 28))
    # Back a quarter: 4th → 3rd; back four: the same quarter a year earlier.
    assert span(q4.step(-1))[:2] == (date(2026, 7, 1), date(2026, 9, 30))
    assert span(q4.step(-4))[:2] == (date(2025, 10, 1), date(2025, 12, 31))
    # Forward from the 4th quarter crosses the year.
    assert span(q4.step(1))[:2] == (date(2027, 1, 1), date(2027, 3, 31))
    # A month: January back is December of the year before; 31st-day months are fine.
    jan = Period.of("month", date(2026, 1, 31))
    assert span(jan.step(-1))[:2] == (date(2025, 12, 1), date(2025, 12, 31))
    assert span(jan.step(1))[:2] == (date(2026, 2, 1), date(2026, 2, 28))
    # Half-years step by six months; nine months and years by a year.
    assert Period.of("half", date(2026, 3, 1)).step(1).title() == "2 полугодие 2026"
    assert Period.of("nine", date(2026, 5, 5)).step(-1).title() == "9 месяцев 2025"
    assert Period.of("year", date(2026, 5, 5)).step(2).title() == "2028 год"


def test_stepping_a_custom_range():
    # Whole months: 01.03 – 30.04 is two months, the next two are May and June.
    months = Period.custom(date(2026, 3, 1), date(2026, 4, 30))
    assert span(months.step(1)) == (date(2026, 5, 1), date(2026, 6, 30), "custom")
    assert span(months.step(-1)) == (date(2026, 1, 1), date(2026, 2, 28), "custom")
    # Any other range moves by its days: 01.03 – 15.04 is 31 + 15 = 46 days,
    # so the next one is 16.04 – 31.05 (15 days of April and 31 of May = 46).
    days = Period.custom(date(2026, 3, 1), date(2026, 4, 15))
    assert span(days.step(1)) == (date(2026, 4, 16), date(2026, 5, 31), "custom")
    # 01.03 − 46 days = 14.01 (18 days of January from the 14th and 28 of February: 46).
    assert span(days.step(-1)) == (date(2026, 1, 14), date(2026, 2, 28), "custom")


def test_typed_dates_that_are_a_standard_period_become_one():
    q = Period.custom(date(2026, 10, 1), date(2026, 12, 31))
    assert q.length == "quarter" and q.title() == "4 квартал 2026"
    assert Period.custom(date(2026, 1, 1), date(2026, 9, 30)).length == "nine"
    assert Period.custom(date(2026, 2, 1), date(2026, 2, 28)).length == "month"
    assert Period.custom(date(2026, 5, 5), date(2026, 5, 5)).length == "custom"
    with pytest.raises(InvalidInput) as refused:
        Period.custom(date(2026, 5, 5), date(2026, 5, 4))
    assert refused.value.key == "reports.bad_range"


def test_growing_and_shrinking_keep_the_day_inside():
    november = Period.of("month", date(2026, 11, 10))
    quarter = november.resize(1)
    assert quarter.title() == "4 квартал 2026"
    half = quarter.resize(1)
    assert half.title() == "2 полугодие 2026"
    nine = half.resize(1)
    assert nine.title() == "9 месяцев 2026"  # January–September: November is outside
    year = nine.resize(1)
    assert year.title() == "2026 год"
    assert year.resize(1) == year  # the longest already
    # Back down: the remembered day (10 November) picks the half-year, quarter and month.
    assert [p.title() for p in (year.resize(-1), year.resize(-2), year.resize(-3),
                                year.resize(-4))] == \
        ["9 месяцев 2026", "2 полугодие 2026", "4 квартал 2026", "ноябрь 2026"]
    assert november.resize(-1) == november  # the shortest already
    # The day moves with a step: 4th quarter back one is the 3rd, its month is August.
    assert quarter.step(-1).resize(-1).title() == "август 2026"
    # A custom range grows or shrinks into the month of its start.
    custom = Period.custom(date(2026, 3, 5), date(2026, 4, 15))
    assert custom.resize(1).title() == "март 2026"


def test_this_period_keeps_the_length():
    today = date(2026, 11, 28)
    old = Period.of("half", date(2024, 2, 2))
    assert old.current(today).title() == "2 полугодие 2026"
    custom = Period.custom(date(2024, 3, 5), date(2024, 4, 15))
    assert custom.current(today).title() == "4 квартал 2026"  # custom: today's quarter
    assert today in Period.this(today=today)
    assert date(2026, 9, 30) not in Period.this(today=today)


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 12, 15), -12) == date(2025, 12, 15)
