"""Provides the statement routes: balance sheet, financial results, КУДиР and УСН."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from core import contract as m
from core.contract.reports import Units
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.statements import Statements

router = APIRouter(tags=["reports"])


def statements(request: Request) -> Statements:
    return request.app.state.statements


@router.get("/orgs/{org_id}/reports/balance-sheet")
def balance_sheet(
    request: Request, db: DbDep, date_from: date, date_to: date,
    oc: OrgCtx = require(Perm.LEDGER_READ), units: Units = "roubles",
) -> m.Statement:
    """Бухгалтерский баланс (simplified form): at ``date_to``, at the day before
    ``date_from`` and at 31 December of the two years before; ``units=thousands``
    rounds to thousands of roubles line by line."""
    return statements(request).balance_sheet(db, oc, date_from, date_to, units)


@router.get("/orgs/{org_id}/reports/financial-results")
def financial_results(
    request: Request, db: DbDep, date_from: date, date_to: date,
    oc: OrgCtx = require(Perm.LEDGER_READ), units: Units = "roubles",
) -> m.Statement:
    """Отчёт о финансовых результатах (simplified form): the period and the same period a
    year earlier; ``units=thousands`` as for the balance sheet."""
    return statements(request).financial_results(db, oc, date_from, date_to, units)


@router.get("/orgs/{org_id}/reports/usn")
def usn_report(
    request: Request, db: DbDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    date_to: date | None = None,
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> m.UsnReport:
    """КУДиР of ``year`` up to ``date_to`` and the УСН tax with its advances; 409
    ``report.not_usn`` for an organisation not on УСН."""
    return statements(request).usn(db, oc, year, date_to)
