"""The tax calendar's deadlines against the dates of the team reference
(``/work/shared/reference/ru-rules-2025-2026.md`` §2, §3, §4, §6), weekend and holiday
moves included.

Worked weekend moves used below (production calendar, ``work_calendar``):
- 2025: 25.01 Sat → 27.01; 28.06 Sat → 30.06; 25.10 Sat → 27.10; 28.12 Sun → 29.12;
  31.12 a day off → the last working day is 30.12;
- 2026: 25.01 Sun → 26.01; 28.02 Sat → 02.03; 28.03 Sat → 30.03; 25.04 Sat → 27.04;
  03.05 Sun → 04.05; 28.06 Sun → 29.06; 25.07 Sat → 27.07; 25.10 Sun → 26.10;
  15.02 Sun → 16.02; 31.12 a day off → 30.12.
"""

from __future__ import annotations

from datetime import date

import pytest

from server.domain import tax_calendar as tc
from server.domain import tax_calendar_rules as rules

OOO_USN_STAFF = tc.Profile(kind="ooo", regime="usn_income", employees=True)
IP_USN_ALONE = tc.Profile(kind="ip", regime="usn_income")
OOO_OSNO_VAT = tc.Profile(kind="ooo", regime="osno", vat_mode="general", employees=True)


def D(text: str) -> date:
    day, month, year = (int(x) for x in text.split("."))
    return date(year, month, day)


def due(deadlines: list[tc.Deadline]) -> dict[str, date]:
    return {d.id: d.due for d in deadlines}


@pytest.fixture(scope="module")
def ooo2026() -> dict[str, date]:
    return due(tc.for_year(OOO_USN_STAFF, 2026))


@pytest.fixture(scope="module")
def ooo2025() -> dict[str, date]:
    return due(tc.for_year(OOO_USN_STAFF, 2025))


# --- an ООО on УСН «доходы» with employees ---------------------------------------------


@pytest.mark.parametrize(("deadline", "expected"), [
    # 6-НДФЛ (reference §6): for 2025 25.02.2026; Q1 27.04; H1 27.07; 9m 26.10.
    ("ndfl6:2025", "25.02.2026"), ("ndfl6:2026-Q1", "27.04.2026"),
    ("ndfl6:2026-H1", "27.07.2026"), ("ndfl6:2026-9M", "26.10.2026"),
    # РСВ: for 2025 26.01.2026 (25.01 Sunday); 27.04; 27.07; 26.10.
    ("rsv:2025", "26.01.2026"), ("rsv:2026-Q1", "27.04.2026"),
    ("rsv:2026-H1", "27.07.2026"), ("rsv:2026-9M", "26.10.2026"),
    # ЕФС-1: 2025 annual → 26.01.2026 (section 2 and subsection 1.2).
    ("efs1_injury:2025", "26.01.2026"), ("efs1_stazh:2025", "26.01.2026"),
    ("efs1_injury:2026-Q1", "27.04.2026"),
    # УСН of an organisation: declaration for 2025 25.03.2026, tax 30.03.2026 (28.03 Sat).
    ("usn_declaration:2025", "25.03.2026"), ("usn_tax:2025", "30.03.2026"),
    # УСН notices for 2026: 27.04, 27.07, 26.10; advances 28.04, 28.07, 28.10.
    ("usn_notice:2026-Q1", "27.04.2026"), ("usn_notice:2026-H1", "27.07.2026"),
    ("usn_notice:2026-9M", "26.10.2026"), ("usn_advance:2026-Q1", "28.04.2026"),
    ("usn_advance:2026-H1", "28.07.2026"), ("usn_advance:2026-9M", "28.10.2026"),
    # НДФЛ notices (reference §3, the glavaudit 2026 table): 1–22.01 → 26.01;
    # 23–31.01 → 03.02; 1–22.02 → 25.02; 23–28.02 → 03.03; 1–22.04 → 27.04;
    # 23–30.04 → 04.05 (03.05 Sunday).
    ("ndfl_notice:2026-01-1", "26.01.2026"), ("ndfl_notice:2026-01-2", "03.02.2026"),
    ("ndfl_notice:2026-02-1", "25.02.2026"), ("ndfl_notice:2026-02-2", "03.03.2026"),
    ("ndfl_notice:2026-04-1", "27.04.2026"), ("ndfl_notice:2026-04-2", "04.05.2026"),
    # НДФЛ payments: 1–22.01 → 28.01; 23.01–22.02 → 28.02 Saturday → 02.03;
    # 23.05–22.06 → 28.06 Sunday → 29.06; 23–31.12 → the last working day, 30.12.
    ("ndfl_payment:2026-01", "28.01.2026"), ("ndfl_payment:2026-02", "02.03.2026"),
    ("ndfl_payment:2026-06", "29.06.2026"), ("ndfl_payment:2026-12-2", "30.12.2026"),
    # Contributions for January by 28.02 → 02.03; injury for January by 15.02 → 16.02.
    ("contributions_payment:2026-01", "02.03.2026"),
    ("contributions_notice:2026-01", "25.02.2026"),
    ("injury_payment:2026-01", "16.02.2026"),
    # December 2025's contributions are due in January 2026.
    ("contributions_payment:2025-12", "28.01.2026"),
    # Персонифицированные сведения for January by 25.02.
    ("personal_info:2026-01", "25.02.2026"),
    # Bookkeeping statements for 2025 by 31.03.2026.
    ("financial_statements:2025", "31.03.2026"),
])
def test_ooo_usn_with_staff_2026(ooo2026, deadline, expected):
    assert ooo2026[deadline] == D(expected)


@pytest.mark.parametrize(("deadline", "expected"), [
    # 2025 (reference §6): 6-НДФЛ for 2024 25.02; Q1 25.04; H1 25.07; 9m 27.10 (25.10 Sat).
    ("ndfl6:2024", "25.02.2025"), ("ndfl6:2025-Q1", "25.04.2025"),
    ("ndfl6:2025-H1", "25.07.2025"), ("ndfl6:2025-9M", "27.10.2025"),
    # РСВ for 2024: 27.01.2025 (25.01 Saturday); ЕФС-1 9m 2025 → 27.10.2025.
    ("rsv:2024", "27.01.2025"), ("efs1_injury:2025-9M", "27.10.2025"),
    # УСН for 2024: declaration 25.03.2025, tax 28.03.2025 (working days).
    ("usn_declaration:2024", "25.03.2025"), ("usn_tax:2024", "28.03.2025"),
    # НДФЛ of 23.05–22.06.2025: 28.06 Saturday → 30.06; 23–31.12.2025 → 30.12.2025.
    ("ndfl_payment:2025-06", "30.06.2025"), ("ndfl_payment:2025-12-2", "30.12.2025"),
    ("ndfl_notice:2025-12-2", "30.12.2025"),
    ("financial_statements:2024", "31.03.2025"),
])
def test_ooo_usn_with_staff_2025(ooo2025, deadline, expected):
    assert ooo2025[deadline] == D(expected)


def test_ooo_usn_calendar_holds_what_it_should(ooo2026):
    kinds = {key.split(":")[0] for key in ooo2026}
    assert kinds == {
        "ndfl_payment", "ndfl_notice", "contributions_payment", "contributions_notice",
        "injury_payment", "ndfl6", "rsv", "personal_info", "efs1_injury", "efs1_stazh",
        "usn_advance", "usn_notice", "usn_tax", "usn_declaration", "financial_statements"}
    # Due in 2026 only: 23–31.12.2025 was due 30.12.2025, the December 2026 contributions
    # fall in 2027.
    assert "ndfl_payment:2025-12-2" not in ooo2026
    assert "contributions_payment:2026-12" not in ooo2026
    assert all(d.year == 2026 for d in ooo2026.values())
    # 24 НДФЛ payments (1–22 by the 28th, 23–end by the 5th of the next month, 23–31
    # December by the last working day); 24 notices (1–22 and 23–end of each month;
    # 23–31.12.2025's payment and notice were due in 2025).
    assert sum(k.startswith("ndfl_payment:") for k in ooo2026) == 24
    assert sum(k.startswith("ndfl_notice:") for k in ooo2026) == 24
    # Contributions notices: none for March, June, September, December (РСВ stands for
    # them); personal data the same — UNCONFIRMED switches in tax_calendar_rules.
    assert "contributions_notice:2026-03" not in ooo2026
    assert "personal_info:2026-03" not in ooo2026
    assert "contributions_notice:2026-02" in ooo2026
    # No ИП contributions, no VAT, no profit tax.
    assert not kinds & {"ip_fixed", "ip_1pct", "vat_payment", "profit_tax"}


def test_deadlines_are_sorted_and_ids_unique():
    items = tc.for_year(OOO_USN_STAFF, 2026)
    assert len({d.id for d in items}) == len(items)
    assert [d.due for d in items] == sorted(d.due for d in items)
    first = items[0]
    # 15.01.2026: injury contributions for December 2025 (a working day, not moved).
    assert (first.id, first.due, first.moved) == ("injury_payment:2025-12", D("15.01.2026"),
                                                  False)
    by_id = {d.id: d for d in items}
    moved = by_id["ndfl_payment:2026-02"]
    assert moved.legal == D("28.02.2026") and moved.due == D("02.03.2026") and moved.moved
    # Since 2024 the tax of the 1st–22nd is paid by the 28th, of the 23rd–end by the 5th
    # of the next month (п. 6 ст. 226 НК): 23–31.01.2026 by Thursday 05.02.2026.
    assert moved.period_from == D("01.02.2026") and moved.period_to == D("22.02.2026")
    second = by_id["ndfl_payment:2026-01-2"]
    assert (second.period_from, second.period_to, second.due) == (
        D("23.01.2026"), D("31.01.2026"), D("05.02.2026"))
    assert moved.family == "payment" and moved.channel == "enp"
    assert moved.basis == "п. 6 ст. 226 НК РФ" and moved.title_key == "calendar.ndfl_payment"
    assert by_id["injury_payment:2026-01"].channel == "sfr"
    assert by_id["rsv:2026-Q1"].family == "report" and by_id["rsv:2026-Q1"].channel is None
    assert by_id["ndfl_notice:2026-01-1"].family == "notice"


# --- an ИП on УСН without staff ------------------------------------------------------------


def test_ip_usn_alone_2026():
    got = due(tc.for_year(IP_USN_ALONE, 2026))
    assert got == {
        # Declaration for 2025: 25.04 Saturday → 27.04; tax 28.04 (reference §2).
        "usn_declaration:2025": D("27.04.2026"), "usn_tax:2025": D("28.04.2026"),
        "usn_notice:2026-Q1": D("27.04.2026"), "usn_advance:2026-Q1": D("28.04.2026"),
        "usn_notice:2026-H1": D("27.07.2026"), "usn_advance:2026-H1": D("28.07.2026"),
        "usn_notice:2026-9M": D("26.10.2026"), "usn_advance:2026-9M": D("28.10.2026"),
        # The ИП's own contributions: 1 % for 2025 by 01.07.2026, fixed 2026 by 28.12.2026.
        "ip_1pct:2025": D("01.07.2026"), "ip_fixed:2026": D("28.12.2026"),
    }


def test_ip_usn_alone_2025():
    got = due(tc.for_year(IP_USN_ALONE, 2025))
    # Declaration for 2024 25.04.2025 (Friday), tax 28.04.2025; advances 28.04, 28.07,
    # 28.10; the fixed 53 658 ₽ by 28.12 Sunday → 29.12.2025; the 1 % for 2024 01.07.2025.
    assert got["usn_declaration:2024"] == D("25.04.2025")
    assert got["usn_tax:2024"] == D("28.04.2025")
    assert got["usn_advance:2025-H1"] == D("28.07.2025")
    assert got["usn_notice:2025-9M"] == D("27.10.2025")
    assert got["ip_fixed:2025"] == D("29.12.2025")
    assert got["ip_1pct:2024"] == D("01.07.2025")
    assert len(got) == 10
    # No staff: no НДФЛ agent, no contributions, no staff reports; no statements.
    assert not any(k.split(":")[0] in ("ndfl_payment", "rsv", "ndfl6", "financial_statements")
                   for k in got)


def test_staff_years_decide_the_annual_reports():
    # Employees hired in 2026 only: no 6-НДФЛ or РСВ for 2025 in the 2026 calendar.
    hired_2026 = tc.Profile(kind="ooo", regime="usn_income", employees=True,
                            employee_years=frozenset({2026}))
    got = due(tc.for_year(hired_2026, 2026))
    assert "ndfl6:2025" not in got and "rsv:2025" not in got
    assert "contributions_payment:2025-12" not in got
    assert got["ndfl6:2026-Q1"] == D("27.04.2026")


# --- an ООО on ОСНО, a VAT payer ------------------------------------------------------------


def test_ooo_osno_vat_2026():
    got = due(tc.for_year(OOO_OSNO_VAT, 2026))
    # VAT [law, UNCONFIRMED]: Q4 2025 declaration 25.01 Sunday → 26.01; the tax by thirds:
    # 28.01, 28.02 Saturday → 02.03, 28.03 Saturday → 30.03.
    assert got["vat_declaration:2025-Q4"] == D("26.01.2026")
    assert [got[f"vat_payment:2025-Q4-{p}"] for p in (1, 2, 3)] == [
        D("28.01.2026"), D("02.03.2026"), D("30.03.2026")]
    # Q2 2026: declaration 25.07 Saturday → 27.07; 28.07, 28.08 (Friday), 28.09 (Monday).
    assert got["vat_declaration:2026-Q2"] == D("27.07.2026")
    assert [got[f"vat_payment:2026-Q2-{p}"] for p in (1, 2, 3)] == [
        D("28.07.2026"), D("28.08.2026"), D("28.09.2026")]
    # Profit tax, quarterly [law, UNCONFIRMED]: 2025's declaration 25.03, tax 30.03 (28.03
    # Saturday); Q1 2026 declaration 27.04 (25.04 Saturday), advance 28.04.
    assert got["profit_declaration:2025"] == D("25.03.2026")
    assert got["profit_tax:2025"] == D("30.03.2026")
    assert got["profit_declaration:2026-Q1"] == D("27.04.2026")
    assert got["profit_advance:2026-Q1"] == D("28.04.2026")
    assert got["financial_statements:2025"] == D("31.03.2026")
    # Staff deadlines as for any employer; no УСН.
    assert got["rsv:2026-Q1"] == D("27.04.2026")
    assert not any(k.startswith("usn_") for k in got)
    # Four quarters' declarations due in 2026: Q4 2025, Q1–Q3 2026; 12 payments.
    assert sum(k.startswith("vat_declaration:") for k in got) == 4
    assert sum(k.startswith("vat_payment:") for k in got) == 12


def test_vat_on_usn_adds_vat_to_usn():
    profile = tc.Profile(kind="ip", regime="usn_income", vat_mode="usn_5")
    got = due(tc.for_year(profile, 2026))
    assert got["vat_declaration:2026-Q1"] == D("27.04.2026")
    assert got["usn_advance:2026-Q1"] == D("28.04.2026")


def test_ip_osno():
    got = due(tc.for_year(tc.Profile(kind="ip", regime="osno"), 2026))
    # [law, UNCONFIRMED]: 3-НДФЛ for 2025 by 30.04.2026, the tax by 15.07.2026.
    assert got["ip_ndfl_declaration:2025"] == D("30.04.2026")
    assert got["ip_ndfl_tax:2025"] == D("15.07.2026")
    assert got["ip_ndfl_advance:2026-Q1"] == D("28.04.2026")
    assert got["ip_fixed:2026"] == D("28.12.2026")


# --- ranges and data ---------------------------------------------------------------------


def test_between_a_range():
    got = tc.between(IP_USN_ALONE, D("01.04.2026"), D("30.04.2026"))
    assert [d.id for d in got] == ["usn_notice:2026-Q1", "usn_declaration:2025",
                                   "usn_advance:2026-Q1", "usn_tax:2025"]
    # Same day: payments before notices before reports, then by id.
    assert [d.family for d in got] == ["notice", "report", "payment", "payment"]


def test_every_kind_has_its_basis_and_family():
    for kind, (family, basis) in rules.BASIS.items():
        assert family in tc.FAMILIES, kind
        assert "ст." in basis, kind


def test_ip_one_percent():
    # 2026: (2 500 000 − 300 000) × 1 % = 22 000 ₽; 40 000 000 ₽ → capped at 321 818 ₽.
    assert rules.ip_one_percent(2026, 2_500_000_00) == 22_000_00
    assert rules.ip_one_percent(2026, 40_000_000_00) == 321_818_00
    assert rules.ip_one_percent(2026, 250_000_00) == 0
    # 2025: (1 000 000,50 − 300 000) × 1 % = 7 000,005 → 7 000,01 (half up).
    assert rules.ip_one_percent(2025, 1_000_000_50) == 7_000_01
    assert rules.ip_one_percent(2040, 1_000_000_00) is None
