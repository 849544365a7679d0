"""Provides WriteQueue: writes made while the server could not be reached, sent when it can.

A queued write is a row of one SQLite file in the data folder (``writes.v1.sqlite3``,
WAL, ``synchronous=FULL``): committed before «поставлено в очередь» is said, so killing
the app loses nothing. Each row keeps the Idempotency-Key the write was first sent
with, and the replay sends it again with that key: the server keeps the answer of an
applied write by key (scoped to the user), so a write that did arrive before the link
dropped — or before the app died between sending and crossing the row off — is
answered from that record, never applied twice. Rows are sent in the order they were
made, for the user and server they were made for.

A refusal on replay (409 closed period or changed document, 412, 403 role removed,
422 …) is kept as ``failed`` with the server's reason (in the interface's language,
``Accept-Language``) for the user to resolve on the queue screen: send again, change
the body, or discard. A refusal applied nothing, so sending it again or changed goes
under a new key (the old key's answer is the refusal itself).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from client.errors import ApiError, AuthError, NetworkError, RateLimited, ServerError
from client.i18n import t

if TYPE_CHECKING:
    from client.api import ApiClient

QUEUE_VERSION = 1
FILE_NAME = f"writes.v{QUEUE_VERSION}.sqlite3"

_ID = r"[0-9a-fA-F-]{36}"
QUEUEABLE: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(f"^/orgs/{_ID}/{rest}$"), kind) for method, rest, kind in (
        ("POST", "entries", "entry"),
        ("POST", f"entries/{_ID}/reverse", "entry"),
        ("POST", "documents", "document"),
        ("PUT", f"documents/{_ID}", "document"),
        ("POST", f"documents/{_ID}/post", "document"),
        ("POST", "tasks", "task"),
        ("PATCH", f"tasks/{_ID}", "task"),
        ("POST", f"tasks/{_ID}/comments", "task"),
    )
)
"""The writes that may wait for the link: journal entries, documents, tasks — work a
person makes that stays right when sent later (and is refused, for the user to see, when
it no longer is). Nothing else queues, on purpose:

- sign-in, renewal, password and device calls: their answer (tokens) is needed now, and a
  password must never be written to disk to be sent later;
- the payment orders' export (the bank file): it is meant for the bank at once, against
  the balances of the moment; a file made later from a stale screen could pay twice;
- payroll approval (and computing, paying out): approving figures computed on data the
  user has not seen current commits money and taxes; it is a deliberate online act;
- closing and reopening a month, organisations and their teams, signatures: they change
  what every other write is checked against, and are done with the server's answer in view.
"""


def kind_of(method: str, path: str) -> str | None:
    """``entry``, ``document`` or ``task`` for a write that may queue; None otherwise."""
    for allowed, pattern, kind in QUEUEABLE:
        if method == allowed and pattern.match(path):
            return kind
    return None


class WriteQueued(ApiError):
    """Not sent: the server could not be reached, and the write is in the queue (on disk)."""

    def __init__(self, item_id: int, waiting: int) -> None:
        super().__init__(0, "offline.queued", t("offline.queued", n=waiting))
        self.item_id = item_id
        self.waiting = waiting


@dataclass(frozen=True)
class QueuedWrite:
    id: int
    server: str
    user_id: str
    method: str
    path: str
    params: dict[str, Any]
    body: bytes
    content_type: str
    idempotency_key: str
    created_at: float
    attempts: int
    status: str
    """``pending`` (waits for the link) or ``failed`` (refused: the user decides)."""
    last_error: str
    last_status: int
    kind: str

    def summary(self) -> str:
        """A few words of the body for the list: the description, title or text."""
        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            return ""
        if not isinstance(data, dict):
            return ""
        for key in ("description", "title", "text", "number", "reason"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:60]
        return ""


SCHEMA = """
CREATE TABLE IF NOT EXISTS writes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    server TEXT NOT NULL,
    user_id TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    params TEXT NOT NULL,
    body BLOB NOT NULL,
    content_type TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT NOT NULL DEFAULT '',
    last_status INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL
)
"""
COLUMNS = ("id, server, user_id, method, path, params, body, content_type, idempotency_key, "
           "created_at, attempts, status, last_error, last_status, kind")


class WriteQueue:
    """The queued writes of every user of the device, by server (``path=None``: in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is None:
            self.db = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(OSError):
                os.chmod(path.parent, 0o700)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            self.db = sqlite3.connect(path, timeout=10, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, QUEUE_VERSION):
            # A newer app's queue: never misread it (nor drop someone's work).
            raise RuntimeError(f"write queue version {version} is not {QUEUE_VERSION}")
        with self.db:
            self.db.execute(SCHEMA)
            self.db.execute(f"PRAGMA user_version = {QUEUE_VERSION}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()

    # --- adding ------------------------------------------------------------

    def has_key(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM writes WHERE idempotency_key = ?",
                               (key,)).fetchone() is not None

    def add(self, server: str, user_id: str, method: str, path: str,
            params: dict[str, Any] | None, body: bytes, content_type: str, key: str,
            kind: str) -> int:
        """Queue a write; on disk (committed, fsynced) when this returns."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO writes (server, user_id, method, path, params, body, "
                "content_type, idempotency_key, created_at, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (server, user_id, method, path, json.dumps(params or {}, default=str),
                 body, content_type, key, time.time(), kind),
            )
        return int(cursor.lastrowid or 0)

    # --- reading -----------------------------------------------------------

    def items(self, server: str, user_id: str, *, status: str | None = None) -> list[QueuedWrite]:
        sql = f"SELECT {COLUMNS} FROM writes WHERE server = ? AND user_id = ?"
        args: tuple[Any, ...] = (server, user_id)
        if status is not None:
            sql += " AND status = ?"
            args += (status,)
        rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        return [_item(row) for row in rows]

    def get(self, item_id: int) -> QueuedWrite | None:
        row = self.db.execute(f"SELECT {COLUMNS} FROM writes WHERE id = ?",
                              (item_id,)).fetchone()
        return _item(row) if row else None

    def counts(self, server: str, user_id: str) -> tuple[int, int]:
        """(pending, failed)."""
        rows = dict(self.db.execute(
            "SELECT status, count(*) FROM writes WHERE server = ? AND user_id = ? "
            "GROUP BY status", (server, user_id)).fetchall())
        return int(rows.get("pending", 0)), int(rows.get("failed", 0))

    # --- changing ----------------------------------------------------------

    def _update(self, item_id: int, **values: Any) -> None:
        sets = ", ".join(f"{name} = ?" for name in values)
        with self.db:
            self.db.execute(f"UPDATE writes SET {sets} WHERE id = ?", (*values.values(), item_id))

    def sent(self, item_id: int) -> None:
        with self.db:
            self.db.execute("DELETE FROM writes WHERE id = ?", (item_id,))

    def refused(self, item_id: int, error: ApiError) -> None:
        self._update(item_id, status="failed", last_error=error.detail,
                     last_status=error.status)

    def waiting(self, item_id: int, error: ApiError) -> None:
        """Still to be sent (the link or the server is down): why, for the list."""
        self._update(item_id, last_error=error.detail, last_status=error.status)

    def retry(self, item_id: int) -> None:
        """A refused write sent again as it is: back in line, under a new key (the old
        key's answer is the refusal)."""
        self._update(item_id, status="pending", last_error="", last_status=0,
                     idempotency_key=str(uuid.uuid4()))

    def edit(self, item_id: int, body: bytes) -> None:
        """A refused write changed by the user: back in line with its new body, new key."""
        self._update(item_id, status="pending", body=body, last_error="", last_status=0,
                     idempotency_key=str(uuid.uuid4()))

    def discard(self, item_id: int) -> None:
        self.sent(item_id)

    # --- sending -----------------------------------------------------------

    async def replay(self, api: ApiClient) -> ReplayResult:
        """Send the signed-in user's waiting writes, oldest first, each under its key.

        Stops at the first that cannot get through (no link, the server failing, a
        refused session); a refusal is kept and the next one goes on."""
        result = ReplayResult()
        user = api.session.user
        if user is None:
            return result
        for item in self.items(api.server_key, user.id, status="pending"):
            self._update(item.id, attempts=item.attempts + 1)
            headers = {"Content-Type": item.content_type} if item.content_type else {}
            try:
                await api.transport.send(
                    item.method, item.path, auth=api.session.auth(),
                    params=item.params or None, raw=(item.body, headers),
                    idempotency_key=item.idempotency_key,
                )
            except (NetworkError, ServerError, RateLimited, AuthError) as exc:
                self.waiting(item.id, exc)
                result.stopped = exc
                return result
            except ApiError as exc:
                if exc.code == "idempotency.in_progress":
                    self.waiting(item.id, exc)  # still running at the server: ask again later
                    result.stopped = exc
                    return result
                self.refused(item.id, exc)
                result.refused += 1
                continue
            self.sent(item.id)
            result.sent += 1
        return result


@dataclass
class ReplayResult:
    sent: int = 0
    refused: int = 0
    stopped: ApiError | None = None
    """Why the replay stopped before the end (None: every waiting write was tried)."""


def _item(row: tuple[Any, ...]) -> QueuedWrite:
    (item_id, server, user_id, method, path, params, body, content_type, key, created_at,
     attempts, status, last_error, last_status, kind) = row
    try:
        parsed = json.loads(params)
    except ValueError:
        parsed = {}
    return QueuedWrite(int(item_id), server, user_id, method, path,
                       parsed if isinstance(parsed, dict) else {}, bytes(body),
                       content_type, key, float(created_at), int(attempts), status,
                       last_error, int(last_status), kind)
