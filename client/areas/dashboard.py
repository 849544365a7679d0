"""Provides DashboardApi: «Сводка» of one organisation and the line per organisation.

Both answers carry the ETag of the data's version: the transport's ETag cache asks with
``If-None-Match`` and a repeat visit with nothing changed costs a 304 and no body. The
server computes every balance, check and deadline; the client renders.
"""

from __future__ import annotations

from client.areas.base import Area, path_id
from core import contract as m


class DashboardApi(Area):
    """``api.dashboard``: read by every member role (what each sees is the server's rule)."""

    async def org(self, org_id: str) -> m.Dashboard:
        """The aggregate of one organisation: balances, settlements, the next deadlines,
        my tasks, drafts, statement lines not posted, the failed checks."""
        return await self._call("GET", f"/orgs/{path_id(org_id)}/dashboard", m.Dashboard)

    async def mine(self) -> m.MyDashboard:
        """One line per organisation of the caller (money, overdue tasks, failed checks,
        the next deadline)."""
        return await self._call("GET", "/me/dashboard", m.MyDashboard)
