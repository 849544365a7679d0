"""The structure a newcomer relies on (issue 11): small modules, one text catalogue
per side, and no module of the server reaching into the client.

The import boundaries themselves are import-linter contracts in pyproject.toml,
run by ``make test`` (``lint-imports``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("core", "client", "tui", "screens", "server")
MAX_LINES = 600


def product_modules() -> list[Path]:
    return [p for pkg in PRODUCT for p in sorted((ROOT / pkg).rglob("*.py"))
            if "migrations" not in p.parts]


def test_no_product_module_is_over_600_lines():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for p in product_modules()}
    assert len(sizes) > 50
    too_big = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert too_big == {}, f"split these along a real seam: {too_big}"


def test_the_server_never_imports_the_client():
    offenders = []
    for path in (ROOT / "server").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.split(".")[0] == "client"]
    assert offenders == []


def test_each_side_ships_its_catalogues():
    for side, domain in (("client", "buhta"), ("server", "buhta-server")):
        for lang in ("ru", "en"):
            base = ROOT / side / "locale" / lang / "LC_MESSAGES" / domain
            assert base.with_suffix(".po").is_file(), base
            assert base.with_suffix(".mo").is_file(), base
