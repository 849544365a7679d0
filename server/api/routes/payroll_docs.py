"""Provides the payment documents of a payroll run: the Т-53 (cash) and the salary register
(card) of one payment, as PDF (the payroll rights only: they carry names and amounts)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.payroll_docs import PayrollDocs

router = APIRouter(tags=["payroll"])
PDF = {200: {"content": {"application/pdf": {}}}}
PartQuery = Annotated[Literal["advance", "final"], Query()]


def docs(request: Request) -> PayrollDocs:
    return request.app.state.payroll_docs


def _pdf(name: str, content: bytes) -> Response:
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/orgs/{org_id}/payroll/runs/{run_id}/t53", response_class=Response,
            responses=PDF)
def get_t53(
    run_id: uuid.UUID, part: PartQuery, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> Response:
    """Платёжная ведомость (Т-53) of the employees paid in cash, for one payment."""
    return _pdf(*docs(request).t53(db, oc, str(run_id), part))


@router.get("/orgs/{org_id}/payroll/runs/{run_id}/register", response_class=Response,
            responses=PDF)
def get_register(
    run_id: uuid.UUID, part: PartQuery, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> Response:
    """The salary register of the employees paid by card, for one payment."""
    return _pdf(*docs(request).register(db, oc, str(run_id), part))
