"""Provides OfflineLayer: what the client does about a link that is slow or gone.

Attached to the transport (``Transport.offline``), it

- keeps every GET answer with its ETag per server, user and organisation
  (``client.cache.AnswerCache``): on disk when the device is remembered, in memory
  otherwise (remembering off, the browser mode, the embedded server); dropped on
  sign-out. After a restart the transport asks again with ``If-None-Match`` from it;
- when the server cannot be reached, answers a GET from that cache, marked stale (the
  ``X-Buhta-Stale`` header: when the server last confirmed it; ``data_as_of`` here for
  the screens) and puts a write of the kinds that may wait into the queue
  (``client.write_queue``), raising ``WriteQueued`` once it is on disk;
- knows whether the server answered last time (``online``), and counts the bytes of
  this session each way for the status line.

``sync()`` (the app calls it on a timer) asks the server whether it is back and sends
the queue, in order.
"""

from __future__ import annotations

import contextlib
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from client.cache import FILE_NAME as CACHE_FILE
from client.cache import AnswerCache, cache_dir
from client.errors import ApiError
from client.paths import data_dir
from client.write_queue import FILE_NAME as QUEUE_FILE
from client.write_queue import ReplayResult, WriteQueue, WriteQueued, kind_of

if TYPE_CHECKING:
    from client.api import ApiClient
    from core import contract as m

_DEVICE = "device:"
"""The cache's scope of a remembered device's own record (its user, to open offline)."""
STALE_HEADER = "X-Buhta-Stale"
"""On an answer read from the cache while offline: when it was last confirmed (ISO 8601)."""


class OfflineLayer:
    """The offline cache, the write queue and the traffic count of one ApiClient."""

    def __init__(self, api: ApiClient, *, root: Path | str | None, persistent: bool) -> None:
        self.api = api
        self.persistent_allowed = persistent
        self.memory = AnswerCache(None)
        self._disk: AnswerCache | None = None
        self._root = root
        self.queue = WriteQueue(data_dir(root) / QUEUE_FILE if persistent else None)
        self.online = True
        self.offline_since: float | None = None
        self.data_as_of: float | None = None
        """The oldest confirmation time of the answers shown from the cache since the
        link dropped (None while online)."""
        self.bytes_sent = 0
        self.bytes_received = 0
        self._user_kept: str | None = None

    # --- where the answers are kept ---------------------------------------

    def _scope(self) -> tuple[str, str] | None:
        user = self.api.session.user
        return (self.api.server_key, user.id) if user is not None else None

    def persistent(self) -> bool:
        """On disk only for a device the user asked to remember, where that is allowed."""
        return self.persistent_allowed and self.api.session.remember

    @property
    def disk(self) -> AnswerCache:
        if self._disk is None:
            self._disk = AnswerCache(cache_dir(self._root) / CACHE_FILE)
        return self._disk

    def _cache(self) -> AnswerCache:
        return self.disk if self.persistent() else self.memory

    # --- transport hooks ---------------------------------------------------

    def cached(self, url: str) -> tuple[str, bytes, str] | None:
        scope = self._scope()
        if scope is None:
            return None
        found = self._cache().get(*scope, url)
        return found.as_entry() if found else None

    def reached(self, response: httpx.Response) -> None:
        """The server answered (whatever it said): online, and the bytes counted."""
        self.online = True
        self._keep_user()
        self.offline_since = None
        self.data_as_of = None
        request = response.request
        self.bytes_sent += _head_size(request.method, str(request.url), request.headers) + len(
            request.content if _has_content(request) else b"")
        self.bytes_received += _head_size("HTTP/1.1", str(response.status_code),
                                          response.headers) + response.num_bytes_downloaded

    def answered(self, url: str, response: httpx.Response) -> None:
        scope = self._scope()
        tag = response.headers.get("etag")
        if scope is None or not tag or response.status_code != 200:
            return
        self._cache().put(*scope, url, tag, response.content,
                          response.headers.get("content-type", ""))

    def unreachable(self, method: str, path: str, params: dict[str, Any] | None,
                    content: bytes | None, headers: dict[str, str],
                    url: str | None) -> httpx.Response | None:
        """No answer after the retries: a GET's kept answer (stale), a write queued
        (raises WriteQueued), or None (the caller raises NetworkError)."""
        now = time.time()
        self.online = False
        if self.offline_since is None:
            self.offline_since = now
        scope = self._scope()
        if scope is None:
            return None
        if method == "GET" and url is not None:
            found = self._cache().get(*scope, url)
            if found is None:
                return None
            self.data_as_of = min(self.data_as_of or found.confirmed_at, found.confirmed_at)
            stamp = datetime.fromtimestamp(found.confirmed_at).astimezone().isoformat()
            return httpx.Response(200, content=found.body, headers={
                "content-type": found.content_type, "etag": found.etag, STALE_HEADER: stamp})
        kind = kind_of(method, path)
        key = headers.get("Idempotency-Key", "")
        if kind is None or not key or self.queue.has_key(key):
            return None  # may not wait, or it is a queued write being sent again
        item_id = self.queue.add(*scope, method, path, params, content or b"",
                                 headers.get("Content-Type", ""), key, kind)
        raise WriteQueued(item_id, self.queue.counts(*scope)[0])

    def forget(self) -> None:
        """Signed out (or the device revoked): the user's kept answers are dropped."""
        scope = self._scope()
        self.data_as_of = None
        self._user_kept = None
        if scope is None:
            return
        self.memory.clear_user(*scope)
        if self.persistent_allowed:
            self.disk.clear_user(*scope)
            device = self.api.session.device_id
            if device:
                self.disk.clear_user(self.api.server_key, _DEVICE + device)

    # --- opening without the server ----------------------------------------

    def _keep_user(self) -> None:
        """The signed-in user kept beside the remembered device, to open offline later."""
        session = self.api.session
        user, device = session.user, session.device_id
        if user is None or not device or not self.persistent() or self._user_kept == user.id:
            return
        self._user_kept = user.id
        with contextlib.suppress(Exception):
            self.disk.put(self.api.server_key, _DEVICE + device, "user", "-",
                          user.model_dump_json().encode(), "application/json")

    def open_offline(self) -> m.User | None:
        """The server cannot be reached at start: the remembered device's user from the
        disk (its tokens stay; the first answer of the server renews them), or None."""
        from core import contract as m

        session = self.api.session
        saved = session.remembered()
        if saved is None or not self.persistent_allowed:
            return None
        found = self.disk.get(self.api.server_key, _DEVICE + saved.device_id, "user")
        if found is None:
            return None
        try:
            user = m.User.model_validate_json(found.body)
        except ValueError:
            return None
        session.user, session.device_id = user, saved.device_id
        session.refresh, session.remember = saved.refresh_token, True
        session.access = saved.access_token or "offline"  # a 401 later renews it
        self._user_kept = user.id
        self.online = False
        self.offline_since = self.offline_since or time.time()
        return user

    # --- the queue and the link -------------------------------------------

    def counts(self) -> tuple[int, int]:
        """(waiting, refused) writes of the signed-in user."""
        scope = self._scope()
        return self.queue.counts(*scope) if scope else (0, 0)

    async def sync(self) -> ReplayResult:
        """Is the server back? Then send the waiting writes, in order."""
        if self._scope() is None:
            return ReplayResult()
        if not self.online:
            try:
                await self.api.transport.send("GET", "/health")
            except ApiError as exc:
                return ReplayResult(stopped=exc)
        if self.counts()[0] == 0:
            return ReplayResult()
        return await self.queue.replay(self.api)

    def age_seconds(self, now: float | None = None) -> float | None:
        if self.data_as_of is None:
            return None
        return max(0.0, (time.time() if now is None else now) - self.data_as_of)

    def close(self) -> None:
        self.memory.close()
        if self._disk is not None:
            self._disk.close()
        self.queue.close()


def _has_content(request: httpx.Request) -> bool:
    with contextlib.suppress(httpx.RequestNotRead):
        return bool(request.content)
    return False


def _head_size(first: str, second: str, headers: httpx.Headers) -> int:
    """The bytes of a request or status line and its headers, as HTTP/1.1 sends them."""
    return len(first) + len(second) + 12 + sum(
        len(k) + len(v) + 4 for k, v in headers.raw)


__all__ = ["STALE_HEADER", "OfflineLayer", "WriteQueued"]
