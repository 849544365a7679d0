"""Provides the stock routes: items (номенклатура), warehouses, the stock setting and the
stock report on a date."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.stock import Stock

router = APIRouter(tags=["stock"])


def stock(request: Request) -> Stock:
    return request.app.state.stock


@router.get("/orgs/{org_id}/stock/items")
def list_items(request: Request, db: DbDep, archived: bool = False,
               oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.ItemList:
    """The items by name; ``archived=true`` lists the archived ones."""
    return stock(request).items(db, oc, archived=archived)


@router.post("/orgs/{org_id}/stock/items", status_code=status.HTTP_201_CREATED)
def create_item(body: m.ItemIn, request: Request, db: DbDep,
                oc: OrgCtx = require(Perm.DOCUMENTS_WRITE)) -> m.ItemOut:
    return stock(request).create_item(db, oc, body)


@router.put("/orgs/{org_id}/stock/items/{item_id}")
def update_item(item_id: uuid.UUID, body: m.ItemIn, request: Request, db: DbDep,
                oc: OrgCtx = require(Perm.DOCUMENTS_WRITE)) -> m.ItemOut:
    return stock(request).update_item(db, oc, str(item_id), body)


@router.get("/orgs/{org_id}/stock/warehouses")
def list_warehouses(request: Request, db: DbDep,
                    oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.WarehouseList:
    """The default warehouse («Основной склад») first; it is made on the first call."""
    return stock(request).warehouses(db, oc)


@router.post("/orgs/{org_id}/stock/warehouses", status_code=status.HTTP_201_CREATED)
def create_warehouse(body: m.WarehouseIn, request: Request, db: DbDep,
                     oc: OrgCtx = require(Perm.DOCUMENTS_WRITE)) -> m.WarehouseOut:
    return stock(request).create_warehouse(db, oc, body)


@router.get("/orgs/{org_id}/stock/settings")
def get_settings(request: Request, db: DbDep,
                 oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.StockSettings:
    return stock(request).settings(db, oc)


@router.put("/orgs/{org_id}/stock/settings")
def put_settings(body: m.StockSettings, request: Request, db: DbDep,
                 oc: OrgCtx = require(Perm.ORG_EDIT)) -> m.StockSettings:
    """``oversell``: ``refuse`` a sale of more than is in stock (409 ``stock.short``) or
    ``warn`` (posted, the document's ``warnings`` say so)."""
    return stock(request).put_settings(db, oc, body)


@router.get("/orgs/{org_id}/reports/stock")
def stock_report(request: Request, db: DbDep, day: Annotated[date, Query(alias="date")],
                 warehouse_id: uuid.UUID | None = None,
                 oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.StockReport:
    """Остатки товаров at the end of ``date``: item, warehouse, quantity, cost."""
    return stock(request).report(db, oc, day, str(warehouse_id) if warehouse_id else None)
