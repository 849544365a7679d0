"""Provides the payment-order routes: the list, create, delete and the export to the bank.

Reading needs the ledger right; writing (and exporting) needs the bank right.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.payments import FILE_NAME, Payments

router = APIRouter(tags=["payments"])


def payments(request: Request) -> Payments:
    return request.app.state.payments


@router.get("/orgs/{org_id}/payment-orders")
def list_payment_orders(
    request: Request,
    db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
    date_from: date | None = None,
    date_to: date | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> m.PaymentOrderPage:
    """Newest first (date, then number)."""
    return payments(request).page(db, oc, date_from=date_from, date_to=date_to, cursor=cursor,
                                  limit=limit)


@router.post("/orgs/{org_id}/payment-orders", status_code=status.HTTP_201_CREATED)
def create_payment_order(
    body: m.PaymentOrderIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.BANK_WRITE),
) -> m.PaymentOrderOut:
    return payments(request).create(db, oc, body)


@router.delete("/orgs/{org_id}/payment-orders/{order_id}",
               status_code=status.HTTP_204_NO_CONTENT)
def delete_payment_order(
    order_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.BANK_WRITE),
) -> Response:
    """Only an order not yet exported."""
    payments(request).delete(db, oc, str(order_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/orgs/{org_id}/payment-orders/export",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def export_payment_orders(
    body: m.PaymentExportIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.BANK_WRITE),
) -> Response:
    """A 1CClientBankExchange file (cp1251, CRLF) for the bank-client; marks the orders
    exported."""
    data = payments(request).export(db, oc, body.ids)
    return Response(
        content=data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{FILE_NAME}"'},
    )
