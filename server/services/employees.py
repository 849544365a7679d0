"""Provides the employee cards of an organisation (personal data).

Only callers with ``Perm.PAYROLL_READ`` reach these (the routes require it); nothing here
is exposed through other endpoints: the audit log names an employee by id only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks, to_kopecks
from server.db.models import Employee
from server.domain.query import fold
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError


def employee_out(e: Employee) -> m.EmployeeOut:
    return m.EmployeeOut(
        id=e.id, full_name=e.full_name, position=e.position, department=e.department,
        cost_account=e.cost_account,  # type: ignore[arg-type]
        hired_on=e.hired_on, dismissed_on=e.dismissed_on,
        salary=from_kopecks(e.salary_kopecks), inn=e.inn, snils=e.snils, resident=e.resident,
        children=[m.ChildIn(**c) for c in json.loads(e.children or "[]")],
        pay_method=e.pay_method,  # type: ignore[arg-type]
        bank_bik=e.bank_bik, bank_account=e.bank_account,
        bank_corr_account=e.bank_corr_account, bank_name=e.bank_name,
        is_director=e.is_director, birth_date=e.birth_date,
        sex=e.sex,  # type: ignore[arg-type]
        citizenship=e.citizenship, created_at=e.created_at, updated_at=e.updated_at,
    )


def load_employee(db: Session, oc: OrgCtx, employee_id: str) -> Employee:
    found = db.get(Employee, employee_id)
    if found is None or found.org_id != oc.org_id:
        raise ServiceError(404, "employee.not_found")
    return found


def _fill(e: Employee, data: m.EmployeeIn) -> None:
    e.full_name = data.full_name
    e.name_folded = fold(data.full_name)
    e.position = data.position
    e.department = data.department
    e.cost_account = data.cost_account
    e.hired_on = data.hired_on
    e.dismissed_on = data.dismissed_on
    e.salary_kopecks = to_kopecks(data.salary)
    e.inn = data.inn
    e.snils = data.snils
    e.resident = data.resident
    e.children = json.dumps([c.model_dump() for c in sorted(data.children,
                                                             key=lambda c: c.order)])
    e.pay_method = data.pay_method
    e.bank_bik = data.bank_bik
    e.bank_account = data.bank_account
    e.bank_corr_account = data.bank_corr_account
    e.bank_name = data.bank_name
    e.is_director = data.is_director
    e.birth_date = data.birth_date
    e.sex = data.sex
    e.citizenship = data.citizenship


@dataclass
class Employees:
    def list(self, db: Session, oc: OrgCtx) -> m.EmployeeList:
        with db.begin():
            rows = db.scalars(select(Employee).where(Employee.org_id == oc.org_id)
                              .order_by(Employee.name_folded, Employee.id)).all()
            return m.EmployeeList(items=[employee_out(e) for e in rows])

    def get(self, db: Session, oc: OrgCtx, employee_id: str) -> m.EmployeeOut:
        with db.begin():
            return employee_out(load_employee(db, oc, employee_id))

    def create(self, db: Session, oc: OrgCtx, data: m.EmployeeIn) -> m.EmployeeOut:
        with db.begin():
            e = Employee(org_id=oc.org_id, created_at=oc.ctx.now, updated_at=oc.ctx.now)
            _fill(e, data)
            db.add(e)
            db.flush()
            audit.record(db, oc.ctx, "employees.create", org_id=oc.org_id,
                         object_type="employee", object_id=e.id)
            return employee_out(e)

    def update(self, db: Session, oc: OrgCtx, employee_id: str,
               data: m.EmployeeIn) -> m.EmployeeOut:
        with db.begin():
            e = load_employee(db, oc, employee_id)
            _fill(e, data)
            e.updated_at = oc.ctx.now
            db.flush()
            audit.record(db, oc.ctx, "employees.update", org_id=oc.org_id,
                         object_type="employee", object_id=e.id)
            return employee_out(e)
