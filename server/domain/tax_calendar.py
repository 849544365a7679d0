"""Provides the tax calendar: the deadlines (payments, notices, reports) of an organisation
for a year, from its kind, regime, VAT mode and whether it has employees.

Pure: dates ``datetime.date``, no I/O, no amounts (``server.services.tax_calendar`` fills
those from the books). Figures from the team reference
(``/work/shared/reference/ru-rules-2025-2026.md`` §2 УСН, §3 НДФЛ, §4 contributions, §6
the reporting calendar). [law] = from the statute as remembered, not confirmed by a
retrieved page; UNCONFIRMED = an open question: every such date is a row of a table below,
so a correction is a data change.

What a year's calendar is: every deadline whose **due date falls in that year**, whatever
period it covers (the calendar of 2026 holds the 6-НДФЛ for 2025, due 25.02.2026, and not
the НДФЛ of 23–31.12.2025, due 30.12.2025).

Every date the law names (``legal``) moves to the next working day of the production
calendar when it is a day off (п. 7 ст. 6.1 НК; ``work_calendar.next_working_day``). The
НДФЛ and contribution due dates are those of ``payroll_rules``, the УСН ones those of
``usn``: they are not derived twice.

Deadline ids are stable: ``<kind>:<period>``, where the period is ``2026`` (a year),
``2026-Q1`` … ``2026-Q4`` (a quarter), ``2026-H1`` and ``2026-9M`` (the cumulative
half-year and nine months), ``2026-03`` (a month), ``2026-03-1`` / ``2026-03-2`` (the
1st–22nd and the 23rd–end of a month, the НДФЛ periods), ``2026-Q1-2`` (the second third
of a quarter's VAT).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from server.domain import payroll_rules as pr
from server.domain import usn
from server.domain import work_calendar as wc
from server.domain.tax_calendar_rules import BASIS as BASIS
from server.domain.tax_calendar_rules import (
    CONTRIBUTION_NOTICE_SKIPS_QUARTER_END,
    DAY,
    IP_NDFL_ADVANCE_DUE,
    IP_NDFL_DECLARATION,
    IP_NDFL_NOTICE,
    IP_NDFL_TAX,
    NDFL_NOTICE_DAY,
    NDFL_NOTICE_SECOND_DAY,
    PERSONAL_INFO_SKIPS_QUARTER_END,
    PROFIT_ADVANCE_DAY,
    PROFIT_DECLARATION_DAY,
    PROFIT_YEAR_DECLARATION,
    PROFIT_YEAR_TAX,
    USN_DECLARATION,
    USN_NOTICE_DAY,
    VAT_DECLARATION_DAY,
    VAT_PAYMENT_DAY,
)

FAMILIES = ("payment", "notice", "report")
CUMULATIVE = ("Q1", "H1", "9M")
"""The cumulative reporting periods before the year (Q1, half-year, nine months)."""
_END_MONTH = {"Q1": 3, "H1": 6, "9M": 9}


@dataclass(frozen=True)
class Profile:
    """What decides which deadlines an organisation has."""

    kind: str
    """``ip`` or ``ooo``."""
    regime: str
    """``usn_income``, ``usn_income_expense`` or ``osno``."""
    vat_mode: str = "none"
    """``none`` (not a VAT payer: exempt or УСН within the limit), ``usn_5``, ``usn_7``,
    ``general``."""
    employees: bool = False
    """Whether it has employees (pays salaries): НДФЛ as a tax agent, contributions,
    6-НДФЛ, РСВ, персонифицированные сведения, ЕФС-1."""
    employee_years: frozenset[int] | None = None
    """The years it had employees in, when known; None: ``employees`` holds for every
    year. (The calendar of 2026 holds the annual reports for 2025: they are due only when
    2025 had employees.)"""

    def staff_in(self, year: int) -> bool:
        if not self.employees:
            return False
        return self.employee_years is None or year in self.employee_years

    @property
    def usn(self) -> bool:
        return self.regime in ("usn_income", "usn_income_expense")

    @property
    def vat_payer(self) -> bool:
        return self.vat_mode != "none"


@dataclass(frozen=True)
class Deadline:
    id: str
    kind: str
    family: str
    """``payment`` (money to pay), ``notice`` (an уведомление об исчисленных суммах) or
    ``report`` (a declaration, a расчёт, statements)."""
    period: str
    period_from: date
    period_to: date
    legal: date
    """The date the law names (a day off included)."""
    due: date
    """``legal`` moved to the next working day (or, for the December НДФЛ, the last
    working day of the year)."""
    basis: str
    """The legal basis (article of the НК РФ or the federal law)."""
    channel: str | None = None
    """How a payment is made: ``enp`` (the ЕНП to ФНС) or ``sfr`` (НС и ПЗ to СФР);
    None for a notice or a report."""

    @property
    def title_key(self) -> str:
        """The catalogue key of the title (``calendar.<kind>`` in buhta-server.po)."""
        return f"calendar.{self.kind}"

    @property
    def moved(self) -> bool:
        return self.due != self.legal


# --- dates -------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return wc.month_bounds(year, month)[1]


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _after(year: int, month: int, dom: int, months: int = 1) -> date:
    """Day ``dom`` of the month ``months`` after (year, month)."""
    for _ in range(months):
        year, month = _next_month(year, month)
    return date(year, month, dom)


def _make(kind: str, period: str, start: date, end: date, legal: date, *,
          due: date | None = None, channel: str | None = None) -> Deadline:
    return Deadline(id=f"{kind}:{period}", kind=kind, family=BASIS[kind][0], period=period,
                    period_from=start, period_to=end, legal=legal,
                    due=due if due is not None else wc.next_working_day(legal),
                    basis=BASIS[kind][1], channel=channel)


def _cumulative(year: int) -> Iterable[tuple[str, date]]:
    """(code, last day) of Q1, H1, 9M."""
    for code in CUMULATIVE:
        yield code, _month_end(year, _END_MONTH[code])


# --- the families ------------------------------------------------------------------------


def _ndfl(year: int) -> list[Deadline]:
    """НДФЛ as a tax agent (п. 6 ст. 226, п. 9 ст. 58 НК; reference §3).

    Payment (``payroll_rules.ndfl_due_date``, the rule since 2024): withheld on the
    1st–22nd → by the 28th of the month; the 23rd–month end → by the 5th of the next month;
    23–31 December → the last working day of the year. Notice: 1st–22nd → by the 25th;
    23rd–end → by the 3rd of the next month; 23–31 December → the last working day.
    """
    out: list[Deadline] = []
    last_working = wc.last_working_day_of_year(year)
    for month in range(1, 13):
        first, end = date(year, month, 1), date(year, month, 22)
        out.append(_make("ndfl_payment", f"{year}-{month:02d}", first, end,
                         date(year, month, DAY["ndfl_payment"]),
                         due=pr.ndfl_due_date(end), channel="enp"))
        out.append(_make("ndfl_notice", f"{year}-{month:02d}-1", first, end,
                         date(year, month, NDFL_NOTICE_DAY)))
        second_from, second_to = date(year, month, 23), _month_end(year, month)
        if month == 12:
            out.append(_make("ndfl_notice", f"{year}-12-2", second_from, second_to,
                             last_working, due=last_working))
            out.append(_make("ndfl_payment", f"{year}-12-2", second_from, second_to,
                             last_working, due=pr.ndfl_due_date(second_from), channel="enp"))
        else:
            out.append(_make("ndfl_notice", f"{year}-{month:02d}-2", second_from, second_to,
                             _after(year, month, NDFL_NOTICE_SECOND_DAY)))
            out.append(_make("ndfl_payment", f"{year}-{month:02d}-2", second_from, second_to,
                             _after(year, month, pr.NDFL_SECOND_PAYMENT_DAY),
                             due=pr.ndfl_due_date(second_from), channel="enp"))
    return out


def _contributions(year: int) -> list[Deadline]:
    """Contributions for employees (ст. 431 п. 3, п. 9 ст. 58 НК; 125-ФЗ ст. 22 п. 4).

    The единый тариф for a month: paid by the 28th of the next month, its notice by the
    25th (none for the 3rd month of a quarter: РСВ, filed by the same 25th, stands for it —
    ``CONTRIBUTION_NOTICE_SKIPS_QUARTER_END``). НС и ПЗ: to СФР by the 15th of the next
    month.
    """
    out: list[Deadline] = []
    for month in range(1, 13):
        first, last = wc.month_bounds(year, month)
        period = f"{year}-{month:02d}"
        out.append(_make("contributions_payment", period, first, last,
                         _after(year, month, DAY["contributions_payment"]),
                         due=pr.contributions_due_date(year, month), channel="enp"))
        if not (CONTRIBUTION_NOTICE_SKIPS_QUARTER_END and month % 3 == 0):
            out.append(_make("contributions_notice", period, first, last,
                             _after(year, month, DAY["contributions_notice"])))
        out.append(_make("injury_payment", period, first, last,
                         _after(year, month, DAY["injury_payment"]),
                         due=pr.injury_due_date(year, month), channel="sfr"))
    return out


def _staff_reports(year: int) -> list[Deadline]:
    """6-НДФЛ (п. 2 ст. 230 НК), РСВ (п. 7 ст. 431), персонифицированные сведения
    (пп. 2 п. 7 ст. 431), ЕФС-1 (ст. 11 27-ФЗ; section 2 — ст. 24 125-ФЗ) (reference §6).

    ЕФС-1 subsection 1.1 (hiring, dismissal: the next working day; other HR events: the
    25th of the next month) follows events, not the calendar: it is not here.
    """
    out: list[Deadline] = []
    start = date(year, 1, 1)
    for code, end in _cumulative(year):
        month = end.month
        period = f"{year}-{code}"
        out.append(_make("ndfl6", period, start, end, _after(year, month, DAY["ndfl6"])))
        out.append(_make("rsv", period, start, end, _after(year, month, DAY["rsv"])))
        out.append(_make("efs1_injury", period, start, end,
                         _after(year, month, DAY["efs1_injury"])))
    year_end = date(year, 12, 31)
    out.append(_make("ndfl6", f"{year}", start, year_end, date(year + 1, 2, DAY["ndfl6"])))
    out.append(_make("rsv", f"{year}", start, year_end, date(year + 1, 1, DAY["rsv"])))
    out.append(_make("efs1_injury", f"{year}", start, year_end,
                     date(year + 1, 1, DAY["efs1_injury"])))
    out.append(_make("efs1_stazh", f"{year}", start, year_end,
                     date(year + 1, 1, DAY["efs1_stazh"])))
    for month in range(1, 13):
        if PERSONAL_INFO_SKIPS_QUARTER_END and month % 3 == 0:
            continue
        first, last = wc.month_bounds(year, month)
        out.append(_make("personal_info", f"{year}-{month:02d}", first, last,
                         _after(year, month, DAY["personal_info"])))
    return out


def _usn(year: int, kind: str) -> list[Deadline]:
    """УСН (ст. 346.21 п. 7, ст. 346.23, п. 9 ст. 58 НК; reference §2): the advances of Q1,
    H1, 9M by the 28th of the next month (``usn.due_date``), their notices by the 25th; the
    year's tax and declaration, organisations and ИП on different dates."""
    out: list[Deadline] = []
    start = date(year, 1, 1)
    for code, end in _cumulative(year):
        month, dom = usn.ADVANCE_DUE[code]
        period = f"{year}-{code}"
        out.append(_make("usn_advance", period, start, end, date(year, month, dom),
                         due=usn.due_date(year, code, kind), channel="enp"))
        out.append(_make("usn_notice", period, start, end, date(year, month, USN_NOTICE_DAY)))
    year_end = date(year, 12, 31)
    month, dom = usn.YEAR_DUE[kind]
    out.append(_make("usn_tax", f"{year}", start, year_end, date(year + 1, month, dom),
                     due=usn.due_date(year, "Y", kind), channel="enp"))
    month, dom = USN_DECLARATION[kind]
    out.append(_make("usn_declaration", f"{year}", start, year_end, date(year + 1, month, dom)))
    return out


def _vat(year: int) -> list[Deadline]:
    """VAT (ст. 174 п. 1, п. 5 НК) [law, UNCONFIRMED — not in the reference]: the
    declaration for a quarter by the 25th of the next month; the tax in three equal parts
    by the 28th of each of the three months after the quarter. No notice: the declaration
    comes before the payment."""
    out: list[Deadline] = []
    for quarter in range(1, 5):
        first = date(year, quarter * 3 - 2, 1)
        last = _month_end(year, quarter * 3)
        period = f"{year}-Q{quarter}"
        out.append(_make("vat_declaration", period, first, last,
                         _after(year, quarter * 3, VAT_DECLARATION_DAY)))
        for part in (1, 2, 3):
            out.append(_make("vat_payment", f"{period}-{part}", first, last,
                             _after(year, quarter * 3, VAT_PAYMENT_DAY, months=part),
                             channel="enp"))
    return out


def _profit(year: int) -> list[Deadline]:
    """Налог на прибыль of an organisation on ОСНО, quarterly advances only (ст. 286 п. 3,
    ст. 287, ст. 289 НК) [law, UNCONFIRMED — not in the reference; an organisation with
    sales over 15 million ₽ a quarter pays monthly advances, which are not here]."""
    out: list[Deadline] = []
    start = date(year, 1, 1)
    for code, end in _cumulative(year):
        period = f"{year}-{code}"
        out.append(_make("profit_declaration", period, start, end,
                         _after(year, end.month, PROFIT_DECLARATION_DAY)))
        out.append(_make("profit_advance", period, start, end,
                         _after(year, end.month, PROFIT_ADVANCE_DAY), channel="enp"))
    year_end = date(year, 12, 31)
    out.append(_make("profit_declaration", f"{year}", start, year_end,
                     date(year + 1, *PROFIT_YEAR_DECLARATION)))
    out.append(_make("profit_tax", f"{year}", start, year_end,
                     date(year + 1, *PROFIT_YEAR_TAX), channel="enp"))
    return out


def _ip_osno(year: int) -> list[Deadline]:
    """НДФЛ of an ИП on ОСНО (ст. 227 п. 6–8, ст. 229 НК) [law, UNCONFIRMED — not in the
    reference]: advances for Q1, H1, 9M with notices, the 3-НДФЛ and the year's tax."""
    out: list[Deadline] = []
    start = date(year, 1, 1)
    for code, end in _cumulative(year):
        period = f"{year}-{code}"
        month, dom = IP_NDFL_ADVANCE_DUE[code]
        out.append(_make("ip_ndfl_advance", period, start, end, date(year, month, dom),
                         channel="enp"))
        out.append(_make("ip_ndfl_notice", period, start, end,
                         date(year, month, IP_NDFL_NOTICE)))
    year_end = date(year, 12, 31)
    out.append(_make("ip_ndfl_declaration", f"{year}", start, year_end,
                     date(year + 1, *IP_NDFL_DECLARATION)))
    out.append(_make("ip_ndfl_tax", f"{year}", start, year_end,
                     date(year + 1, *IP_NDFL_TAX), channel="enp"))
    return out


def _ip_own(year: int) -> list[Deadline]:
    """An ИП's contributions for itself (ст. 430, п. 2 ст. 432 НК; reference §4): the fixed
    amount by 28 December of the year, 1 % of the income over 300 000 ₽ by 1 July of the
    next year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return [
        _make("ip_fixed", f"{year}", start, end, date(year, 12, DAY["ip_fixed"]),
              channel="enp"),
        _make("ip_1pct", f"{year}", start, end, date(year + 1, 7, DAY["ip_1pct"]),
              channel="enp"),
    ]


def _statements(year: int) -> list[Deadline]:
    """Бухгалтерская (финансовая) отчётность of an organisation by 31 March to ГИР БО
    (ст. 18 402-ФЗ; reference §6); an ИП is exempt."""
    return [_make("financial_statements", f"{year}", date(year, 1, 1), date(year, 12, 31),
                  date(year + 1, 3, DAY["financial_statements"]))]


def for_period_year(profile: Profile, year: int) -> list[Deadline]:
    """Every deadline of the periods of ``year`` (their due dates may fall in year + 1)."""
    out: list[Deadline] = []
    if profile.staff_in(year):
        out += _ndfl(year) + _contributions(year) + _staff_reports(year)
    if profile.usn:
        out += _usn(year, profile.kind)
    elif profile.regime == "osno":
        out += _profit(year) if profile.kind == "ooo" else _ip_osno(year)
    if profile.vat_payer:
        out += _vat(year)
    if profile.kind == "ip":
        out += _ip_own(year)
    else:
        out += _statements(year)
    return out


def _order(d: Deadline) -> tuple[date, int, str]:
    return d.due, FAMILIES.index(d.family), d.id


def between(profile: Profile, date_from: date, date_to: date) -> list[Deadline]:
    """The deadlines due from ``date_from`` to ``date_to`` (both included), by due date
    (then payments, notices, reports; then id)."""
    found: list[Deadline] = []
    # A period of year Y is due in Y or Y + 1 (the annual reports, the ИП's 1 %).
    for year in range(date_from.year - 1, date_to.year + 1):
        found += [d for d in for_period_year(profile, year) if date_from <= d.due <= date_to]
    return sorted(found, key=_order)


def for_year(profile: Profile, year: int) -> list[Deadline]:
    """The calendar of ``year``: the deadlines due in it."""
    return between(profile, date(year, 1, 1), date(year, 12, 31))


def enp_previous(deadlines: Iterable[Deadline], channel: str) -> dict[date, date]:
    """For each due date of a ``channel`` payment, the due date of the one before it (the
    window an order dated in it prepares): {28.02: 28.01, …}; the first one maps to the
    day 35 days before it."""
    days = sorted({d.due for d in deadlines if d.channel == channel})
    out: dict[date, date] = {}
    for index, day in enumerate(days):
        out[day] = days[index - 1] if index else day - timedelta(days=35)
    return out
