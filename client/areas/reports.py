"""Provides ReportsApi: trial balance, account card and analysis, statements, УСН, export.

Periods are ISO dates (``YYYY-MM-DD``), both ends included.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from client.areas.base import Area, path_id
from core import contract as m

T = TypeVar("T", bound=BaseModel)


class ReportsApi(Area):
    """``api.reports``: what the books say, computed by the server."""

    async def _report(self, org_id: str, name: str, model: type[T], **params: Any) -> T:
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        return await self._call("GET", f"/orgs/{path_id(org_id)}/reports/{name}", model,
                                params=query)

    async def trial_balance(
        self, org_id: str, date_from: str, date_to: str, *, by: str = "account"
    ) -> m.TrialBalance:
        """Оборотно-сальдовая ведомость; ``by="counterparty"`` adds analytics lines."""
        return await self._report(org_id, "trial-balance", m.TrialBalance,
                                  date_from=date_from, date_to=date_to, by=by)

    async def account_card(
        self, org_id: str, account: str, date_from: str, date_to: str, *,
        counterparty_id: str | None = None, cursor: str | None = None, limit: int = 200,
    ) -> m.AccountCard:
        return await self._report(org_id, "account-card", m.AccountCard, account=account,
                                  date_from=date_from, date_to=date_to,
                                  counterparty_id=counterparty_id, cursor=cursor, limit=limit)

    async def account_analysis(
        self, org_id: str, account: str, date_from: str, date_to: str
    ) -> m.AccountAnalysis:
        return await self._report(org_id, "account-analysis", m.AccountAnalysis,
                                  account=account, date_from=date_from, date_to=date_to)

    async def balance_sheet(self, org_id: str, date_from: str, date_to: str, *,
                            units: str = "roubles") -> m.Statement:
        """``units="thousands"``: whole thousands of roubles, rounded line by line."""
        return await self._report(org_id, "balance-sheet", m.Statement,
                                  date_from=date_from, date_to=date_to,
                                  units=None if units == "roubles" else units)

    async def financial_results(self, org_id: str, date_from: str, date_to: str, *,
                                units: str = "roubles") -> m.Statement:
        return await self._report(org_id, "financial-results", m.Statement,
                                  date_from=date_from, date_to=date_to,
                                  units=None if units == "roubles" else units)

    async def usn(self, org_id: str, year: int, date_to: str | None = None) -> m.UsnReport:
        """КУДиР and the УСН tax of ``year`` (up to ``date_to`` when given)."""
        return await self._report(org_id, "usn", m.UsnReport, year=year, date_to=date_to)

    async def export_journal(self, org_id: str, fmt: str = "ledger") -> str:
        """The whole books as a plain-text ledger-cli / hledger journal."""
        path = f"/orgs/{path_id(org_id)}/export/journal"
        return (await self._send("GET", path, params={"format": fmt})).text
