"""Provides CalendarApi: an organisation's tax calendar (налоговый календарь).

Dates are ISO (``YYYY-MM-DD``). The server computes every deadline, its move off a day
off, the amount the books know and whether the payment is prepared; the client renders.
"""

from __future__ import annotations

from client.areas.base import Area, path_id, present
from core import contract as m


class CalendarApi(Area):
    """``api.calendar``: the deadlines of an organisation, read by every member role."""

    async def year(self, org_id: str, year: int) -> m.TaxCalendar:
        """The deadlines due in ``year``, by due date."""
        return await self._call("GET", f"/orgs/{path_id(org_id)}/calendar", m.TaxCalendar,
                                params={"year": year})

    async def between(
        self, org_id: str, date_from: str | None = None, date_to: str | None = None, *,
        limit: int | None = None,
    ) -> m.TaxCalendar:
        """The deadlines due from ``date_from`` (today when empty) to ``date_to`` (a year
        on when empty); ``limit`` keeps the first N."""
        return await self._call("GET", f"/orgs/{path_id(org_id)}/calendar", m.TaxCalendar,
                                params=present(**{"from": date_from, "to": date_to,
                                                  "limit": limit}))

    async def upcoming(self, org_id: str, limit: int = 5) -> m.TaxCalendar:
        """The next ``limit`` deadlines from today (the dashboard's list)."""
        return await self.between(org_id, limit=limit)
