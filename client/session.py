"""Provides SessionStore: remembered device credentials on disk.

The file holds the device id and the current refresh token per server (with the
short-lived access token it came with), never a password. Its folder is 0700 and
the file 0600, written atomically (temporary file, fsync, rename). A corrupt or
unreadable file reads as "nothing remembered". Standard library only: this runs
before the first frame.

Two processes of one device (the app and ``buhta export``) share the file: a renewal
reads the token, swaps it at the server and writes the new one while holding
``locked()`` (an advisory lock on a file beside it), so the other process never sees
the device's session renewed on the server before the new token is on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    try:
        import msvcrt
    except ImportError:
        msvcrt = None  # type: ignore[assignment]
else:
    msvcrt = None  # type: ignore[assignment]

LOCK_WAIT_S = 120.0
"""Longest wait for the other process's renewal (a request with its retries); after it
the renewal goes ahead unlocked rather than never (a lock dies with its process)."""


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
    access_token: str = ""
    """The access token the refresh token came with (short-lived): another process of
    the device adopts it instead of renewing, which would void the first one's."""


class SessionStore:
    """Per-server remembered credentials in one JSON file."""

    VERSION = 1

    def __init__(self, path: Path, *, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled

    def root(self) -> Path | None:
        """The data folder the file lives in, when it is not the default one (the offline
        cache and the write queue go beside it)."""
        from client.paths import credentials_path

        if self.path == credentials_path():
            return None
        return self.path.parent.parent if self.path.parent.name == "credentials" else \
            self.path.parent

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
                access_token=str(entry.get("access_token", "")),
            )
        except KeyError:
            return None

    def save(self, server: str, device: RememberedDevice) -> None:
        if not self.enabled:
            return
        servers = self._read_all()
        servers[server] = asdict(device)
        self._write(servers)

    def clear(self, server: str, *, device_id: str | None = None) -> None:
        """Forget the server's device; with ``device_id``, only if it is that device (a
        process never drops a device signed in since by another)."""
        servers = self._read_all()
        if server not in servers:
            return
        entry = servers[server]
        if device_id is not None and isinstance(entry, dict) and \
                entry.get("device_id") not in (None, device_id):
            return
        del servers[server]
        if servers:
            self._write(servers)
        else:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    @contextlib.asynccontextmanager
    async def locked(self, wait_s: float = LOCK_WAIT_S) -> AsyncIterator[None]:
        """Hold the store's lock across processes (polled: the event loop keeps running)."""
        if not self.enabled or (fcntl is None and msvcrt is None):
            yield
            return
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path.with_name(f".{self.path.name}.lock"),
                         os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only data dir: nothing to renew into anyway
            yield
            return
        held = False
        try:
            deadline = time.monotonic() + wait_s
            while not held:
                held = _try_lock(fd)
                if held or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.02)
            yield
        finally:
            if held:
                _unlock(fd)
            os.close(fd)

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


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
