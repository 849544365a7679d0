"""Provides 6-НДФЛ and РСВ for a period (Q1, half-year, 9 months, year) from the approved
and paid payroll runs, laid out as the forms are (server/domain/payroll_forms.py: the
line numbers, КБК, tariff codes).

The two calendars of ``quarter`` (НК ст. 223 п. 2, ст. 226 п. 4) hold here too:
- income, deductions, the tax computed and the contributions belong to the month the pay
  was accrued for (6-НДФЛ section 2 lines 110–140, РСВ by month);
- the tax WITHHELD belongs to the day each part was paid (section 2 line 160 from
  1 January, section 1 for the last three months by the payment deadline, line 021: the
  1st–22nd → the 28th, the 23rd–month end → the 5th of the next month, 23–31 December →
  the last working day; ``payroll_rules.ndfl_due_date``). So December's runs of the year
  before are read too: their tax withheld in January is this year's.

Simplifications (said so on the form's notes): no dividends, civil contracts, returns
(lines 111, 113, 030, 180, 190 are 0), nothing left unwithheld (170 is 0: the payroll
withholds the whole tax from the final payment); the tax withheld in January for the
previous December is put in the 13 % band.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import Employee, PayrollLine, PayrollRun
from server.domain import payroll_forms as pf
from server.domain import payroll_rules as pr
from server.domain import work_calendar as wc
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.payroll.figures import money

NDFL_FORM = "Приказ ФНС России от 19.09.2023 № ЕД-7-11/649@ (форма 6-НДФЛ)"
RSV_FORM = "Приказ ФНС России от 29.09.2022 № ЕД-7-11/878@ (форма РСВ)"


def _rows(db: Session, org_id: str, year: int) -> list[tuple[PayrollLine, PayrollRun]]:
    """The year's approved or paid lines and the previous December's (its tax withheld in
    January is this year's), in month order."""
    found = db.execute(
        select(PayrollLine, PayrollRun)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(PayrollRun.org_id == org_id, PayrollRun.state != "draft",
               or_(PayrollRun.year == year,
                   (PayrollRun.year == year - 1) & (PayrollRun.month == 12)))
        .order_by(PayrollRun.year, PayrollRun.month, PayrollLine.line)).all()
    return [(line, run) for line, run in found]


def _bounds(year: int, period: str) -> tuple[date, date, int, int]:
    try:
        pr.rules(year)
    except ValueError:
        raise ServiceError(422, "payroll.year_unsupported", params={"year": year}) from None
    first, last = pf.period_months(period)
    return date(year, 1, 1), wc.month_bounds(year, last)[1], first, last


def _lines(table: dict[str, str], codes: tuple[str, ...] | None = None) -> list[m.FormLine]:
    return [m.FormLine(code=c, name=n) for c, n in table.items()
            if codes is None or c in codes]


# --- 6-НДФЛ ----------------------------------------------------------------------------


@dataclass
class _Person:
    income: int = 0
    deductions: int = 0
    computed: int = 0
    withheld: list[tuple[date, int]] = field(default_factory=list)


def ndfl6(db: Session, oc: OrgCtx, year: int, period: str) -> m.Ndfl6:
    """6-НДФЛ of ``period``: section 1 per КБК (the last three months' tax withheld by its
    deadline), section 2 per rate and КБК from 1 January."""
    with db.begin():
        start, end, first, last = _bounds(year, period)
        people: dict[str, _Person] = defaultdict(_Person)
        for line, run in _rows(db, oc.org_id, year):
            p = people[line.employee_id]
            if run.year == year and run.month <= last:
                p.income += line.accrued_kopecks
                p.deductions += line.deductions_kopecks
                p.computed += line.ndfl_kopecks
            for paid_on, kopecks in ((run.advance_paid_on, line.ndfl_advance_kopecks),
                                     (run.final_paid_on, line.ndfl_final_kopecks)):
                if paid_on is not None and kopecks and start <= paid_on <= end:
                    p.withheld.append((paid_on, kopecks))
        bands = pf.ndfl_bands(year)
        s2: dict[Decimal, dict[str, int]] = {b.rate: defaultdict(int) for b in bands}
        s1: dict[str, dict[date, int]] = {b.kbk: defaultdict(int) for b in bands}
        for p in people.values():
            shares = pf.split_by_band(year, p.income, p.deductions, p.computed)
            caps = [s.computed for s in shares]
            for s in shares:
                row = s2[s.rate]
                row["income"] += s.income
                row["deductions"] += s.deductions
                row["computed"] += s.computed
                row["persons"] += 1 if s.income > 0 else 0
            done = [0] * len(shares)
            total = 0
            for day, kopecks in sorted(p.withheld):
                total += kopecks
                now = pf.fill_bottom_up(total, caps)
                for i, s in enumerate(shares):
                    part = now[i] - done[i]
                    s2[s.rate]["withheld"] += part
                    if part and day.month >= first:
                        s1[s.kbk][pf.ndfl_deadline(day)] += part
                done = now
        section2 = []
        for b in bands:
            row = s2[b.rate]
            if b.rate != bands[0].rate and not any(row.values()):
                continue
            section2.append(m.Ndfl6Section2(
                rate=b.rate, kbk=b.kbk, income=money(row["income"]), dividends=money(0),
                labour=money(row["income"]), civil=money(0), persons=row["persons"],
                deductions=money(row["deductions"]), computed=money(row["computed"]),
                withheld=money(row["withheld"]), not_withheld=money(0), excess=money(0),
                returned=money(0)))
        section1 = []
        for b in bands:
            dues = s1[b.kbk]
            if b.rate != bands[0].rate and not dues:
                continue
            section1.append(m.Ndfl6Section1(
                kbk=b.kbk, withheld=money(sum(dues.values())),
                deadlines=[m.NdflDeadline(due=d, amount=money(dues[d])) for d in sorted(dues)],
                returned=money(0)))
        return m.Ndfl6(
            year=year, period=period,  # type: ignore[arg-type]
            period_code=pf.period_code(period), date_from=start, date_to=end,
            last_months=(first, last), section1=section1, section2=section2,
            section1_lines=_lines(pf.NDFL_SECTION1_LINES),
            section2_lines=_lines(pf.NDFL_SECTION2_LINES, ("100", "105",
                                                          *pf.NDFL_SECTION2_SHOWN)),
            form=NDFL_FORM)


# --- РСВ -------------------------------------------------------------------------------

COLUMNS = ("ytd", "quarter", "month1", "month2", "month3")
MONEY_KEYS = ("payments", "not_subject", "base", "base_above_limit", "contributions",
              "contrib_within", "contrib_above")
COUNT_KEYS = ("insured", "persons", "persons_above_limit")


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _columns_of(month: int, first: int) -> list[str]:
    out = ["ytd"]
    if month >= first:
        out += ["quarter", f"month{month - first + 1}"]
    return out


def rsv(db: Session, oc: OrgCtx, year: int, period: str) -> m.Rsv:
    """РСВ of ``period``: section 1 (КБК, the contributions by the columns), подраздел 1.1
    per tariff code, section 3 per person with the months of the last three months."""
    with db.begin():
        start, end, first, last = _bounds(year, period)
        money_sums: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: {k: defaultdict(int) for k in MONEY_KEYS})
        counts: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
            lambda: {k: defaultdict(set) for k in COUNT_KEYS})
        due: dict[str, int] = defaultdict(int)
        base_before: dict[str, int] = defaultdict(int)
        months: dict[str, list[m.RsvMonth]] = defaultdict(list)
        employees: dict[str, Employee] = {}
        for line, run in _rows(db, oc.org_id, year):
            if run.year != year or run.month > last:
                continue
            e_id = line.employee_id
            sme = pr.sme_rate_applies(year, run.sme, run.sme_priority)
            base = line.contribution_base_kopecks
            split = pf.split_base(year, base_before[e_id], base, sme)
            room = max(0, pr.rules(year).base_limit - base_before[e_id])
            base_before[e_id] += base
            stored = line.contrib_main_kopecks
            c01 = _round(split.contrib_within + split.contrib_above) if sme else stored
            c01 = min(c01, stored)
            within01 = min(_round(split.contrib_within), c01)
            parts = {pf.TARIFF_GENERAL: {
                "payments": line.accrued_kopecks - split.sme_part,
                "not_subject": line.sick_kopecks,
                "base": split.general_within + split.general_above,
                "base_above_limit": split.general_above,
                "contributions": c01, "contrib_within": within01,
                "contrib_above": c01 - within01}}
            if sme:
                parts[pf.TARIFF_SME] = {
                    "payments": split.sme_part, "not_subject": 0, "base": split.sme_part,
                    "base_above_limit": 0, "contributions": stored - c01,
                    "contrib_within": stored - c01, "contrib_above": 0}
            for col in _columns_of(run.month, first):
                due[col] += stored
                for tariff, values in parts.items():
                    if tariff == pf.TARIFF_SME and not values["payments"]:
                        continue
                    for k, v in values.items():
                        money_sums[tariff][k][col] += v
                    counted = counts[tariff]
                    counted["insured"][col].add(e_id)
                    if values["base"] > 0:
                        counted["persons"][col].add(e_id)
                    if values["base_above_limit"] > 0:
                        counted["persons_above_limit"][col].add(e_id)
            if run.month >= first:
                months[e_id].append(m.RsvMonth(
                    month=run.month,
                    category=pf.CATEGORY_SME if sme else pf.CATEGORY_GENERAL,
                    payments=money(line.accrued_kopecks), base=money(min(base, room)),
                    contributions=money(stored)))
                if e_id not in employees:
                    found = db.get(Employee, e_id)
                    if found is not None:
                        employees[e_id] = found

        def cols(values: dict[str, int]) -> m.RsvColumns:
            return m.RsvColumns(**{c: money(values.get(c, 0)) for c in COLUMNS})

        def ncols(values: dict[str, set[str]]) -> m.RsvCount:
            return m.RsvCount(**{c: len(values.get(c, set())) for c in COLUMNS})

        tariffs = []
        for tariff in sorted(set(money_sums) | {pf.TARIFF_GENERAL}):
            sums, cnt = money_sums[tariff], counts[tariff]
            tariffs.append(m.RsvTariff(
                tariff=tariff, **{k: cols(sums[k]) for k in MONEY_KEYS},
                **{k: ncols(cnt[k]) for k in COUNT_KEYS}))
        persons = []
        ordered = sorted(employees.values(), key=lambda e: (e.name_folded, e.id))
        for e in ordered:
            mine = months[e.id]
            missing = [name for name in ("snils", "inn", "birth_date", "sex", "citizenship")
                       if not getattr(e, name)]
            persons.append(m.RsvPerson(
                employee_id=e.id, full_name=e.full_name, snils=e.snils, inn=e.inn,
                birth_date=e.birth_date, sex=e.sex, citizenship=e.citizenship,
                months=mine, payments=sum((x.payments for x in mine), Decimal("0.00")),
                base=sum((x.base for x in mine), Decimal("0.00")),
                contributions=sum((x.contributions for x in mine), Decimal("0.00")),
                missing=missing))
        return m.Rsv(
            year=year, period=period,  # type: ignore[arg-type]
            period_code=pf.period_code(period), date_from=start, date_to=end,
            last_months=(first, last), kbk=pf.RSV_KBK, due=cols(due), tariffs=tariffs,
            persons=persons, section1_lines=_lines(pf.RSV_SECTION1_LINES),
            section3_lines=_lines(pf.RSV_SECTION3_FIELDS), form=RSV_FORM)


__all__ = ["ndfl6", "rsv"]
