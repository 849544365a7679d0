"""6-НДФЛ and РСВ for a period, and the employee card's personal data (РСВ section 3).

Worked example (2026, ООО, not МСП): Кузнецова Мария Олеговна, 50 000 ₽ a month from
before 2026, no children, card; the advance on the 20th, the final payment on the 5th of
the next month (5 April 2026 is a Sunday: paid Friday 3 April, ст. 136 ТК).

НДФЛ (НК ст. 223 п. 2: the income arises on the month's last day, so the advances of
20 Jan, 20 Feb, 20 Mar withhold nothing):
- each month 50 000 × 13 % = 6 500 (cumulative: 100 000 × 13 % − 6 500 = 6 500 …);
- January's 6 500 withheld 05.02 → due 28.02, a Saturday → Monday 02.03.2026;
- February's 6 500 withheld 05.03 → due 28.03, a Saturday → Monday 30.03.2026;
- March's 6 500 withheld 03.04 → the second quarter (due 28.04.2026).
6-НДФЛ Q1, section 1 (КБК 182 1 01 02010 01 1000 110): 020 = 13 000; 021/022:
02.03.2026 6 500, 30.03.2026 6 500. Section 2 (13 %): 110 = 112 = 150 000, 120 = 1,
130 = 0, 140 = 19 500, 160 = 13 000 (March's tax is withheld in April), 170 = 0.
6-НДФЛ H1 (no April run): section 1 for April–June: 6 500 due 28.04.2026; 160 = 19 500.

РСВ Q1 (КБК 182 1 02 01000 01 1000 160), tariff 01: base 50 000 a month, 30 % = 15 000;
from 1 January and for the quarter: payments 150 000, base 150 000, contributions
45 000 (all within the limit 2 979 000: 061 = 45 000, 062 = 0), 010 = 020 = 1, 021 = 0.
Section 3: Кузнецова, born 17.05.1990, Ж, 643, months 1–3: 50 000 / 50 000 / 15 000, НР.

МСП variant (2026 with the priority activity: the reduced tariff applies): 1.5 МРОТ =
27 093 × 1.5 = 40 639,50. A month: 40 639,50 × 30 % = 12 191,85 (tariff 01) and
(50 000 − 40 639,50) = 9 360,50 × 15 % = 1 404,075; total 13 595,925 → 13 595,93, so
tariff 20 gets 13 595,93 − 12 191,85 = 1 404,08. Quarter: tariff 01 base 121 918,50,
contributions 36 575,55; tariff 20 base 28 081,50, contributions 4 212,24; total
40 787,79. Section 3 category МС.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.domain import payroll_forms as pf
from tests.helpers import assert_problem
from tests.org_helpers import create_org, join, ooo, sign_up

CARD = {"pay_method": "card", "bank_bik": "044525225",
        "bank_account": "40817810899910004312", "bank_corr_account": "30101810400000000225",
        "bank_name": "ПАО Сбербанк"}
KUZNETSOVA = {"full_name": "Кузнецова Мария Олеговна", "position": "Бухгалтер",
              "cost_account": "26", "hired_on": "2025-06-02", "salary": "50000.00",
              "inn": "500100732259", "snils": "112-233-445 95", "birth_date": "1990-05-17",
              "sex": "Ж", **CARD}
PAYS = {1: ("2026-01-20", "2026-02-05"), 2: ("2026-02-20", "2026-03-05"),
        3: ("2026-03-20", "2026-04-03")}


def D(text: str | int) -> Decimal:
    return Decimal(text)


@pytest.fixture
async def org(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    resp = await http.post(f"{base}/employees", json=KUZNETSOVA, headers=owner.h)
    assert resp.status_code == 201, resp.text
    return http, owner, org, base, resp.json()


async def quarter(http, h, base, **settings):
    for month, (advance, final) in PAYS.items():
        resp = await http.post(f"{base}/payroll/runs", headers=h,
                               json={"year": 2026, "month": month, **settings})
        assert resp.status_code == 200, resp.text
        run = resp.json()
        assert (await http.post(f"{base}/payroll/runs/{run['id']}/approve",
                                headers=h)).status_code == 200
        for day, part in ((advance, "advance"), (final, "final")):
            paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=h,
                                   json={"date": day, "part": part})
            assert paid.status_code == 200, paid.text


async def test_the_card_keeps_and_checks_the_personal_data(org):
    http, owner, _, base, emp = org
    assert (emp["birth_date"], emp["sex"], emp["citizenship"]) == ("1990-05-17", "Ж", "643")
    for bad in ({"birth_date": "1899-12-31"}, {"birth_date": "2025-06-02"},
                {"sex": "X"}, {"citizenship": "RU"}, {"citizenship": "64"}):
        resp = await http.post(f"{base}/employees", headers=owner.h,
                               json={**KUZNETSOVA, **bad})
        assert_problem(resp, 422, "validation.failed")
    resp = await http.put(f"{base}/employees/{emp['id']}", headers=owner.h,
                          json={**KUZNETSOVA, "birth_date": None, "sex": None,
                                "citizenship": "112"})
    assert resp.status_code == 200, resp.text
    assert (resp.json()["birth_date"], resp.json()["sex"], resp.json()["citizenship"]) == (
        None, None, "112")


async def test_6ndfl_first_quarter_and_half_year(org):
    http, owner, _, base, _emp = org
    await quarter(http, owner.h, base)
    resp = await http.get(f"{base}/payroll/forms/6-ndfl/2026-Q1", headers=owner.h)
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("etag")
    f = resp.json()
    assert (f["period_code"], f["date_from"], f["date_to"]) == ("21", "2026-01-01",
                                                                "2026-03-31")
    [s1] = f["section1"]
    assert s1["kbk"] == "18210102010011000110" and D(s1["withheld"]) == D(13000)
    assert [(d["due"], D(d["amount"])) for d in s1["deadlines"]] == [
        ("2026-03-02", D(6500)), ("2026-03-30", D(6500))]
    [s2] = f["section2"]
    assert (D(s2["rate"]), s2["kbk"], s2["persons"]) == (D(13), "18210102010011000110", 1)
    assert (D(s2["income"]), D(s2["labour"]), D(s2["deductions"]), D(s2["computed"]),
            D(s2["withheld"]), D(s2["not_withheld"])) == (
        D(150000), D(150000), D(0), D(19500), D(13000), D(0))
    assert {x["code"] for x in f["section2_lines"]} >= {"100", "110", "140", "160", "190"}
    again = await http.get(f"{base}/payroll/forms/6-ndfl/2026-Q1", headers={
        **owner.h, "If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304

    h1 = (await http.get(f"{base}/payroll/forms/6-ndfl/2026-H1", headers=owner.h)).json()
    assert h1["period_code"] == "31" and h1["last_months"] == [4, 6]
    assert [(d["due"], D(d["amount"])) for d in h1["section1"][0]["deadlines"]] == [
        ("2026-04-28", D(6500))]
    assert D(h1["section2"][0]["withheld"]) == D(19500)
    bad = await http.get(f"{base}/payroll/forms/6-ndfl/2026-Q5", headers=owner.h)
    assert bad.status_code == 422


async def test_rsv_first_quarter(org):
    http, owner, _, base, emp = org
    await quarter(http, owner.h, base)
    resp = await http.get(f"{base}/payroll/forms/rsv/2026-Q1", headers=owner.h)
    assert resp.status_code == 200, resp.text
    r = resp.json()
    assert r["kbk"] == "18210201000011000160"
    assert {k: D(v) for k, v in r["due"].items()} == {
        "ytd": D(45000), "quarter": D(45000), "month1": D(15000), "month2": D(15000),
        "month3": D(15000)}
    [t01] = r["tariffs"]
    assert t01["tariff"] == "01"
    assert (D(t01["payments"]["ytd"]), D(t01["base"]["quarter"]),
            D(t01["base_above_limit"]["ytd"]), D(t01["contributions"]["month2"]),
            D(t01["contrib_within"]["ytd"]), D(t01["contrib_above"]["ytd"])) == (
        D(150000), D(150000), D(0), D(15000), D(45000), D(0))
    assert (t01["insured"]["ytd"], t01["persons"]["quarter"],
            t01["persons_above_limit"]["ytd"]) == (1, 1, 0)
    [p] = r["persons"]
    assert (p["employee_id"], p["full_name"], p["snils"], p["inn"]) == (
        emp["id"], "Кузнецова Мария Олеговна", "11223344595", "500100732259")
    assert (p["birth_date"], p["sex"], p["citizenship"], p["missing"]) == (
        "1990-05-17", "Ж", "643", [])
    assert [(x["month"], x["category"], D(x["payments"]), D(x["base"]),
             D(x["contributions"])) for x in p["months"]] == [
        (mo, "НР", D(50000), D(50000), D(15000)) for mo in (1, 2, 3)]
    assert (D(p["payments"]), D(p["base"]), D(p["contributions"])) == (
        D(150000), D(150000), D(45000))


async def test_rsv_sme_reduced_tariff(org):
    http, owner, _, base, _emp = org
    await quarter(http, owner.h, base, sme=True, sme_priority=True)
    r = (await http.get(f"{base}/payroll/forms/rsv/2026-Q1", headers=owner.h)).json()
    by = {t["tariff"]: t for t in r["tariffs"]}
    assert set(by) == {"01", "20"}
    assert (D(by["01"]["base"]["quarter"]), D(by["01"]["contributions"]["quarter"])) == (
        D("121918.50"), D("36575.55"))
    assert (D(by["20"]["base"]["quarter"]), D(by["20"]["contributions"]["quarter"])) == (
        D("28081.50"), D("4212.24"))
    assert D(r["due"]["quarter"]) == D("40787.79")
    assert {x["category"] for x in r["persons"][0]["months"]} == {"МС"}


@pytest.mark.parametrize("role", ["observer", "primary"])
async def test_forms_need_the_payroll_rights(org, role):
    http, owner, o, base, _emp = org
    other = await join(http, owner, o["id"], f"{role}@example.ru", role)
    for path in ("/payroll/forms/6-ndfl/2026-Q1", "/payroll/forms/rsv/2026-Y"):
        assert_problem(await http.get(base + path, headers=other.h), 403, "orgs.forbidden")


def test_the_progressive_bands_split():
    # 2 520 000 income, no deductions: 2 400 000 × 13 % = 312 000 and
    # 120 000 × 15 % = 18 000; computed 330 000.
    shares = pf.split_by_band(2026, 2_520_000_00, 0, 330_000_00)
    assert [(s.rate, s.income, s.computed) for s in shares] == [
        (D(13), 2_400_000_00, 312_000_00), (D(15), 120_000_00, 18_000_00)]
    # Deductions stay with the first band: income 100 000, deductions 4 200 →
    # (100 000 − 4 200) × 13 % = 12 454.
    [one] = pf.split_by_band(2026, 100_000_00, 4_200_00, 12_454_00)
    assert (one.income, one.deductions, one.computed) == (100_000_00, 4_200_00, 12_454_00)
    assert pf.fill_bottom_up(320_000_00, [312_000_00, 18_000_00]) == [312_000_00, 8_000_00]


def test_section1_deadlines():
    # п. 6 ст. 226 НК, moved by п. 7 ст. 6.1 (production calendar):
    # 1–22 January → 28 January (a Wednesday in 2026);
    assert pf.ndfl_deadline(D_("2026-01-15")) == D_("2026-01-28")
    # 23–31 January → the 5th of February (since 2024), a Thursday in 2026;
    assert pf.ndfl_deadline(D_("2026-01-23")) == D_("2026-02-05")
    # 23–31 December → the last working day of the year: 30.12.2025 (31 December 2025
    # is a day off, reference §3).
    assert pf.ndfl_deadline(D_("2025-12-25")) == D_("2025-12-30")
    assert (pf.period_months("Q1"), pf.period_months("Y")) == ((1, 3), (10, 12))
    assert [pf.period_code(p) for p in ("Q1", "H1", "9M", "Y")] == ["21", "31", "33", "34"]


def D_(text: str):
    from datetime import date

    return date.fromisoformat(text)
