"""Provides the wire contract of stock by item (номенклатура): items, warehouses, the
organisation's stock setting and the stock report (остатки товаров на дату).

Quantities are decimal strings with up to three decimals; money is roubles and kopecks.
The cost is the moving average (ФСБУ 5/2019 «Запасы», п. 36: запасы списываются по
средней себестоимости), kept per item and warehouse by the server.
"""

from __future__ import annotations

from datetime import date as date_
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import WireModel
from core.contract.reports import ReportHead
from core.validation import InvalidInput

ItemKind = Literal["goods", "material"]
"""Товар (41.01) or материал (10.01); both are counted the same way."""
Oversell = Literal["refuse", "warn"]
"""A sale of more than is in stock: refused (409 ``stock.short``) or posted with a warning."""


class ItemIn(WireModel):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    unit: Annotated[str, Field(min_length=1, max_length=20)] = "шт"
    kind: ItemKind = "goods"
    archived: bool = False

    @model_validator(mode="after")
    def _shape(self) -> ItemIn:
        self.name = " ".join(self.name.split())
        if not self.name:
            raise InvalidInput("validation.required", field="name")
        self.unit = self.unit.strip()
        if not self.unit:
            raise InvalidInput("validation.required", field="unit")
        return self


class ItemOut(WireModel):
    id: str
    name: str
    unit: str
    kind: ItemKind
    archived: bool


class ItemList(WireModel):
    items: list[ItemOut]


class WarehouseIn(WireModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _shape(self) -> WarehouseIn:
        self.name = " ".join(self.name.split())
        if not self.name:
            raise InvalidInput("validation.required", field="name")
        return self


class WarehouseOut(WireModel):
    id: str
    name: str
    is_default: bool


class WarehouseList(WireModel):
    items: list[WarehouseOut]


class StockSettings(WireModel):
    oversell: Oversell = "refuse"


class StockRow(WireModel):
    item_id: str
    item: str
    unit: str
    warehouse_id: str
    warehouse: str
    quantity: Decimal
    cost: Decimal
    """The stock's cost (себестоимость остатка), kopecks exact."""
    average: Decimal
    """Cost of one unit, to the kopeck (shown only; the books keep the total)."""


class StockReport(WireModel):
    head: ReportHead
    """``date_from`` and ``date_to`` are both the report's day."""
    date: date_
    """The stock at the end of this day."""
    rows: list[StockRow]
    total_cost: Decimal
