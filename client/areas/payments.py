"""Provides PaymentsApi: payment orders and their file for the bank-client."""

from __future__ import annotations

from typing import Any

from client.areas.base import Area, path_id, present
from core import contract as m


class PaymentsApi(Area):
    """``api.payments``: payment orders (supplier, ЕНП, salary)."""

    async def orders(
        self, org_id: str, *, date_from: str | None = None, date_to: str | None = None,
        cursor: str | None = None, limit: int = 100,
    ) -> m.PaymentOrderPage:
        params: dict[str, Any] = {"limit": limit, **present(
            date_from=date_from, date_to=date_to, cursor=cursor)}
        return await self._call("GET", f"/orgs/{path_id(org_id)}/payment-orders",
                                m.PaymentOrderPage, params=params)

    async def create(self, org_id: str, data: m.PaymentOrderIn) -> m.PaymentOrderOut:
        return await self._call("POST", f"/orgs/{path_id(org_id)}/payment-orders",
                                m.PaymentOrderOut, data)

    async def delete(self, org_id: str, order_id: str) -> None:
        """Only an order not yet exported may be deleted."""
        await self._send("DELETE", f"/orgs/{path_id(org_id)}/payment-orders/{path_id(order_id)}")

    async def export(self, org_id: str, ids: list[str]) -> bytes:
        """A 1CClientBankExchange file (cp1251, CRLF) for the bank-client; marks them exported."""
        response = await self._send("POST", f"/orgs/{path_id(org_id)}/payment-orders/export",
                                    m.PaymentExportIn(ids=ids))
        return response.content
