"""Provides the device's own link settings (the low-bandwidth mode), kept on the device.

One small JSON file in the data folder (``link.v1.json``), written atomically; a missing,
corrupt or other-version file reads as the defaults. Standard library only: it is read
before the first frame.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from client.paths import data_dir

VERSION = 1
FILE_NAME = f"link.v{VERSION}.json"


@dataclass(frozen=True)
class LinkSettings:
    low_bandwidth: bool = False
    """No animations, fewer refreshes, notifications in a digest."""


def settings_path(root: Path | str | None = None) -> Path:
    return data_dir(root) / FILE_NAME


def load(root: Path | str | None = None) -> LinkSettings:
    try:
        raw = json.loads(settings_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return LinkSettings()
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        return LinkSettings()
    return LinkSettings(low_bandwidth=raw.get("low_bandwidth") is True)


def save(value: LinkSettings, root: Path | str | None = None) -> bool:
    """Keep the settings; False when the data folder cannot be written (nothing breaks)."""
    path = settings_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".link-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": VERSION, **asdict(value)}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        return False
    return True
