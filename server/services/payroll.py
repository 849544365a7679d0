"""Provides the monthly payroll: compute a draft, approve (post), pay, payslips, quarters.

Rules kept here (the figures come from ``server.domain.payroll_rules`` and
``server.domain.work_calendar``; nothing of them is re-implemented):
- a month has one run per organisation; computing the month again replaces its draft
  (an approved or paid run is refused with 409 ``payroll.not_draft``), and a month before
  an approved later month is refused too (its НДФЛ would be cumulated in the wrong order);
- the cumulative figures since 1 January (income, deductions, НДФЛ, contribution base) are
  those of the organisation's APPROVED (or paid) runs of the year before this month;
  a draft of an earlier month is not counted;
- salary is pro rata to the working days worked (the production calendar), excluding the
  days of sick leave and vacation; hired or dismissed inside the month counts only the
  employed days;
- the advance (first half) is the salary pro rata to the working days worked from the 1st
  to the 15th over the month's working days (time actually worked, ст. 136 ТК); bonuses,
  one-off payments, sick and vacation pay go with the final payment (a simplification:
  in practice vacation pay is paid 3 days before the leave);
- НДФЛ is withheld on each payment: on the advance the tax of the cumulative income with
  the month's child deduction, on the final payment the rest (``ndfl_to_withhold``); tax in
  whole roubles (НК ст. 52 п. 6, in the domain rules);
- contributions on the month's pay minus sick pay (not subject, ст. 422 НК) on the
  cumulative base; the SME rate when the run's settings allow it (``sme_rate_applies``);
  the director's minimum base for an ООО (``Organisation.kind == "ooo"``);
- settings live on the run (``sme``, ``sme_priority``, ``injury_rate``, the pay days);
  a run computed without them takes those of the organisation's latest run, else defaults;
- approving posts one entry dated the month's last day: Дт 20/26/44 Кт 70 (per cost
  account), Дт 70 Кт 68.01 (НДФЛ), Дт 20/26/44 Кт 69.09 and Кт 69.11 (closed months are
  refused by the ledger's check);
- paying a part posts Дт 70 Кт 51 (card) / Кт 50.01 (cash) on the pay date and makes the
  payment orders (one per card employee, one ЕНП order for the НДФЛ withheld and, with the
  final part, the month's contributions); non-residents are not supported (422).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core import contract as m
from core.dates import month_name
from core.money import from_kopecks, to_kopecks
from server import i18n
from server.db.models import (
    Employee,
    Organisation,
    PaymentOrder,
    PayrollLine,
    PayrollRun,
    Posting,
)
from server.domain import payroll_rules as pr
from server.domain import work_calendar as wc
from server.services import audit
from server.services.context import OrgCtx
from server.services.employees import load_employee
from server.services.errors import ServiceError
from server.services.ledger import Ledger, _check_open, check_accounts, ensure_chart

DEFAULT_INJURY_RATE = Decimal("0.2")
DEFAULT_ADVANCE_DAY = 20
DEFAULT_FINAL_DAY = 5
HALF_MONTH_END = 15

# The ЕНП order: the Treasury's requisites, КБК, status and zero fields are filled by
# ``Payments`` (server/services/payments.py) for ``kind="tax"``; ОКТМО is "0" on an ЕНП.
ENP_OKTMO = "0"

_MONEY_FIELDS = ("salary", "bonus", "one_off", "sick", "vacation", "accrued", "deductions",
                 "income_ytd", "ndfl", "ndfl_advance", "ndfl_final", "contribution_base",
                 "contrib_main", "contrib_injury", "advance_gross")


def _money(kopecks: int) -> Decimal:
    return from_kopecks(kopecks)


def _kop(line: PayrollLine, name: str) -> int:
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
class _Figures:
    """One employee's computed month, kopecks."""

    employee: Employee
    working_days: int
    days_worked: int
    values: dict[str, int]


class Payroll:
    def __init__(self, ledger: Ledger, payments: Any = None) -> None:
        self.ledger = ledger
        self.payments = payments

    # --- reading -------------------------------------------------------------------

    def runs(self, db: Session, oc: OrgCtx, year: int | None) -> m.PayrollRunList:
        with db.begin():
            q = select(PayrollRun).where(PayrollRun.org_id == oc.org_id)
            if year:
                q = q.where(PayrollRun.year == year)
            rows = db.scalars(q.order_by(PayrollRun.year.desc(), PayrollRun.month.desc())).all()
            items = []
            for run in rows:
                lines = self._lines(db, run)
                items.append(m.PayrollRunHead(id=run.id, year=run.year, month=run.month,
                                              state=run.state,  # type: ignore[arg-type]
                                              employees=len(lines),
                                              totals=self._totals(lines)))
            return m.PayrollRunList(items=items)

    def run_of_month(self, db: Session, oc: OrgCtx, year: int, month: int) -> m.PayrollRunOut:
        with db.begin():
            run = db.scalar(select(PayrollRun).where(
                PayrollRun.org_id == oc.org_id, PayrollRun.year == year,
                PayrollRun.month == month))
            if run is None:
                raise ServiceError(404, "payroll.not_found")
            return self._out(db, run)

    # --- computing -----------------------------------------------------------------

    def compute(self, db: Session, oc: OrgCtx, data: m.PayrollRunIn) -> m.PayrollRunOut:
        with db.begin():
            year, month = data.year, data.month
            try:
                pr.rules(year)
            except ValueError:
                raise ServiceError(422, "payroll.year_unsupported", params={"year": year}) \
                    from None
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            later = db.scalar(select(PayrollRun.id).where(
                PayrollRun.org_id == oc.org_id, PayrollRun.year == year,
                PayrollRun.month > month, PayrollRun.state != "draft"))
            if later is not None:
                raise ServiceError(409, "payroll.later_approved")
            run = db.scalar(select(PayrollRun).where(
                PayrollRun.org_id == oc.org_id, PayrollRun.year == year,
                PayrollRun.month == month).with_for_update())
            if run is not None and run.state != "draft":
                raise ServiceError(409, "payroll.not_draft")
            latest = db.scalar(select(PayrollRun).where(PayrollRun.org_id == oc.org_id)
                               .order_by(PayrollRun.year.desc(), PayrollRun.month.desc())
                               .limit(1))

            def setting(name: str, default: Any) -> Any:
                given = getattr(data, name)
                if given is not None:
                    return given
                if latest is not None:
                    return getattr(latest, name)
                return default

            sme = bool(setting("sme", False))
            sme_priority = bool(setting("sme_priority", False))
            injury_rate = Decimal(str(setting("injury_rate", DEFAULT_INJURY_RATE)))
            advance_day = int(setting("advance_day", DEFAULT_ADVANCE_DAY))
            final_day = int(setting("final_day", DEFAULT_FINAL_DAY))
            advance_date, final_date = pay_days(year, month, advance_day, final_day)
            figures, items = self._figures(db, oc, org, data, sme=sme, sme_priority=sme_priority,
                                           injury_rate=injury_rate)
            if run is None:
                run = PayrollRun(org_id=oc.org_id, year=year, month=month,
                                 created_at=oc.ctx.now, created_by=oc.user_id,
                                 entry_ids="[]", payment_order_ids="[]")
                db.add(run)
            run.state = "draft"
            run.working_days = wc.working_days(year, month)
            run.sme, run.sme_priority = sme, sme_priority
            run.injury_rate = str(injury_rate)
            run.advance_day, run.final_day = advance_day, final_day
            run.advance_date, run.final_date = advance_date, final_date
            run.items = json.dumps(items)
            run.updated_at = oc.ctx.now
            db.flush()
            db.execute(delete(PayrollLine).where(PayrollLine.run_id == run.id))
            for i, f in enumerate(figures):
                db.add(PayrollLine(
                    run_id=run.id, employee_id=f.employee.id, line=i,
                    cost_account=f.employee.cost_account, pay_method=f.employee.pay_method,
                    working_days=f.working_days, days_worked=f.days_worked,
                    **{f"{k}_kopecks": v for k, v in f.values.items()}))
            db.flush()
            audit.record(db, oc.ctx, "payroll.compute", org_id=oc.org_id,
                         object_type="payroll_run", object_id=run.id,
                         summary=f"{month:02d}.{year}: {len(figures)}")
            return self._out(db, run)

    def _history(self, db: Session, oc: OrgCtx, year: int, month: int) -> dict[str, dict]:
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

    def _pay_12_months(self, db: Session, oc: OrgCtx, employee_id: str, year: int,
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

    def _figures(self, db: Session, oc: OrgCtx, org: Organisation, data: m.PayrollRunIn, *,
                 sme: bool, sme_priority: bool, injury_rate: Decimal,
                 ) -> tuple[list[_Figures], list[dict]]:
        year, month = data.year, data.month
        first, last = wc.month_bounds(year, month)
        working = wc.working_days(year, month)
        month_days = wc.calendar_days(year, month)
        yr = pr.rules(year)
        sme_applies = pr.sme_rate_applies(year, sme, sme_priority)
        history = self._history(db, oc, year, month)
        by_employee: dict[str, list[m.PayrollItemIn]] = defaultdict(list)
        for item in data.items:
            load_employee(db, oc, item.employee_id)  # 404 for another org's employee
            by_employee[item.employee_id].append(item)
        employees = db.scalars(select(Employee).where(Employee.org_id == oc.org_id)
                               .order_by(Employee.name_folded, Employee.id)).all()
        figures: list[_Figures] = []
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
            v: dict[str, int] = dict.fromkeys(_MONEY_FIELDS, 0)
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
                                pay, months = self._pay_12_months(db, oc, e.id, year, month)
                                if months == 0:
                                    raise ServiceError(422, "payroll.no_average",
                                                       params={"id": e.id})
                                avg = pr.average_daily_vacation(pay, months)
                            item = item.model_copy(update={"avg_daily": _money(avg)})
                            amount = pr.vacation_pay(avg, days)
                v[item.kind] += amount
                items_out.append({
                    "employee_id": e.id, "kind": item.kind, "amount": str(_money(amount)),
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
            v["ndfl_advance"] = pr.ndfl_to_withhold(
                year, income_before, v["advance_gross"], ded_before, deduction,
                withheld_before)
            v["ndfl_final"] = pr.ndfl_to_withhold(
                year, income_before + v["advance_gross"], v["accrued"] - v["advance_gross"],
                ded_before + deduction, 0, withheld_before + v["ndfl_advance"])
            v["ndfl"] = v["ndfl_advance"] + v["ndfl_final"]
            director = e.is_director and org.kind == "ooo" and yr.director_min_base
            c = pr.contributions(
                year, base_ytd_before=h.get("base", 0), pay_month=v["accrued"] - v["sick"],
                sme=sme_applies, injury_rate=injury_rate, director_min_base_applies=director,
                month_days_employed=len(employed), month_days=month_days)
            v["contribution_base"] = c.base
            v["contrib_main"] = c.main
            v["contrib_injury"] = c.injury
            figures.append(_Figures(employee=e, working_days=working, days_worked=days_worked,
                                    values=v))
        return figures, items_out

    # --- approving and paying ------------------------------------------------------

    def _run(self, db: Session, oc: OrgCtx, run_id: str, *, lock: bool = False) -> PayrollRun:
        run = db.get(PayrollRun, run_id, with_for_update=lock)
        if run is None or run.org_id != oc.org_id:
            raise ServiceError(404, "payroll.not_found")
        return run

    def _entry(self, db: Session, oc: OrgCtx, day: date, description: str,
               planned: list[tuple[str, str, int]]) -> str | None:
        planned = [p for p in planned if p[2] != 0]
        if not planned:
            return None
        _check_open(db, oc.org_id, day)
        ensure_chart(db, oc.org_id)
        check_accounts(db, oc.org_id, {c for p in planned for c in p[:2]})
        entry = self.ledger._new_entry(db, oc, day, description[:500])
        for i, (debit, credit, amount) in enumerate(planned):
            db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=i, date=day,
                           debit=debit, credit=credit, amount_kopecks=amount))
        db.flush()
        return entry.id

    def approve(self, db: Session, oc: OrgCtx, run_id: str) -> m.PayrollRunOut:
        with db.begin():
            run = self._run(db, oc, run_id, lock=True)
            if run.state != "draft":
                raise ServiceError(409, "payroll.not_draft")
            lines = self._lines(db, run)
            if not lines:
                raise ServiceError(422, "payroll.empty")
            earlier_draft = db.scalar(select(PayrollRun.id).where(
                PayrollRun.org_id == oc.org_id, PayrollRun.year == run.year,
                PayrollRun.month < run.month, PayrollRun.state == "draft"))
            if earlier_draft is not None:
                raise ServiceError(409, "payroll.earlier_draft")
            accrued: dict[str, int] = defaultdict(int)
            main: dict[str, int] = defaultdict(int)
            injury: dict[str, int] = defaultdict(int)
            ndfl = 0
            for line in lines:
                accrued[line.cost_account] += line.accrued_kopecks
                main[line.cost_account] += line.contrib_main_kopecks
                injury[line.cost_account] += line.contrib_injury_kopecks
                ndfl += line.ndfl_kopecks
            planned: list[tuple[str, str, int]] = []
            for acct in sorted(accrued):
                planned.append((acct, "70", accrued[acct]))
            planned.append(("70", "68.01", ndfl))
            for acct in sorted(main):
                planned.append((acct, "69.09", main[acct]))
            for acct in sorted(injury):
                planned.append((acct, "69.11", injury[acct]))
            day = wc.month_bounds(run.year, run.month)[1]
            memo = f"Зарплата за {month_name(run.month, 'ru')} {run.year}"
            entry_id = self._entry(db, oc, day, memo, planned)
            run.state = "approved"
            run.entry_ids = json.dumps([entry_id] if entry_id else [])
            run.updated_at = oc.ctx.now
            audit.record(db, oc.ctx, "payroll.approve", org_id=oc.org_id,
                         object_type="payroll_run", object_id=run.id,
                         summary=f"{run.month:02d}.{run.year}")
            return self._out(db, run)

    def pay(self, db: Session, oc: OrgCtx, run_id: str, data: m.PayrollPayIn) -> m.PayrollPaid:
        with db.begin():
            run = self._run(db, oc, run_id, lock=True)
            if run.state == "draft":
                raise ServiceError(409, "payroll.not_approved")
            if data.part == "advance" and run.advance_paid_on is not None:
                raise ServiceError(409, "payroll.already_paid")
            if data.part == "final" and run.final_paid_on is not None:
                raise ServiceError(409, "payroll.already_paid")
            lines = self._lines(db, run)
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            period = f"{month_name(run.month, 'ru')} {run.year}"
            label = "аванс" if data.part == "advance" else "окончательный расчёт"
            by_method: dict[str, int] = defaultdict(int)
            orders: list[m.PaymentOrderIn] = []
            ndfl = 0
            for line in lines:
                if data.part == "advance":
                    amount = line.advance_gross_kopecks - line.ndfl_advance_kopecks
                    ndfl += line.ndfl_advance_kopecks
                else:
                    amount = (line.accrued_kopecks - line.advance_gross_kopecks
                              - line.ndfl_final_kopecks)
                    ndfl += line.ndfl_final_kopecks
                if amount <= 0:
                    continue
                by_method[line.pay_method] += amount
                if line.pay_method == "card":
                    e = db.get(Employee, line.employee_id)
                    assert e is not None
                    orders.append(m.PaymentOrderIn(
                        kind="salary", date=data.date, amount=_money(amount),
                        employee_id=e.id, payee_name=e.full_name, payee_inn=e.inn,
                        payee_account=e.bank_account, payee_bik=e.bank_bik,
                        payee_corr_account=e.bank_corr_account,
                        payee_bank=e.bank_name or f"БИК {e.bank_bik}",
                        purpose=f"Заработная плата за {period} ({label}). Без налога (НДС)",
                        priority=3))
            contributions = 0
            contributions_due = injury_due = None
            if data.part == "final":
                contributions = sum(x.contrib_main_kopecks for x in lines)
                contributions_due = pr.contributions_due_date(run.year, run.month)
                injury_due = pr.injury_due_date(run.year, run.month)
            ndfl_due = pr.ndfl_due_date(data.date)
            enp = ndfl + contributions
            if enp > 0:
                due = min(x for x in (ndfl_due, contributions_due) if x)
                what = "НДФЛ" + (" и страховые взносы" if contributions else "")
                orders.append(m.PaymentOrderIn(
                    kind="tax", date=data.date, amount=_money(enp),
                    purpose=(f"Единый налоговый платёж: {what} за {period}, "
                             f"срок {due.strftime('%d.%m.%Y')}")[:210],
                    priority=5, oktmo=ENP_OKTMO))
            entry_id = self._entry(
                db, oc, data.date, f"Выплата зарплаты за {period} ({label})",
                [("70", "51", by_method.get("card", 0)),
                 ("70", "50.01", by_method.get("cash", 0))])
            made: list[m.PaymentOrderOut] = []
            if self.payments is not None and orders:
                made = self.payments.create_many(db, oc, orders)
                # Card pay is booked here (Дт 70 Кт 51): its orders are in the books, so
                # the bank statement's lines of them are not posted again. The ЕНП is not.
                salary = [o.id for o in made if o.kind == "salary"]
                if entry_id and salary:
                    db.execute(update(PaymentOrder).where(PaymentOrder.id.in_(salary))
                               .values(posted_entry_id=entry_id))
                    made = [o.model_copy(update={"posted_entry_id": entry_id})
                            if o.kind == "salary" else o for o in made]
            if data.part == "advance":
                run.advance_paid_on = data.date
            else:
                run.final_paid_on = data.date
            if run.advance_paid_on is not None and run.final_paid_on is not None:
                run.state = "paid"
            if entry_id:
                run.entry_ids = json.dumps([*json.loads(run.entry_ids), entry_id])
            run.payment_order_ids = json.dumps(
                [*json.loads(run.payment_order_ids), *(o.id for o in made)])
            run.updated_at = oc.ctx.now
            audit.record(db, oc.ctx, "payroll.pay", org_id=oc.org_id,
                         object_type="payroll_run", object_id=run.id,
                         summary=f"{run.month:02d}.{run.year}: {data.part}")
            return m.PayrollPaid(run=self._out(db, run), entry_id=entry_id, orders=made,
                                 ndfl=_money(ndfl), ndfl_due=ndfl_due,
                                 contributions=_money(contributions),
                                 contributions_due=contributions_due, injury_due=injury_due)

    # --- payslips and the quarter --------------------------------------------------

    def payslip(self, db: Session, oc: OrgCtx, run_id: str, employee_id: str) -> m.Payslip:
        with db.begin():
            run = self._run(db, oc, run_id)
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            line = db.scalar(select(PayrollLine).where(PayrollLine.run_id == run.id,
                                                       PayrollLine.employee_id == employee_id))
            if line is None:
                raise ServiceError(404, "employee.not_found")
            e = db.get(Employee, employee_id)
            assert e is not None
            return build_payslip(org.short_name, run, line, e, oc.ctx.lang)

    def quarter(self, db: Session, oc: OrgCtx, year: int, quarter: int) -> m.QuarterSummary:
        with db.begin():
            rows = db.execute(
                select(PayrollLine, PayrollRun)
                .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
                .where(PayrollRun.org_id == oc.org_id, PayrollRun.year == year,
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
                    k: _money(s[k]) for k in ("income", "deductions", "ndfl_computed",
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
                income_ytd=_money(ytd["income"]), ndfl_ytd=_money(ytd["ndfl"]),
                contribution_base_ytd=_money(ytd["base"]),
                contrib_main_ytd=_money(ytd["main"]))

    # --- shaping -------------------------------------------------------------------

    def _lines(self, db: Session, run: PayrollRun) -> list[PayrollLine]:
        return list(db.scalars(select(PayrollLine).where(PayrollLine.run_id == run.id)
                               .order_by(PayrollLine.line)).all())

    def _totals(self, lines: list[PayrollLine]) -> m.PayrollTotals:
        def s(f: Any) -> Decimal:
            return _money(sum(f(x) for x in lines))

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

    def _out(self, db: Session, run: PayrollRun) -> m.PayrollRunOut:
        lines = self._lines(db, run)
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
            totals=self._totals(lines), entry_ids=json.loads(run.entry_ids or "[]"),
            payment_order_ids=json.loads(run.payment_order_ids or "[]"),
            advance_paid_on=run.advance_paid_on, final_paid_on=run.final_paid_on,
            created_at=run.created_at, updated_at=run.updated_at)


def line_out(x: PayrollLine, e: Employee) -> m.PayrollLineOut:
    values = {k: _money(_kop(x, k)) for k in _MONEY_FIELDS if k != "advance_gross"}
    return m.PayrollLineOut(
        employee_id=e.id, employee_name=e.full_name, position=e.position,
        cost_account=x.cost_account,  # type: ignore[arg-type]
        working_days=x.working_days, days_worked=x.days_worked,
        advance_gross=_money(x.advance_gross_kopecks),
        advance=_money(x.advance_gross_kopecks - x.ndfl_advance_kopecks),
        final_payment=_money(x.accrued_kopecks - x.advance_gross_kopecks
                             - x.ndfl_final_kopecks),
        net=_money(x.accrued_kopecks - x.ndfl_kopecks),
        pay_method=x.pay_method,  # type: ignore[arg-type]
        **values)


def build_payslip(org_name: str, run: PayrollRun, x: PayrollLine, e: Employee,
                  lang: str) -> m.Payslip:
    lines: list[m.PayslipLine] = []

    def add(section: str, key: str, kopecks: int, days: int | None = None) -> None:
        if kopecks:
            lines.append(m.PayslipLine(section=section,  # type: ignore[arg-type]
                                       name=i18n.text(key, lang), days=days,
                                       amount=_money(kopecks)))

    add("accrued", "payroll.slip.salary", x.salary_kopecks, x.days_worked)
    add("accrued", "payroll.slip.bonus", x.bonus_kopecks)
    add("accrued", "payroll.slip.one_off", x.one_off_kopecks)
    add("accrued", "payroll.slip.sick", x.sick_kopecks)
    add("accrued", "payroll.slip.vacation", x.vacation_kopecks)
    add("deducted", "payroll.slip.ndfl", x.ndfl_kopecks)
    paid = 0
    if run.advance_paid_on is not None:
        adv = x.advance_gross_kopecks - x.ndfl_advance_kopecks
        add("paid", "payroll.slip.advance", adv)
        paid += adv
    if run.final_paid_on is not None:
        fin = x.accrued_kopecks - x.advance_gross_kopecks - x.ndfl_final_kopecks
        add("paid", "payroll.slip.final", fin)
        paid += fin
    due = x.accrued_kopecks - x.ndfl_kopecks - paid
    rows = [
        i18n.text("payroll.slip.title", lang, month=month_name(run.month, lang), year=run.year),
        org_name,
        f"{e.full_name}, {e.position}",
        i18n.text("payroll.slip.days", lang, worked=x.days_worked, working=x.working_days),
    ]
    for section in ("accrued", "deducted", "paid"):
        rows.append(i18n.text(f"payroll.slip.section.{section}", lang))
        for ln in lines:
            if ln.section == section:
                days = f" ({ln.days})" if ln.days is not None else ""
                rows.append(f"  {ln.name}{days}: {ln.amount}")
    if x.deductions_kopecks:
        rows.append(i18n.text("payroll.slip.deduction", lang,
                         amount=_money(x.deductions_kopecks)))
    rows.append(i18n.text("payroll.slip.accrued", lang, amount=_money(x.accrued_kopecks)))
    rows.append(i18n.text("payroll.slip.deducted", lang, amount=_money(x.ndfl_kopecks)))
    rows.append(i18n.text("payroll.slip.paid", lang, amount=_money(paid)))
    rows.append(i18n.text("payroll.slip.due", lang, amount=_money(due)))
    return m.Payslip(org_name=org_name, employee_id=e.id, employee_name=e.full_name,
                     position=e.position, year=run.year, month=run.month,
                     state=run.state,  # type: ignore[arg-type]
                     lines=lines, accrued=_money(x.accrued_kopecks),
                     deducted=_money(x.ndfl_kopecks), paid=_money(paid), due=_money(due),
                     text=rows)


def render_payslip_pdf(slip: m.Payslip, lang: str) -> bytes:
    """The payslip as a one-page PDF: the text lines of ``Payslip.text`` in a simple table
    (the fonts and page geometry of ``server.printing.forms``); headings in ``lang``."""
    from fpdf import FPDF

    from server.printing.forms import BOTTOM, FONT, FONTS, LEFT, LINE, RIGHT, SIZE, TOP, WIDTH

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_creator("Buhta")
    pdf.set_title(slip.text[0])
    pdf.add_page()
    pdf.set_font(FONT, "B", SIZE + 3)
    pdf.multi_cell(WIDTH, LINE + 2, slip.text[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", SIZE)
    for line in slip.text[1:4]:
        pdf.multi_cell(WIDTH, LINE, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=(120, 20, 45), text_align=("LEFT", "RIGHT", "RIGHT"),
                   line_height=LINE + 1) as table:
        table.row([i18n.text("payroll.slip.col.name", lang),
                   i18n.text("payroll.slip.col.days", lang),
                   i18n.text("payroll.slip.col.amount", lang)])
        for section in ("accrued", "deducted", "paid"):
            row = table.row()
            row.cell(i18n.text(f"payroll.slip.section.{section}", lang), colspan=3)
            for ln in slip.lines:
                if ln.section == section:
                    table.row([ln.name, "" if ln.days is None else str(ln.days),
                               f"{ln.amount:.2f}"])
    pdf.ln(2)
    for line in slip.text[-4:]:
        pdf.multi_cell(WIDTH, LINE, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
