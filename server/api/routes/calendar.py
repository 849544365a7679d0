"""Provides the tax calendar route: an organisation's deadlines with their amounts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.tax_calendar import TaxCalendars

router = APIRouter(tags=["calendar"])


def calendars(request: Request) -> TaxCalendars:
    return request.app.state.tax_calendar


@router.get("/orgs/{org_id}/calendar")
def tax_calendar(
    request: Request,
    db: DbDep,
    year: Annotated[int | None, Query(ge=2000, le=2099)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    limit: Annotated[int | None, Query(ge=1, le=500)] = None,
    oc: OrgCtx = require(Perm.ORG_READ),
) -> m.TaxCalendar:
    """Налоговый календарь: the deadlines due in ``year`` (this year by default), or from
    ``from`` to ``to`` (``from`` alone: a year on; ``limit`` keeps the first N — the next
    deadlines), each moved off a day off, with the amount the books know (``estimate``
    while its period runs), and ``prepared`` for a payment whose order was exported. Every
    member reads it; payroll amounts only with payroll rights."""
    return calendars(request).calendar(db, oc, year=year, date_from=date_from,
                                       date_to=date_to, limit=limit)
