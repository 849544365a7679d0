"""Provides SessionStore: remembered device credentials on disk.

The file holds the device id and the current refresh token per server, never a
password. Its folder is 0700 and the file 0600, written atomically (temporary
file, fsync, rename). A corrupt or unreadable file reads as "nothing
remembered". Standard library only: this runs before the first frame.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path


def server_key(server_url: str | None, database_path: Path) -> str:
    """Which server remembered credentials belong to: a URL, or the embedded database."""
    if server_url:
        return server_url.rstrip("/")
    return f"embedded:{database_path}"


@dataclass(frozen=True)
class RememberedDevice:
    device_id: str
    refresh_token: str
    email: str


class SessionStore:
    """Per-server remembered credentials in one JSON file."""

    VERSION = 1

    def __init__(self, path: Path, *, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled

    def _read_all(self) -> dict[str, dict[str, str]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict) or raw.get("version") != self.VERSION:
            return {}
        servers = raw.get("servers")
        return servers if isinstance(servers, dict) else {}

    def load(self, server: str) -> RememberedDevice | None:
        if not self.enabled:
            return None
        entry = self._read_all().get(server)
        if not isinstance(entry, dict):
            return None
        try:
            return RememberedDevice(
                device_id=str(entry["device_id"]),
                refresh_token=str(entry["refresh_token"]),
                email=str(entry.get("email", "")),
            )
        except KeyError:
            return None

    def save(self, server: str, device: RememberedDevice) -> None:
        if not self.enabled:
            return
        servers = self._read_all()
        servers[server] = asdict(device)
        self._write(servers)

    def clear(self, server: str) -> None:
        servers = self._read_all()
        if server not in servers:
            return
        del servers[server]
        if servers:
            self._write(servers)
        else:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def _write(self, servers: dict[str, dict[str, str]]) -> None:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        data = json.dumps({"version": self.VERSION, "servers": servers}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=".credentials-", dir=folder)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
