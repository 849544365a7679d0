"""Provides Transport: the one long-lived ``httpx.AsyncClient`` every API call goes through.

- every write carries an ``Idempotency-Key``; transport failures, 502-504 and
  ``idempotency.in_progress`` are retried with backoff under the same key, so a
  retry never writes twice;
- the last answer of each GET is kept by URL and asked again with
  ``If-None-Match``: an unchanged list costs a 304 and no body;
- failures become the typed errors of ``client.errors`` with the server's ``detail``;
- connections last: the pool keeps an idle connection ``keepalive_s`` (60 s, under the
  server's 75 s keep-alive, so the client always lets go first) and HTTP/2 is used where
  the server (or its proxy) offers it and ``http2`` is on (it needs the ``h2`` package);
- a request sent on a kept connection just as the server closed it (no byte of an
  answer came back) is sent again at once, once, on a new one; that is safe for a GET
  and for a write, which always carries its Idempotency-Key.

Who is signed in is not its business: a call that needs it passes an ``httpx.Auth``
(``client.auth.TokenAuth``), which sets the bearer token and renews it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from client.errors import ApiError, NetworkError, ServerError, error_class
from client.i18n import get_locale, t

T = TypeVar("T", bound=BaseModel)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD"})
ETAG_CACHE_SIZE = 256
USER_AGENT = "buhta-tui/0.1"
KEEPALIVE_S = 60.0
"""How long an idle connection is kept: above a person's pause between two screens,
below the server's keep-alive (``buhta-server``: 75 s)."""
STALE_CONNECTION = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
"""What httpx raises when a kept connection was closed under a request."""

RawBody = tuple[bytes, dict[str, str]]
"""A body sent as it is: the bytes and their headers (``Content-Type``, ...)."""


class Transport:
    """Sends requests to ``<base_url>/api/v1`` with retries, the ETag cache and typed errors."""

    def __init__(
        self,
        *,
        base_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout_s: float = 20,
        retries: int = 3,
        backoff_s: Sequence[float] = (0.25, 0.75, 2.0),
        keepalive_s: float = KEEPALIVE_S,
        http2: bool = False,
        max_connections: int | None = None,
    ) -> None:
        self.retries = retries
        self.backoff = tuple(backoff_s) or (0.0,)
        self.http2 = http2 and importlib.util.find_spec("h2") is not None
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1",
            transport=transport,
            timeout=timeout_s,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=4,
                                keepalive_expiry=keepalive_s),
            http2=self.http2,
        )
        # Every byte counts on a 64 kbit/s link: HTTP/1.1 keeps the connection anyway,
        # and the server reads no Accept.
        for name in ("Connection", "Accept"):
            self.http.headers.pop(name, None)
        # The last answer of each GET, by URL. In memory only, dropped on sign-out.
        self.etags: OrderedDict[str, tuple[str, bytes, str]] = OrderedDict()
        # client.offline.OfflineLayer when attached: the on-disk answers, the queue of
        # writes made offline, the traffic count (None: none of that).
        self.offline: Any = None
        self.warming: asyncio.Task[None] | None = None
        """``preconnect`` under way (client.connect starts it for a hosted server)."""

    async def aclose(self) -> None:
        await self.http.aclose()

    async def preconnect(self) -> None:
        """Open the connection ahead of the first real request (while a person types the
        password): its handshakes are then paid before anyone waits. Failures are left
        to the first request to report."""
        with contextlib.suppress(httpx.HTTPError):
            await self.http.get("/health", headers={"Accept-Language": get_locale()})

    def clear_cache(self) -> None:
        if self.offline is not None:
            self.offline.forget()
        self.etags.clear()

    async def call(
        self,
        method: str,
        path: str,
        model: type[T],
        body: BaseModel | None = None,
        *,
        auth: httpx.Auth | None = None,
        params: dict[str, Any] | None = None,
    ) -> T:
        """Send and read the answer as ``model`` (an unreadable one is a ServerError)."""
        response = await self.send(method, path, body, auth=auth, params=params)
        return parse(model, response)

    async def send(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        *,
        auth: httpx.Auth | None = None,
        params: dict[str, Any] | None = None,
        raw: RawBody | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        """Send with retries under one Idempotency-Key (``idempotency_key``: a queued
        write's own); the successful response, or raise the typed error. ``auth`` is kept
        across the retries (it renews at most once)."""
        headers = {"Accept-Language": get_locale()}
        if method in WRITE_METHODS:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        content = body.model_dump_json().encode() if body is not None else None
        if content is not None:
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            content = raw[0]
            headers.update(raw[1])
        attempt = 0
        stale_retried = False
        while True:
            cache_key = None
            if method == "GET":
                cache_key = str(self.http.build_request("GET", path, params=params).url)
                cached = self.etags.get(cache_key)
                if cached is None and self.offline is not None:
                    cached = self.offline.cached(cache_key)  # kept on disk before a restart
                    if cached:
                        self.etags[cache_key] = cached
                if cached:
                    headers["If-None-Match"] = cached[0]
            try:
                response = await self.http.request(
                    method, path, content=content, headers=headers, params=params, auth=auth
                )
            except httpx.TransportError as exc:
                if (isinstance(exc, STALE_CONNECTION) and not stale_retried
                        and (method in SAFE_METHODS or "Idempotency-Key" in headers)):
                    stale_retried = True  # closed under us: again at once, on a new one
                    continue
                if attempt >= self.retries:
                    if self.offline is not None:
                        # A GET's last answer marked stale, or a write queued (raises).
                        kept = self.offline.unreachable(method, path, params, content,
                                                        headers, cache_key)
                        if kept is not None:
                            return kept
                    raise NetworkError(repr(exc)) from exc
                await self._sleep(attempt)
                attempt += 1
                continue
            if attempt < self.retries and (
                response.status_code in RETRY_STATUSES
                or (response.status_code == 409 and problem_code(response)
                    == "idempotency.in_progress")
            ):
                await self._sleep(attempt)
                attempt += 1
                continue
            if self.offline is not None:
                self.offline.reached(response)
            if response.is_error:
                raise error_from(response)
            if cache_key is not None:
                response = self._remember_etag(cache_key, response)
                if self.offline is not None:
                    self.offline.answered(cache_key, response)
            return response

    def _remember_etag(self, key: str, response: httpx.Response) -> httpx.Response:
        if response.status_code == 304 and key in self.etags:
            tag, body, content_type = self.etags[key]
            self.etags.move_to_end(key)
            return httpx.Response(200, content=body, headers={"content-type": content_type,
                                                              "etag": tag})
        tag = response.headers.get("etag")
        if tag and response.status_code == 200:
            self.etags[key] = (tag, response.content, response.headers.get("content-type", ""))
            self.etags.move_to_end(key)
            while len(self.etags) > ETAG_CACHE_SIZE:
                self.etags.popitem(last=False)
        return response

    async def _sleep(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff[min(attempt, len(self.backoff) - 1)])


def parse(model: type[T], response: httpx.Response) -> T:
    """The response's body as ``model``; a body the contract refuses is a ServerError."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise ServerError(
            response.status_code, "client.bad_response", t("error.client.bad_response")
        ) from exc


def problem(response: httpx.Response) -> dict[str, Any]:
    """The problem+json body of a refusal (empty when it is not JSON)."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def problem_code(response: httpx.Response) -> str:
    return str(problem(response).get("code", ""))


def error_from(response: httpx.Response, cls: type[ApiError] | None = None) -> ApiError:
    """The typed error of a failed response (``cls`` overrides the one its status maps to)."""
    data = problem(response)
    status = response.status_code
    code = str(data.get("code") or ("server.internal" if status >= 500 else "http.error"))
    detail = data.get("detail")
    if not isinstance(detail, str) or not detail:
        detail = t("error.server.internal") if status >= 500 else f"HTTP {status}"
    retry_after: int | None = None
    header = response.headers.get("Retry-After")
    if header and header.isdigit():
        retry_after = int(header)
    errors = data.get("errors") if isinstance(data.get("errors"), list) else None
    return (cls or error_class(status))(
        status, code, detail, retry_after=retry_after, errors=errors
    )
