"""Provides the statements use cases: balance sheet, financial results, КУДиР and УСН.

The accounting rules live in ``server.domain.statements`` and ``server.domain.usn``; this
module reads the figures they need:
- balances and turnovers from ``server.services.turnovers.balances`` (the per-month
  aggregates), never by summing postings itself;
- the book of income and expenses (КУДиР) from the postings of money accounts, because it
  needs each payment with its correspondence and document (УСН is a cash method: income
  is money received, ст. 346.17 НК);
- whether the payer has employees: any credit turnover on 70 (wages accrued) from
  1 January on. From the first quarter with one, the 50 % cap of the contributions'
  reduction applies to an ИП too (an organisation always has it).

An ИП's own fixed contributions count, under the law, in the period for which they are
payable, paid or not (ст. 346.21 п. 3.1); Buhta books no accrual of them, so it counts
them, like the employees' contributions, when paid (Дт 69.xx Кт 51/50).

A cancelled document's reversal (сторно, negative amounts) shows in the book as a row of
the same kind with a negative amount, dated as the reversal: the book keeps its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlalchemy.orm import Session

from core import contract as m
from core.contract.reports import Units
from core.money import from_kopecks
from server.db.models import Entry, Organisation, Posting
from server.domain import balances as bal
from server.domain import statements as st
from server.domain import usn
from server.services import payroll_view
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import _document_titles, check_book_dates
from server.services.turnovers import AccountBalance, balances


def _check_period(date_from: date, date_to: date) -> None:
    check_book_dates(date_from=date_from, date_to=date_to)
    if date_from > date_to:
        raise ServiceError(422, "report.period",
                           params={"date_from": f"{date_from:%d.%m.%Y}",
                                   "date_to": f"{date_to:%d.%m.%Y}"})


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _org(db: Session, oc: OrgCtx) -> Organisation:
    org = db.get(Organisation, oc.org_id)
    if org is None:  # the access check found a membership: only a race can get here
        raise ServiceError(404, "orgs.not_found")
    return org


def _head(org: Organisation, oc: OrgCtx, date_from: date, date_to: date) -> m.ReportHead:
    return m.ReportHead(org_name=org.short_name, org_inn=org.inn, date_from=date_from,
                        date_to=date_to, computed_at=oc.ctx.now)


def _lines(form: tuple[st.FormLine, ...], current: dict[str, int],
           previous: dict[str, int], units: Units = "roubles",
           year_ends: tuple[dict[str, int], dict[str, int]] | None = None,
           ) -> list[m.StatementLine]:
    """The form's lines; ``thousands``: each column rounded line by line, totals summed
    from the rounded lines (``server.domain.balances.rounded``)."""
    columns = [current, previous, *(year_ends or ())]
    values = [_amounts(c, units) for c in columns]
    return [m.StatementLine(code=f.code, name=f.name, level=f.level,
                            current=values[0][f.code], previous=values[1][f.code],
                            previous_year_end=values[2][f.code] if year_ends else None,
                            year_before_end=values[3][f.code] if year_ends else None)
            for f in form]


def _amounts(lines: dict[str, int], units: Units) -> dict[str, Decimal]:
    if units == "thousands":
        return {c: Decimal(v) for c, v in bal.rounded(lines, st.STATEMENT_TOTALS).items()}
    return {c: from_kopecks(v) for c, v in lines.items()}


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _like(column: ColumnElement[str], prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    return or_(column.in_(prefixes),
               *[column.startswith(p + ".", autoescape=True) for p in prefixes])


@dataclass
class Statements:
    def balance_sheet(self, db: Session, oc: OrgCtx, date_from: date,
                      date_to: date, units: Units = "roubles") -> m.Statement:
        """Current: balances at the end of ``date_to``; previous: at the end of the day
        before ``date_from`` (the opening balances of the same query); the form's
        comparison columns: at 31 December of the year before ``date_to``'s and of the
        year before that (приказ 66н, the form's columns 4 and 5)."""
        _check_period(date_from, date_to)
        ends = (_year_end(date_to.year - 1), _year_end(date_to.year - 2))
        with db.begin():
            org = _org(db, oc)
            found = balances(db, oc.org_id, date_from, date_to, by_counterparty=True)
            at_ends = [{k: b.closing for k, b in balances(db, oc.org_id, day, day,
                                                          by_counterparty=True).items()}
                       for day in ends]
            head = _head(org, oc, date_from, date_to)
        closing = {k: b.closing for k, b in found.items()}
        current = st.balance_sheet(closing)
        previous = st.balance_sheet({k: b.opening for k, b in found.items()})
        year_ends = (st.balance_sheet(at_ends[0]), st.balance_sheet(at_ends[1]))
        aux = st.auxiliary(closing)
        return m.Statement(
            head=head, kind="balance_sheet", units=units,
            lines=_lines(st.BALANCE_SHEET_FORM, current, previous, units, year_ends),
            previous_year_end_date=ends[0], year_before_end_date=ends[1],
            auxiliary_balance=Decimal(bal.thousands(aux)) if units == "thousands"
            else from_kopecks(aux))

    def financial_results(self, db: Session, oc: OrgCtx, date_from: date,
                          date_to: date, units: Units = "roubles") -> m.Statement:
        """Current: the turnovers of the period; previous: of the same period a year
        earlier."""
        _check_period(date_from, date_to)
        with db.begin():
            org = _org(db, oc)
            now = balances(db, oc.org_id, date_from, date_to)
            before = balances(db, oc.org_id, _year_earlier(date_from), _year_earlier(date_to))
            head = _head(org, oc, date_from, date_to)
        return m.Statement(head=head, kind="financial_results", units=units,
                           lines=_lines(st.FINANCIAL_RESULTS_FORM,
                                        st.financial_results(_by_account(now)),
                                        st.financial_results(_by_account(before)), units))

    def usn(self, db: Session, oc: OrgCtx, year: int, date_to: date | None) -> m.UsnReport:
        """КУДиР of ``year`` up to ``date_to`` (the year's end when None) and the tax of
        the cumulative periods that have begun by then (the last one may be partial)."""
        start = date(year, 1, 1)
        date_to = date_to or date(year, 12, 31)
        if date_to.year != year:
            raise ServiceError(422, "report.period",
                               params={"date_from": f"{start:%d.%m.%Y}",
                                       "date_to": f"{date_to:%d.%m.%Y}"})
        with db.begin():
            org = _org(db, oc)
            regime = org.tax_regime
            if regime not in m.USN_BASE_RATE:
                raise ServiceError(409, "report.not_usn")
            regional = None if org.usn_rate_bp is None else Decimal(org.usn_rate_bp) / 100
            rate = usn.base_rate(regime, regional)
            rows, contributions = self._money_movements(db, oc.org_id, regime, start, date_to,
                                                        payroll_view.neutral(oc)
                                                        if payroll_view.hidden(oc) else None)
            staff_from = db.scalar(
                select(func.min(Posting.date)).where(
                    Posting.org_id == oc.org_id, _like(Posting.credit, usn.STAFF_ACCOUNTS),
                    Posting.date >= start, Posting.date <= date_to, Posting.amount_kopecks > 0))
            head = _head(org, oc, start, date_to)
        income = [0, 0, 0, 0]
        expense = [0, 0, 0, 0]
        for row in rows:
            q = usn.quarter_of(row.date)
            income[q] += row.income
            expense[q] += row.expense
        staff = [staff_from is not None and usn.quarter_of(staff_from) <= q for q in range(4)]
        facts = usn.UsnFacts(year=year, regime=regime, rate=rate, kind=org.kind,
                             income=income, expense=expense, contributions=contributions,
                             staff=staff, periods=usn.quarter_of(date_to) + 1)
        quarters = [
            m.UsnQuarter(period=p.period,  # type: ignore[arg-type]
                         income=from_kopecks(p.income), expense=from_kopecks(p.expense),
                         base=from_kopecks(p.base), rate=p.rate, tax=from_kopecks(p.tax),
                         contributions=from_kopecks(p.contributions),
                         reduction=from_kopecks(p.reduction),
                         minimum_tax=from_kopecks(p.minimum_tax), due=from_kopecks(p.due),
                         due_date=p.due_date)
            for p in usn.compute(facts)
        ]
        return m.UsnReport(
            head=head, regime=regime,  # type: ignore[arg-type]
            rate=rate,
            rows=[m.KudirRow(number=n, date=r.date, document=r.document,
                             description=r.description, income=from_kopecks(r.income),
                             expense=from_kopecks(r.expense))
                  for n, r in enumerate(rows, start=1)],
            income=from_kopecks(sum(income)), expense=from_kopecks(sum(expense)),
            quarters=quarters)

    def _money_movements(
        self, db: Session, org_id: str, regime: str, start: date, end: date,
        payroll_text: str | None = None,
    ) -> tuple[list[_BookRow], list[int]]:
        """The book's rows in date order, and the contributions paid in each quarter;
        with ``payroll_text``, a payment against a payroll account (pay, НДФЛ,
        contributions) is described by it (``server.services.payroll_view``)."""
        query = (
            select(Posting.date, Posting.debit, Posting.credit, Posting.amount_kopecks,
                   Posting.memo, Entry.number, Entry.description, Entry.document_id)
            .join(Entry, Entry.id == Posting.entry_id)
            .where(Posting.org_id == org_id, Posting.date >= start, Posting.date <= end,
                   or_(_like(Posting.debit, usn.MONEY_ACCOUNTS),
                       _like(Posting.credit, usn.MONEY_ACCOUNTS)))
            .order_by(Posting.date, Entry.number, Posting.line)
        )
        found = db.execute(query).all()
        contributions = [0, 0, 0, 0]
        picked: list[tuple[str, Row[Any]]] = []
        for p in found:
            if usn.is_contribution_payment(p.debit, p.credit):
                contributions[usn.quarter_of(p.date)] += p.amount_kopecks
            kind = usn.kudir_kind(p.debit, p.credit, regime)
            if kind is not None:
                picked.append((kind, p))
        titles = _document_titles(db, {p.document_id for _, p in picked if p.document_id})
        rows = []
        for kind, p in picked:
            document = titles.get(p.document_id or "") or usn.MANUAL_ENTRY_TITLE.format(
                number=p.number, date=p.date)
            masked = payroll_text is not None and payroll_view.touches(p.debit, p.credit)
            rows.append(_BookRow(
                date=p.date, document=document,
                description=payroll_text if masked and payroll_text else p.description,
                income=p.amount_kopecks if kind == "income" else 0,
                expense=p.amount_kopecks if kind == "expense" else 0))
        return rows, contributions


@dataclass(frozen=True)
class _BookRow:
    date: date
    document: str
    description: str
    income: int
    expense: int


def _by_account(found: dict[tuple[str, str | None], AccountBalance]) -> dict[str, AccountBalance]:
    """Turnovers summed over counterparties, by account code as posted."""
    out: dict[str, AccountBalance] = {}
    for (code, _cp), b in found.items():
        was = out.get(code)
        out[code] = b if was is None else AccountBalance(
            was.opening + b.opening, was.debit + b.debit, was.credit + b.credit)
    return out

