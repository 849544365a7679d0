"""Provides the Russian production calendar (производственный календарь) for a five-day week.

Pure, no I/O. A day is a working day when it is Monday–Friday, not a public holiday and not
a day off moved there by a government decree, or when it is a weekend day that a decree made
a working day.

Sources and confidence (there was no internet access when this was written; the decrees
were recalled, not read in the official publication):
- public holidays: ТК РФ ст. 112 ч. 1 — 1–6 and 8 January (New Year holidays), 7 January,
  23 February, 8 March, 1 May, 9 May, 12 June, 4 November [law];
- ТК РФ ст. 112 ч. 2: a holiday on a weekend moves the day off to the next working day,
  except the January holidays, two of which the government moves by its yearly decree
  (ст. 112 ч. 5) [law];
- 2024: постановление Правительства от 10.08.2023 № 1314 — 6 January → 10 May, 7 January
  → 31 December, Saturday 27 April → Monday 29 April, Saturday 2 November → Tuesday
  30 April, Saturday 28 December → Monday 30 December (248 working days). From the team's
  earlier УСН table (normativ.kontur.ru excerpt) — UNCONFIRMED against the official text;
- 2025: постановление от 04.10.2024 № 1335 — Saturday 4 January → Friday 2 May, Sunday
  5 January → Wednesday 31 December, Sunday 23 February → Thursday 8 May, Saturday 8 March
  → Friday 13 June, Saturday 1 November → Monday 3 November (1 November a working day);
  247 working days. Confident (widely published; matches the team's УСН table, read in a
  legal database excerpt), but the official text was not read here;
- 2026: постановление от 24.09.2025 № 1466 — Saturday 3 January → Friday 9 January,
  Sunday 4 January → Thursday 31 December; 8 March (Sunday) → Monday 9 March and 9 May
  (Saturday) → Monday 11 May by ст. 112 ч. 2 (not by the decree); no working Saturdays;
  247 working days. The number of the decree and the two moves are from memory and news
  reports (news.rambler.ru, inforos.com via the УСН table): UNCONFIRMED against the
  official text, though every monthly count below matches the published calendars as the
  team remembers them.

For a year without a table (2027 on) the calendar is a best effort: weekdays minus the
ст. 112 holidays that fall on weekdays, minus the day a non-January holiday on a weekend
moves to (ст. 112 ч. 2). The government's decree for that year (moving the January
weekend holidays, bridging days) is not known, so add the year to the tables below when it
is published.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

PUBLIC_HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
    (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
)
"""(month, day) of the non-working public holidays, ТК РФ ст. 112 ч. 1 [law]."""


def _d(year: int, *month_days: tuple[int, int]) -> frozenset[date]:
    return frozenset(date(year, m, d) for m, d in month_days)


HOLIDAYS: dict[int, frozenset[date]] = {
    # 2024 (пост. № 1314, UNCONFIRMED): January 1–5, 8 are weekdays (6, 7 a weekend);
    # 23.02 Fri, 08.03 Fri, 01.05 Wed, 09.05 Thu, 12.06 Wed, 04.11 Mon; moved: 29.04, 30.04,
    # 10.05, 30.12, 31.12.
    2024: _d(2024, (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 8), (2, 23), (3, 8),
             (4, 29), (4, 30), (5, 1), (5, 9), (5, 10), (6, 12), (11, 4),
             (12, 30), (12, 31)),
    # 2025 (пост. № 1335): January 1–3, 6–8 are weekdays (4, 5 a weekend, moved to 02.05 and
    # 31.12); 23.02 Sun → 08.05; 08.03 Sat → 13.06; 01.05 Thu, 09.05 Fri, 12.06 Thu,
    # 04.11 Tue; Saturday 01.11 → Monday 03.11.
    2025: _d(2025, (1, 1), (1, 2), (1, 3), (1, 6), (1, 7), (1, 8),
             (5, 1), (5, 2), (5, 8), (5, 9), (6, 12), (6, 13), (11, 3), (11, 4),
             (12, 31)),
    # 2026 (пост. № 1466, UNCONFIRMED text): January 1, 2, 5–8 are weekdays (3, 4 a weekend,
    # moved to 09.01 and 31.12); 23.02 Mon; 08.03 Sun → 09.03; 01.05 Fri; 09.05 Sat →
    # 11.05; 12.06 Fri; 04.11 Wed.
    2026: _d(2026, (1, 1), (1, 2), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9),
             (2, 23), (3, 9), (5, 1), (5, 11), (6, 12), (11, 4), (12, 31)),
}
"""Weekdays (Monday–Friday) that are days off: public holidays and days off moved there (by
a decree or by ст. 112 ч. 2). Weekend days are not listed: they are off anyway."""

WORKING_WEEKENDS: dict[int, frozenset[date]] = {
    2024: _d(2024, (4, 27), (11, 2), (12, 28)),
    2025: _d(2025, (11, 1)),
    2026: frozenset(),
}
"""Saturdays (or Sundays) that a decree made working days."""


def is_public_holiday(day: date) -> bool:
    """A holiday of ТК ст. 112 ч. 1 (whatever the weekday). Such days inside a vacation are
    not counted as vacation days (ТК ст. 120)."""
    return (day.month, day.day) in PUBLIC_HOLIDAYS


def _automatic_days_off(year: int) -> frozenset[date]:
    """ТК ст. 112 ч. 2 for a year without data: a holiday (not in January) on a weekend
    gives the next working day off."""
    out: set[date] = set()
    for month, dom in PUBLIC_HOLIDAYS:
        holiday = date(year, month, dom)
        if month == 1 or holiday.weekday() < 5:
            continue
        day = holiday + timedelta(days=1)
        while day.weekday() >= 5 or is_public_holiday(day) or day in out:
            day += timedelta(days=1)
        out.add(day)
    return frozenset(out)


def days_off(year: int) -> frozenset[date]:
    """The weekdays of ``year`` that are days off: the table, or the best effort (module
    docstring) for a year without one."""
    if year in HOLIDAYS:
        return HOLIDAYS[year]
    fixed = {date(year, m, d) for m, d in PUBLIC_HOLIDAYS}
    return frozenset({d for d in fixed if d.weekday() < 5} | _automatic_days_off(year))


_DAYS_OFF_CACHE: dict[int, frozenset[date]] = {}


def _days_off_cached(year: int) -> frozenset[date]:
    got = _DAYS_OFF_CACHE.get(year)
    if got is None:
        got = _DAYS_OFF_CACHE[year] = days_off(year)
    return got


def has_official_data(year: int) -> bool:
    """Whether ``year`` has a decree table (otherwise the calendar is a best effort)."""
    return year in HOLIDAYS


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day of the five-day week.

    For 2024–2026 the tables above; for any other year Monday–Friday minus the fixed
    holidays of ТК ст. 112 ч. 1 and minus the day a non-January holiday on a weekend moves
    to (ст. 112 ч. 2) — a best effort that knows nothing of the year's decree.
    """
    if day in WORKING_WEEKENDS.get(day.year, frozenset()):
        return True
    if day.weekday() >= 5:
        return False
    return day not in _days_off_cached(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days from ``start`` to ``end``, both included (0 when end < start)."""
    count = 0
    day = start
    while day <= end:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def calendar_days(year: int, month: int) -> int:
    """Calendar days in a month (28–31)."""
    return calendar.monthrange(year, month)[1]


def working_days(year: int, month: int) -> int:
    """Working days of a month (the norm of days for a five-day week)."""
    return working_days_between(*month_bounds(year, month))


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it (a due
    date on a day off moves there: НК ст. 6.1 п. 7)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the last working day before it (a pay
    day on a day off moves there: ТК ст. 136 ч. 8)."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def last_working_day_of_year(year: int) -> date:
    """The last working day of ``year`` (30.12.2025 and 30.12.2026: 31 December is a day
    off in both)."""
    return previous_working_day(date(year, 12, 31))


def public_holidays_between(start: date, end: date) -> int:
    """Public holidays (ТК ст. 112 ч. 1) from ``start`` to ``end``, both included: a vacation
    is extended by them (ТК ст. 120)."""
    count = 0
    day = start
    while day <= end:
        if is_public_holiday(day):
            count += 1
        day += timedelta(days=1)
    return count
