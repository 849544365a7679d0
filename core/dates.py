"""Provides month names and dates in words for ``ru`` and ``en``, through Babel.

Babel's locale data is imported on first use only, so start-up does not pay
for it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Literal

from core.i18n import normalize_lang

Form = Literal["nominative", "genitive"]


@cache
def _month_names(lang: str, form: Form) -> tuple[str, ...]:
    from babel.dates import get_month_names

    context = "stand-alone" if form == "nominative" else "format"
    names = get_month_names("wide", context, locale=normalize_lang(lang))
    return tuple(str(names[month]) for month in range(1, 13))


def month_name(month: int, lang: str, form: Form = "nominative") -> str:
    """«январь» (nominative) or «января» (genitive, as in «5 января»); «January» in English."""
    return _month_names(normalize_lang(lang), form)[month - 1]


def month_names(lang: str, form: Form = "nominative") -> tuple[str, ...]:
    """The twelve month names, January first."""
    return _month_names(normalize_lang(lang), form)


def month_title(first: date, lang: str) -> str:
    """«Январь 2026» / «January 2026»: a month as a heading."""
    name = month_name(first.month, lang)
    return f"{name[:1].upper()}{name[1:]} {first.year}"


def date_in_words(day: date, lang: str) -> str:
    """«5 января 2026 г.» / «5 January 2026», as printed forms write a date."""
    if normalize_lang(lang) == "en":
        return f"{day.day} {month_name(day.month, 'en')} {day.year}"
    return f"{day.day} {month_name(day.month, 'ru', 'genitive')} {day.year} г."
