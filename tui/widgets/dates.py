"""Provides dates as accountants type and read them: ``parse_day`` (``28``, ``28.02``,
``28.02.2026``, ``t``), the DateInput field, month titles and steps, ``dd.mm.yyyy`` texts."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from textual.widgets import Input

from client.i18n import get_locale, t
from core.dates import month_name
from core.validation import InvalidInput, check_book_date


def month_title(first: date) -> str:
    """«март 2026» / «March 2026»: the month a screen shows."""
    return f"{month_name(first.month, get_locale())} {first.year}"


def step_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_day(text: str, today: date | None = None) -> date:
    """What an accountant types for a date: ``28`` (this month), ``28.02``, ``28.02.2026``,
    or nothing / ``t`` / ``с`` for today. Raises InvalidInput("validation.date")."""
    today = today or date.today()
    value = text.strip().lower()
    if value in ("", "t", "с", "сегодня", "today"):
        return today
    parts = value.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise InvalidInput("validation.date")
    numbers = [int(p) for p in parts]
    day = numbers[0]
    month = numbers[1] if len(numbers) > 1 else today.month
    year = numbers[2] if len(numbers) > 2 else today.year
    if len(parts) == 3 and len(parts[2]) <= 2:
        year += 2000
    if not 1 <= month <= 12:
        raise InvalidInput("validation.no_such_month", month=month)
    if not 1 <= year <= 9999:
        raise InvalidInput("validation.date")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if 1 <= day <= 31:
            # «В феврале 2026 года нет 31-го числа», not a format hint: the form was right.
            raise InvalidInput("validation.no_such_day", day=day, year=year,
                               month=t("dates.months_in").split()[month - 1])
        raise InvalidInput("validation.date")
    return date(year, month, day)


def parse_book_day(text: str, today: date | None = None) -> date:
    """``parse_day`` for a date of the books (an entry, a document, a report's period):
    from ``core.validation.DATE_MIN`` to ``DATE_MAX``, else ``validation.date_range``."""
    return check_book_date(parse_day(text, today))


def day_text(day: date | None) -> str:
    """``05.03.2026``; empty for no date."""
    return day.strftime("%d.%m.%Y") if day else ""


def weekday_name(day: date) -> str:
    return t("ledger.weekdays").split()[day.weekday()]


class DateInput(Input):
    """A date field, filled in as ``dd.mm.yyyy``; ``day`` reads what was typed (parse_day).

    ``book=True``: a date of the books, refused outside ``DATE_MIN``…``DATE_MAX``.
    """

    def __init__(self, day: date | None = None, *args: Any, book: bool = False,
                 **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(day_text(day), *args, **kwargs)
        self.book = book

    @property
    def day(self) -> date:
        """The date typed; raises InvalidInput (why, in the user's words) when it is not one."""
        return parse_book_day(self.value) if self.book else parse_day(self.value)
