"""Provides the 6-НДФЛ and РСВ routes of a period (the payroll rights: РСВ section 3 is
personal data). The JSON answer is the figures table (the TUI exports it to XLSX/CSV and
JSON); the XML for upload to ФНС comes later. Tagged by the ETag middleware like every
organisation's GET (server/api/etag.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.payroll import forms

router = APIRouter(tags=["payroll"])

PERIOD = r"^[0-9]{4}-(Q1|H1|9M|Y)$"
"""``2026-Q1``, ``2026-H1`` (half-year), ``2026-9M``, ``2026-Y`` (the year)."""


def _period(text: str) -> tuple[int, str]:
    year, _, code = text.partition("-")
    return int(year), code


@router.get("/orgs/{org_id}/payroll/forms/6-ndfl/{period}")
def get_6ndfl(
    period: Annotated[str, Path(pattern=PERIOD)], db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.Ndfl6:
    year, code = _period(period)
    return forms.ndfl6(db, oc, year, code)


@router.get("/orgs/{org_id}/payroll/forms/rsv/{period}")
def get_rsv(
    period: Annotated[str, Path(pattern=PERIOD)], db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.Rsv:
    year, code = _period(period)
    return forms.rsv(db, oc, year, code)
