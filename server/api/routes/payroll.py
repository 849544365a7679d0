"""Provides the employee and payroll routes (personal data: the payroll rights only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.employees import Employees
from server.services.payroll import Payroll, render_payslip_pdf

router = APIRouter(tags=["payroll"])


def employees(request: Request) -> Employees:
    return request.app.state.employees


def payroll(request: Request) -> Payroll:
    return request.app.state.payroll


@router.get("/orgs/{org_id}/employees")
def list_employees(
    request: Request, db: DbDep, oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.EmployeeList:
    return employees(request).list(db, oc)


@router.post("/orgs/{org_id}/employees", status_code=status.HTTP_201_CREATED)
def create_employee(
    body: m.EmployeeIn, request: Request, db: DbDep, oc: OrgCtx = require(Perm.PAYROLL_WRITE),
) -> m.EmployeeOut:
    return employees(request).create(db, oc, body)


@router.get("/orgs/{org_id}/employees/{employee_id}")
def get_employee(
    employee_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.EmployeeOut:
    return employees(request).get(db, oc, str(employee_id))


@router.put("/orgs/{org_id}/employees/{employee_id}")
def update_employee(
    employee_id: uuid.UUID, body: m.EmployeeIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_WRITE),
) -> m.EmployeeOut:
    return employees(request).update(db, oc, str(employee_id), body)


@router.get("/orgs/{org_id}/payroll/runs")
def list_runs(
    request: Request, db: DbDep, oc: OrgCtx = require(Perm.PAYROLL_READ),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> m.PayrollRunList:
    return payroll(request).runs(db, oc, year)


@router.get("/orgs/{org_id}/payroll/runs/{period}")
def get_run(
    period: Annotated[str, Path(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")],
    request: Request, db: DbDep, oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.PayrollRunOut:
    year, month = period.split("-")
    return payroll(request).run_of_month(db, oc, int(year), int(month))


@router.post("/orgs/{org_id}/payroll/runs")
def compute_run(
    body: m.PayrollRunIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_WRITE),
) -> m.PayrollRunOut:
    """Create or recompute the month's draft."""
    return payroll(request).compute(db, oc, body)


@router.post("/orgs/{org_id}/payroll/runs/{run_id}/approve")
def approve_run(
    run_id: uuid.UUID, request: Request, db: DbDep, oc: OrgCtx = require(Perm.PAYROLL_WRITE),
) -> m.PayrollRunOut:
    return payroll(request).approve(db, oc, str(run_id))


@router.post("/orgs/{org_id}/payroll/runs/{run_id}/pay")
def pay_run(
    run_id: uuid.UUID, body: m.PayrollPayIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_WRITE),
) -> m.PayrollPaid:
    return payroll(request).pay(db, oc, str(run_id), body)


@router.get("/orgs/{org_id}/payroll/runs/{run_id}/payslips/{employee_id}")
def get_payslip(
    run_id: uuid.UUID, employee_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.Payslip:
    return payroll(request).payslip(db, oc, str(run_id), str(employee_id))


@router.get(
    "/orgs/{org_id}/payroll/runs/{run_id}/payslips/{employee_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def get_payslip_pdf(
    run_id: uuid.UUID, employee_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> Response:
    slip = payroll(request).payslip(db, oc, str(run_id), str(employee_id))
    name = f"payslip-{slip.year}-{slip.month:02d}.pdf"
    return Response(render_payslip_pdf(slip, oc.ctx.lang), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/orgs/{org_id}/payroll/quarters/{period}")
def get_quarter(
    period: Annotated[str, Path(pattern=r"^[0-9]{4}-Q[1-4]$")],
    request: Request, db: DbDep, oc: OrgCtx = require(Perm.PAYROLL_READ),
) -> m.QuarterSummary:
    return payroll(request).quarter(db, oc, int(period[:4]), int(period[-1]))
