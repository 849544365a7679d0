"""Provides the layout of 6-НДФЛ and РСВ as data: the periods and their codes, the line
numbers and their meaning, the КБК of each НДФЛ rate, the tariff and category codes of
the contributions, and the pure splits the forms need (the tax by rate band, the
contributions base at the limit and at 1.5 МРОТ).

Pure: kopecks (int), rates (Decimal), dates; no I/O. Every figure below is a row of data,
so a changed form or a new year is a data change. Marks as in ``payroll_rules``: [law] =
from the statute as remembered; UNCONFIRMED = not confirmed by a retrieved page.

Forms:
- 6-НДФЛ: приказ ФНС от 19.09.2023 № ЕД-7-11/649@ (in force from the reports for 2024,
  with the later amendments for the 2025 progressive scale: the number and date of the
  amending order are UNCONFIRMED). Раздел 1 «Данные об обязательствах налогового агента»
  (lines 010–032, per КБК), Раздел 2 «Расчет исчисленных, удержанных и перечисленных сумм
  НДФЛ» (lines 100–190, per rate and КБК), cumulative from 1 January [law].
- РСВ: приказ ФНС от 29.09.2022 № ЕД-7-11/878@ (in force from 2023; amendments for 2025
  UNCONFIRMED). Раздел 1 with приложение 1 подраздел 1.1 (lines 001–062) and Раздел 3
  «Персонифицированные сведения о застрахованных лицах» per person [law].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from server.domain import payroll_rules as pr

# --- periods ---------------------------------------------------------------------------

PERIODS: dict[str, tuple[int, str]] = {
    "Q1": (3, "21"),
    "H1": (6, "31"),
    "9M": (9, "33"),
    "Y": (12, "34"),
}
"""A reporting period (from 1 January): its last month and its code on the title page of
both forms (21 первый квартал, 31 полугодие, 33 девять месяцев, 34 год; приложение к
порядку заполнения, «Коды, определяющие период») [law]."""


def period_months(period: str) -> tuple[int, int]:
    """(first, last) month of the period's last three months: Q1 → (1, 3), Y → (10, 12)."""
    last = PERIODS[period][0]
    return last - 2, last


def period_code(period: str) -> str:
    return PERIODS[period][1]


# --- 6-НДФЛ ----------------------------------------------------------------------------

NDFL_SECTION1_LINES: dict[str, str] = {
    "010": "Код бюджетной классификации",
    "020": "Сумма налога на доходы физических лиц, удержанная за последние три месяца "
           "отчетного периода",
    "021": "Срок перечисления налога",
    "022": "Сумма налога на доходы физических лиц, удержанная",
    "030": "Сумма налога на доходы физических лиц, возвращенная налоговым агентом за "
           "последние три месяца отчетного периода",
    "031": "Дата возврата налога",
    "032": "Сумма налога, возвращенная",
}
"""Раздел 1 of 6-НДФЛ, filled once per КБК: the tax withheld in the last three months of
the period by its payment deadline (п. 6 ст. 226 НК) and the tax returned (ст. 231)."""

NDFL_SECTION2_LINES: dict[str, str] = {
    "100": "Ставка налога, %",
    "105": "Код бюджетной классификации",
    "110": "Сумма дохода, начисленного физическим лицам",
    "111": "в том числе сумма дохода в виде дивидендов",
    "112": "в том числе сумма дохода по трудовым договорам (контрактам)",
    "113": "в том числе сумма дохода по гражданско-правовым договорам",
    "115": "Сумма дохода, начисленного физическим лицам – высококвалифицированным "
           "специалистам",
    "120": "Количество физических лиц, получивших доход",
    "121": "в том числе количество высококвалифицированных специалистов",
    "130": "Сумма налоговых вычетов",
    "140": "Сумма налога исчисленная",
    "141": "в том числе сумма налога с доходов в виде дивидендов",
    "142": "в том числе сумма налога с доходов высококвалифицированных специалистов",
    "150": "Сумма фиксированных авансовых платежей",
    "155": "Сумма налога на прибыль организаций, подлежащая зачету",
    "160": "Сумма налога удержанная",
    "170": "Сумма налога, не удержанная налоговым агентом",
    "180": "Сумма налога, излишне удержанная налоговым агентом",
    "190": "Сумма налога, возвращенная налоговым агентом",
}
"""Раздел 2 of 6-НДФЛ, filled once per rate and КБК, cumulative from 1 January. Lines
115, 121, 141, 142, 150 and 155 are not filled by this payroll (no dividends, ВКС,
foreign workers on a patent). The names follow the form as remembered [law]; line 115's
and 121's exact wording and whether line 114 exists in the amended form: UNCONFIRMED."""

NDFL_SECTION2_SHOWN = ("110", "111", "112", "113", "120", "130", "140", "160", "170",
                       "180", "190")
"""The section 2 lines this payroll fills (the rest are always 0 here)."""


@dataclass(frozen=True)
class NdflBand:
    """One band of the progressive scale as 6-НДФЛ reports it: a line 100 rate with its
    line 010/105 КБК, over the part of the annual base up to ``upper`` (None: no cap)."""

    rate: Decimal
    kbk: str
    upper: int | None


NDFL_KBK: dict[Decimal, str] = {
    Decimal("13"): "18210102010011000110",
    Decimal("15"): "18210102080011000110",
    Decimal("18"): "18210102150011000110",
    Decimal("20"): "18210102160011000110",
    Decimal("22"): "18210102170011000110",
}
"""КБК of НДФЛ paid by a tax agent (the «1000» payment code, tax itself), by the rate of
the band (from 2025, приказ Минфина on the budget classification codes): 13 % on the base
up to 2.4 million ₽ (02010), 15 % on 2.4–5 million (02080), 18 % on 5–20 million (02150),
20 % on 20–50 million (02160), 22 % above 50 million (02170). 02010 and 02080 are [law];
02150, 02160 and 02170 are UNCONFIRMED (recalled from the 2025 codes, not read)."""


def ndfl_bands(year: int) -> list[NdflBand]:
    """The bands of ``year`` (``payroll_rules.RULES``) with their КБК."""
    return [NdflBand(rate=rate, kbk=NDFL_KBK[rate], upper=upper)
            for upper, rate in pr.rules(year).ndfl_bands]


@dataclass(frozen=True)
class BandShare:
    """One person's share of one band for section 2: income (line 110/112), deductions
    (130, all in the first band), tax computed (140), kopecks."""

    rate: Decimal
    kbk: str
    income: int
    deductions: int
    computed: int


def split_by_band(year: int, income: int, deductions: int, computed: int) -> list[BandShare]:
    """One person's year-to-date income, deductions and tax computed split over the bands.

    The taxable base (income − deductions, at least 0) fills the bands from the bottom;
    the first band's income carries the deductions (and all of the income when the
    deductions exceed it). Each band's tax is its part × its rate, rounded to roubles;
    the rounding difference against ``computed`` (what the payroll computed, once
    rounded on the whole base, НК ст. 52 п. 6) goes to the highest band used.
    Example: income 2 520 000, no deductions, computed 330 000 → 13 %: 2 400 000 /
    312 000; 15 %: 120 000 / 18 000. Only bands with income are returned (at least the
    first).
    """
    bands = ndfl_bands(year)
    base = max(0, income - deductions)
    out: list[BandShare] = []
    lower = 0
    for i, band in enumerate(bands):
        top = base if band.upper is None else min(base, band.upper)
        part = max(0, top - lower)
        if i == 0:
            out.append(BandShare(band.rate, band.kbk, income - (base - part), deductions,
                                 pr.round_roubles(Decimal(part) * band.rate / 100)))
        elif part > 0:
            out.append(BandShare(band.rate, band.kbk, part, 0,
                                 pr.round_roubles(Decimal(part) * band.rate / 100)))
        if band.upper is None or base <= band.upper:
            break
        lower = band.upper
    diff = computed - sum(s.computed for s in out)
    last = out[-1]
    out[-1] = BandShare(last.rate, last.kbk, last.income, last.deductions,
                        last.computed + diff)
    return out


def fill_bottom_up(amount: int, capacities: list[int]) -> list[int]:
    """``amount`` withheld spread over the bands from the bottom up to each band's tax
    computed (tax is withheld on the cumulative base, so the first band's tax is
    withheld first); what is left over goes to the first band. Example: 320 000 over
    [312 000, 18 000] → [312 000, 8 000]."""
    out = []
    left = amount
    for cap in capacities:
        take = min(left, max(0, cap))
        out.append(take)
        left -= take
    if out:
        out[0] += left
    return out


def ndfl_deadline(withheld_on: date) -> date:
    """Line 021: the payment deadline of tax withheld on ``withheld_on`` (п. 6 ст. 226 НК,
    moved by п. 7 ст. 6.1): withheld on the 1st–22nd → the 28th of the month; on the
    23rd–month end → the 5th of the next month; 23–31 December → the last working day of
    the year (reference §3). One rule for the payroll and the form:
    ``payroll_rules.ndfl_due_date``."""
    return pr.ndfl_due_date(withheld_on)


# --- РСВ -------------------------------------------------------------------------------

RSV_KBK = "18210201000011000160"
"""Раздел 1 line 020: КБК of the contributions at the единый тариф (from 2023, the
«1000» payment code) [law]."""

RSV_SECTION1_LINES: dict[str, str] = {
    "001": "Код тарифа плательщика",
    "010": "Количество застрахованных лиц",
    "020": "Количество физических лиц, с выплат которым исчислены страховые взносы",
    "021": "в том числе в сумме, превышающей единую предельную величину базы",
    "030": "Сумма выплат и иных вознаграждений",
    "040": "Сумма, не подлежащая обложению страховыми взносами",
    "045": "Сумма расходов, принимаемая к вычету",
    "050": "База для исчисления страховых взносов",
    "051": "в том числе в сумме, превышающей единую предельную величину базы",
    "060": "Исчислено страховых взносов",
    "061": "с базы, не превышающей единую предельную величину",
    "062": "с базы, превышающей единую предельную величину",
}
"""РСВ раздел 1 приложение 1 подраздел 1.1, one per tariff code; each line has the
columns «всего с начала расчетного периода», «за последние три месяца» and each of those
three months [law]. Line numbers as remembered from ЕД-7-11/878@; UNCONFIRMED."""

RSV_SECTION3_FIELDS: dict[str, str] = {
    "020": "ИНН",
    "030": "СНИЛС",
    "040": "Фамилия, имя, отчество",
    "060": "Дата рождения",
    "070": "Код страны (гражданство)",
    "080": "Пол (1 – мужской, 2 – женский)",
    "130": "Код категории застрахованного лица",
    "140": "Сумма выплат и иных вознаграждений",
    "150": "База для исчисления страховых взносов в пределах единой предельной величины",
    "160": "в том числе по гражданско-правовым договорам",
    "170": "Сумма исчисленных страховых взносов",
}
"""РСВ раздел 3 подразделы 3.1 (the person) and 3.2.1 (by month of the last three months
of the period). Line numbers UNCONFIRMED (recalled from ЕД-7-11/878@)."""

SEX_CODES = {"М": "1", "Ж": "2"}
"""Раздел 3 «Пол»: 1 мужской, 2 женский [law]."""

TARIFF_GENERAL = "01"
"""Код тарифа 01: the general единый тариф (30 % / 15.1 %) [law]."""
TARIFF_SME = "20"
"""Код тарифа 20: МСП, the part of a month's pay above 1.5 МРОТ at 15 % (п. 2.4 ст. 427
НК). The МСП also fills a подраздел 1.1 with code 01 for the part up to 1.5 МРОТ.
UNCONFIRMED: the code and the two-part filling are as remembered from ФНС letters."""
CATEGORY_GENERAL = "НР"
"""Раздел 3 код категории застрахованного лица: НР, an employee at the general tariff."""
CATEGORY_SME = "МС"
"""МС: an employee of an МСП at the reduced tariff (UNCONFIRMED)."""


@dataclass(frozen=True)
class BaseSplit:
    """One person's month of contributions split for подраздел 1.1, kopecks: the base at
    the general tariff (code 01) within the limit and above it, the МСП part above 1.5
    МРОТ (code 20), and the contributions of each part."""

    general_within: int
    general_above: int
    sme_part: int
    contrib_within: Decimal
    contrib_above: Decimal
    contrib_sme: Decimal


def split_base(year: int, base_ytd_before: int, base: int, sme: bool) -> BaseSplit:
    """The month's ``base`` split as ``payroll_rules.contributions`` computes it: for an
    МСП (``sme`` when the reduced rate applies) the part up to 1.5 МРОТ at the general
    rates and the rest at 15 %; the general part split at the year's base limit
    (30 % within, 15.1 % above). Contributions unrounded (the payroll rounds the
    month's total once; the form's totals take the payroll's). Example (2026, not МСП,
    50 000, nothing before): within 50 000 → 15 000."""
    r = pr.rules(year)
    general = min(base, r.sme_threshold) if sme else base
    room = max(0, r.base_limit - max(0, base_ytd_before))
    within = min(general, room)
    above = general - within
    sme_part = base - general
    return BaseSplit(
        general_within=within, general_above=above, sme_part=sme_part,
        contrib_within=Decimal(within) * r.rate_main / 100,
        contrib_above=Decimal(above) * r.rate_above_limit / 100,
        contrib_sme=Decimal(sme_part) * r.sme_rate_above_15mrot / 100)
