"""Provides LedgerApi: the chart of accounts, journal entries and accounting periods."""

from __future__ import annotations

from typing import Any

from client.areas.base import Area, path_id, path_month, present
from core import contract as m


class LedgerApi(Area):
    """``api.ledger``: the books of one organisation."""

    async def accounts(self, org_id: str) -> list[m.LedgerAccountOut]:
        path = f"/orgs/{path_id(org_id)}/accounts"
        return (await self._call("GET", path, m.LedgerAccountList)).items

    async def add_sub_account(self, org_id: str, data: m.SubAccountIn) -> m.LedgerAccountOut:
        """A sub-account of the organisation's own (422 ``ledger.sub_account`` when refused)."""
        path = f"/orgs/{path_id(org_id)}/accounts"
        return await self._call("POST", path, m.LedgerAccountOut, data)

    async def post_entry(self, org_id: str, data: m.EntryIn) -> m.EntryOut:
        return await self._call("POST", f"/orgs/{path_id(org_id)}/entries", m.EntryOut, data)

    async def entries(
        self,
        org_id: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> m.EntryPage:
        """Newest first. ``q`` is a journal query (``acct:51 date:2025-Q1 amt:>10000
        desc:аренда cp:7707083893``), parsed by the server (422 ``query.*`` when wrong)."""
        params: dict[str, Any] = {"limit": limit, **present(
            date_from=date_from, date_to=date_to, cursor=cursor, q=(q or "").strip())}
        return await self._call("GET", f"/orgs/{path_id(org_id)}/entries", m.EntryPage,
                                params=params)

    async def entry(self, org_id: str, entry_id: str) -> m.EntryOut:
        path = f"/orgs/{path_id(org_id)}/entries/{path_id(entry_id)}"
        return await self._call("GET", path, m.EntryOut)

    async def reverse_entry(
        self, org_id: str, entry_id: str, reason: str, day: str | None = None
    ) -> m.EntryOut:
        body = m.ReverseIn.model_validate({"reason": reason, "date": day})
        path = f"/orgs/{path_id(org_id)}/entries/{path_id(entry_id)}/reverse"
        return await self._call("POST", path, m.EntryOut, body)

    async def periods(self, org_id: str) -> m.PeriodList:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/periods", m.PeriodList)

    async def close_period(self, org_id: str, month: str) -> m.PeriodList:
        path = f"/orgs/{path_id(org_id)}/periods/{path_month(month)}/close"
        return await self._call("POST", path, m.PeriodList)

    async def reopen_period(self, org_id: str, month: str, reason: str) -> m.PeriodList:
        path = f"/orgs/{path_id(org_id)}/periods/{path_month(month)}/reopen"
        return await self._call("POST", path, m.PeriodList, m.ReopenIn(reason=reason))
