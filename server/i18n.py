"""Provides the server's own catalogue: problem details, mail and SMS, printed headings.

The texts live in ``server/locale/<lang>/LC_MESSAGES/buhta-server.po`` (compiled
to ``.mo`` by ``python tools/catalogues.py``). There is no process-wide
language: every call names the caller's language, which a request carries in
its ``Accept-Language`` header (:func:`pick_language`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.i18n import Catalogue

CATALOGUE = Catalogue("buhta-server", Path(__file__).parent / "locale")


def text(key: str, lang: str, /, **params: object) -> str:
    """The text of ``key`` in ``lang`` with ``{params}`` filled; an unknown key comes back as is."""
    return CATALOGUE.text(key, lang, **params)


def plural(key: str, n: int, lang: str, /, **params: object) -> str:
    """The plural form of ``key`` for ``n`` in ``lang`` (``{n}`` is filled too)."""
    return CATALOGUE.plural(key, n, lang, **params)


def pick_language(accept_language: str | None) -> str:
    """Choose ``ru`` or ``en`` from an Accept-Language header (Russian by default)."""
    if not accept_language:
        return "ru"
    best, best_q = "ru", Decimal(-1)
    for part in accept_language.split(","):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = Decimal(1)
        for p in pieces[1:]:
            p = p.strip()
            if p.startswith("q="):
                try:
                    q = Decimal(p[2:])
                except InvalidOperation:
                    q = Decimal(0)
        lang = "en" if tag.startswith("en") else "ru" if tag.startswith("ru") else None
        # q=0 means "not acceptable" (RFC 9110), never a choice.
        if lang and q > 0 and q > best_q:
            best, best_q = lang, q
    return best
