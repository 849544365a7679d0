"""Provides StockApi: items (номенклатура), warehouses, the stock setting, the stock report,
and the VAT books of a quarter."""

from __future__ import annotations

from client.areas.base import Area, path_id
from core import contract as m


class StockApi(Area):
    """``api.stock``: stock by item and the VAT books."""

    async def items(self, org_id: str, *, archived: bool = False) -> m.ItemList:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/stock/items", m.ItemList,
                                params={"archived": "true"} if archived else None)

    async def create_item(self, org_id: str, item: m.ItemIn) -> m.ItemOut:
        return await self._call("POST", f"/orgs/{path_id(org_id)}/stock/items", m.ItemOut, item)

    async def update_item(self, org_id: str, item_id: str, item: m.ItemIn) -> m.ItemOut:
        return await self._call("PUT", f"/orgs/{path_id(org_id)}/stock/items/{path_id(item_id)}",
                                m.ItemOut, item)

    async def warehouses(self, org_id: str) -> m.WarehouseList:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/stock/warehouses",
                                m.WarehouseList)

    async def settings(self, org_id: str) -> m.StockSettings:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/stock/settings",
                                m.StockSettings)

    async def put_settings(self, org_id: str, settings: m.StockSettings) -> m.StockSettings:
        return await self._call("PUT", f"/orgs/{path_id(org_id)}/stock/settings",
                                m.StockSettings, settings)

    async def report(self, org_id: str, day: str) -> m.StockReport:
        """Остатки товаров at the end of ``day`` (ISO)."""
        return await self._call("GET", f"/orgs/{path_id(org_id)}/reports/stock", m.StockReport,
                                params={"date": day})

    async def vat_book(self, org_id: str, kind: str, year: int, quarter: int) -> m.VatBook:
        """``kind``: ``purchase`` (книга покупок) or ``sales`` (книга продаж)."""
        return await self._call("GET", f"/orgs/{path_id(org_id)}/reports/vat/{kind}-book",
                                m.VatBook, params={"year": year, "quarter": quarter})

    async def vat_declaration(self, org_id: str, year: int, quarter: int) -> m.VatDeclaration:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/reports/vat/declaration",
                                m.VatDeclaration, params={"year": year, "quarter": quarter})
