"""Provides dates as accountants type and read them: ``parse_day`` (``28``, ``28.02``,
``28.02.2026``, ``t``), the DateInput field, month titles and steps, ``dd.mm.yyyy`` texts."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from textual.widgets import Input

from client.i18n import get_locale, t
from core.dates import month_name
from core.validation import InvalidInput


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
    try:
        if len(parts) == 1:
            return today.replace(day=int(parts[0]))
        if len(parts) == 2:
            return date(today.year, int(parts[1]), int(parts[0]))
        if len(parts) == 3:
            year = int(parts[2])
            year = year + 2000 if year < 100 else year
            return date(year, int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise InvalidInput("validation.date")


def day_text(day: date | None) -> str:
    """``05.03.2026``; empty for no date."""
    return day.strftime("%d.%m.%Y") if day else ""


def weekday_name(day: date) -> str:
    return t("ledger.weekdays").split()[day.weekday()]


class DateInput(Input):
    """A date field, filled in as ``dd.mm.yyyy``; ``day`` reads what was typed (parse_day)."""

    def __init__(self, day: date | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(day_text(day), *args, **kwargs)

    @property
    def day(self) -> date:
        """The date typed; raises InvalidInput("validation.date") when it is not one."""
        return parse_day(self.value)
