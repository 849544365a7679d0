"""Provides Area, the base of the area APIs, and the checks of what goes into a path."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    import httpx

    from client.api import ApiClient
    from client.transport import RawBody

T = TypeVar("T", bound=BaseModel)


class Area:
    """One area's endpoints, sent through its ApiClient's transport and session."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def _call(
        self,
        method: str,
        path: str,
        model: type[T],
        body: BaseModel | None = None,
        *,
        auth: bool = True,
        params: dict[str, Any] | None = None,
    ) -> T:
        """Send and read the answer as ``model``; ``auth`` sends the bearer token."""
        api = self._api
        return await api.transport.call(method, path, model, body,
                                        auth=api.session.auth() if auth else None,
                                        params=params)

    async def _send(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        *,
        auth: bool = True,
        params: dict[str, Any] | None = None,
        raw: RawBody | None = None,
    ) -> httpx.Response:
        """Send and return the response as it is (files, no body)."""
        api = self._api
        return await api.transport.send(method, path, body,
                                        auth=api.session.auth() if auth else None,
                                        params=params, raw=raw)


def path_id(value: str) -> str:
    """Ids go into paths only as UUIDs: nothing else can be smuggled into a URL."""
    return str(uuid.UUID(value))


def path_month(value: str) -> str:
    """``2026-03`` only: nothing else goes into the path."""
    year, _, month = value.partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        raise ValueError(f"not a month: {value!r}")
    return f"{year}-{month}"


def present(**values: Any) -> dict[str, Any]:
    """Query parameters that have a value (empty strings and None left out)."""
    return {key: value for key, value in values.items() if value}
