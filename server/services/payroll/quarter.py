"""Provides the quarter's payroll figures by month (for the 6-НДФЛ and РСВ returns), with
the year's cumulative totals and the НДФЛ notices of the quarter.

Two calendars meet here (НК ст. 223 п. 2, ст. 226 п. 4):
- income, deductions, the tax computed and the contributions belong to the month the pay
  was accrued for (its income date is that month's last day);
- the tax WITHHELD belongs to the day each part was paid: January's tax withheld from the
  final payment of 5 February is February's (and December's, paid in January, the next
  year's January). So the runs read reach back to the previous year's December.
The notices (п. 9 ст. 58 НК) group the withheld tax by the half-month periods 1st–22nd and
23rd–month end of the withholding days (``payroll_rules.ndfl_notice``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import (
    PayrollLine,
    PayrollRun,
)
from server.domain import payroll_rules as pr
from server.services.payroll.figures import money


def quarter_summary(db: Session, org_id: str, year: int, quarter: int) -> m.QuarterSummary:
    """The approved (or paid) runs of the year up to the quarter's end, month by month."""
    first_month, last_month = quarter * 3 - 2, quarter * 3
    rows = db.execute(
        select(PayrollLine, PayrollRun)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(PayrollRun.org_id == org_id, PayrollRun.state != "draft",
               or_(PayrollRun.year == year,
                   (PayrollRun.year == year - 1) & (PayrollRun.month == 12)))).all()
    months = {mo: defaultdict(int) for mo in range(first_month, last_month + 1)}
    people: dict[int, set[str]] = defaultdict(set)
    ytd: dict[str, int] = defaultdict(int)
    withheld: dict[date, int] = defaultdict(int)
    for line, run in rows:
        for paid_on, kopecks in ((run.advance_paid_on, line.ndfl_advance_kopecks),
                                 (run.final_paid_on, line.ndfl_final_kopecks)):
            if paid_on is not None and kopecks and paid_on.year == year \
                    and paid_on.month <= last_month:
                withheld[paid_on] += kopecks
        if run.year != year or run.month > last_month:
            continue
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
        s["contribution_base"] += line.contribution_base_kopecks
        s["contrib_main"] += line.contrib_main_kopecks
        s["contrib_injury"] += line.contrib_injury_kopecks
    notices: dict[tuple[date, date], tuple[pr.NdflNotice, int]] = {}
    for day in sorted(withheld):
        ytd["withheld"] += withheld[day]
        if day.month < first_month:  # withheld earlier this year: the year's total only
            continue
        months[day.month]["ndfl_withheld"] += withheld[day]
        n = pr.ndfl_notice(day)
        key = (n.period_from, n.period_to)
        notices[key] = (n, notices.get(key, (n, 0))[1] + withheld[day])

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
        contrib_main_ytd=money(ytd["main"]),
        ndfl_withheld_ytd=money(ytd["withheld"]),
        ndfl_notices=[m.NdflNotice(period_from=n.period_from, period_to=n.period_to,
                                   amount=money(k), notice_due=n.notice_due,
                                   payment_due=n.payment_due)
                      for n, k in notices.values()])
