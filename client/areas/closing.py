"""Provides ClosingApi: opening balances (ввод остатков) and month-end closing (закрытие месяца)."""

from __future__ import annotations

from client.areas.base import Area, path_id, path_month
from core.contract import closing as cm
from core.contract import ledger as lm


class ClosingApi(Area):
    """``api.closing``: the opening balances and the month's closing of one organisation."""

    async def opening_balances(self, org_id: str) -> cm.OpeningBalances:
        path = f"/orgs/{path_id(org_id)}/ledger/opening-balances"
        return await self._call("GET", path, cm.OpeningBalances)

    async def set_opening_balances(self, org_id: str,
                                   data: cm.OpeningBalancesIn) -> cm.OpeningBalances:
        """Replace the opening balances (the old entry is reversed); 000's balance comes back."""
        path = f"/orgs/{path_id(org_id)}/ledger/opening-balances"
        return await self._call("POST", path, cm.OpeningBalances, data)

    async def settings(self, org_id: str) -> cm.ClosingSettingsOut:
        path = f"/orgs/{path_id(org_id)}/closing/settings"
        return await self._call("GET", path, cm.ClosingSettingsOut)

    async def set_settings(self, org_id: str, cost_mode: str) -> cm.ClosingSettingsOut:
        path = f"/orgs/{path_id(org_id)}/closing/settings"
        return await self._call("PUT", path, cm.ClosingSettingsOut,
                                cm.ClosingSettingsIn(cost_mode=cost_mode))  # type: ignore[arg-type]

    async def preview(self, org_id: str, month: str) -> cm.ClosingPreview:
        """The entries closing ``month`` (``YYYY-MM``) would post; nothing is written."""
        path = f"/orgs/{path_id(org_id)}/closing/{path_month(month)}/preview"
        return await self._call("GET", path, cm.ClosingPreview)

    async def close(self, org_id: str, month: str) -> cm.ClosingDone:
        path = f"/orgs/{path_id(org_id)}/closing/{path_month(month)}"
        return await self._call("POST", path, cm.ClosingDone)

    async def reopen(self, org_id: str, month: str, reason: str) -> cm.ReopenDone:
        """Reverse the month's closing entries and reopen it (409 while a later one is closed)."""
        path = f"/orgs/{path_id(org_id)}/closing/{path_month(month)}/reopen"
        return await self._call("POST", path, cm.ReopenDone, lm.ReopenIn(reason=reason))
