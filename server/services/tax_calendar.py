"""Provides ``TaxCalendars``: an organisation's tax calendar for a year (or a date range),
with the amounts the books know and whether each payment is prepared.

The deadlines come from ``server.domain.tax_calendar`` (pure rules); this module reads:
- the organisation's kind, regime and VAT mode, and the years it had employees (an
  employee on the staff at any time of the year, or a payroll run of that year);
- НДФЛ withheld in a period (payments and notices): from the payroll runs, withheld on the
  day each part is paid (the advance, the final payment; п. 4 ст. 226 НК) — a part not
  yet paid counts on its planned pay day and makes the amount an estimate;
- contributions (the единый тариф, НС и ПЗ) of a month: accrued by that month's payroll
  run; a draft run makes the amount an estimate;
- the УСН advance and the year's tax: ``Statements.usn`` (the УСН report), what it says is
  due for the cumulative period; the ИП's 1 % from the same report's income;
- the ИП's fixed contributions: the law's figure of the year;
- ``prepared``: a payment whose order exists and was exported (uploaded to the bank):
  an exported tax order with the ЕНП КБК (or an СФР КБК for НС и ПЗ) whose purpose names
  the deadline's due date («срок 28.02.2026», as payroll writes it) or, with no due date
  in its purpose, that is dated after the previous payment date of the same channel and
  not after this one (the ЕНП is one payment per date, whatever taxes it covers).

An amount is an estimate while its period has not ended; nothing is shown for a period not
yet begun. Read-only for every member role; pay is private (``server.domain.roles``): a
role without ``payroll.read`` gets no НДФЛ or contribution amount (``amount_hidden``), a
role without ``ledger.read`` no amount read from the books (УСН).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.dates import month_name
from core.money import from_kopecks
from core.validation import DATE_MAX, DATE_MIN
from server import i18n
from server.db.models import Employee, Organisation, PaymentOrder, PayrollLine, PayrollRun
from server.domain import tax_calendar as tc
from server.domain import tax_calendar_rules as rules
from server.domain.roles import Perm, allows, sees_payroll
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import check_book_dates
from server.services.payments import ENP_KBK
from server.services.statements import Statements

MAX_SPAN_DAYS = 3 * 366
"""A range asked for is at most about three years long."""
SFR_KBK_PREFIX = "797"
"""The КБК of СФР (НС и ПЗ) starts with its administrator code 797."""
PAYROLL_KINDS = frozenset({"ndfl_payment", "ndfl_notice", "contributions_payment",
                           "contributions_notice", "injury_payment"})
USN_KINDS = frozenset({"usn_advance", "usn_notice", "usn_tax", "ip_1pct"})
_DUE_IN_PURPOSE = re.compile(r"срок\s+(\d{2})\.(\d{2})\.(\d{4})", re.IGNORECASE)


@dataclass
class _Amount:
    kopecks: int = 0
    estimate: bool = False
    known: bool = False

    def add(self, kopecks: int, estimate: bool) -> None:
        self.kopecks += kopecks
        self.estimate = self.estimate or estimate
        self.known = True


@dataclass
class _Books:
    """What the books say, read once per request."""

    withheld: list[tuple[date, int, bool]] = field(default_factory=list)
    """(day, НДФЛ kopecks, estimate)."""
    contributions: dict[tuple[int, int], _Amount] = field(default_factory=dict)
    injury: dict[tuple[int, int], _Amount] = field(default_factory=dict)
    usn: dict[int, m.UsnReport] = field(default_factory=dict)
    orders: list[tuple[date, str, str]] = field(default_factory=list)
    """Exported tax orders: (date, КБК, purpose)."""


def _period_title(d: tc.Deadline, lang: str) -> str:
    """The period in words: «01.01–22.01.2026», «январь 2026», «1 квартал 2026» …"""
    if d.kind in ("ndfl_payment", "ndfl_notice"):
        return f"{d.period_from:%d.%m}–{d.period_to:%d.%m.%Y}"
    parts = d.period.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return i18n.text("calendar.period.year", lang, year=year)
    code = parts[1]
    if code.startswith("Q"):
        quarter = int(code[1:])
        if len(parts) == 3:
            return i18n.text("calendar.period.vat_part", lang, part=parts[2],
                             quarter=quarter, year=year)
        return i18n.text("calendar.period.quarter", lang, quarter=quarter, year=year)
    if code == "H1":
        return i18n.text("calendar.period.h1", lang, year=year)
    if code == "9M":
        return i18n.text("calendar.period.9m", lang, year=year)
    return f"{month_name(int(code), lang)} {year}"


class TaxCalendars:
    def __init__(self, statements: Statements) -> None:
        self.statements = statements

    def calendar(self, db: Session, oc: OrgCtx, *, year: int | None = None,
                 date_from: date | None = None, date_to: date | None = None,
                 limit: int | None = None) -> m.TaxCalendar:
        """The deadlines due in ``year``, or from ``date_from`` to ``date_to`` (either end
        may be left out: today, or a year on), the first ``limit`` of them when given."""
        today = oc.ctx.now.date()
        start, end = self._range(today, year, date_from, date_to)
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            staff_years = self._staff_years(db, oc.org_id, start.year - 1, end.year)
        profile = tc.Profile(kind=org.kind, regime=org.tax_regime, vat_mode=org.vat_mode,
                             employees=bool(staff_years), employee_years=frozenset(staff_years))
        deadlines = tc.between(profile, start, end)
        if limit is not None:
            deadlines = deadlines[:limit]
        books = self._books(db, oc, profile, deadlines, today)
        # The previous payment date of each channel: the window an undated order prepares.
        earlier = tc.between(profile, start - timedelta(days=62), end)
        previous = {channel: tc.enp_previous(earlier, channel) for channel in ("enp", "sfr")}
        items = [self._item(d, oc, books, previous, today) for d in deadlines]
        return m.TaxCalendar(org_id=oc.org_id, date_from=start, date_to=end, kind=org.kind,
                             regime=org.tax_regime, vat_mode=org.vat_mode,
                             employees=bool(staff_years), items=items)

    # --- the range -----------------------------------------------------------------

    @staticmethod
    def _range(today: date, year: int | None, date_from: date | None,
               date_to: date | None) -> tuple[date, date]:
        if year is not None:
            if date_from or date_to:
                raise ServiceError(422, "calendar.year_or_range")
            check_book_dates(year=date(year, 1, 1))
            return date(year, 1, 1), date(year, 12, 31)
        if date_from is None and date_to is None:
            return date(today.year, 1, 1), date(today.year, 12, 31)
        start = date_from or max(DATE_MIN, min(today, date_to or today))
        end = date_to or min(DATE_MAX, start + timedelta(days=365))
        check_book_dates(date_from=start, date_to=end)
        if start > end:
            raise ServiceError(422, "report.period",
                               params={"date_from": f"{start:%d.%m.%Y}",
                                       "date_to": f"{end:%d.%m.%Y}"})
        if (end - start).days > MAX_SPAN_DAYS:
            raise ServiceError(422, "calendar.range",
                               params={"date_from": f"{start:%d.%m.%Y}",
                                       "date_to": f"{end:%d.%m.%Y}"})
        return start, end

    # --- reading the books ---------------------------------------------------------

    @staticmethod
    def _staff_years(db: Session, org_id: str, first: int, last: int) -> set[int]:
        years: set[int] = set()
        for hired, dismissed in db.execute(
                select(Employee.hired_on, Employee.dismissed_on)
                .where(Employee.org_id == org_id)).all():
            for y in range(first, last + 1):
                if hired <= date(y, 12, 31) and (dismissed is None or dismissed >= date(y, 1, 1)):
                    years.add(y)
        years.update(db.scalars(select(PayrollRun.year).where(
            PayrollRun.org_id == org_id, PayrollRun.year >= first,
            PayrollRun.year <= last)).all())
        return years

    def _books(self, db: Session, oc: OrgCtx, profile: tc.Profile,
               deadlines: list[tc.Deadline], today: date) -> _Books:
        books = _Books()
        if not deadlines:
            return books
        kinds = {d.kind for d in deadlines}
        first = min(d.period_from for d in deadlines)
        last = max(d.period_to for d in deadlines)
        with db.begin():
            if kinds & PAYROLL_KINDS and sees_payroll(oc.role):
                self._payroll(db, oc.org_id, first.year, last.year, books)
            books.orders = [
                (row.date, row.kbk or "", row.purpose)
                for row in db.execute(
                    select(PaymentOrder.date, PaymentOrder.kbk, PaymentOrder.purpose)
                    .where(PaymentOrder.org_id == oc.org_id, PaymentOrder.kind == "tax",
                           PaymentOrder.exported_at.is_not(None),
                           PaymentOrder.date >= first - timedelta(days=62),
                           PaymentOrder.date <= max(d.due for d in deadlines))).all()]
        if profile.usn and kinds & USN_KINDS and allows(oc.role, Perm.LEDGER_READ):
            years = {d.period_from.year for d in deadlines
                     if d.kind in USN_KINDS and d.period_from <= today}
            for y in sorted(years):
                books.usn[y] = self.statements.usn(db, oc, y, None)
        return books

    @staticmethod
    def _payroll(db: Session, org_id: str, first: int, last: int, books: _Books) -> None:
        rows = db.execute(
            select(PayrollRun.year, PayrollRun.month, PayrollRun.state,
                   PayrollRun.advance_date, PayrollRun.advance_paid_on,
                   PayrollRun.final_date, PayrollRun.final_paid_on,
                   PayrollLine.ndfl_advance_kopecks, PayrollLine.ndfl_final_kopecks,
                   PayrollLine.contrib_main_kopecks, PayrollLine.contrib_injury_kopecks)
            .join(PayrollLine, PayrollLine.run_id == PayrollRun.id)
            .where(PayrollRun.org_id == org_id, PayrollRun.year >= first - 1,
                   PayrollRun.year <= last)).all()
        for r in rows:
            draft = r.state == "draft"
            books.withheld.append((r.advance_paid_on or r.advance_date, r.ndfl_advance_kopecks,
                                   draft or r.advance_paid_on is None))
            books.withheld.append((r.final_paid_on or r.final_date, r.ndfl_final_kopecks,
                                   draft or r.final_paid_on is None))
            books.contributions.setdefault((r.year, r.month), _Amount()).add(
                r.contrib_main_kopecks, draft)
            books.injury.setdefault((r.year, r.month), _Amount()).add(
                r.contrib_injury_kopecks, draft)

    # --- one deadline --------------------------------------------------------------

    def _item(self, d: tc.Deadline, oc: OrgCtx, books: _Books,
              previous: dict[str, dict[date, date]], today: date) -> m.CalendarDeadline:
        lang = oc.ctx.lang
        amount: _Amount | None = None
        hidden = False
        if d.family != "report" and d.period_from <= today:
            if d.kind in PAYROLL_KINDS and not sees_payroll(oc.role):
                hidden = True
            else:
                amount = self._amount(d, books)
        if amount is not None and d.period_to >= today and d.kind != "ip_fixed":
            amount.estimate = True  # the period runs (the fixed sum is the law's figure)
        return m.CalendarDeadline(
            id=d.id, kind=d.kind, family=d.family,  # type: ignore[arg-type]
            title_key=d.title_key,
            title=i18n.text(d.title_key, lang, period=_period_title(d, lang)),
            period=d.period, period_from=d.period_from, period_to=d.period_to,
            legal_date=d.legal, due_date=d.due, basis=d.basis,
            amount=from_kopecks(amount.kopecks) if amount is not None else None,
            estimate=amount.estimate if amount is not None else False,
            amount_hidden=hidden,
            prepared=self._prepared(d, books, previous))

    @staticmethod
    def _amount(d: tc.Deadline, books: _Books) -> _Amount | None:
        if d.kind in ("ndfl_payment", "ndfl_notice"):
            got = _Amount()
            for day, kopecks, estimate in books.withheld:
                if d.period_from <= day <= d.period_to:
                    got.add(kopecks, estimate)
            return got if got.known else None
        month = (d.period_from.year, d.period_from.month)
        if d.kind in ("contributions_payment", "contributions_notice"):
            found = books.contributions.get(month)
            return _Amount(found.kopecks, found.estimate, True) if found else None
        if d.kind == "injury_payment":
            found = books.injury.get(month)
            return _Amount(found.kopecks, found.estimate, True) if found else None
        if d.kind == "ip_fixed":
            fixed = rules.IP_FIXED.get(d.period_from.year)
            return _Amount(fixed, False, True) if fixed is not None else None
        report = books.usn.get(d.period_from.year)
        if report is None:
            return None
        if d.kind == "ip_1pct":
            income = report.income
            if report.regime == "usn_income_expense":  # income less expenses [law]
                income -= report.expense
            one = rules.ip_one_percent(d.period_from.year, int(income * 100))
            return _Amount(one, True, True) if one is not None else None
        code = d.period.split("-")[1] if "-" in d.period else "Y"
        due = next((q.due for q in report.quarters if q.period == code), None)
        if due is None:
            return None
        return _Amount(int(due * 100), False, True)

    @staticmethod
    def _prepared(d: tc.Deadline, books: _Books,
                  previous: dict[str, dict[date, date]]) -> bool:
        if d.channel is None:
            return False
        before = previous[d.channel].get(d.due, d.due - timedelta(days=35))
        for day, kbk, purpose in books.orders:
            if d.channel == "enp" and kbk != ENP_KBK:
                continue
            if d.channel == "sfr" and not kbk.startswith(SFR_KBK_PREFIX):
                continue
            named = _DUE_IN_PURPOSE.search(purpose)
            if named:
                dd, mm, yyyy = (int(x) for x in named.groups())
                try:
                    if date(yyyy, mm, dd) == d.due:
                        return True
                except ValueError:  # «срок 31.02.2026»: names no date
                    pass
                continue
            if before < day <= d.due:
                return True
        return False

