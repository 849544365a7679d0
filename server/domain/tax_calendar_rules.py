"""Provides the tax calendar's data: the day of the month each deadline falls on, the
deadlines' families and legal bases, and the switches that the reference leaves open.

Pure data; ``server.domain.tax_calendar`` builds the deadlines from it. Sources: the team
reference (``/work/shared/reference/ru-rules-2025-2026.md``); a row marked [law] is from the
statute as remembered, UNCONFIRMED where the reference marks it open or does not cover it.
A correction of the law is a change of one row here.
"""

from __future__ import annotations

DAY: dict[str, int] = {
    "ndfl_payment": 28,            # п. 6 ст. 226 НК: the 28th (reference §3)
    "contributions_payment": 28,   # п. 3 ст. 431 НК: the 28th of the next month
    "contributions_notice": 25,    # п. 9 ст. 58 НК: the 25th (reference §6)
    "injury_payment": 15,          # ст. 22 п. 4 125-ФЗ: the 15th of the next month [law]
    "ndfl6": 25,                   # п. 2 ст. 230 НК: the 25th; the year by 25 February
    "rsv": 25,                     # п. 7 ст. 431 НК: the 25th; the year by 25 January
    "personal_info": 25,           # пп. 2 п. 7 ст. 431 НК: monthly by the 25th
    "efs1_injury": 25,             # ЕФС-1 section 2: the 25th after each quarter
    "efs1_stazh": 25,              # ЕФС-1 subsection 1.2: by 25 January
    "ip_fixed": 28,                # п. 2 ст. 432 НК: 28 December
    "ip_1pct": 1,                  # п. 2 ст. 432 НК: 1 July of the next year
    "financial_statements": 31,    # ст. 18 402-ФЗ: 31 March
}

NDFL_NOTICE_DAY = 25
"""The notice of НДФЛ withheld on the 1st–22nd: by the 25th of the same month (reference §3)."""
NDFL_NOTICE_SECOND_DAY = 3
"""The notice of the 23rd–end of a month: by the 3rd of the next month (reference §3). For
23–31 December: the last working day of the year — [law, UNCONFIRMED detail] in the
reference."""
USN_NOTICE_DAY = 25
"""The notice of an УСН advance: by the 25th of the month it is paid in (reference §2)."""
USN_DECLARATION: dict[str, tuple[int, int]] = {"ooo": (3, 25), "ip": (4, 25)}
"""(month, day) of the next year: the УСН declaration (ст. 346.23 п. 1 НК; reference §2)."""

CONTRIBUTION_NOTICE_SKIPS_QUARTER_END = True
"""No notice of the contributions of a quarter's 3rd month: РСВ, due the same 25th, stands
for it (п. 9 ст. 58 НК: no notice when the return is filed before the payment) [law,
UNCONFIRMED: the reference says only «contributions for the month»]."""
PERSONAL_INFO_SKIPS_QUARTER_END = True
"""Персонифицированные сведения are not filed for the 3rd month of a quarter (ФНС letter
БС-4-11/3700@ of 28.03.2023 as the reference reads it): partly UNCONFIRMED (reference §6)."""

# VAT (ст. 174 НК) — [law, UNCONFIRMED]: the reference has no VAT dates.
VAT_DECLARATION_DAY = 25
"""The quarter's declaration by the 25th of the month after it (ст. 174 п. 5 НК)."""
VAT_PAYMENT_DAY = 28
"""A third of the quarter's tax by the 28th of each of the three months after it
(ст. 174 п. 1 НК)."""

# Налог на прибыль (ООО on ОСНО), quarterly advances — [law, UNCONFIRMED]: not in the
# reference.
PROFIT_DECLARATION_DAY = 25
"""The declaration of Q1, H1, 9M by the 25th of the next month (ст. 289 п. 3 НК)."""
PROFIT_ADVANCE_DAY = 28
"""The quarterly advance by the 28th of the next month (ст. 287 п. 1 НК)."""
PROFIT_YEAR_DECLARATION = (3, 25)
"""(month, day) of the next year (ст. 289 п. 4 НК)."""
PROFIT_YEAR_TAX = (3, 28)
"""(month, day) of the next year (ст. 287 п. 1 НК)."""

# НДФЛ of an ИП on ОСНО — [law, UNCONFIRMED]: not in the reference.
IP_NDFL_ADVANCE_DUE: dict[str, tuple[int, int]] = {"Q1": (4, 28), "H1": (7, 28),
                                                   "9M": (10, 28)}
"""(month, day): advances for Q1, H1, 9M (ст. 227 п. 8 НК)."""
IP_NDFL_NOTICE = 25
"""The advance's notice by the 25th of the month it is paid in (п. 9 ст. 58 НК)."""
IP_NDFL_DECLARATION = (4, 30)
"""(month, day) of the next year: 3-НДФЛ (ст. 229 п. 1 НК)."""
IP_NDFL_TAX = (7, 15)
"""(month, day) of the next year: the year's tax (ст. 227 п. 6 НК)."""

BASIS: dict[str, tuple[str, str]] = {
    # kind: (family, legal basis)
    "ndfl_payment": ("payment", "п. 6 ст. 226 НК РФ"),
    "ndfl_notice": ("notice", "п. 9 ст. 58 НК РФ"),
    "contributions_payment": ("payment", "п. 3 ст. 431 НК РФ"),
    "contributions_notice": ("notice", "п. 9 ст. 58 НК РФ"),
    "injury_payment": ("payment", "п. 4 ст. 22 закона № 125-ФЗ"),
    "ndfl6": ("report", "п. 2 ст. 230 НК РФ"),
    "rsv": ("report", "п. 7 ст. 431 НК РФ"),
    "personal_info": ("report", "пп. 2 п. 7 ст. 431 НК РФ"),
    "efs1_injury": ("report", "ст. 24 закона № 125-ФЗ, ст. 11 закона № 27-ФЗ"),
    "efs1_stazh": ("report", "п. 2 ст. 11 закона № 27-ФЗ"),
    "usn_advance": ("payment", "п. 7 ст. 346.21 НК РФ"),
    "usn_notice": ("notice", "п. 9 ст. 58 НК РФ"),
    "usn_tax": ("payment", "п. 7 ст. 346.21, п. 1 ст. 346.23 НК РФ"),
    "usn_declaration": ("report", "п. 1 ст. 346.23 НК РФ"),
    "vat_declaration": ("report", "п. 5 ст. 174 НК РФ"),
    "vat_payment": ("payment", "п. 1 ст. 174 НК РФ"),
    "profit_declaration": ("report", "ст. 289 НК РФ"),
    "profit_advance": ("payment", "п. 1 ст. 287 НК РФ"),
    "profit_tax": ("payment", "п. 1 ст. 287 НК РФ"),
    "ip_ndfl_advance": ("payment", "п. 8 ст. 227 НК РФ"),
    "ip_ndfl_notice": ("notice", "п. 9 ст. 58 НК РФ"),
    "ip_ndfl_declaration": ("report", "п. 1 ст. 229 НК РФ"),
    "ip_ndfl_tax": ("payment", "п. 6 ст. 227 НК РФ"),
    "ip_fixed": ("payment", "пп. 1 п. 1.2 ст. 430, п. 2 ст. 432 НК РФ"),
    "ip_1pct": ("payment", "пп. 1 п. 1.2 ст. 430, п. 2 ст. 432 НК РФ"),
    "financial_statements": ("report", "п. 5 ст. 18 закона № 402-ФЗ"),
}

KINDS = tuple(BASIS)
"""Every deadline kind (the catalogue has ``calendar.<kind>`` for each)."""

# --- an ИП's contributions for itself (ст. 430 НК; reference §4), kopecks -------------------

IP_FIXED: dict[int, int] = {2025: 53_658_00, 2026: 57_390_00, 2027: 61_154_00}
"""The fixed amount of a year (ст. 430 п. 1.2, 259-ФЗ)."""
IP_1PCT_CAP: dict[int, int] = {2025: 300_888_00, 2026: 321_818_00, 2027: 342_923_00}
"""The 1 % part is at most this."""
IP_1PCT_THRESHOLD = 300_000_00
"""1 % is on the income above 300 000 ₽."""


def ip_one_percent(year: int, income: int) -> int | None:
    """1 % of ``income`` (kopecks) over 300 000 ₽, capped, to the kopeck (ст. 430 п. 1.2
    НК); None for a year without figures. Worked example (2026): income 2 500 000 ₽ →
    (2 500 000 − 300 000) × 1 % = 22 000,00 ₽; income 40 000 000 ₽ → 397 000 capped at
    321 818,00 ₽."""
    cap = IP_1PCT_CAP.get(year)
    if cap is None:
        return None
    over = max(0, income - IP_1PCT_THRESHOLD)
    return min(cap, (over + 50) // 100)
