"""Reports in depth (issue 13 point 10): expanded balances in the ОСВ, the balance sheet
with the ЕНС netted, 000 left out, three columns and thousands of roubles.

The hand-made ledger (roubles), ООО on ОСНО. Opening balances on 01.01.2026 (the entry
is dated 31.12.2025, each line against 000):

    Дт 51        100 000                 Кт 62.02 B   12 000  (advance received)
    Дт 62.01 A    50 000                 Кт 60.01 S   40 000
    Дт 60.02 T     8 000 (advance paid)  Кт 68.02     20 000  (VAT payable)
    Дт 68.90      30 000 (money on ЕНС)  Кт 69.11        500  (injury contributions)
                                         Кт 80        10 000
                                         Кт 84       105 500
    debits       188 000                 credits     188 000  → 000 nets to 0

January 2026:
    15.01  Дт 51    Кт 62.01 A   30 000   A pays part      → A: 20 000 Дт
    20.01  Дт 62.01 B Кт 90.01    5 000   shipped to B     → (62.01, B): 5 000 Дт
    25.01  Дт 51    Кт 62.01 C    7 000   C pays, nothing shipped → (62.01, C): 7 000 Кт
    28.01  Дт 68.02 Кт 68.90     15 000   the ЕНС applied to VAT

ОСВ for January, account 62 (granules: (62.01, A), (62.01, B), (62.01, C), (62.02, B)):
    opening: A +50 000, B(62.02) −12 000            → Дт 50 000, Кт 12 000
    closing: A +20 000, B +5 000, C −7 000, B(62.02) −12 000 → Дт 25 000, Кт 19 000
    (the net 6 000 = 50 000 − 12 000 + 5 000 − 37 000; the expanded sides differ by it)
    62.01 closing Дт 25 000 Кт 7 000; 62.02 Кт 12 000.
  account 60: opening = closing: Дт 8 000 (60.02 T), Кт 40 000 (60.01 S).
  account 68 (by sub-account): opening 68.90 +30 000, 68.02 −20 000 → Дт 30 000 Кт 20 000;
    closing 68.90 +15 000, 68.02 −5 000 → Дт 15 000, Кт 5 000.
  Totals of the closing balances: Дт 51 137 000 + 60 8 000 + 62 25 000 + 68 15 000 =
    185 000; Кт 60 40 000 + 62 19 000 + 68 5 000 + 69 500 + 80 10 000 + 84 105 500 +
    90 5 000 = 185 000 — equal.

Balance sheet at 31.01.2026:
    1250  51                                            137 000
    1230  60.02 T 8 000 + 62.01 A 20 000 + 62.01 B 5 000 = 33 000, and the ЕНС netted:
          68.90 15 000 − 68.02 5 000 = 10 000 debit       →  43 000
    1520  60.01 S 40 000 + 62.01 C 7 000 + 62.02 B 12 000 + 69.11 500 (not on the ЕНС)
                                                         →  59 500
    1300  80 10 000 + 84 105 500 + the year's result 90 5 000 → 120 500
    1600 = 180 000 = 1700. (Not netted, 68.90 would add 15 000 to 1230 and 68.02 5 000 to
    1520; with 000 split by counterparty, 58 000 would land on both 1230 and 1550.)
At 31.12.2025 (the form's «на 31 декабря предыдущего года»): 1250 100 000; 1230 8 000 +
    50 000 + ЕНС (30 000 − 20 000) 10 000 = 68 000; 1520 40 000 + 12 000 + 500 = 52 500;
    1300 10 000 + 105 500 = 115 500; 1600 = 1700 = 168 000. At 31.12.2024: nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.domain import balances
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register

OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}
JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31"}


async def _cp(http, h, org, name, inn):
    resp = await http.post(f"{org}/counterparties", headers=h,
                           json={"kind": "org", "name": name, "inn": inn})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def _org(http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=OOO, headers=h)).json()
    return h, f"/orgs/{org['id']}"


async def _opening(http, h, org, lines):
    resp = await http.post(f"{org}/ledger/opening-balances", headers=h,
                           json={"start_date": "2026-01-01", "lines": lines})
    assert resp.status_code == 200, resp.text
    return resp.json()


async def _post(http, h, org, day, debit, credit, amount, cp=None):
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": day, "description": "операция", "postings": [
            {"debit": debit, "credit": credit, "amount": amount, "counterparty_id": cp}]})
    assert resp.status_code == 201, resp.text


@pytest.fixture
async def books(http):
    h, org = await _org(http)
    cps = {k: await _cp(http, h, org, f"ООО «{k}»", inn) for k, inn in (
        ("A", "7728168971"), ("B", "7702070139"), ("C", "7710140679"), ("S", "7736050003"),
        ("T", "7703270067"))}
    out = await _opening(http, h, org, [
        {"account": "51", "debit": "100000.00"},
        {"account": "62.01", "counterparty_id": cps["A"], "debit": "50000.00"},
        {"account": "60.02", "counterparty_id": cps["T"], "debit": "8000.00"},
        {"account": "68.90", "debit": "30000.00"},
        {"account": "62.02", "counterparty_id": cps["B"], "credit": "12000.00"},
        {"account": "60.01", "counterparty_id": cps["S"], "credit": "40000.00"},
        {"account": "68.02", "credit": "20000.00"},
        {"account": "69.11", "credit": "500.00"},
        {"account": "80", "credit": "10000.00"},
        {"account": "84", "credit": "105500.00"},
    ])
    assert out["balanced"] and out["debit_total"] == "188000.00"
    await _post(http, h, org, "2026-01-15", "51", "62.01", "30000.00", cps["A"])
    await _post(http, h, org, "2026-01-20", "62.01", "90.01", "5000.00", cps["B"])
    await _post(http, h, org, "2026-01-25", "51", "62.01", "7000.00", cps["C"])
    await _post(http, h, org, "2026-01-28", "68.02", "68.90", "15000.00")
    return http, h, org, cps


def _rows(tb):
    return {(r["account"], r["counterparty"]): r for r in tb["rows"]}


def _sides(row):
    return tuple(Decimal(row[f]) for f in ("opening_debit", "opening_credit",
                                            "closing_debit", "closing_credit"))


async def test_trial_balance_shows_settlements_expanded(books):
    http, h, org, _ = books
    tb = (await http.get(f"{org}/reports/trial-balance", headers=h, params=JAN)).json()
    rows = _rows(tb)
    assert _sides(rows[("62", None)]) == (50000, 12000, 25000, 19000)
    assert rows[("62", None)]["expanded"] is True
    assert (Decimal(rows[("62", None)]["debit"]), Decimal(rows[("62", None)]["credit"])) == (
        5000, 37000)
    assert _sides(rows[("62.01", None)]) == (50000, 0, 25000, 7000)
    assert _sides(rows[("62.02", None)]) == (0, 12000, 0, 12000)
    assert _sides(rows[("60", None)]) == (8000, 40000, 8000, 40000)
    assert _sides(rows[("68", None)]) == (30000, 20000, 15000, 5000)
    assert _sides(rows[("68.02", None)]) == (0, 20000, 0, 5000)
    # Accounts that are not settlements stay netted.
    assert _sides(rows[("51", None)]) == (100000, 0, 137000, 0)
    assert rows[("51", None)]["expanded"] is False
    totals = tb["totals"]
    assert Decimal(totals["closing_debit"]) == Decimal(totals["closing_credit"]) == 185000
    # Opening: 51 100 000 + 60 8 000 + 62 50 000 + 68 30 000 = 188 000 both sides.
    assert Decimal(totals["opening_debit"]) == Decimal(totals["opening_credit"]) == 188000


async def test_trial_balance_by_counterparty_keeps_the_expanded_account_rows(books):
    http, h, org, _ = books
    tb = (await http.get(f"{org}/reports/trial-balance", headers=h,
                         params={**JAN, "by": "counterparty"})).json()
    rows = _rows(tb)
    assert _sides(rows[("62", None)]) == (50000, 12000, 25000, 19000)
    # Each counterparty line is one part: its own net.
    assert _sides(rows[("62.01", "ООО «C»")]) == (0, 0, 0, 7000)
    assert _sides(rows[("62.01", "ООО «B»")]) == (0, 0, 5000, 0)
    assert _sides(rows[("62.02", "ООО «B»")]) == (0, 12000, 0, 12000)


def _sheet(statement):
    return {x["code"]: x for x in statement["lines"]}


async def test_balance_sheet_nets_the_ens_and_leaves_000_out(books):
    http, h, org, _ = books
    sheet = (await http.get(f"{org}/reports/balance-sheet", headers=h, params=JAN)).json()
    lines = _sheet(sheet)
    current = {c: Decimal(x["current"]) for c, x in lines.items()}
    assert current["1250"] == 137000
    assert current["1230"] == 43000
    assert current["1520"] == 59500
    assert current["1550"] == 0
    assert current["1300"] == 120500
    assert current["1600"] == current["1700"] == 180000
    assert Decimal(sheet["auxiliary_balance"]) == 0
    # The form's comparison columns.
    assert sheet["previous_year_end_date"] == "2025-12-31"
    assert sheet["year_before_end_date"] == "2024-12-31"
    prev = {c: Decimal(x["previous_year_end"]) for c, x in lines.items()}
    assert (prev["1250"], prev["1230"], prev["1520"], prev["1300"]) == (
        100000, 68000, 52500, 115500)
    assert prev["1600"] == prev["1700"] == 168000
    assert all(Decimal(x["year_before_end"]) == 0 for x in lines.values())


async def test_the_ens_in_credit_goes_to_1520_as_one_figure(http):
    # 68.02 credit 20 000, 68.01 credit 3 000, 68.90 debit 10 000 → ЕНС net 13 000 Кт:
    # 1520 13 000 and nothing of it on 1230 (1230 would get 10 000 unnetted).
    h, org = await _org(http)
    await _opening(http, h, org, [
        {"account": "51", "debit": "13000.00"}, {"account": "68.90", "debit": "10000.00"},
        {"account": "68.02", "credit": "20000.00"}, {"account": "68.01", "credit": "3000.00"}])
    sheet = (await http.get(f"{org}/reports/balance-sheet", headers=h, params=JAN)).json()
    current = {x["code"]: Decimal(x["current"]) for x in sheet["lines"]}
    assert (current["1230"], current["1520"], current["1250"]) == (0, 13000, 13000)
    assert current["1600"] == current["1700"] == 13000


async def test_an_unbalanced_opening_set_leaves_the_sheet_unbalanced_and_says_so(http):
    # Дт 51 100 000 and Кт 80 10 000 only: 000 is credited 100 000 and debited 10 000,
    # balance −90 000 (credit). No line takes it: 1600 100 000, 1700 10 000,
    # 1600 − 1700 = 90 000 = −(000's balance).
    h, org = await _org(http)
    out = await _opening(http, h, org, [{"account": "51", "debit": "100000.00"},
                                        {"account": "80", "credit": "10000.00"}])
    assert not out["balanced"]
    sheet = (await http.get(f"{org}/reports/balance-sheet", headers=h, params=JAN)).json()
    current = {x["code"]: Decimal(x["current"]) for x in sheet["lines"]}
    assert (current["1600"], current["1700"]) == (100000, 10000)
    assert current["1230"] == current["1550"] == 0
    assert Decimal(sheet["auxiliary_balance"]) == -90000


async def test_thousands_round_each_line_and_sum_the_rounded_lines(http):
    # Opening on 01.01.2026 (roubles → thousands, each line half up):
    #   51 1 234 567,89 → 1 235 (1 234,56789); 01 1 400,00 → 1; 10 1 400,00 → 1;
    #   62.01 A 1 400,00 → 1 (1230); 80 10 000 + 84 1 228 767,89 = 1 238 767,89 → 1 239.
    # 1600 = 1 + 1 + 1 235 + 1 = 1 238 (the sum of the rounded lines; the rounded sum
    # would be 1 239): the sheet shows a rounding difference of 1 against 1700 = 1 239.
    h, org = await _org(http)
    a = await _cp(http, h, org, "ООО «A»", "7728168971")
    await _opening(http, h, org, [
        {"account": "51", "debit": "1234567.89"}, {"account": "01", "debit": "1400.00"},
        {"account": "10", "debit": "1400.00"},
        {"account": "62.01", "counterparty_id": a, "debit": "1400.00"},
        {"account": "80", "credit": "10000.00"}, {"account": "84", "credit": "1228767.89"}])
    sheet = (await http.get(f"{org}/reports/balance-sheet", headers=h,
                            params={**JAN, "units": "thousands"})).json()
    assert sheet["units"] == "thousands"
    current = {x["code"]: Decimal(x["current"]) for x in sheet["lines"]}
    assert (current["1150"], current["1210"], current["1250"], current["1230"]) == (
        1, 1, 1235, 1)
    assert current["1600"] == 1238 and current["1300"] == current["1700"] == 1239
    prev = {x["code"]: Decimal(x["previous_year_end"]) for x in sheet["lines"]}
    assert prev["1250"] == 1235
    # In roubles the same sheet balances to the kopeck.
    exact = (await http.get(f"{org}/reports/balance-sheet", headers=h, params=JAN)).json()
    lines = {x["code"]: x["current"] for x in exact["lines"]}
    assert lines["1600"] == lines["1700"] == "1238767.89"
    resp = await http.get(f"{org}/reports/balance-sheet", headers=h,
                          params={**JAN, "units": "millions"})
    assert resp.status_code == 422


async def test_financial_results_in_thousands(books):
    # January: 2110 Выручка 5 000,00 (90.01) → 5; 2400 = 5.
    http, h, org, _ = books
    fr = (await http.get(f"{org}/reports/financial-results", headers=h,
                         params={**JAN, "units": "thousands"})).json()
    lines = {x["code"]: Decimal(x["current"]) for x in fr["lines"]}
    assert lines["2110"] == 5 and lines["2400"] == 5
    assert all(x["previous_year_end"] is None for x in fr["lines"])


def test_rounding_and_sides_by_hand():
    assert balances.thousands(123456789) == 1235        # 1 234 567,89 ₽
    assert balances.thousands(149999) == 1              # 1 499,99 ₽
    assert balances.thousands(150000) == 2              # 1 500,00 ₽: half up
    assert balances.thousands(-150000) == -2            # symmetric
    assert balances.sides([5000, -700, 2000, -1200]) == (7000, 1900)
    assert balances.is_expanded("62.01") and balances.is_expanded("68")
    assert not balances.is_expanded("51") and not balances.is_expanded("620")
