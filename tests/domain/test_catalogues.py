"""The gettext catalogues (client/locale, server/locale): every language complete and compiled.

For each catalogue (a ``<domain>.po`` in every language of core.i18n.LOCALES):
the same message ids in each language, the same ``{placeholders}`` per message,
plural entries with as many forms as the language's Plural-Forms says, no empty or
fuzzy text, and the ``.mo`` beside each ``.po`` compiled from it. And every literal
key the client, tui and screens code asks for exists in the UI catalogue.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from client import i18n
from core.i18n import LOCALES
from tools.catalogues import LOCALE_DIRS, po_files, up_to_date

ROOT = Path(__file__).resolve().parents[2]
UI_LOCALE = ROOT / "client" / "locale"
NPLURALS = {"ru": 3, "en": 2}


def domains() -> list[tuple[Path, str]]:
    """(locale dir, domain) of every catalogue that exists in some language."""
    found = {(d, po.stem) for d in LOCALE_DIRS if d.is_dir() for po in d.rglob("*.po")}
    return sorted(found)


def catalogue_id(item: tuple[Path, str]) -> str:
    return f"{item[0].relative_to(ROOT)}:{item[1]}"


def po_path(localedir: Path, lang: str, domain: str) -> Path:
    return localedir / lang / "LC_MESSAGES" / f"{domain}.po"


def load(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def test_the_ui_catalogue_exists_in_every_language():
    assert (UI_LOCALE, "buhta") in domains()
    for lang in LOCALES:
        assert po_path(UI_LOCALE, lang, "buhta").is_file(), lang


@pytest.mark.parametrize("item", domains(), ids=catalogue_id)
def test_every_language_has_the_same_keys_and_placeholders(item):
    localedir, domain = item
    catalogues = {}
    for lang in LOCALES:
        path = po_path(localedir, lang, domain)
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
        catalogues[lang] = load(path)
    ids = {lang: {m.id for m in cat if m.id} for lang, cat in catalogues.items()}
    first, *others = LOCALES
    for lang in others:
        assert sorted(ids[first] - ids[lang]) == [], f"missing in {lang}"
        assert sorted(ids[lang] - ids[first]) == [], f"missing in {first}"
    for message in catalogues[first]:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        expected = fields(forms(message)[0])
        for lang, cat in catalogues.items():
            found = cat[message.id]
            assert found.pluralizable == message.pluralizable, f"{key}: plural in one language"
            for form in forms(found):
                assert fields(form) == expected, f"{key} ({lang}): {form!r}"


@pytest.mark.parametrize("item", domains(), ids=catalogue_id)
@pytest.mark.parametrize("lang", LOCALES)
def test_every_text_is_filled_in_with_every_plural_form(item, lang):
    localedir, domain = item
    path = po_path(localedir, lang, domain)
    if not path.is_file():
        pytest.skip("reported by the key test")
    cat = load(path)
    assert cat.locale is not None and str(cat.locale) == lang
    assert cat.num_plurals == NPLURALS[lang]
    for message in cat:
        if not message.id:
            continue
        assert not message.fuzzy, f"{message.id}: fuzzy (it would not be compiled)"
        texts = forms(message)
        if message.pluralizable:
            assert len(texts) == cat.num_plurals, f"{message.id}: {len(texts)} forms"
        assert all(text and text.strip() for text in texts), f"{message.id}: empty"


@pytest.mark.parametrize("po", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_is_up_to_date(po):
    # Without the header Babel stamps the current time into the .mo, so no .mo would
    # ever be up to date.
    assert '"POT-Creation-Date: ' in po.read_text(encoding="utf-8"), \
        f"{po.relative_to(ROOT)}: the header needs a POT-Creation-Date"
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo.relative_to(ROOT)} missing: run python tools/catalogues.py"
    assert up_to_date(po), \
        f"{mo.relative_to(ROOT)} is stale: run python tools/catalogues.py"


KEY_CALL = re.compile(r"\bn?t\(\s*\"([a-z0-9_.]+)\"")


def keys_used_in_code() -> dict[str, str]:
    """Literal keys passed to t()/nt() in client/, tui/ and screens/: key → first place."""
    used: dict[str, str] = {}
    for top in ("client", "tui", "screens"):
        for path in sorted((ROOT / top).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for match in KEY_CALL.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                used.setdefault(match.group(1), f"{path.relative_to(ROOT)}:{line}")
    return used


def test_every_key_the_code_asks_for_exists():
    used = keys_used_in_code()
    assert len(used) > 300  # the scan sees the code
    known = i18n.keys()
    missing = sorted(f"{where}: {key}" for key, where in used.items() if key not in known)
    assert missing == []


def test_the_key_scan_finds_both_calls():
    assert KEY_CALL.findall('t("ledger.title") + nt(\n "export.written.n", 3)') == \
        ["ledger.title", "export.written.n"]
    # Not a call of t: print(...), format strings with other functions.
    assert KEY_CALL.findall('print("x.y") insert("a.b") at("c.d")') == []
