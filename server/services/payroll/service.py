"""Provides ``Payroll``: the use cases of the monthly payroll (compute a draft, approve it
into the books, pay a part with its payment orders, payslips, the quarter), each one
transaction."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core import contract as m
from core.dates import month_name
from core.money import format_amount
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
from server.services import audit, turnovers
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import Ledger, _check_open, check_accounts, ensure_chart
from server.services.notifications import notify_roles
from server.services.payroll.figures import (
    DEFAULT_ADVANCE_DAY,
    DEFAULT_FINAL_DAY,
    DEFAULT_INJURY_RATE,
    money,
    month_figures,
    pay_days,
    resplit_advance,
)
from server.services.payroll.payslip import build_payslip
from server.services.payroll.quarter import quarter_summary
from server.services.payroll.shapes import lines_of, run_out, totals_of

# The ЕНП order: the Treasury's requisites, КБК, status and zero fields are filled by
# ``Payments`` (server/services/payments.py) for ``kind="tax"``; ОКТМО is "0" on an ЕНП.
ENP_OKTMO = "0"


class _Preview(Exception):
    """Leaves the transaction of a preview (rolling it back) with its answer."""

    def __init__(self, paid: m.PayrollPaid) -> None:
        super().__init__("preview")
        self.paid = paid


def cash_warnings(db: Session, oc: OrgCtx, day: date, cash: int) -> list[m.PayrollWarning]:
    """``payroll.cash_short`` when the cash to pay exceeds the balance of account 50 (all
    its sub-accounts) at the end of ``day``: a warning to confirm, not a refusal — the
    cash may be drawn from the bank the same day (Дт 50 Кт 51) before it is paid out."""
    if cash <= 0:
        return []
    held = sum(b.closing for b in turnovers.balances(db, oc.org_id, day, day,
                                                     accounts=["50"]).values())
    if cash <= held:
        return []
    lang = oc.ctx.lang
    params = {"cash": format_amount(money(cash), lang),
              "held": format_amount(money(held), lang),
              "short": format_amount(money(cash - held), lang)}
    return [m.PayrollWarning(code="payroll.cash_short",
                             text=i18n.text("warning.payroll.cash_short", oc.ctx.lang,
                                            **params))]


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
                lines = lines_of(db, run)
                items.append(m.PayrollRunHead(id=run.id, year=run.year, month=run.month,
                                              state=run.state,  # type: ignore[arg-type]
                                              employees=len(lines),
                                              totals=totals_of(lines)))
            return m.PayrollRunList(items=items)

    def run_of_month(self, db: Session, oc: OrgCtx, year: int, month: int) -> m.PayrollRunOut:
        with db.begin():
            run = db.scalar(select(PayrollRun).where(
                PayrollRun.org_id == oc.org_id, PayrollRun.year == year,
                PayrollRun.month == month))
            if run is None:
                raise ServiceError(404, "payroll.not_found")
            return run_out(db, run)

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
            figures, items = month_figures(db, oc, org, data, sme=sme, sme_priority=sme_priority,
                                           injury_rate=injury_rate, advance_date=advance_date)
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
            return run_out(db, run)

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
            lines = lines_of(db, run)
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
            for line in lines:
                accrued[line.cost_account] += line.accrued_kopecks
                main[line.cost_account] += line.contrib_main_kopecks
                injury[line.cost_account] += line.contrib_injury_kopecks
            # НДФЛ is not posted here: Дт 70 Кт 68.01 goes with the payment it is withheld
            # from (ст. 226 п. 4 НК), see ``pay``.
            planned: list[tuple[str, str, int]] = []
            for acct in sorted(accrued):
                planned.append((acct, "70", accrued[acct]))
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
            notify_roles(db, oc.org_id, ("accountant", "director", "hr"), "payroll_approved",
                         ("payroll_run", run.id),
                         {"period": f"{month_name(run.month, 'ru')} {run.year}"},
                         now=oc.ctx.now, by=oc.user_id)
            return run_out(db, run)

    def pay(self, db: Session, oc: OrgCtx, run_id: str, data: m.PayrollPayIn) -> m.PayrollPaid:
        """Pay a part: Дт 70 Кт 51 (card) / Кт 50.01 (cash) and Дт 70 Кт 68.01 for the НДФЛ
        withheld from it, dated the pay day; the salary orders and the ЕНП order.

        НДФЛ (НК ст. 223 п. 2, ст. 226 п. 4): salary income arises on the last day of the
        month it is for, so an advance paid inside the month withholds nothing and makes no
        ЕНП order; the month's whole tax is withheld from the final payment. An advance paid
        on the month's last day withholds its own tax. The split is made again for the
        actual advance day (``figures.resplit_advance``).

        ``data.preview``: everything is worked out (orders numbered as they would be) and
        rolled back; the answer says ``preview`` and carries the same warnings."""
        try:
            with db.begin():
                paid = self._pay(db, oc, run_id, data)
                if data.preview:
                    raise _Preview(paid)
                return paid
        except _Preview as done:
            return done.paid

    def _pay(self, db: Session, oc: OrgCtx, run_id: str, data: m.PayrollPayIn) -> m.PayrollPaid:
        run = self._run(db, oc, run_id, lock=True)
        if run.state == "draft":
            raise ServiceError(409, "payroll.not_approved")
        if data.part == "advance" and run.advance_paid_on is not None:
            raise ServiceError(409, "payroll.already_paid")
        if data.part == "final" and run.final_paid_on is not None:
            raise ServiceError(409, "payroll.already_paid")
        lines = lines_of(db, run)
        if data.part == "advance":
            resplit_advance(db, oc, run.year, run.month, lines,
                            pr.advance_is_taxed(data.date, run.year, run.month))
            db.flush()
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
                # The payee is filled from the employee's card by ``Payments``.
                orders.append(m.PaymentOrderIn(
                    kind="salary", date=data.date, amount=money(amount),
                    employee_id=line.employee_id,
                    purpose=f"Заработная плата за {period} ({label}). Без налога (НДС)",
                    priority=3))
        contributions = 0
        contributions_due = injury_due = None
        if data.part == "final":
            contributions = sum(x.contrib_main_kopecks for x in lines)
            contributions_due = pr.contributions_due_date(run.year, run.month)
            injury_due = pr.injury_due_date(run.year, run.month)
        ndfl_due = pr.ndfl_due_date(data.date)
        notice = pr.ndfl_notice(data.date) if ndfl > 0 else None
        enp = ndfl + contributions
        if enp > 0:
            due = min(x for x in (ndfl_due if ndfl else None, contributions_due) if x)
            what = ("НДФЛ" if ndfl else "") + (" и " if ndfl and contributions else "") + \
                ("страховые взносы" if contributions else "")
            orders.append(m.PaymentOrderIn(
                kind="tax", date=data.date, amount=money(enp),
                purpose=(f"Единый налоговый платёж: {what} за {period}, "
                         f"срок {due.strftime('%d.%m.%Y')}")[:210],
                priority=5, oktmo=ENP_OKTMO))
        injury = sum(x.contrib_injury_kopecks for x in lines)
        if data.part == "final" and data.injury_payee is not None and injury > 0:
            assert injury_due is not None
            orders.append(m.PaymentOrderIn(
                kind="tax", budget="sfr_injury", date=data.date, amount=money(injury),
                purpose=("Страховые взносы на обязательное социальное страхование от "
                         f"несчастных случаев на производстве за {period}, "
                         f"срок {injury_due.strftime('%d.%m.%Y')}")[:210],
                priority=5, **data.injury_payee.model_dump()))
        warnings = cash_warnings(db, oc, data.date, by_method.get("cash", 0))
        entry_id = self._entry(
            db, oc, data.date, f"Выплата зарплаты за {period} ({label})",
            [("70", "51", by_method.get("card", 0)),
             ("70", "50.01", by_method.get("cash", 0)),
             ("70", "68.01", ndfl)])
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
        if not data.preview:
            audit.record(db, oc.ctx, "payroll.pay", org_id=oc.org_id,
                         object_type="payroll_run", object_id=run.id,
                         summary=f"{run.month:02d}.{run.year}: {data.part}")
        return m.PayrollPaid(
            run=run_out(db, run), entry_id=entry_id, orders=made, ndfl=money(ndfl),
            ndfl_due=ndfl_due, contributions=money(contributions),
            contributions_due=contributions_due, injury_due=injury_due,
            ndfl_notice=m.NdflNotice(
                period_from=notice.period_from, period_to=notice.period_to,
                amount=money(ndfl), notice_due=notice.notice_due,
                payment_due=notice.payment_due) if notice else None,
            warnings=warnings, preview=data.preview)

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
            return quarter_summary(db, oc.org_id, year, quarter)
