"""Import boundaries (DESIGN: "what may import what").

- client/ and server/ never pull in Textual: the server runs headless and the
  client layer is usable without a terminal;
- tui/ and screens/ never talk HTTP or to the server directly: only through
  client.ApiClient.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_UI = ("httpx", "server")


def modules_under(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        # Alembic scripts run inside Alembic's context only; they are not importable modules.
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_client_and_server_never_import_textual(tmp_path):
    modules = modules_under("client") + modules_under("server")
    assert "client.api" in modules and "server.app" in modules and "server.asgi" in modules
    script = f"""
import importlib, json, sys
failed = {{}}
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = repr(exc)
print(json.dumps({{"failed": failed,
                  "textual": sorted(m for m in sys.modules if m.split(".")[0] == "textual"),
                  "rich": "rich" in sys.modules}}))
"""
    env = {**os.environ, "BUHTA_DATABASE_URL": f"sqlite:///{tmp_path / 'never-created.db'}"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}, report["failed"]
    assert report["textual"] == [], f"textual imported by client/server: {report['textual']}"
    assert not (tmp_path / "never-created.db").exists()  # importing does not touch a database


def forbidden_imports(source: str, filename: str = "<source>") -> list[str]:
    """``module: imported name`` for every import of httpx or server in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in FORBIDDEN_IN_UI]
    return found


def test_the_scanner_catches_what_it_should():
    source = (
        "import os\nimport httpx\nfrom server.app import create_app\n"
        "import server.db.models as m\nfrom client.api import ApiClient\n"
        "from . import sibling\nimport importlib\nimportlib.import_module('server.cli')\n"
        "def f():\n    import httpx as h\n"
    )
    assert forbidden_imports(source) == [
        "httpx", "server.app", "server.db.models", "server.cli", "httpx",
    ]
    assert forbidden_imports("import serverless\nfrom httpx_extra import x\n") == []


def test_tui_and_screens_do_not_import_httpx_or_server():
    offenders = {}
    scanned = 0
    for package in ("tui", "screens"):
        for path in sorted((ROOT / package).rglob("*.py")):
            scanned += 1
            found = forbidden_imports(path.read_text(encoding="utf-8"), str(path))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert scanned >= 2  # at least the two __init__.py files
    assert offenders == {}, f"go through client.ApiClient instead: {offenders}"
