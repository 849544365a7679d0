"""Provides the VAT report routes: the purchase book, the sales book, the declaration's
figures, for a quarter."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.vat_books import VatBooks

router = APIRouter(tags=["reports"])
Year = Annotated[int, Query(ge=2000, le=2099)]
Quarter = Annotated[int, Query(ge=1, le=4)]


def books(request: Request) -> VatBooks:
    return request.app.state.vat_books


@router.get("/orgs/{org_id}/reports/vat/purchase-book")
def purchase_book(request: Request, db: DbDep, year: Year, quarter: Quarter,
                  oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.VatBook:
    """Книга покупок of the quarter (Постановление № 1137, приложение 4)."""
    return books(request).purchase_book(db, oc, year, quarter)


@router.get("/orgs/{org_id}/reports/vat/sales-book")
def sales_book(request: Request, db: DbDep, year: Year, quarter: Quarter,
               oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.VatBook:
    """Книга продаж of the quarter (Постановление № 1137, приложение 5)."""
    return books(request).sales_book(db, oc, year, quarter)


@router.get("/orgs/{org_id}/reports/vat/declaration")
def declaration(request: Request, db: DbDep, year: Year, quarter: Quarter,
                oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.VatDeclaration:
    """The VAT declaration's figures: раздел 3, and the totals of разделы 8 and 9."""
    return books(request).declaration(db, oc, year, quarter)
