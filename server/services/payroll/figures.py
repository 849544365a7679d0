"""Provides the computation of a month: each employee's figures (pay pro rata to the days
worked, sick and vacation pay, НДФЛ on the cumulative income, contributions) from the rules
of ``server.domain.payroll_rules`` and the calendar of ``server.domain.work_calendar``."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks, to_kopecks
from server.db.models import Employee, Organisation, PayrollLine, PayrollRun
from server.domain import payroll_rules as pr
from server.domain import work_calendar as wc
from server.services.context import OrgCtx
from server.services.employees import load_employee
from server.services.errors import ServiceError

DEFAULT_INJURY_RATE = Decimal("0.2")
DEFAULT_ADVANCE_DAY = 20
DEFAULT_FINAL_DAY = 5
HALF_MONTH_END = 15

MONEY_FIELDS = ("salary", "bonus", "one_off", "sick", "vacation", "accrued", "deductions",
                "income_ytd", "ndfl", "ndfl_advance", "ndfl_final", "contribution_base",
                "contrib_main", "contrib_injury", "advance_gross")


def money(kopecks: int) -> Decimal:
    return from_kopecks(kopecks)


def kopecks_of(line: PayrollLine, name: str) -> int:
    return int(getattr(line, f"{name}_kopecks"))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def pay_days(year: int, month: int, advance_day: int, final_day: int) -> tuple[date, date]:
    """The advance day of the month and the final day of the next month, each moved to the
    working day before when it is a day off (ст. 136 ТК)."""
    ny, nm = _next_month(year, month)
    return pr.pay_date(date(year, month, advance_day)), pr.pay_date(date(ny, nm, final_day))


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass
class MonthFigures:
    """One employee's computed month, kopecks."""

    employee: Employee
    working_days: int
    days_worked: int
    values: dict[str, int]


def year_history(db: Session, oc: OrgCtx, year: int, month: int) -> dict[str, dict]:
    """Per employee: the year's figures of the approved runs before ``month``."""
    rows = db.execute(
        select(PayrollLine, PayrollRun.month)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(PayrollRun.org_id == oc.org_id, PayrollRun.year == year,
               PayrollRun.month < month, PayrollRun.state != "draft")).all()
    out: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for line, _ in rows:
        h = out[line.employee_id]
        h["income"] += line.accrued_kopecks
        h["deductions"] += line.deductions_kopecks
        h["ndfl"] += line.ndfl_kopecks
        h["base"] += line.contribution_base_kopecks
    return out


def pay_12_months(db: Session, oc: OrgCtx, employee_id: str, year: int,
                  month: int) -> tuple[int, int]:
    """Pay (salary + bonuses) of the approved runs of the 12 months before, and the
    number of those months."""
    start = (year - 1) * 12 + month - 1  # month index of the same month a year ago
    rows = db.execute(
        select(PayrollLine, PayrollRun.year, PayrollRun.month)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(PayrollRun.org_id == oc.org_id, PayrollLine.employee_id == employee_id,
               PayrollRun.state != "draft")).all()
    total, months = 0, 0
    for line, y, mo in rows:
        idx = y * 12 + mo - 1
        if start <= idx < year * 12 + month - 1:
            total += line.salary_kopecks + line.bonus_kopecks
            months += 1
    return total, months


def ndfl_split(year: int, income_before: int, advance_gross: int, accrued: int,
               ded_before: int, deduction: int, withheld_before: int,
               advance_taxed: bool) -> tuple[int, int]:
    """(НДФЛ withheld from the advance, from the final payment) of one employee's month.

    The month's tax is the cumulative tax after the month less what was withheld before
    (``ndfl_to_withhold``). An advance paid inside the month withholds nothing (the income
    arises on the month's last day, НК ст. 223 п. 2; ``payroll_rules.advance_is_taxed``):
    the whole tax goes to the final payment. An advance paid on the last day withholds the
    tax of the cumulative income up to it, with the month's child deduction; the final
    payment the rest."""
    total = pr.ndfl_to_withhold(year, income_before, accrued, ded_before, deduction,
                                withheld_before)
    if not advance_taxed:
        return 0, total
    advance = pr.ndfl_to_withhold(year, income_before, advance_gross, ded_before, deduction,
                                  withheld_before)
    advance = min(advance, total)
    return advance, total - advance


def resplit_advance(db: Session, oc: OrgCtx, year: int, month: int,
                    lines: list[PayrollLine], advance_taxed: bool) -> None:
    """Re-split each line's НДФЛ between the advance and the final payment for the day the
    advance is actually paid (the run was computed for its planned day); the month's total
    is unchanged."""
    history = year_history(db, oc, year, month)
    for line in lines:
        h = history.get(line.employee_id, {})
        income_before = line.income_ytd_kopecks - line.accrued_kopecks
        adv, fin = ndfl_split(year, income_before, line.advance_gross_kopecks,
                              line.accrued_kopecks, h.get("deductions", 0),
                              line.deductions_kopecks, h.get("ndfl", 0), advance_taxed)
        if adv + fin != line.ndfl_kopecks:  # the history changed since: keep the total
            adv = min(adv, line.ndfl_kopecks)
            fin = line.ndfl_kopecks - adv
        line.ndfl_advance_kopecks, line.ndfl_final_kopecks = adv, fin


def month_figures(db: Session, oc: OrgCtx, org: Organisation, data: m.PayrollRunIn, *,
                  sme: bool, sme_priority: bool, injury_rate: Decimal,
                  advance_date: date | None = None,
                  ) -> tuple[list[MonthFigures], list[dict]]:
    """``advance_date``: the planned advance day; its НДФЛ is withheld only when it is the
    month's last day (``payroll_rules.advance_is_taxed``)."""
    year, month = data.year, data.month
    first, last = wc.month_bounds(year, month)
    working = wc.working_days(year, month)
    month_days = wc.calendar_days(year, month)
    yr = pr.rules(year)
    sme_applies = pr.sme_rate_applies(year, sme, sme_priority)
    history = year_history(db, oc, year, month)
    advance_taxed = advance_date is not None and pr.advance_is_taxed(advance_date, year, month)
    by_employee: dict[str, list[m.PayrollItemIn]] = defaultdict(list)
    for item in data.items:
        load_employee(db, oc, item.employee_id)  # 404 for another org's employee
        by_employee[item.employee_id].append(item)
    employees = db.scalars(select(Employee).where(Employee.org_id == oc.org_id)
                           .order_by(Employee.name_folded, Employee.id)).all()
    figures: list[MonthFigures] = []
    items_out: list[dict] = []
    for e in employees:
        start = max(e.hired_on, first)
        end = min(e.dismissed_on or last, last)
        mine = by_employee.get(e.id, [])
        if start > end:
            if mine:
                raise ServiceError(422, "payroll.not_employed", params={"id": e.id})
            continue
        if not e.resident:
            raise ServiceError(422, "payroll.non_resident", params={"id": e.id})
        employed = [d for d in _days(start, end)]
        absent: set[date] = set()
        v: dict[str, int] = dict.fromkeys(MONEY_FIELDS, 0)
        for item in mine:
            days = 0
            if item.kind in ("bonus", "one_off"):
                amount = to_kopecks(item.amount)  # type: ignore[arg-type]
            else:
                assert item.date_from and item.date_to
                absent.update(_days(max(item.date_from, first), min(item.date_to, last)))
                if item.kind == "sick":
                    days = (item.date_to - item.date_from).days + 1
                    amount = pr.sick_pay_employer(
                        to_kopecks(item.avg_daily),  # type: ignore[arg-type]
                        item.record_years or Decimal(0), min(days, pr.SICK_EMPLOYER_DAYS))
                else:
                    days = ((item.date_to - item.date_from).days + 1
                            - wc.public_holidays_between(item.date_from, item.date_to))
                    if item.amount is not None:
                        amount = to_kopecks(item.amount)
                    else:
                        if item.avg_daily is not None:
                            avg = to_kopecks(item.avg_daily)
                        else:
                            pay, months = pay_12_months(db, oc, e.id, year, month)
                            if months == 0:
                                raise ServiceError(422, "payroll.no_average",
                                                   params={"id": e.id})
                            avg = pr.average_daily_vacation(pay, months)
                        item = item.model_copy(update={"avg_daily": money(avg)})
                        amount = pr.vacation_pay(avg, days)
            v[item.kind] += amount
            items_out.append({
                "employee_id": e.id, "kind": item.kind, "amount": str(money(amount)),
                "date_from": item.date_from.isoformat() if item.date_from else None,
                "date_to": item.date_to.isoformat() if item.date_to else None,
                "days": days,
                "avg_daily": str(item.avg_daily) if item.avg_daily is not None else None,
                "record_years": (str(item.record_years)
                                 if item.record_years is not None else None),
                "note": item.note,
            })
        worked = [d for d in employed if d not in absent and wc.is_working_day(d)]
        days_worked = len(worked)
        first_half = sum(1 for d in worked if d.day <= HALF_MONTH_END)
        v["salary"] = pr.pro_rata(e.salary_kopecks, days_worked, working)
        v["accrued"] = (v["salary"] + v["bonus"] + v["one_off"] + v["sick"]
                        + v["vacation"])
        v["advance_gross"] = pr.pro_rata(e.salary_kopecks, first_half, working)
        h = history.get(e.id, {})
        income_before = h.get("income", 0)
        ded_before = h.get("deductions", 0)
        withheld_before = h.get("ndfl", 0)
        children = [pr.Child(order=c["order"], disabled=c["disabled"])
                    for c in json.loads(e.children or "[]")]
        deduction = pr.child_deduction(year, children, income_before + v["accrued"])
        v["deductions"] = deduction
        v["income_ytd"] = income_before + v["accrued"]
        v["ndfl_advance"], v["ndfl_final"] = ndfl_split(
            year, income_before, v["advance_gross"], v["accrued"], ded_before, deduction,
            withheld_before, advance_taxed)
        v["ndfl"] = v["ndfl_advance"] + v["ndfl_final"]
        director = e.is_director and org.kind == "ooo" and yr.director_min_base
        c = pr.contributions(
            year, base_ytd_before=h.get("base", 0), pay_month=v["accrued"] - v["sick"],
            sme=sme_applies, injury_rate=injury_rate, director_min_base_applies=director,
            month_days_employed=len(employed), month_days=month_days)
        v["contribution_base"] = c.base
        v["contrib_main"] = c.main
        v["contrib_injury"] = c.injury
        figures.append(MonthFigures(employee=e, working_days=working, days_worked=days_worked,
                                values=v))
    return figures, items_out
