"""Provides gettext catalogues keyed by message id, with plural forms.

A catalogue is a gettext domain compiled to ``.mo`` files under
``<localedir>/<lang>/LC_MESSAGES/<domain>.mo``; the ``.po`` sources sit beside
them and ``python tools/catalogues.py`` compiles them. Message ids are stable
keys (``ledger.title``), never English sentences, so a text can change in
either language without touching the code.

The client (the UI's catalogue, ``client/locale``) and the server (its own
catalogue of error texts, mails and printed headings, ``server/locale``) each
make one :class:`Catalogue`. Standard library only: this is imported before the
first frame is drawn.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALES = ("ru", "en")


def normalize_lang(lang: str | None) -> str:
    """``en`` for any English tag, ``ru`` for everything else (Russian first)."""
    return "en" if (lang or "").lower().startswith("en") else "ru"


class Catalogue:
    """One gettext domain in every language of :data:`LOCALES`."""

    def __init__(self, domain: str, localedir: Path) -> None:
        self.domain = domain
        self.localedir = localedir
        self._loaded: dict[str, gettext.NullTranslations] = {}

    def translations(self, lang: str) -> gettext.NullTranslations:
        lang = normalize_lang(lang)
        found = self._loaded.get(lang)
        if found is None:
            found = gettext.translation(
                self.domain, self.localedir, languages=[lang], fallback=True)
            self._loaded[lang] = found
        return found

    def keys(self, lang: str) -> set[str]:
        """Every message id the catalogue of ``lang`` holds (plural ids included)."""
        catalog = getattr(self.translations(lang), "_catalog", {})
        return {k[0] if isinstance(k, tuple) else k for k in catalog if k}

    def has(self, key: str, lang: str = "ru") -> bool:
        return key in self.keys(lang)

    def text(self, key: str, lang: str, /, **params: object) -> str:
        """Translate ``key`` into ``lang``, fill ``{params}``; an unknown key comes back as is."""
        return _fill(self.translations(lang).gettext(key), params)

    def plural(self, key: str, n: int, lang: str, /, **params: object) -> str:
        """The plural form of ``key`` for ``n`` (``{n}`` is filled too)."""
        text = self.translations(lang).ngettext(key, key, n)
        return _fill(text, {"n": n, **params})


_PAIRS = (("«", "»"), ("“", "”"), ("„", "“"))


def _quoted_inside(value: str) -> bool:
    """Whether ``value`` holds a closed pair of quotes of its own (ООО «Ромашка», ООО "Ромашка").

    A lone quote mark (a query with an unclosed ``"``) is not a quoted name: such a value
    is still quoted by the text around it.
    """
    for left, right in (*_PAIRS, ('"', '"')):
        start = value.find(left)
        if start >= 0 and value.find(right, start + 1) > start:
            return True
    return False


def _fill(text: str, params: dict[str, object]) -> str:
    if not params:
        return text
    for name, value in params.items():
        # A name with quotes of its own is never quoted again: «{name}» with ООО «Ромашка»
        # reads «Контрагент ООО «Ромашка» сохранён», not «ООО «Ромашка»».
        if isinstance(value, str) and _quoted_inside(value):
            for left, right in _PAIRS:
                text = text.replace(f"{left}{{{name}}}{right}", f"{{{name}}}")
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
