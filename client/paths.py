"""Provides every per-user path of the app in one place (platformdirs, overridable).

``BUHTA_DATA_DIR`` moves everything (tests and several profiles use it).
Kept free of heavy imports: the start-up path reads remembered credentials.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "buhta"


def data_dir() -> Path:
    override = os.environ.get("BUHTA_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def embedded_database_path() -> Path:
    return data_dir() / "buhta.sqlite3"


def credentials_dir() -> Path:
    return data_dir() / "credentials"


def credentials_path() -> Path:
    # Versioned name: a future format gets a new file instead of misreading this one.
    return credentials_dir() / "credentials.v1.json"
