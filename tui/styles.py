"""Provides ``sheets``: the paths of the style sheets in ``styles/``, wherever a screen lives.

Textual resolves a relative ``CSS_PATH`` against the file of the screen's own class,
so an inherited relative path breaks when a subclass lives in another folder;
absolute paths do not.
"""

from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).resolve().parent.parent / "styles"


def sheets(*names: str) -> list[Path]:
    """``sheets("shell", "ledger")`` → the paths of styles/shell.tcss and styles/ledger.tcss."""
    return [STYLES / f"{name}.tcss" for name in names]
