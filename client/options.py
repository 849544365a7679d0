"""Provides StartOptions: the command line's settings, handed on as arguments.

A flag wins over its ``BUHTA_*`` variable and never writes it: ``settings()`` passes
the flags to ``ClientSettings`` as arguments, and ``remembered()`` answers the first
frame's question ("is a device remembered?") with the same precedence, with the
standard library only (pydantic-settings is too slow to import before the first
frame).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from client.paths import credentials_path, embedded_database_path
from client.session import RememberedDevice, SessionStore, server_key

if TYPE_CHECKING:
    from client.settings import ClientSettings


@dataclass(frozen=True)
class StartOptions:
    """What the command line said; None: as the environment (or the default) says."""

    server: str | None = None
    lang: str | None = None
    data_dir: Path | None = None
    remember_allowed: bool | None = None

    def overrides(self) -> dict[str, Any]:
        """The given options, as ``ClientSettings`` arguments."""
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in given.items() if value is not None}

    def settings(self) -> ClientSettings:
        """The app's settings: these options over the ``BUHTA_*`` environment."""
        from client.settings import ClientSettings

        return ClientSettings(**self.overrides())

    def remembered(self) -> RememberedDevice | None:
        """The device remembered for the server these options point at (fast path)."""
        server = self.server or os.environ.get("BUHTA_SERVER")
        allowed = self.remember_allowed
        if allowed is None:
            value = os.environ.get("BUHTA_REMEMBER_ALLOWED", "true").lower()
            allowed = value not in ("0", "false", "no")
        store = SessionStore(credentials_path(self.data_dir), enabled=allowed)
        return store.load(server_key(server, embedded_database_path(self.data_dir)))
