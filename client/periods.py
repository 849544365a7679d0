"""Provides Period: the reporting period a report screen shows, and how keys change it.

Pure: no I/O, no Textual. The report screens (screens/reports.py) hold one Period and
replace it on a key, hledger-ui style:

- ``[`` / ``]`` (or shift+← / shift+→) step back or forward by the period's length;
- ``{`` / ``}`` (or shift+↓ / shift+↑) shrink or grow it along
  month → quarter → half-year → nine months → year;
- ``t`` the period of the same length that holds today; ``c`` two typed dates.

Each period remembers an ``anchor``: the day the user is looking at. Growing and
shrinking keep it inside whenever the new length allows, so November → 4th quarter →
2nd half-year → year → … → back to the month gives November again. Nine months are
always January to September of the anchor's year, the way Russian reports count them;
an anchor in the 4th quarter stays outside them but is remembered for the way back.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from client.i18n import get_locale, t
from core.dates import month_name
from core.validation import InvalidInput

Length = Literal["month", "quarter", "half", "nine", "year", "custom"]
LENGTHS: tuple[Length, ...] = ("month", "quarter", "half", "nine", "year")
"""The standard lengths, shortest first (the order ``{`` and ``}`` walk)."""
STEP_MONTHS = {"month": 1, "quarter": 3, "half": 6, "nine": 12, "year": 12}
"""How far a step moves each length: nine months step a whole year (9 months 2025 ←
9 months 2026), because they always start in January."""


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end: 31.01 + 1 → 28.02."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _bounds(length: Length, day: date) -> tuple[date, date]:
    year = day.year
    if length == "month":
        start = day.replace(day=1)
        return start, month_end(start)
    if length == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return date(year, first, 1), month_end(date(year, first + 2, 1))
    if length == "half":
        first = 1 if day.month <= 6 else 7
        return date(year, first, 1), month_end(date(year, first + 5, 1))
    if length == "nine":
        return date(year, 1, 1), date(year, 9, 30)
    if length == "year":
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"no standard bounds for {length!r}")


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end`` inclusive; ``length`` says how keys move it."""

    start: date
    end: date
    length: Length
    anchor: date | None = field(default=None, compare=False)
    """The day the user is looking at (None: the start)."""

    # --- making -------------------------------------------------------------------

    @classmethod
    def of(cls, length: Length, day: date) -> Period:
        """The ``length`` period that holds ``day`` (nine months: Jan–Sep of its year)."""
        start, end = _bounds(length, day)
        return cls(start, end, length, day)

    @classmethod
    def this(cls, length: Length = "quarter", today: date | None = None) -> Period:
        """Today's period of ``length`` (a custom length gives today's quarter)."""
        today = today or date.today()
        return cls.of("quarter" if length == "custom" else length, today)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        """Typed dates; a range that is exactly a standard period becomes that period
        (01.10.2026 – 31.12.2026 is «4 квартал 2026», and steps by quarters).
        Raises InvalidInput("reports.bad_range") when ``end`` is before ``start``."""
        if end < start:
            raise InvalidInput("reports.bad_range")
        for length in LENGTHS:
            if _bounds(length, start) == (start, end):
                return cls(start, end, length, start)
        return cls(start, end, "custom", start)

    # --- moving -------------------------------------------------------------------

    @property
    def focus(self) -> date:
        return self.anchor or self.start

    def step(self, count: int) -> Period:
        """``count`` periods later (earlier when negative).

        A custom range of whole months moves by its number of months
        (01.03 – 30.04 → 01.05 – 30.06); any other by its number of days
        (01.03 – 15.04 is 46 days → 16.04 – 31.05).
        """
        if self.length != "custom":
            months = STEP_MONTHS[self.length] * count
            return Period.of(self.length, add_months(self.start, months)).with_anchor(
                add_months(self.focus, months))
        if self.start.day == 1 and self.end == month_end(self.end):
            months = _months_between(self.start, self.end) * count
            start = add_months(self.start, months)
            end = month_end(add_months(self.end.replace(day=1), months))
            return Period(start, end, "custom", add_months(self.focus, months))
        days = timedelta(days=((self.end - self.start).days + 1) * count)
        return Period(self.start + days, self.end + days, "custom", self.focus + days)

    def resize(self, steps: int) -> Period:
        """Grow (``steps`` > 0) or shrink along LENGTHS, keeping the anchor inside.

        At either end nothing changes; a custom range becomes the anchor's month.
        """
        if self.length == "custom":
            return Period.of("month", self.focus)
        index = max(0, min(len(LENGTHS) - 1, LENGTHS.index(self.length) + steps))
        if LENGTHS[index] == self.length:
            return self
        return Period.of(LENGTHS[index], self.focus)

    def current(self, today: date | None = None) -> Period:
        """The period of the same length that holds today (``t``)."""
        return Period.this(self.length, today)

    def with_anchor(self, anchor: date) -> Period:
        return Period(self.start, self.end, self.length, anchor)

    # --- naming -------------------------------------------------------------------

    def title(self) -> str:
        """«ноябрь 2026», «4 квартал 2026», «1 полугодие 2026», «9 месяцев 2026»,
        «2026 год», «01.03.2026 – 15.04.2026» (English: «November 2026», «Q4 2026»…)."""
        year = self.start.year
        if self.length == "month":
            return f"{month_name(self.start.month, get_locale())} {year}"
        if self.length == "quarter":
            return t("reports.period_quarter", n=(self.start.month - 1) // 3 + 1, year=year)
        if self.length == "half":
            return t("reports.period_half", n=1 if self.start.month == 1 else 2, year=year)
        if self.length == "nine":
            return t("reports.period_nine", year=year)
        if self.length == "year":
            return t("reports.period_year", year=year)
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"

    def slug(self) -> str:
        """For file names: 2026-11, 2026-Q4, 2026-H1, 2026-9M, 2026, 2026-03-01_2026-04-15."""
        year = self.start.year
        if self.length == "month":
            return f"{self.start:%Y-%m}"
        if self.length == "quarter":
            return f"{year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.length == "half":
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        if self.length == "nine":
            return f"{year}-9M"
        if self.length == "year":
            return str(year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def iso(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end
