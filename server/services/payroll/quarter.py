"""Provides the quarter's payroll figures by month (for the 6-НДФЛ and РСВ returns), with
the year's cumulative totals."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import (
    PayrollLine,
    PayrollRun,
)
from server.services.payroll.figures import money


def quarter_summary(db: Session, org_id: str, year: int, quarter: int) -> m.QuarterSummary:
    """The approved (or paid) runs of the year up to the quarter's end, month by month."""
    rows = db.execute(
        select(PayrollLine, PayrollRun)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(PayrollRun.org_id == org_id, PayrollRun.year == year,
               PayrollRun.month <= quarter * 3, PayrollRun.state != "draft")).all()
    months = {mo: defaultdict(int) for mo in range(quarter * 3 - 2, quarter * 3 + 1)}
    people: dict[int, set[str]] = defaultdict(set)
    ytd: dict[str, int] = defaultdict(int)
    for line, run in rows:
        ytd["income"] += line.accrued_kopecks
        ytd["ndfl"] += line.ndfl_kopecks
        ytd["base"] += line.contribution_base_kopecks
        ytd["main"] += line.contrib_main_kopecks
        if run.month not in months:
            continue
        s = months[run.month]
        people[run.month].add(line.employee_id)
        s["income"] += line.accrued_kopecks
        s["deductions"] += line.deductions_kopecks
        s["ndfl_computed"] += line.ndfl_kopecks
        s["ndfl_withheld"] += ((line.ndfl_advance_kopecks if run.advance_paid_on else 0)
                               + (line.ndfl_final_kopecks if run.final_paid_on else 0))
        s["contribution_base"] += line.contribution_base_kopecks
        s["contrib_main"] += line.contrib_main_kopecks
        s["contrib_injury"] += line.contrib_injury_kopecks

    def qm(month: int, s: dict[str, int], count: int) -> m.QuarterMonth:
        return m.QuarterMonth(month=month, employees=count, **{
            k: money(s[k]) for k in ("income", "deductions", "ndfl_computed",
                                      "ndfl_withheld", "contribution_base",
                                      "contrib_main", "contrib_injury")})

    total: dict[str, int] = defaultdict(int)
    for s in months.values():
        for k, val in s.items():
            total[k] += val
    everyone = set().union(*people.values()) if people else set()
    return m.QuarterSummary(
        year=year, quarter=quarter,
        months=[qm(mo, s, len(people[mo])) for mo, s in months.items()],
        total=qm(0, total, len(everyone)),
        income_ytd=money(ytd["income"]), ndfl_ytd=money(ytd["ndfl"]),
        contribution_base_ytd=money(ytd["base"]),
        contrib_main_ytd=money(ytd["main"]))
