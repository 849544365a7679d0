"""Provides the month-end closing (закрытие месяца) as one action, its preview and reopening.

- ``preview``: the entries ``close`` would post now (``server.domain.closing.plan`` over
  the balances at the month's end), writing nothing;
- ``close``: in one transaction, posts them on the month's last day, each marked as a
  closing entry of the month (``entry_marks``), and closes the month (``closed_periods``,
  the same row ``POST …/periods/{month}/close`` writes). A month is closed once; a month
  before a closed one cannot be closed (its result would be counted twice: the later
  month's closing has already taken what the earlier one held);
- ``reopen``: reverses the month's closing entries (сторно on their own date, linked) and
  reopens it, so the books are as before the closing. As in 1С, a later month's closing
  is no longer valid once an earlier month changes: reopening a month while a later one is
  closed is refused (409 ``closing.later_closed`` naming the later months) — reopen those
  first, the latest first.

Taxes (issue 13 point 7): for an organisation on the УСН the tax of the quarter is booked
when the quarter's last month closes, Дт 99 Кт 68.12, the amount the УСН report computes
from the КУДиР (``Statements.usn``: the cumulative period's tax after the contributions'
reduction less what the earlier quarters booked: НК ст. 346.21). The profit tax (ОСНО,
ПБУ 18/02) is not computed by Buhta: the preview says so in its notes and the closing
leaves it to an entry by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.contract import closing as cm
from core.money import from_kopecks, to_kopecks
from server import i18n
from server.db.models import ClosedPeriod, ClosingSettings, Entry, EntryMark, Organisation, Posting
from server.domain import closing as rules
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import Ledger
from server.services.opening import active_marked, ensure_books_accounts, reverse_entry
from server.services.statements import Statements
from server.services.turnovers import balances, next_month

USN_REGIMES = ("usn_income", "usn_income_expense")
QUARTER_PERIODS = {3: "Q1", 6: "H1", 9: "9M", 12: "Y"}
TAX_PERIOD_TITLES = {"Q1": "I квартал", "H1": "полугодие", "9M": "9 месяцев", "Y": "год"}


def last_day(month: date) -> date:
    return next_month(month) - timedelta(days=1)


@dataclass
class _Figures:
    plan: rules.Plan
    cost_mode: str
    notes: list[str]
    tax_period: str | None


@dataclass
class Closing:
    def settings(self, db: Session, oc: OrgCtx) -> cm.ClosingSettingsOut:
        with db.begin():
            return cm.ClosingSettingsOut(cost_mode=self._mode(db, oc.org_id))  # type: ignore[arg-type]

    def set_settings(self, db: Session, oc: OrgCtx,
                     data: cm.ClosingSettingsIn) -> cm.ClosingSettingsOut:
        with db.begin():
            row = db.get(ClosingSettings, oc.org_id)
            if row is None:
                db.add(ClosingSettings(org_id=oc.org_id, cost_mode=data.cost_mode))
            else:
                row.cost_mode = data.cost_mode
            audit.record(db, oc.ctx, "closing.settings", org_id=oc.org_id,
                         object_type="org", object_id=oc.org_id, summary=data.cost_mode)
        return cm.ClosingSettingsOut(cost_mode=data.cost_mode)

    def preview(self, db: Session, oc: OrgCtx, month: date) -> cm.ClosingPreview:
        tax = self._usn_tax(db, oc, month)
        with db.begin():
            self._check_closable(db, oc.org_id, month)
            figures = self._figures(db, oc, month, tax)
            return self._out(month, figures, [None] * len(figures.plan.entries))

    def close(self, db: Session, oc: OrgCtx, month: date) -> cm.ClosingDone:
        tax = self._usn_tax(db, oc, month)
        try:
            with db.begin():
                ensure_books_accounts(db, oc.org_id)
                self._check_closable(db, oc.org_id, month)
                figures = self._figures(db, oc, month, tax)
                day = last_day(month)
                # The month's row first: a parallel close of the same month fails here on
                # the primary key instead of posting its entries twice.
                db.add(ClosedPeriod(org_id=oc.org_id, month=month, closed_at=oc.ctx.now,
                                    closed_by=oc.user_id))
                db.flush()
                posted: list[Entry | None] = []
                for planned in figures.plan.entries:
                    entry = Ledger()._new_entry(db, oc, day, _description(planned.step, month,
                                                                          figures.tax_period))
                    for n, p in enumerate(planned.postings):
                        db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=n, date=day,
                                       debit=p.debit, credit=p.credit, amount_kopecks=p.kopecks))
                    db.add(EntryMark(entry_id=entry.id, org_id=oc.org_id, kind="closing",
                                     month=month, step=planned.step))
                    posted.append(entry)
                db.flush()
                out = self._out(month, figures, posted)
                audit.record(db, oc.ctx, "ledger.close_period", org_id=oc.org_id,
                             object_type="period", object_id=month.strftime("%Y-%m"),
                             summary=f"закрытие месяца: записей {len(posted)}, "
                                     f"результат {out.net_result}")
                closed = _closed(db, oc.org_id)
        except IntegrityError:
            raise ServiceError(409, "closing.already_closed",
                               params={"period": month.strftime("%m.%Y")}) from None
        return cm.ClosingDone(closing=out, closed=closed)

    def reopen(self, db: Session, oc: OrgCtx, month: date, reason: str) -> cm.ReopenDone:
        with db.begin():
            row = db.get(ClosedPeriod, (oc.org_id, month), with_for_update=True)
            if row is None:
                raise ServiceError(409, "ledger.period_open",
                                   params={"period": month.strftime("%m.%Y")})
            _refuse_later_closed(db, oc.org_id, month)
            db.delete(row)
            db.flush()
            reversed_ids = []
            why = f"открытие месяца {month:%m.%Y}: {reason}"
            for entry in reversed(active_marked(db, oc.org_id, "closing", month)):
                reversal = reverse_entry(db, oc, entry, why)
                db.add(EntryMark(entry_id=reversal.id, org_id=oc.org_id,
                                 kind="closing_reversal", month=month,
                                 step=db.get(EntryMark, entry.id).step))  # type: ignore[union-attr]
                reversed_ids.append(reversal.id)
            db.flush()
            audit.record(db, oc.ctx, "ledger.reopen_period", org_id=oc.org_id,
                         object_type="period", object_id=month.strftime("%Y-%m"),
                         summary=f"{reason}; сторнировано записей закрытия: {len(reversed_ids)}"
                         if reversed_ids else reason)
            closed = _closed(db, oc.org_id)
        return cm.ReopenDone(reversed=reversed_ids, closed=closed)

    # --- the figures ----------------------------------------------------------------

    @staticmethod
    def _mode(db: Session, org_id: str) -> str:
        row = db.get(ClosingSettings, org_id)
        return row.cost_mode if row else "sales"

    @staticmethod
    def _check_closable(db: Session, org_id: str, month: date) -> None:
        if db.get(ClosedPeriod, (org_id, month)) is not None:
            raise ServiceError(409, "closing.already_closed",
                               params={"period": month.strftime("%m.%Y")})
        _refuse_later_closed(db, org_id, month)

    def _figures(self, db: Session, oc: OrgCtx, month: date,
                 tax: tuple[int, str] | None) -> _Figures:
        found = balances(db, oc.org_id, month, last_day(month), accounts=rules.READ_ACCOUNTS)
        closing = {code: b.closing for (code, _cp), b in found.items() if b.closing}
        mode = self._mode(db, oc.org_id)
        lang = oc.ctx.lang
        notes = []
        org = db.get(Organisation, oc.org_id)
        regime = org.tax_regime if org else ""
        if regime in USN_REGIMES:
            if tax is None:
                notes.append(i18n.text("closing.note.usn_not_quarter", lang))
        else:
            notes.append(i18n.text("closing.note.profit_tax", lang))
        if mode == "production":
            notes.append(i18n.text("closing.note.wip", lang))
        plan = rules.plan(closing, cost_mode=mode, year_end=month.month == 12,
                          tax=tax[0] if tax else 0)
        if tax is not None:
            notes.append(i18n.text("closing.note.usn_tax", lang,
                                   period=TAX_PERIOD_TITLES[tax[1]],
                                   amount=str(from_kopecks(tax[0]))))
        return _Figures(plan=plan, cost_mode=mode, notes=notes,
                        tax_period=TAX_PERIOD_TITLES[tax[1]] if tax else None)

    @staticmethod
    def _usn_tax(db: Session, oc: OrgCtx, month: date) -> tuple[int, str] | None:
        """(kopecks, period) of the УСН to book when ``month`` ends a quarter of an
        organisation on the УСН; None otherwise. Read in its own transaction (the УСН
        report owns one), before the closing's."""
        period = QUARTER_PERIODS.get(month.month)
        if period is None:
            return None
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            if org is None or org.tax_regime not in USN_REGIMES:
                return None
        report = Statements().usn(db, oc, month.year, last_day(month))
        found = next((q for q in report.quarters if q.period == period), None)
        if found is None:
            return None
        return to_kopecks(found.due), period

    @staticmethod
    def _out(month: date, figures: _Figures, posted: list[Entry | None]) -> cm.ClosingPreview:
        day = last_day(month)
        plan = figures.plan
        return cm.ClosingPreview(
            month=month.strftime("%Y-%m"), date=day,
            cost_mode=figures.cost_mode,  # type: ignore[arg-type]
            entries=[cm.ClosingEntryOut(
                step=e.step,  # type: ignore[arg-type]
                date=day,
                description=_description(e.step, month, figures.tax_period),
                postings=[cm.ClosingPostingOut(debit=p.debit, credit=p.credit,
                                               amount=from_kopecks(p.kopecks))
                          for p in e.postings],
                entry_id=entry.id if entry else None, number=entry.number if entry else None)
                for e, entry in zip(plan.entries, posted, strict=True)],
            sales_result=from_kopecks(plan.sales_result),
            other_result=from_kopecks(plan.other_result),
            tax=from_kopecks(plan.tax), net_result=from_kopecks(plan.net_result),
            notes=figures.notes)


def _description(step: str, month: date, tax_period: str | None) -> str:
    return rules.DESCRIPTIONS[step].format(period=f"{month:%m.%Y}", year=month.year,
                                           tax_period=tax_period or "")


def _refuse_later_closed(db: Session, org_id: str, month: date) -> None:
    later = db.scalars(select(ClosedPeriod.month).where(
        ClosedPeriod.org_id == org_id, ClosedPeriod.month > month)
        .order_by(ClosedPeriod.month)).all()
    if later:
        raise ServiceError(409, "closing.later_closed", params={
            "period": month.strftime("%m.%Y"),
            "later": ", ".join(m.strftime("%m.%Y") for m in later)})


def _closed(db: Session, org_id: str) -> list[str]:
    return [m.strftime("%Y-%m") for m in db.scalars(
        select(ClosedPeriod.month).where(ClosedPeriod.org_id == org_id)
        .order_by(ClosedPeriod.month)).all()]
