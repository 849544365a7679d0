"""Compiles the gettext catalogues (``.po`` → ``.mo``) or checks that they are compiled.

    python tools/catalogues.py          # compile every catalogue
    python tools/catalogues.py --check  # exit 1 when a .mo is missing or stale

Every ``*.po`` under ``client/locale`` and ``server/locale`` is a catalogue.
"""

from __future__ import annotations

import argparse
import gettext
import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIRS = (ROOT / "client" / "locale", ROOT / "server" / "locale")


def po_files() -> list[Path]:
    return sorted(p for d in LOCALE_DIRS for p in d.rglob("*.po"))


def compiled(po: Path) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def messages(mo_bytes: bytes) -> dict[object, str]:
    """The translations a compiled catalogue holds, without its header.

    The header carries Babel's version and dates, so two compilations of the same
    ``.po`` by different Babel releases differ in bytes but not here.
    """
    translations = gettext.GNUTranslations(io.BytesIO(mo_bytes))
    return {k: v for k, v in translations._catalog.items() if k != ""}


def up_to_date(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return mo.is_file() and messages(mo.read_bytes()) == messages(compiled(po))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for po in po_files():
        mo = po.with_suffix(".mo")
        if args.check:
            if not up_to_date(po):
                stale.append(mo)
        else:
            mo.write_bytes(compiled(po))
            print(mo.relative_to(ROOT))
    for mo in stale:
        print(f"stale or missing: {mo.relative_to(ROOT)}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
