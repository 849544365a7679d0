"""Statements through the API: the simplified balance sheet and financial results, КУДиР
and the УСН tax, on a small ledger built by hand (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.documents import document_title
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem
from tests.org_helpers import create_org, ip, join, ooo, sign_up

BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}
BUYER2 = {"kind": "org", "name": "ООО «Второй»", "inn": "7719617469", "kpp": "771901001"}
SUPPLIER = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}
FOUNDER = {"kind": "person", "name": "Иванов Иван Иванович"}


class Books:
    def __init__(self, http, owner, org):
        self.http, self.owner, self.org = http, owner, org
        self.base = f"/orgs/{org['id']}"

    async def counterparty(self, body: dict) -> str:
        resp = await self.http.post(f"{self.base}/counterparties", json=body,
                                    headers=self.owner.h)
        assert resp.status_code == 201, resp.text
        return resp.json()["id"]

    async def entry(self, day: str, *postings, text: str = "Операция") -> dict:
        body = {"date": day, "description": text, "postings": [
            {"debit": d, "credit": c, "amount": a, "counterparty_id": cp}
            for d, c, a, *rest in postings for cp in [rest[0] if rest else None]]}
        resp = await self.http.post(f"{self.base}/entries", json=body, headers=self.owner.h)
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def document(self, body: dict) -> dict:
        resp = await self.http.post(f"{self.base}/documents", json=body, headers=self.owner.h)
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def get(self, path: str, who=None, **params):
        return await self.http.get(f"{self.base}/reports/{path}", params=params,
                                   headers=(who or self.owner).h)


def lines(statement: dict) -> dict[str, tuple[Decimal, Decimal]]:
    return {x["code"]: (Decimal(x["current"]), Decimal(x["previous"]))
            for x in statement["lines"]}


@pytest.fixture
async def romashka(http):
    """ООО «Ромашка» on УСН «доходы» 6 %, with this ledger (roubles):

    2025-03-10  Дт 51 Кт 91.01       1 000  bank interest (last year)
    2026-01-12  Дт 75.01 Кт 80      10 000  capital subscribed (founder)
    2026-01-15  Дт 51 Кт 75.01      10 000  ... paid in
    2026-02-02  Дт 41.01 Кт 60.01   60 000  goods from the supplier
    2026-02-10  bank_out            40 000  Дт 60.01 Кт 51, the supplier partly paid
    2026-03-05  act to the buyer   120 000  Дт 62.01 Кт 90.01 (no VAT)
    2026-03-20  bank_in            100 000  Дт 51 Кт 62.01 from the buyer
    2026-03-25  Дт 44 Кт 69.09       4 000  contributions accrued
                Дт 69.09 Кт 51       4 000  ... and paid
    2026-03-31  Дт 90.02 Кт 41.01   45 000  cost of the goods sold
    2026-04-10  Дт 51 Кт 66         50 000  a short-term loan
    2026-04-15  Дт 51 Кт 62.01      25 000  the buyer pays the rest and 5 000 over
    2026-04-20  act to buyer 2      10 000  Дт 62.01 Кт 90.01
    """
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    b = Books(http, owner, org)
    buyer, buyer2 = await b.counterparty(BUYER), await b.counterparty(BUYER2)
    supplier, founder = await b.counterparty(SUPPLIER), await b.counterparty(FOUNDER)
    await b.entry("2025-03-10", ("51", "91.01", "1000.00"), text="Проценты банка")
    await b.entry("2026-01-12", ("75.01", "80", "10000.00", founder), text="Уставный капитал")
    await b.entry("2026-01-15", ("51", "75.01", "10000.00", founder), text="Взнос в капитал")
    await b.entry("2026-02-02", ("41.01", "60.01", "60000.00", supplier), text="Товары")
    await b.document({"type": "bank_out", "date": "2026-02-10", "counterparty_id": supplier,
                      "amount": "40000.00", "purpose": "Оплата за товары"})
    await b.document({"type": "act", "date": "2026-03-05", "counterparty_id": buyer,
                      "lines": [{"name": "Услуги", "quantity": "1", "unit": "шт",
                                 "price": "120000.00", "vat_rate": "none"}]})
    b.bank_in = await b.document({"type": "bank_in", "date": "2026-03-20",
                                  "counterparty_id": buyer, "amount": "100000.00",
                                  "purpose": "Оплата по акту № 1"})
    await b.entry("2026-03-25", ("44", "69.09", "4000.00"), ("69.09", "51", "4000.00"),
                  text="Страховые взносы за март")
    await b.entry("2026-03-31", ("90.02", "41.01", "45000.00"), text="Себестоимость")
    await b.entry("2026-04-10", ("51", "66", "50000.00"), text="Кредит банка")
    b.manual = await b.entry("2026-04-15", ("51", "62.01", "25000.00", buyer),
                             text="Оплата от покупателя")
    await b.document({"type": "act", "date": "2026-04-20", "counterparty_id": buyer2,
                      "lines": [{"name": "Услуги", "quantity": "1", "unit": "шт",
                                 "price": "10000.00", "vat_rate": "none"}]})
    return b


def R(x: int | str) -> Decimal:
    return Decimal(x)


async def test_balance_sheet_of_a_month(romashka):
    resp = await romashka.get("balance-sheet", date_from="2026-04-01", date_to="2026-04-30")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["kind"] == "balance_sheet"
    assert body["head"]["org_inn"] == "7707083893"
    assert (body["head"]["date_from"], body["head"]["date_to"]) == ("2026-04-01", "2026-04-30")
    got = lines(body)
    assert list(got) == ["1150", "1170", "1210", "1250", "1230", "1600",
                         "1300", "1410", "1450", "1510", "1520", "1550", "1700"]
    # At 31.03.2026 (previous): 51 = 1 000 + 10 000 − 40 000 + 100 000 − 4 000 = 67 000;
    # 41.01 = 60 000 − 45 000 = 15 000; the buyer owes 20 000; we owe the supplier 20 000;
    # 1300 = capital 10 000 + 2025's 1 000 + 120 000 − 45 000 − 4 000 = 82 000.
    # At 30.04.2026 (current): 51 = 67 000 + 50 000 + 25 000 = 142 000; the buyer has
    # overpaid 5 000 (a liability) while buyer 2 owes 10 000 (an asset): not netted;
    # 1300 = 82 000 + 10 000 = 92 000; the loan 50 000.
    expected = {
        "1150": (0, 0), "1170": (0, 0),
        "1210": (15_000, 15_000),
        "1250": (142_000, 67_000),
        "1230": (10_000, 20_000),
        "1600": (167_000, 102_000),
        "1300": (92_000, 82_000),
        "1410": (0, 0), "1450": (0, 0),
        "1510": (50_000, 0),
        "1520": (25_000, 20_000),  # supplier 20 000 + the buyer's 5 000 / supplier 20 000
        "1550": (0, 0),
        "1700": (167_000, 102_000),
    }
    assert got == {k: (R(a), R(b)) for k, (a, b) in expected.items()}
    levels = {x["code"]: x["level"] for x in body["lines"]}
    assert levels["1600"] == levels["1700"] == 2 and levels["1250"] == 0
    names = {x["code"]: x["name"] for x in body["lines"]}
    assert names["1520"] == "Кредиторская задолженность"


async def test_balance_sheet_at_the_start_of_the_year(romashka):
    # Previous = at 31.12.2025: only 2025's interest, 1 000 on 51 and in 1300.
    got = lines((await romashka.get("balance-sheet", date_from="2026-01-01",
                                    date_to="2026-01-31")).json())
    # January: the capital subscribed (10 000) and paid in: 51 = 1 000 + 10 000, 75.01 = 0.
    assert got["1250"] == (R(11_000), R(1_000))
    assert got["1230"] == (R(0), R(0))
    assert got["1300"] == (R(11_000), R(1_000))
    assert got["1600"] == got["1700"] == (R(11_000), R(1_000))


async def test_financial_results(romashka):
    resp = await romashka.get("financial-results", date_from="2026-01-01",
                              date_to="2026-04-30")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["kind"] == "financial_results"
    got = lines(body)
    # 2026: revenue 120 000 + 10 000; expenses cost 45 000 + 44 4 000 = 49 000; profit
    # 81 000 (= 1300's 92 000 − capital 10 000 − 2025's 1 000). The same months of 2025:
    # only the bank interest, other income 1 000.
    assert got == {
        "2110": (R(130_000), R(0)),
        "2120": (R(49_000), R(0)),
        "2330": (R(0), R(0)),
        "2340": (R(0), R(1_000)),
        "2350": (R(0), R(0)),
        "2410": (R(0), R(0)),
        "2400": (R(81_000), R(1_000)),
    }


async def test_usn_report_with_the_book_from_money_received(romashka):
    resp = await romashka.get("usn", year=2026)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["regime"], Decimal(body["rate"])) == ("usn_income", Decimal("6"))
    assert (body["head"]["date_from"], body["head"]["date_to"]) == ("2026-01-01", "2026-12-31")
    # Income is money received from customers: 100 000 (bank_in) and 25 000 (a manual
    # entry). Not the founder's 10 000, not the loan's 50 000.
    title = document_title("bank_in", romashka.bank_in["number"], date(2026, 3, 20))
    assert title == f"Поступление на р/с № {romashka.bank_in['number']} от 20.03.2026"
    assert [(r["number"], r["date"], r["document"], r["description"], r["income"],
             r["expense"]) for r in body["rows"]] == [
        (1, "2026-03-20", title, f"{title}, ООО «Покупатель»", "100000.00", "0.00"),
        (2, "2026-04-15", f"Бухгалтерская справка № {romashka.manual['number']} от 15.04.2026",
         "Оплата от покупателя", "25000.00", "0.00"),
    ]
    assert (body["income"], body["expense"]) == ("125000.00", "0.00")
    q = {x["period"]: x for x in body["quarters"]}
    assert list(q) == ["Q1", "H1", "9M", "Y"]
    # Q1: 100 000 × 6 % = 6 000; contributions paid 4 000, but an organisation reduces at
    # most by half: 3 000 → 3 000 due by 28.04.2026.
    assert {k: q["Q1"][k] for k in ("income", "base", "tax", "contributions", "reduction",
                                     "due", "due_date")} == {
        "income": "100000.00", "base": "100000.00", "tax": "6000.00",
        "contributions": "4000.00", "reduction": "3000.00", "due": "3000.00",
        "due_date": "2026-04-28"}
    # H1: 125 000 × 6 % = 7 500; half 3 750 < 4 000 → 3 750; 3 750 − 3 000 = 750 by 28.07.
    assert (q["H1"]["tax"], q["H1"]["reduction"], q["H1"]["due"], q["H1"]["due_date"]) == (
        "7500.00", "3750.00", "750.00", "2026-07-28")
    assert (q["9M"]["due"], q["9M"]["due_date"]) == ("0.00", "2026-10-28")
    # The year's tax of an organisation: 28.03.2027 is a Sunday → 29.03.2027.
    assert (q["Y"]["due"], q["Y"]["due_date"], q["Y"]["minimum_tax"]) == (
        "0.00", "2027-03-29", "0.00")


async def test_usn_report_up_to_a_date(romashka):
    body = (await romashka.get("usn", year=2026, date_to="2026-03-31")).json()
    assert [r["income"] for r in body["rows"]] == ["100000.00"]
    assert [x["period"] for x in body["quarters"]] == ["Q1"]
    # 15 May: Q1 complete and the half-year so far.
    body = (await romashka.get("usn", year=2026, date_to="2026-05-15")).json()
    assert [x["period"] for x in body["quarters"]] == ["Q1", "H1"]
    # 2025: the bank interest is other income (Дт 51 Кт 91.01): 1 000 × 6 % = 60.
    body = (await romashka.get("usn", year=2025)).json()
    assert [(r["date"], r["income"]) for r in body["rows"]] == [("2025-03-10", "1000.00")]
    assert body["quarters"][0]["tax"] == "60.00"


async def test_refusals_and_rights(romashka, http):
    b = romashka
    assert_problem(await b.get("balance-sheet", date_from="2026-05-01", date_to="2026-04-30"),
                   422, "report.period")
    assert_problem(await b.get("financial-results", date_from="2026-05-01",
                               date_to="2026-04-30"), 422, "report.period")
    assert_problem(await b.get("usn", year=2026, date_to="2027-01-10"), 422, "report.period")
    assert_problem(await b.get("usn", year=1999), 422, "validation.failed")
    assert_problem(await b.get("usn", year=2101), 422, "validation.failed")
    # An observer reads the statements; a personnel officer (no ledger rights) does not.
    observer = await join(http, b.owner, b.org["id"], "observer@example.ru", "observer")
    for path, params in (("balance-sheet", {"date_from": "2026-01-01",
                                            "date_to": "2026-04-30"}),
                         ("financial-results", {"date_from": "2026-01-01",
                                                "date_to": "2026-04-30"}),
                         ("usn", {"year": 2026})):
        resp = await b.get(path, who=observer, **params)
        assert resp.status_code == 200, resp.text
    hr = await join(http, b.owner, b.org["id"], "hr@example.ru", "hr")
    assert_problem(await b.get("usn", who=hr, year=2026), 403, "orgs.forbidden")
    # A stranger does not even learn the organisation exists.
    stranger = await sign_up(http, "stranger@example.ru")
    assert_problem(await b.get("balance-sheet", who=stranger, date_from="2026-01-01",
                               date_to="2026-01-31"), 404, "orgs.not_found")


async def test_usn_report_is_refused_for_osno(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    b = Books(http, owner, org)
    assert_problem(await b.get("usn", year=2026), 409, "report.not_usn")
    # The statements themselves are for everyone.
    resp = await b.get("balance-sheet", date_from="2026-01-01", date_to="2026-12-31")
    assert resp.status_code == 200
    assert all(Decimal(x["current"]) == 0 for x in resp.json()["lines"])


async def test_usn_for_an_ip_with_a_regional_rate_who_hires(http):
    owner = await sign_up(http, "ip@example.ru")
    org = await create_org(http, owner, ip(tax_regime="usn_income", usn_rate="1"))
    b = Books(http, owner, org)
    buyer = await b.counterparty(BUYER)
    await b.entry("2026-02-01", ("51", "62.01", "300000.00", buyer), text="Оплата")
    await b.entry("2026-03-01", ("69.09", "51", "1000.00"), text="Взносы ИП за себя")
    await b.entry("2026-05-05", ("26", "70", "30000.00"), text="Зарплата за май")
    await b.entry("2026-05-10", ("51", "62.01", "300000.00", buyer), text="Оплата")
    await b.entry("2026-05-15", ("69.09", "51", "4000.00"), text="Взносы")
    body = (await b.get("usn", year=2026)).json()
    assert Decimal(body["rate"]) == Decimal("1")
    q = {x["period"]: x for x in body["quarters"]}
    # Q1, no employees yet: 300 000 × 1 % = 3 000 − all 1 000 of contributions = 2 000.
    assert (q["Q1"]["tax"], q["Q1"]["reduction"], q["Q1"]["due"]) == (
        "3000.00", "1000.00", "2000.00")
    # H1, wages accrued in May (credit of 70): the 50 % cap applies. 600 000 × 1 % = 6 000;
    # contributions 5 000 but at most 3 000 → 3 000 − 2 000 due before = 1 000.
    assert (q["H1"]["tax"], q["H1"]["reduction"], q["H1"]["due"]) == (
        "6000.00", "3000.00", "1000.00")
    # An ИП pays the year's tax by 28 April: 28.04.2027 is a Wednesday.
    assert q["Y"]["due_date"] == "2027-04-28"


async def test_usn_income_less_expenses_counts_payments_made(http):
    owner = await sign_up(http, "ip@example.ru")
    org = await create_org(http, owner, ip())  # «доходы минус расходы», 15 %
    b = Books(http, owner, org)
    buyer, supplier = await b.counterparty(BUYER), await b.counterparty(SUPPLIER)
    await b.entry("2026-01-20", ("51", "62.01", "100000.00", buyer), text="Оплата")
    paid = await b.document({"type": "bank_out", "date": "2026-02-01",
                             "counterparty_id": supplier, "amount": "30000.00",
                             "purpose": "Оплата за товары"})
    await b.entry("2026-02-05", ("68.12", "51", "1000.00"), text="Аванс УСН")
    body = (await b.get("usn", year=2026)).json()
    assert body["regime"] == "usn_income_expense"
    # The УСН tax paid is not an expense; the supplier's payment is.
    assert [(r["document"], r["income"], r["expense"]) for r in body["rows"]] == [
        ("Бухгалтерская справка № 1 от 20.01.2026", "100000.00", "0.00"),
        (f"Списание с р/с № {paid['number']} от 01.02.2026", "0.00", "30000.00"),
    ]
    assert (body["income"], body["expense"]) == ("100000.00", "30000.00")
    q = {x["period"]: x for x in body["quarters"]}
    # (100 000 − 30 000) × 15 % = 10 500 for Q1; the year the same, more than the minimum
    # tax 1 % × 100 000 = 1 000.
    assert (q["Q1"]["base"], q["Q1"]["tax"], q["Q1"]["due"]) == (
        "70000.00", "10500.00", "10500.00")
    assert (q["Y"]["tax"], q["Y"]["minimum_tax"], q["Y"]["due"]) == (
        "10500.00", "1000.00", "0.00")
