"""Provides CounterpartiesApi: an organisation's customers and suppliers."""

from __future__ import annotations

from typing import Any

from client.areas.base import Area, path_id
from core import contract as m


class CounterpartiesApi(Area):
    """``api.counterparties``: search, create, change, archive and restore."""

    async def search(
        self,
        org_id: str,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
        *,
        archived: bool = False,
    ) -> m.CounterpartyPage:
        """A page sorted by name; ``q`` is a fragment of the name or the first ИНН digits;
        ``archived=True`` lists the archive instead of the active ones."""
        params: dict[str, Any] = {"limit": limit}
        if q and q.strip():
            params["q"] = q.strip()
        if cursor:
            params["cursor"] = cursor
        if archived:
            params["archived"] = "true"
        return await self._call("GET", f"/orgs/{path_id(org_id)}/counterparties",
                                m.CounterpartyPage, params=params)

    async def get(self, org_id: str, counterparty_id: str) -> m.CounterpartyOut:
        path = f"/orgs/{path_id(org_id)}/counterparties/{path_id(counterparty_id)}"
        return await self._call("GET", path, m.CounterpartyOut)

    async def create(self, org_id: str, data: m.CounterpartyIn) -> m.CounterpartyOut:
        return await self._call("POST", f"/orgs/{path_id(org_id)}/counterparties",
                                m.CounterpartyOut, data)

    async def update(
        self, org_id: str, counterparty_id: str, data: m.CounterpartyIn
    ) -> m.CounterpartyOut:
        path = f"/orgs/{path_id(org_id)}/counterparties/{path_id(counterparty_id)}"
        return await self._call("PUT", path, m.CounterpartyOut, data)

    async def archive(self, org_id: str, counterparty_id: str) -> m.CounterpartyOut:
        path = f"/orgs/{path_id(org_id)}/counterparties/{path_id(counterparty_id)}/archive"
        return await self._call("POST", path, m.CounterpartyOut)

    async def restore(self, org_id: str, counterparty_id: str) -> m.CounterpartyOut:
        path = f"/orgs/{path_id(org_id)}/counterparties/{path_id(counterparty_id)}/restore"
        return await self._call("POST", path, m.CounterpartyOut)
