"""Provides the wire shapes of payroll: a run with its lines and totals."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import (
    Employee,
    PayrollLine,
    PayrollRun,
)
from server.services.payroll.figures import MONEY_FIELDS, kopecks_of, money


def lines_of(db: Session, run: PayrollRun) -> list[PayrollLine]:
    return list(db.scalars(select(PayrollLine).where(PayrollLine.run_id == run.id)
                           .order_by(PayrollLine.line)).all())


def totals_of(lines: list[PayrollLine]) -> m.PayrollTotals:
    def s(f: Any) -> Decimal:
        return money(sum(f(x) for x in lines))

    return m.PayrollTotals(
        accrued=s(lambda x: x.accrued_kopecks),
        deductions=s(lambda x: x.deductions_kopecks),
        ndfl=s(lambda x: x.ndfl_kopecks),
        contrib_main=s(lambda x: x.contrib_main_kopecks),
        contrib_injury=s(lambda x: x.contrib_injury_kopecks),
        advance=s(lambda x: x.advance_gross_kopecks - x.ndfl_advance_kopecks),
        final_payment=s(lambda x: x.accrued_kopecks - x.advance_gross_kopecks
                        - x.ndfl_final_kopecks),
        net=s(lambda x: x.accrued_kopecks - x.ndfl_kopecks))


def run_out(db: Session, run: PayrollRun) -> m.PayrollRunOut:
    lines = lines_of(db, run)
    names = {e.id: e for e in db.scalars(select(Employee).where(
        Employee.id.in_([x.employee_id for x in lines]))).all()} if lines else {}
    return m.PayrollRunOut(
        id=run.id, year=run.year, month=run.month,
        state=run.state,  # type: ignore[arg-type]
        working_days=run.working_days, sme=run.sme, sme_priority=run.sme_priority,
        injury_rate=Decimal(run.injury_rate), advance_date=run.advance_date,
        final_date=run.final_date,
        lines=[line_out(x, names[x.employee_id]) for x in lines],
        items=[m.PayrollItemOut(**x) for x in json.loads(run.items or "[]")],
        totals=totals_of(lines), entry_ids=json.loads(run.entry_ids or "[]"),
        payment_order_ids=json.loads(run.payment_order_ids or "[]"),
        advance_paid_on=run.advance_paid_on, final_paid_on=run.final_paid_on,
        created_at=run.created_at, updated_at=run.updated_at)


def line_out(x: PayrollLine, e: Employee) -> m.PayrollLineOut:
    values = {k: money(kopecks_of(x, k)) for k in MONEY_FIELDS if k != "advance_gross"}
    return m.PayrollLineOut(
        employee_id=e.id, employee_name=e.full_name, position=e.position,
        cost_account=x.cost_account,  # type: ignore[arg-type]
        working_days=x.working_days, days_worked=x.days_worked,
        advance_gross=money(x.advance_gross_kopecks),
        advance=money(x.advance_gross_kopecks - x.ndfl_advance_kopecks),
        final_payment=money(x.accrued_kopecks - x.advance_gross_kopecks
                             - x.ndfl_final_kopecks),
        net=money(x.accrued_kopecks - x.ndfl_kopecks),
        pay_method=x.pay_method,  # type: ignore[arg-type]
        **values)
