"""Provides AnswerCache: the last answer of each GET, kept per server, user and organisation.

The transport asks again with ``If-None-Match`` from it after a restart (an unchanged
list costs a 304), and reads it when the server cannot be reached (offline mode, with
the time the answer was last confirmed). One SQLite file in the platform's cache folder
(``cache_dir()``), stdlib ``sqlite3``:

- versioned: the name carries the format (``answers.v1.sqlite3``) and ``PRAGMA
  user_version`` says it again; another version is dropped and started afresh;
- a corrupt or unreadable file reads as absent (it is moved aside and a new one made;
  when even that fails the cache lives in memory);
- the folder is 0700 and the file 0600: the answers are the books;
- ``AnswerCache(None)`` keeps everything in memory only (remembering the device off).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from client.paths import APP_NAME

CACHE_VERSION = 1
FILE_NAME = f"answers.v{CACHE_VERSION}.sqlite3"
MAX_ROWS_PER_USER = 2000
"""Answers kept per user and server; the least recently confirmed go first."""

_ORG = re.compile(r"/orgs/([0-9a-fA-F-]{36})(?:/|\?|$)")


def cache_dir(root: Path | str | None = None) -> Path:
    """Where cached answers live: ``<data dir>/cache`` when a data folder is given (the
    ``--data-dir`` flag, ``BUHTA_DATA_DIR``), else the platform's user cache folder."""
    if root:
        return Path(root).expanduser() / "cache"
    override = os.environ.get("BUHTA_DATA_DIR")
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def org_of(url: str) -> str:
    """The organisation a URL belongs to (``""`` for the user's own ones: /me, /orgs)."""
    found = _ORG.search(url)
    return found.group(1).lower() if found else ""


@dataclass(frozen=True)
class Cached:
    etag: str
    body: bytes
    content_type: str
    confirmed_at: float
    """When the server last said this answer was current (Unix time)."""

    def as_entry(self) -> tuple[str, bytes, str]:
        """The transport's in-memory form."""
        return self.etag, self.body, self.content_type


SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    server TEXT NOT NULL,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    url TEXT NOT NULL,
    etag TEXT NOT NULL,
    body BLOB NOT NULL,
    content_type TEXT NOT NULL,
    confirmed_at REAL NOT NULL,
    PRIMARY KEY (server, user_id, url)
)
"""


class AnswerCache:
    """GET answers by (server, user, URL), the organisation beside them."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.db = self._open()

    # --- opening -----------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))
        try:
            return self._open_file()
        except (sqlite3.Error, OSError):
            self._set_aside()
        try:
            return self._open_file()
        except (sqlite3.Error, OSError):
            self.path = None  # a disk that refuses us: memory only, never a crash
            return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))

    def _open_file(self) -> sqlite3.Connection:
        assert self.path is not None
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
        try:
            return self._prepare(db)
        except sqlite3.Error:
            db.close()
            raise

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("PRAGMA secure_delete = ON")  # a signed-out user's rows are overwritten
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, CACHE_VERSION):
            db.execute("DROP TABLE IF EXISTS answers")
        db.execute(SCHEMA)
        db.execute(f"PRAGMA user_version = {CACHE_VERSION}")
        db.execute("SELECT count(*) FROM answers").fetchone()  # a corrupt file fails here
        db.commit()
        return db

    def _set_aside(self) -> None:
        """A file we cannot read: out of the way (kept beside for a look), never read."""
        assert self.path is not None
        for suffix in ("", "-journal", "-wal", "-shm"):
            old = Path(f"{self.path}{suffix}")
            with contextlib.suppress(OSError):
                if old.exists():
                    old.replace(Path(f"{self.path}{suffix}.corrupt"))

    def _recover(self) -> None:
        """The file broke under us: read as absent from now on (a fresh one)."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if self.path is not None:
            self._set_aside()
        self.db = self._open()

    # --- answers -----------------------------------------------------------

    def get(self, server: str, user_id: str, url: str) -> Cached | None:
        try:
            row = self.db.execute(
                "SELECT etag, body, content_type, confirmed_at FROM answers "
                "WHERE server = ? AND user_id = ? AND url = ?", (server, user_id, url),
            ).fetchone()
        except sqlite3.Error:
            self._recover()
            return None
        if row is None:
            return None
        etag, body, content_type, confirmed_at = row
        if not isinstance(etag, str) or not isinstance(body, bytes):
            return None
        return Cached(etag, body, str(content_type), float(confirmed_at))

    def put(self, server: str, user_id: str, url: str, etag: str, body: bytes,
            content_type: str, *, now: float | None = None) -> None:
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (server, user_id, org_of(url), url, etag, body, content_type,
                     time.time() if now is None else now),
                )
                self._prune(server, user_id)
        except sqlite3.Error:
            self._recover()

    def confirm(self, server: str, user_id: str, url: str) -> None:
        """A 304: the kept answer is current as of now."""
        try:
            with self.db:
                self.db.execute(
                    "UPDATE answers SET confirmed_at = ? WHERE server = ? AND user_id = ? "
                    "AND url = ?", (time.time(), server, user_id, url),
                )
        except sqlite3.Error:
            self._recover()

    def _prune(self, server: str, user_id: str) -> None:
        self.db.execute(
            "DELETE FROM answers WHERE server = ? AND user_id = ? AND url NOT IN ("
            "SELECT url FROM answers WHERE server = ? AND user_id = ? "
            "ORDER BY confirmed_at DESC LIMIT ?)",
            (server, user_id, server, user_id, MAX_ROWS_PER_USER),
        )

    def clear_user(self, server: str, user_id: str) -> None:
        """Signed out: nothing of the user's stays on the device."""
        try:
            with self.db:
                self.db.execute("DELETE FROM answers WHERE server = ? AND user_id = ?",
                                (server, user_id))
        except sqlite3.Error:
            self._recover()

    def count(self, server: str, user_id: str) -> int:
        try:
            row = self.db.execute(
                "SELECT count(*) FROM answers WHERE server = ? AND user_id = ?",
                (server, user_id)).fetchone()
        except sqlite3.Error:
            return 0
        return int(row[0])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
