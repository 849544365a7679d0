"""Provides SupportApi: the support centre's contacts, the user's requests with their
conversation and read grants, callback orders; and ``LastError``, the last refusal the
server sent this client (its code and request id), which a request may attach.

The request id of a refusal is the Idempotency-Key its write carried (a GET has none):
support finds the request's answer by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from client.areas.base import Area, path_id
from core.contract import support as sp

if TYPE_CHECKING:
    import httpx

    from client.api import ApiClient

IGNORED_STATUSES = {304, 401}
"""Not refusals a user would ask about: a cached answer, a token renewed on the way."""


@dataclass(frozen=True)
class LastError:
    code: str
    request_id: str | None
    status: int
    path: str


class SupportApi(Area):
    """``api.support``: contacts, requests, messages, grants, callbacks."""

    def __init__(self, api: ApiClient) -> None:
        super().__init__(api)
        self.last_error: LastError | None = None
        try:
            api.transport.http.event_hooks["response"].append(self._watch)
        except (AttributeError, KeyError):  # a transport without httpx hooks (tests)
            pass

    async def _watch(self, response: httpx.Response) -> None:
        """Remember the last refusal (not support's own): what a request may attach."""
        status = response.status_code
        path = response.request.url.path
        if status < 400 or status in IGNORED_STATUSES or "/support/" in path:
            return
        code = ""
        if response.headers.get("content-type", "").startswith(
                ("application/problem+json", "application/json")):
            try:
                await response.aread()
                body: Any = response.json()
                code = str(body.get("code", "")) if isinstance(body, dict) else ""
            except Exception:  # an unreadable body: the status says enough
                code = ""
        self.last_error = LastError(code=code or f"http.{status}",
                                    request_id=response.request.headers.get("Idempotency-Key"),
                                    status=status, path=path)

    async def info(self) -> sp.SupportInfo:
        return await self._call("GET", "/support/info", sp.SupportInfo, auth=False)

    async def create(self, body: sp.RequestIn) -> sp.RequestOut:
        return await self._call("POST", "/support/requests", sp.RequestOut, body)

    async def mine(self, *, open_only: bool = False, cursor: str | None = None,
                   limit: int = 30) -> sp.RequestPage:
        params: dict[str, Any] = {"limit": limit}
        if open_only:
            params["open"] = "true"
        if cursor:
            params["cursor"] = cursor
        return await self._call("GET", "/support/requests", sp.RequestPage, params=params)

    async def get(self, number: int) -> sp.RequestOut:
        return await self._call("GET", f"/support/requests/{int(number)}", sp.RequestOut)

    async def reply(self, number: int, text: str) -> sp.RequestOut:
        return await self._call("POST", f"/support/requests/{int(number)}/messages",
                                sp.RequestOut, sp.MessageIn(text=text))

    async def close(self, number: int) -> sp.RequestOut:
        return await self._call("POST", f"/support/requests/{int(number)}/close",
                                sp.RequestOut)

    async def grant(self, number: int, *, org_id: str | None = None,
                    hours: int | None = None) -> sp.GrantOut:
        body = sp.GrantIn(org_id=org_id, hours=hours)
        return await self._call("POST", f"/support/requests/{int(number)}/access",
                                sp.GrantOut, body)

    async def revoke(self, number: int, grant_id: str) -> sp.GrantOut:
        return await self._call(
            "DELETE", f"/support/requests/{int(number)}/access/{path_id(grant_id)}",
            sp.GrantOut)

    async def order_callback(self, body: sp.CallbackIn) -> sp.CallbackOut:
        return await self._call("POST", "/support/callbacks", sp.CallbackOut, body)

    async def callbacks(self) -> sp.CallbackList:
        return await self._call("GET", "/support/callbacks", sp.CallbackList)
