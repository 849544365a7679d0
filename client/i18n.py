"""Provides the user interface's text: the ``buhta`` gettext catalogue, Russian and English.

The texts live in ``client/locale/<lang>/LC_MESSAGES/buhta.po`` (compiled to ``.mo``
by ``python tools/catalogues.py``); message ids are stable keys such as
``ledger.title``. :func:`t` words a key, :func:`nt` a key with plural forms
(«1 запись», «2 записи», «5 записей»).

This module is imported before the first frame is drawn, so it must stay light:
standard library and :mod:`core.i18n` only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from core.i18n import LOCALES, Catalogue

__all__ = ["LOCALES", "UI", "detect_locale", "get_locale", "keys", "nt", "set_locale", "t"]

UI = Catalogue("buhta", Path(__file__).parent / "locale")
"""The user interface's catalogue."""


def detect_locale(env: Mapping[str, str] | None = None) -> str:
    """Return ``"en"`` or ``"ru"`` from BUHTA_LANG, then the POSIX locale variables."""
    env = os.environ if env is None else env
    for var in ("BUHTA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(var) or "").strip().lower()
        if not value or value in ("c", "posix", "c.utf-8"):
            continue
        return "en" if value.startswith("en") else "ru"
    return "ru"


_current = detect_locale()


def set_locale(locale: str) -> None:
    """Switch the catalogue language for this process (``ru`` or ``en``)."""
    global _current
    _current = "en" if locale.lower().startswith("en") else "ru"


def get_locale() -> str:
    return _current


def _lang(lang: str | None) -> str:
    return "en" if (lang or _current) == "en" else "ru"


def t(key: str, /, *, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` and fill ``{params}``; an unknown key is returned as is.

    A parameter the text does not know (or a missing one) leaves the text unfilled
    rather than breaking the screen.
    """
    if not key:
        return key  # gettext would answer the catalogue's header
    return UI.text(key, _lang(lang), **params)


def nt(key: str, n: int, /, *, lang: str | None = None, **params: object) -> str:
    """The plural form of ``key`` for the count ``n``; ``{n}`` and ``{params}`` are filled.

    ``nt("export.written.n", 5, org=…, path=…)`` → «…: 5 записей». An unknown key is
    returned as is.
    """
    if not key:
        return key
    return UI.plural(key, n, _lang(lang), **params)


def keys() -> frozenset[str]:
    """Every message id of the catalogue (plural ids included)."""
    return frozenset(UI.keys("ru") | UI.keys("en"))


def _singular_texts() -> Mapping[str, tuple[str, str]]:
    catalogs = [getattr(UI.translations(lang), "_catalog", {}) for lang in LOCALES]
    ids = sorted(k for k in catalogs[0].keys() | catalogs[1].keys() if isinstance(k, str) and k)
    return MappingProxyType({k: (t(k, lang="ru"), t(k, lang="en")) for k in ids})


def __getattr__(name: str) -> object:
    # CATALOGUE: {key: (Russian, English)} of the singular entries, read-only, built on
    # first use (for tests and tools; the app itself calls t()).
    if name == "CATALOGUE":
        value = _singular_texts()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

