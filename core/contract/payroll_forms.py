"""Provides the wire contract of 6-НДФЛ and РСВ for a period (the figures table; the XML
for upload to ФНС comes later).

Computed by server/services/payroll/forms.py from the approved and paid payroll runs with
the layout of server/domain/payroll_forms.py (line numbers and their meaning); shown by
screens/payroll/forms.py. Personal data (РСВ section 3): the payroll rights only.
"""

from __future__ import annotations

from datetime import date as date_
from decimal import Decimal
from typing import Literal

from core.contract.common import WireModel

FormPeriod = Literal["Q1", "H1", "9M", "Y"]
"""From 1 January: first quarter, half-year, nine months, year."""


class FormLine(WireModel):
    """A line of a form: its number and its wording on the form."""

    code: str
    name: str


class NdflDeadline(WireModel):
    """6-НДФЛ section 1 lines 021 / 022: a payment deadline and the tax withheld in the
    period's last three months that is due by it."""

    due: date_
    amount: Decimal


class Ndfl6Section1(WireModel):
    """6-НДФЛ section 1 for one КБК (line 010)."""

    kbk: str
    withheld: Decimal
    """Line 020: withheld in the last three months."""
    deadlines: list[NdflDeadline]
    """Lines 021 / 022, by deadline."""
    returned: Decimal
    """Line 030 (returns are not kept by the payroll: 0)."""


class Ndfl6Section2(WireModel):
    """6-НДФЛ section 2 for one rate (line 100) and КБК (105), cumulative from 1 January."""

    rate: Decimal
    kbk: str
    income: Decimal
    """110."""
    dividends: Decimal
    """111."""
    labour: Decimal
    """112: under labour contracts (all the payroll's income)."""
    civil: Decimal
    """113: under civil contracts (ГПХ; none in the payroll)."""
    persons: int
    """120."""
    deductions: Decimal
    """130."""
    computed: Decimal
    """140."""
    withheld: Decimal
    """160: withheld from 1 January to the period's end (by the withholding day)."""
    not_withheld: Decimal
    """170."""
    excess: Decimal
    """180."""
    returned: Decimal
    """190."""


class Ndfl6(WireModel):
    """6-НДФЛ for a period as its form lays it out."""

    year: int
    period: FormPeriod
    period_code: str
    """21 / 31 / 33 / 34."""
    date_from: date_
    date_to: date_
    last_months: tuple[int, int]
    """The first and last month of the period's last three months (section 1)."""
    section1: list[Ndfl6Section1]
    section2: list[Ndfl6Section2]
    section1_lines: list[FormLine]
    section2_lines: list[FormLine]
    form: str
    """The order that sets the form."""


class RsvColumns(WireModel):
    """One line of РСВ подраздел 1.1 in its columns: from 1 January, the last three
    months, and each of those months."""

    ytd: Decimal
    quarter: Decimal
    month1: Decimal
    month2: Decimal
    month3: Decimal


class RsvCount(WireModel):
    ytd: int
    quarter: int
    month1: int
    month2: int
    month3: int


class RsvTariff(WireModel):
    """РСВ section 1 приложение 1 подраздел 1.1 for one tariff code (line 001)."""

    tariff: str
    insured: RsvCount
    """010."""
    persons: RsvCount
    """020."""
    persons_above_limit: RsvCount
    """021."""
    payments: RsvColumns
    """030."""
    not_subject: RsvColumns
    """040 (sick pay of the employer's days: ст. 422 НК)."""
    base: RsvColumns
    """050."""
    base_above_limit: RsvColumns
    """051."""
    contributions: RsvColumns
    """060."""
    contrib_within: RsvColumns
    """061."""
    contrib_above: RsvColumns
    """062."""


class RsvMonth(WireModel):
    """РСВ section 3 подраздел 3.2.1: one month of one person."""

    month: int
    category: str
    """НР / МС."""
    payments: Decimal
    base: Decimal
    """Within the единая предельная величина."""
    contributions: Decimal


class RsvPerson(WireModel):
    """РСВ section 3: one person. ``missing`` names the card's empty fields the form needs
    (``birth_date``, ``sex``, ``citizenship``, ``snils``, ``inn``)."""

    employee_id: str
    full_name: str
    snils: str | None
    inn: str | None
    birth_date: date_ | None
    sex: str | None
    """М / Ж (the form's code: 1 / 2)."""
    citizenship: str | None
    months: list[RsvMonth]
    payments: Decimal
    base: Decimal
    contributions: Decimal
    missing: list[str]


class Rsv(WireModel):
    """РСВ for a period: section 1 totals (КБК line 020, the amount for the period and
    its last three months) and подраздел 1.1 per tariff, section 3 per person."""

    year: int
    period: FormPeriod
    period_code: str
    date_from: date_
    date_to: date_
    last_months: tuple[int, int]
    kbk: str
    due: RsvColumns
    """Section 1 lines 030–033: contributions from 1 January, the last three months and each
    month."""
    tariffs: list[RsvTariff]
    persons: list[RsvPerson]
    section1_lines: list[FormLine]
    section3_lines: list[FormLine]
    form: str
