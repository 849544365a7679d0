"""Provides every per-user path of the app in one place (platformdirs, overridable).

The folder everything lives in is, in this order: the one passed in (the
``--data-dir`` flag, ``ClientSettings.data_dir``), ``BUHTA_DATA_DIR`` (tests and
several profiles use it), the platform's user data folder.
Kept free of heavy imports: the start-up path reads remembered credentials.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "buhta"


def data_dir(root: Path | str | None = None) -> Path:
    if root:
        return Path(root).expanduser()
    override = os.environ.get("BUHTA_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def embedded_database_path(root: Path | str | None = None) -> Path:
    return data_dir(root) / "buhta.sqlite3"


def credentials_dir(root: Path | str | None = None) -> Path:
    return data_dir(root) / "credentials"


def credentials_path(root: Path | str | None = None) -> Path:
    # Versioned name: a future format gets a new file instead of misreading this one.
    return credentials_dir(root) / "credentials.v1.json"
