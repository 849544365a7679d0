"""server/domain/work_calendar.py: the production calendar of 2024–2026 and the best effort
for a year without data.

The monthly counts are the official five-day-week calendars as the team remembers them
(2025: постановление № 1335; 2026: № 1466) and as the data in the module gives them —
they agree; the 2026 decree text was not read (UNCONFIRMED in the module)."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain import work_calendar as wc

MONTHS_2025 = (17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22)
MONTHS_2026 = (15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22)


@pytest.mark.parametrize(("year", "counts", "total"), [
    (2025, MONTHS_2025, 247),
    (2026, MONTHS_2026, 247),
])
def test_each_month_matches_the_official_calendar(year, counts, total):
    got = tuple(wc.working_days(year, m) for m in range(1, 13))
    assert got == counts
    assert sum(got) == total
    assert wc.working_days_between(date(year, 1, 1), date(year, 12, 31)) == total


def test_2024_total():
    # 2024 (пост. № 1314): 248 working days; November 21 (Saturday 2 November worked),
    # December 21 (Saturday 28 December worked, 30 and 31 December off).
    assert sum(wc.working_days(2024, m) for m in range(1, 13)) == 248
    assert wc.working_days(2024, 11) == 21
    assert wc.working_days(2024, 12) == 21


def test_2025_transfers():
    # January 2025: 23 weekdays − 1, 2, 3, 6, 7, 8 = 17.
    assert [d for d in range(1, 10) if wc.is_working_day(date(2025, 1, d))] == [9]
    # 4 January (Sat) → 2 May (Fri); 23 February (Sun) → 8 May (Thu): 1–4 and 8–11 May off.
    for d in (1, 2, 3, 4, 8, 9, 10, 11):
        assert not wc.is_working_day(date(2025, 5, d)), d
    assert wc.is_working_day(date(2025, 5, 5)) and wc.is_working_day(date(2025, 5, 7))
    # 23 February 2025 is a Sunday, but 24 February works (the day went to 8 May).
    assert wc.is_working_day(date(2025, 2, 24))
    # 8 March (Sat) → 13 June (Fri): 12–15 June off; 10 March works.
    assert not wc.is_working_day(date(2025, 6, 13))
    assert wc.is_working_day(date(2025, 3, 10))
    # Saturday 1 November works, Monday 3 November off, 4 November a holiday.
    assert wc.is_working_day(date(2025, 11, 1))
    assert not wc.is_working_day(date(2025, 11, 3))
    assert not wc.is_working_day(date(2025, 11, 4))
    # 5 January (Sun) → 31 December (Wed).
    assert not wc.is_working_day(date(2025, 12, 31))
    assert wc.last_working_day_of_year(2025) == date(2025, 12, 30)


def test_2026_transfers():
    # 3 January (Sat) → 9 January (Fri): January 1–11 off, 12 January (Mon) the first
    # working day; 22 weekdays − 1, 2, 5, 6, 7, 8, 9 = 15.
    assert wc.next_working_day(date(2026, 1, 1)) == date(2026, 1, 12)
    # 8 March (Sun) → 9 March (Mon); 9 May (Sat) → 11 May (Mon) — ТК ст. 112 ч. 2.
    assert not wc.is_working_day(date(2026, 3, 9))
    assert not wc.is_working_day(date(2026, 5, 11))
    assert wc.is_working_day(date(2026, 5, 8))  # Friday before Victory Day works
    # 4 January (Sun) → 31 December (Thu): the last working day is Wednesday 30 December.
    assert not wc.is_working_day(date(2026, 12, 31))
    assert wc.last_working_day_of_year(2026) == date(2026, 12, 30)
    assert wc.WORKING_WEEKENDS[2026] == frozenset()


def test_tables_hold_only_weekdays_and_weekends():
    for year, days in wc.HOLIDAYS.items():
        assert all(d.year == year and d.weekday() < 5 for d in days)
    for year, days in wc.WORKING_WEEKENDS.items():
        assert all(d.year == year and d.weekday() >= 5 for d in days)


def test_next_and_previous_working_day():
    assert wc.next_working_day(date(2026, 6, 28)) == date(2026, 6, 29)  # Sunday → Monday
    assert wc.next_working_day(date(2026, 6, 29)) == date(2026, 6, 29)  # itself
    assert wc.previous_working_day(date(2026, 6, 28)) == date(2026, 6, 26)  # → Friday
    # Friday 12 June 2026 is Russia Day: the day before is Thursday 11 June.
    assert wc.previous_working_day(date(2026, 6, 14)) == date(2026, 6, 11)
    # 2 May 2025 (a transfer day) → Monday 5 May.
    assert wc.next_working_day(date(2025, 5, 1)) == date(2025, 5, 5)


def test_working_days_between_includes_both_ends():
    # 12–16 January 2026: Monday to Friday, all working.
    assert wc.working_days_between(date(2026, 1, 12), date(2026, 1, 16)) == 5
    # 1–12 January 2026: only the 12th.
    assert wc.working_days_between(date(2026, 1, 1), date(2026, 1, 12)) == 1
    assert wc.working_days_between(date(2026, 1, 16), date(2026, 1, 12)) == 0
    # Across years: 30.12.2025 (Tue) to 12.01.2026: 30.12 and 12.01.
    assert wc.working_days_between(date(2025, 12, 30), date(2026, 1, 12)) == 2


def test_a_year_without_data_is_a_best_effort():
    assert not wc.has_official_data(2027) and wc.has_official_data(2026)
    # 2027: 1 May Saturday → Monday 3 May; 9 May Sunday → Monday 10 May; 12 June Saturday →
    # Monday 14 June (ТК ст. 112 ч. 2). January weekend holidays are not moved (decree).
    assert not wc.is_working_day(date(2027, 5, 3))
    assert not wc.is_working_day(date(2027, 5, 10))
    assert not wc.is_working_day(date(2027, 6, 14))
    assert wc.is_working_day(date(2027, 5, 4))
    # 2 January 2027 is a Saturday, 8 January a Friday (a holiday), 11 January works.
    assert not wc.is_working_day(date(2027, 1, 8))
    assert wc.is_working_day(date(2027, 1, 11))


def test_public_holidays_for_vacations():
    assert wc.is_public_holiday(date(2025, 6, 12))
    assert not wc.is_public_holiday(date(2025, 6, 13))  # a transfer day, not a holiday
    assert wc.is_public_holiday(date(2026, 3, 8))  # on a Sunday, still a holiday
    # A vacation 1–14 June 2026 holds one holiday (12 June).
    assert wc.public_holidays_between(date(2026, 6, 1), date(2026, 6, 14)) == 1
    assert wc.calendar_days(2026, 2) == 28 and wc.calendar_days(2024, 2) == 29
