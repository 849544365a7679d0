"""Provides the wire contract for employees, payroll runs, payments, payslips and the quarter
summary.
"""

from __future__ import annotations

from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import Money, WireModel, _field
from core.contract.payments import PaymentOrderOut
from core.validation import DATE_MAX, DATE_MIN, InvalidInput

# Computed only by the server (server/services/payroll.py with the pure rules of
# server/domain/payroll_rules.py and work_calendar.py); shown by screens/payroll.py.
# Personal data (names, ИНН, СНИЛС, accounts, pay) is readable only with the payroll
# rights (roles accountant, hr, director); everyone else gets 403 and sees no names.

CostAccount = Literal["20", "26", "44"]


"""Where a department's pay is charged: 20 production, 26 administration, 44 sales."""


PayMethod = Literal["card", "cash"]


PayrollItemKind = Literal["bonus", "one_off", "sick", "vacation"]


PayrollState = Literal["draft", "approved", "paid"]


PayPart = Literal["advance", "final"]


Sex = Literal["М", "Ж"]
"""РСВ section 3 «Пол»: М (code 1) or Ж (code 2), Cyrillic letters."""


CITIZENSHIP_RF = "643"
"""ОКСМ code of Россия (the default citizenship)."""
BIRTH_MIN = date_(1900, 1, 1)


def _personal(e: EmployeeIn) -> None:
    """Birth date from 1900 and before the hiring date; ОКСМ code of 3 digits."""
    if e.birth_date is not None and not BIRTH_MIN <= e.birth_date < e.hired_on:
        raise InvalidInput("payroll.birth_date", field="birth_date")
    code = (e.citizenship or "").strip()
    if code and not (len(code) == 3 and code.isdigit()):
        raise InvalidInput("payroll.citizenship", field="citizenship")
    e.citizenship = code or None


_MONEY_MAX = Decimal("999999999.99")


def _money(value: Decimal | None, field: str, *, positive: bool = False) -> None:
    """Roubles and kopecks, not negative (positive when asked), below a billion."""
    if value is None:
        return
    if (
        not value.is_finite()
        or value < 0
        or (positive and value == 0)
        or value > _MONEY_MAX
        or value != value.quantize(Decimal("0.01"))
    ):
        raise InvalidInput("payroll.amount", field=field)


class ChildIn(WireModel):
    """A child for the standard НДФЛ deduction (ст. 218 НК): its order among the
    employee's children (1, 2, 3…) and whether it is disabled."""

    order: Annotated[int, Field(ge=1, le=20)]
    disabled: bool = False


class EmployeeIn(WireModel):
    """An employee as typed. ``department`` is free text; ``cost_account`` is where its pay
    is charged (20/26/44). ``salary`` is the monthly оклад in roubles. A card payee needs
    the БИК and the 20-digit account (checked against the БИК); cash needs neither."""

    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    """ФИО: «Иванов Иван Иванович»."""
    position: Annotated[str, Field(min_length=1, max_length=200)]
    department: Annotated[str | None, Field(max_length=200)] = None
    cost_account: CostAccount = "26"
    hired_on: date_
    dismissed_on: date_ | None = None
    salary: Money
    inn: Annotated[str | None, Field(max_length=20)] = None
    snils: Annotated[str | None, Field(max_length=20)] = None
    resident: bool = True
    children: Annotated[list[ChildIn], Field(max_length=20)] = []
    pay_method: PayMethod = "card"
    bank_bik: Annotated[str | None, Field(max_length=20)] = None
    bank_account: Annotated[str | None, Field(max_length=30)] = None
    bank_corr_account: Annotated[str | None, Field(max_length=30)] = None
    bank_name: Annotated[str | None, Field(max_length=300)] = None
    is_director: bool = False
    """The head of the organisation (the 2026 minimum contribution base of one МРОТ)."""
    birth_date: date_ | None = None
    """РСВ section 3: from 1900 and before the hiring date."""
    sex: Sex | None = None
    """РСВ section 3: «М» or «Ж»."""
    citizenship: Annotated[str | None, Field(max_length=3)] = CITIZENSHIP_RF
    """РСВ section 3: the ОКСМ code (3 digits), «643» Россия."""

    @model_validator(mode="after")
    def _requisites(self) -> EmployeeIn:
        from core import identifiers as ids

        for name in ("full_name", "position"):
            setattr(self, name, getattr(self, name).strip())
            if not getattr(self, name):  # min_length counted the spaces
                raise InvalidInput("validation.required", field=name)
        for name in (
            "department",
            "inn",
            "snils",
            "bank_bik",
            "bank_account",
            "bank_corr_account",
            "bank_name",
        ):
            setattr(self, name, (getattr(self, name) or "").strip() or None)
        _money(self.salary, "salary")
        if self.dismissed_on is not None and self.dismissed_on < self.hired_on:
            raise InvalidInput("payroll.dismissed_before_hired", field="dismissed_on")
        _personal(self)
        if self.inn:
            self.inn = _field("inn", ids.check_inn, self.inn, "person")
        if self.snils:
            self.snils = _field("snils", ids.check_snils, self.snils)
        orders = [c.order for c in self.children]
        if len(set(orders)) != len(orders):
            raise InvalidInput("payroll.children_order", field="children")
        if self.pay_method == "card":
            if not self.bank_bik:
                raise InvalidInput("validation.required", field="bank_bik")
            if not self.bank_account:
                raise InvalidInput("validation.required", field="bank_account")
            self.bank_bik = _field("bank_bik", ids.check_bik, self.bank_bik)
            self.bank_account = _field(
                "bank_account", ids.check_account, self.bank_account, self.bank_bik
            )
            if self.bank_corr_account:
                self.bank_corr_account = _field(
                    "bank_corr_account",
                    ids.check_corr_account,
                    self.bank_corr_account,
                    self.bank_bik,
                )
        else:  # cash: no bank details kept
            self.bank_bik = self.bank_account = self.bank_corr_account = None
            self.bank_name = None
        return self


class EmployeeOut(WireModel):
    """A stored employee as the server keeps it (read as is, never re-validated)."""

    id: str
    full_name: str
    position: str
    department: str | None
    cost_account: CostAccount
    hired_on: date_
    dismissed_on: date_ | None
    salary: Decimal
    inn: str | None
    snils: str | None
    resident: bool
    children: list[ChildIn]
    pay_method: PayMethod
    bank_bik: str | None
    bank_account: str | None
    bank_corr_account: str | None
    bank_name: str | None
    is_director: bool
    birth_date: date_ | None = None
    sex: Sex | None = None
    citizenship: str | None = None
    created_at: datetime
    updated_at: datetime


class EmployeeList(WireModel):
    items: list[EmployeeOut]
    """Sorted by name; the dismissed ones too (``dismissed_on`` set)."""


class PayrollItemIn(WireModel):
    """One extra accrual of the month for one employee.

    - ``bonus`` (премия) and ``one_off`` (разовая выплата): ``amount`` in roubles.
    - ``sick``: ``date_from``–``date_to`` of the sick leave inside the month, the average
      daily earnings ``avg_daily`` (from the last 2 years, typed by the user) and
      ``record_years`` (insurance record); the employer pays the first 3 days (60/80/100 %),
      from day 4 СФР pays directly (not in this payroll). The days are not paid as salary.
    - ``vacation``: ``date_from``–``date_to``; ``amount`` typed, or else average daily
      earnings ``avg_daily`` typed, or else computed from the approved runs of the previous
      12 months (÷ 12 ÷ 29.3) × calendar days. The days are not paid as salary.
    """

    employee_id: Annotated[str, Field(max_length=36)]
    kind: PayrollItemKind
    amount: Money | None = None
    date_from: date_ | None = None
    date_to: date_ | None = None
    avg_daily: Money | None = None
    record_years: Annotated[Decimal | None, Field(ge=0, le=80)] = None
    note: Annotated[str | None, Field(max_length=200)] = None

    @model_validator(mode="after")
    def _shape(self) -> PayrollItemIn:
        self.note = (self.note or "").strip() or None
        _money(self.amount, "amount", positive=True)
        _money(self.avg_daily, "avg_daily", positive=True)
        if self.kind in ("bonus", "one_off"):
            if self.amount is None:
                raise InvalidInput("validation.required", field="amount")
            self.date_from = self.date_to = None
            self.avg_daily = self.record_years = None
            return self
        if self.date_from is None:
            raise InvalidInput("validation.required", field="date_from")
        if self.date_to is None:
            raise InvalidInput("validation.required", field="date_to")
        if self.date_to < self.date_from:
            raise InvalidInput("payroll.dates_order", field="date_to")
        if self.kind == "sick":
            if self.avg_daily is None:
                raise InvalidInput("validation.required", field="avg_daily")
            if self.record_years is None:
                raise InvalidInput("validation.required", field="record_years")
            self.amount = None
        return self


class PayrollRunIn(WireModel):
    """Compute (or recompute) the draft payroll of a month.

    The settings left empty are taken from the organisation's latest run, else the
    defaults: ``sme`` False, ``sme_priority`` False, ``injury_rate`` 0.2 %, advance on the
    20th, final payment on the 5th of the next month (a pay day on a day off moves to the
    working day before, ст. 136 ТК).
    ``sme``: the organisation is in the МСП register; ``sme_priority``: in 2026 it also
    meets распоряжение 4125-р (the reduced rate is kept only then; in 2025 any МСП).
    """

    year: Annotated[int, Field(ge=DATE_MIN.year, le=DATE_MAX.year)]
    """Within the books' dates (``core.validation``): its entries are dated in it."""
    month: Annotated[int, Field(ge=1, le=12)]
    items: Annotated[list[PayrollItemIn], Field(max_length=2000)] = []
    advance_day: Annotated[int | None, Field(ge=16, le=28)] = None
    final_day: Annotated[int | None, Field(ge=1, le=15)] = None
    sme: bool | None = None
    sme_priority: bool | None = None
    injury_rate: Decimal | None = None
    """Per cent, e.g. ``"0.2"`` (class I) up to ``"8.5"``."""

    @model_validator(mode="after")
    def _shape(self) -> PayrollRunIn:
        r = self.injury_rate
        if r is not None and (
            not r.is_finite() or r < 0 or r > Decimal("8.5") or r != r.quantize(Decimal("0.01"))
        ):
            raise InvalidInput("payroll.injury_rate", field="injury_rate")
        return self


class PayrollItemOut(WireModel):
    employee_id: str
    kind: PayrollItemKind
    amount: Decimal
    """What was accrued for it (computed for sick leave and vacation)."""
    date_from: date_ | None
    date_to: date_ | None
    days: int
    """Calendar days of a sick leave or vacation inside the month; 0 otherwise."""
    avg_daily: Decimal | None
    record_years: Decimal | None
    note: str | None


class PayrollLineOut(WireModel):
    """One employee's month. Money in roubles.

    ``accrued`` = salary + bonus + one_off + sick + vacation. НДФЛ is on the cumulative
    income since 1 January (``ndfl`` = computed for the month = withheld from the advance +
    withheld from the final payment). ``advance`` is what is paid on the advance day
    (``advance_gross`` − ``ndfl_advance``), ``final_payment`` the rest, ``net`` their sum.
    """

    employee_id: str
    employee_name: str
    position: str
    cost_account: CostAccount
    working_days: int
    """Working days of the month by the production calendar."""
    days_worked: int
    """Working days employed and not on sick leave or vacation."""
    salary: Decimal
    bonus: Decimal
    one_off: Decimal
    sick: Decimal
    vacation: Decimal
    accrued: Decimal
    deductions: Decimal
    """Standard child deductions applied this month (НДФЛ base reduction)."""
    income_ytd: Decimal
    """Income since 1 January including this month."""
    ndfl: Decimal
    ndfl_advance: Decimal
    ndfl_final: Decimal
    contribution_base: Decimal
    """This month's base (the director's МРОТ minimum when it applies; sick pay excluded)."""
    contrib_main: Decimal
    contrib_injury: Decimal
    advance_gross: Decimal
    advance: Decimal
    final_payment: Decimal
    net: Decimal
    pay_method: PayMethod


class PayrollTotals(WireModel):
    accrued: Decimal
    deductions: Decimal
    ndfl: Decimal
    contrib_main: Decimal
    contrib_injury: Decimal
    advance: Decimal
    final_payment: Decimal
    net: Decimal


class PayrollRunOut(WireModel):
    id: str
    year: int
    month: int
    state: PayrollState
    working_days: int
    sme: bool
    sme_priority: bool
    injury_rate: Decimal
    advance_date: date_
    """The advance pay day (the set day, moved to the working day before)."""
    final_date: date_
    lines: list[PayrollLineOut]
    items: list[PayrollItemOut]
    totals: PayrollTotals
    entry_ids: list[str]
    """Journal entries: the accrual (on approval), then one per payment."""
    payment_order_ids: list[str]
    advance_paid_on: date_ | None
    final_paid_on: date_ | None
    created_at: datetime
    updated_at: datetime


class PayrollRunHead(WireModel):
    id: str
    year: int
    month: int
    state: PayrollState
    employees: int
    totals: PayrollTotals


class PayrollRunList(WireModel):
    items: list[PayrollRunHead]
    """Newest month first."""


class SfrPayeeIn(WireModel):
    """The requisites of the region's ОСФР branch for the injury contributions (НС и ПЗ):
    its name at the treasury, ИНН, КПП, the treasury account 03100643…, the ТОФК's БИК and
    the ЕКС 40102…, and the payer's ОКТМО."""

    payee_name: Annotated[str, Field(min_length=1, max_length=160)]
    payee_inn: Annotated[str, Field(max_length=12)]
    payee_kpp: Annotated[str, Field(max_length=9)]
    payee_account: Annotated[str, Field(max_length=20)]
    payee_bik: Annotated[str, Field(max_length=9)]
    payee_corr_account: Annotated[str, Field(max_length=20)]
    payee_bank: Annotated[str, Field(min_length=1, max_length=160)]
    oktmo: Annotated[str, Field(max_length=11)]


class PayrollPayIn(WireModel):
    date: date_
    part: PayPart
    injury_payee: SfrPayeeIn | None = None
    """With the final part: also make the month's injury-contributions order to СФР."""
    preview: bool = False
    """True: answer what paying would do (amounts, orders, due dates, warnings) and change
    nothing — the screen shows it before the user confirms."""


class NdflNotice(WireModel):
    """An уведомление об исчисленных суммах НДФЛ (п. 9 ст. 58 НК): the half-month period of
    the withholding days (1st–22nd, 23rd–month end), the tax withheld in it, the notice's
    and the payment's deadlines (moved to the next working day)."""

    period_from: date_
    period_to: date_
    amount: Decimal
    notice_due: date_
    payment_due: date_


class PayrollWarning(WireModel):
    """Something to confirm before paying, not a refusal: ``code`` stable, ``text`` in the
    request's language."""

    code: str
    text: str


class PayrollPaid(WireModel):
    """The result of paying a part: the run, the journal entry (Дт 70 Кт 51 / 50.01), the
    payment orders made (one per card employee, and one ЕНП order for the НДФЛ withheld
    and — with the final part — the month's contributions) and the due dates."""

    run: PayrollRunOut
    entry_id: str | None
    orders: list[PaymentOrderOut]
    ndfl: Decimal
    """НДФЛ withheld on this payment."""
    ndfl_due: date_
    contributions: Decimal
    """The month's contributions put on the ЕНП order (final part only; 0 otherwise)."""
    contributions_due: date_ | None
    injury_due: date_ | None
    """Injury contributions go to СФР by the 15th of the next month (not on the ЕНП)."""
    ndfl_notice: NdflNotice | None = None
    """The notice period of the НДФЛ withheld on this payment; None when nothing is
    withheld (an advance paid inside the month: the income arises on its last day, НК
    ст. 223 п. 2)."""
    warnings: list[PayrollWarning] = []
    """E.g. ``payroll.cash_short``: the cash to pay exceeds what account 50 holds that day."""
    preview: bool = False
    """True: nothing was posted or made (``PayrollPayIn.preview``)."""


class PayslipLine(WireModel):
    section: Literal["accrued", "deducted", "paid"]
    name: str
    days: int | None = None
    amount: Decimal


class Payslip(WireModel):
    """Расчётный листок (ст. 136 ТК): the parts of pay, the deductions with their grounds,
    what was paid and what is due."""

    org_name: str
    employee_id: str
    employee_name: str
    position: str
    year: int
    month: int
    state: PayrollState
    lines: list[PayslipLine]
    accrued: Decimal
    deducted: Decimal
    paid: Decimal
    """Paid so far (the advance once paid, the final payment once paid)."""
    due: Decimal
    """Still to pay: accrued − deducted − paid."""
    text: list[str]
    """The printable text lines, in the request's language."""


class QuarterMonth(WireModel):
    """One month of a quarter for 6-НДФЛ and РСВ: income, deductions, computed tax and
    contributions by the month the pay was accrued for (the income date is its last day,
    НК ст. 223 п. 2); ``ndfl_withheld`` by the month the tax was WITHHELD (the day each part
    was paid: January's tax withheld from the final payment of 5 February is February's)."""

    month: int
    employees: int
    income: Decimal
    deductions: Decimal
    ndfl_computed: Decimal
    ndfl_withheld: Decimal
    """Withheld in this month (whatever month the pay was for), from the paid parts."""
    contribution_base: Decimal
    contrib_main: Decimal
    contrib_injury: Decimal


class QuarterSummary(WireModel):
    """The quarter's figures for 6-НДФЛ and РСВ from the approved and paid runs."""

    year: int
    quarter: int
    months: list[QuarterMonth]
    total: QuarterMonth
    """The quarter's sum (``month`` is 0)."""
    income_ytd: Decimal
    """Income since 1 January to the quarter's end (6-НДФЛ section 2)."""
    ndfl_ytd: Decimal
    contribution_base_ytd: Decimal
    contrib_main_ytd: Decimal
    ndfl_withheld_ytd: Decimal | None = None
    """НДФЛ withheld since 1 January to the quarter's end (by the withholding day)."""
    ndfl_notices: list[NdflNotice] = []
    """The quarter's НДФЛ notices by the half-month periods the tax was withheld in."""
