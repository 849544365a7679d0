"""Stock by item: the moving average over two purchases at different prices, a sale's
write-off of the cost (Дт 90.02 Кт 41.01 in the sale's own entry), the oversell refused or
warned by the organisation's setting, cancelling, and the stock report on a past date.

Worked example (by hand), an organisation not paying VAT (УСН, ``vat_mode=none``), so a
purchase's whole price goes to 41.01:
- 10.03 поступление: 10 шт × 100,00 = 1 000,00 → held 10 шт, 1 000,00;
- 12.03 поступление: 10 шт × 130,00 = 1 300,00 → held 20 шт, 2 300,00, average 115,00;
- 15.03 реализация: 5 шт × 200,00 = 1 000,00 revenue; cost 2 300,00 × 5 / 20 = 575,00
  → Дт 62.01 Кт 90.01 1 000,00 and Дт 90.02 Кт 41.01 575,00; held 15 шт, 1 725,00.
- The stock on 11.03 is 10 шт for 1 000,00; on 15.03, 15 шт for 1 725,00.
"""

from __future__ import annotations

import pytest

from server.domain import stock as rules
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.org_helpers import create_org, ooo, sign_up

SUPPLIER = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}
BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}


class Shop:
    def __init__(self, http, owner, base, supplier, buyer):
        self.http, self.owner, self.base = http, owner, base
        self.supplier, self.buyer = supplier, buyer

    async def post(self, path: str, body: dict, status: int = 201) -> dict:
        resp = await self.http.post(f"{self.base}{path}", json=body, headers=self.owner.h)
        assert resp.status_code == status, resp.text
        return resp.json()

    async def get(self, path: str, **params) -> dict:
        resp = await self.http.get(f"{self.base}{path}", params=params, headers=self.owner.h)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def buy(self, day: str, item: str, qty: str, price: str, **line) -> dict:
        return await self.post("/documents", {
            "type": "purchase_goods", "date": day, "counterparty_id": self.supplier,
            "lines": [{"name": "Чайник", "quantity": qty, "price": price, "item_id": item,
                       **line}]})

    async def sell(self, day: str, item: str, qty: str, price: str = "200.00",
                   status: int = 201) -> dict:
        return await self.post("/documents", {
            "type": "sale_goods", "date": day, "counterparty_id": self.buyer,
            "lines": [{"name": "Чайник", "quantity": qty, "price": price, "item_id": item}]},
            status)

    async def postings(self) -> list[tuple[str, str, str]]:
        entries = (await self.get("/entries"))["items"]
        return sorted((p["debit"], p["credit"], p["amount"]) for e in entries
                      for p in e["postings"])


@pytest.fixture
async def shop(http):
    owner = await sign_up(http, "stock@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    supplier = (await http.post(f"{base}/counterparties", json=SUPPLIER, headers=owner.h)).json()
    buyer = (await http.post(f"{base}/counterparties", json=BUYER, headers=owner.h)).json()
    return Shop(http, owner, base, supplier["id"], buyer["id"])


def test_the_average_by_hand():
    held = rules.receive(rules.Holding(0, 0), 10_000, 100_000)  # 10 × 100,00
    held = rules.receive(held, 10_000, 130_000)  # 10 × 130,00
    assert held == rules.Holding(20_000, 230_000)
    assert held.average() == 11_500  # 115,00
    assert rules.issue_cost(held, 5_000) == 57_500  # 575,00
    # 3 units of 10 costing 100,00: 30,00 each; 1 of 3 costs 33,33 (half up), all 3 cost
    # exactly 100,00, so no kopeck is left on 41.01.
    three = rules.Holding(3_000, 10_000)
    assert rules.issue_cost(three, 1_000) == 3_333
    assert rules.issue_cost(three, 3_000) == 10_000
    assert rules.check_issue(three, 4_000) == rules.Short(wanted=4_000, held=3_000)
    assert rules.issue_cost(rules.Holding(0, 0), 1_000) == 0


async def test_average_cost_over_two_purchases_and_a_sale(shop):
    item = await shop.post("/stock/items", {"name": "Чайник электрический", "unit": "шт"})
    assert item["kind"] == "goods"
    await shop.buy("2026-03-10", item["id"], "10", "100.00")
    await shop.buy("2026-03-12", item["id"], "10", "130.00")
    sale = await shop.sell("2026-03-15", item["id"], "5")
    assert sale["warnings"] == []
    assert sale["lines"][0]["item_id"] == item["id"]
    assert await shop.postings() == sorted([
        ("41.01", "60.01", "1000.00"), ("41.01", "60.01", "1300.00"),
        ("62.01", "90.01", "1000.00"), ("90.02", "41.01", "575.00"),
    ])
    # The cost is in the sale's own entry.
    entry = await shop.get(f"/entries/{sale['entry_id']}")
    assert [(p["debit"], p["credit"], p["amount"]) for p in entry["postings"]] == [
        ("62.01", "90.01", "1000.00"), ("90.02", "41.01", "575.00")]

    now = await shop.get("/reports/stock", date="2026-03-15")
    [row] = now["rows"]
    assert (row["item"], row["warehouse"], row["quantity"], row["cost"], row["average"]) == \
        ("Чайник электрический", "Основной склад", "15.000", "1725.00", "115.00")
    # A past date: before the second purchase, 10 units for 1 000,00.
    past = await shop.get("/reports/stock", date="2026-03-11")
    assert [(r["quantity"], r["cost"]) for r in past["rows"]] == [("10.000", "1000.00")]
    assert (await shop.get("/reports/stock", date="2026-03-09"))["rows"] == []

    # Cancelling the sale puts the 5 back and reverses its cost with the entry.
    resp = await shop.http.post(f"{shop.base}/documents/{sale['id']}/cancel",
                                json={"reason": "ошибка"}, headers=shop.owner.h)
    assert resp.status_code == 200, resp.text
    again = await shop.get("/reports/stock", date="2026-03-31")
    assert [(r["quantity"], r["cost"]) for r in again["rows"]] == [("20.000", "2300.00")]


async def test_oversell_is_refused_or_warned_by_the_setting(shop):
    item = await shop.post("/stock/items", {"name": "Кружка", "unit": "шт"})
    await shop.buy("2026-03-10", item["id"], "2", "50.00")
    refused = await shop.http.post(f"{shop.base}/documents", json={
        "type": "sale_goods", "date": "2026-03-11", "counterparty_id": shop.buyer,
        "lines": [{"name": "Кружка", "quantity": "3", "price": "90.00",
                   "item_id": item["id"]}]}, headers=shop.owner.h)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "stock.short"
    assert "Кружка" in problem["detail"] and "3" in problem["detail"] \
        and "2" in problem["detail"]
    # Nothing was written: no document, no moves.
    assert (await shop.get("/reports/stock", date="2026-03-31"))["rows"][0]["quantity"] \
        == "2.000"

    resp = await shop.http.put(f"{shop.base}/stock/settings", json={"oversell": "warn"},
                               headers=shop.owner.h)
    assert resp.status_code == 200, resp.text
    sale = await shop.sell("2026-03-11", item["id"], "3", "90.00")
    assert len(sale["warnings"]) == 1 and "Кружка" in sale["warnings"][0]
    # 2 held for 100,00 (50,00 each): 3 are costed at the held average, 150,00.
    assert ("90.02", "41.01", "150.00") in await shop.postings()
    [row] = (await shop.get("/reports/stock", date="2026-03-31"))["rows"]
    assert (row["quantity"], row["cost"]) == ("-1.000", "-50.00")


async def test_items_and_warehouses_are_the_organisations_own(shop, http):
    other = await sign_up(http, "other@example.ru")
    org2 = await create_org(http, other, ooo(short_name="ООО «Другая»"))
    theirs = (await http.post(f"/orgs/{org2['id']}/stock/items", json={"name": "Чужое"},
                              headers=other.h)).json()
    resp = await http.post(f"{shop.base}/documents", json={
        "type": "purchase_goods", "date": "2026-03-10", "counterparty_id": shop.supplier,
        "lines": [{"name": "Чужое", "quantity": "1", "price": "1.00",
                   "item_id": theirs["id"]}]}, headers=shop.owner.h)
    assert resp.status_code == 422 and resp.json()["code"] == "stock.unknown_item"
    # The same name twice is refused; a line without an item keeps working as before.
    await shop.post("/stock/items", {"name": "Ложка"})
    dup = await shop.http.post(f"{shop.base}/stock/items", json={"name": "ложка"},
                               headers=shop.owner.h)
    assert dup.status_code == 409 and dup.json()["code"] == "stock.item_taken"
    plain = await shop.post("/documents", {
        "type": "sale_goods", "date": "2026-03-10", "counterparty_id": shop.buyer,
        "lines": [{"name": "Услуга доставки", "quantity": "1", "price": "10.00"}]})
    assert plain["state"] == "posted" and plain["lines"][0]["item_id"] is None
    stores = await shop.get("/stock/warehouses")
    assert [(w["name"], w["is_default"]) for w in stores["items"]] == [("Основной склад", True)]
    second = await shop.post("/stock/warehouses", {"name": "Склад № 2"})
    item = (await shop.get("/stock/items"))["items"][0]
    await shop.buy("2026-03-10", item["id"], "4", "10.00", warehouse_id=second["id"])
    rows = (await shop.get("/reports/stock", date="2026-03-10",
                           warehouse_id=second["id"]))["rows"]
    assert [(r["warehouse"], r["quantity"], r["cost"]) for r in rows] == \
        [("Склад № 2", "4.000", "40.00")]


async def test_a_line_named_as_typed_finds_its_item_or_a_purchase_adds_it(shop):
    # Typed in the form, a line carries a name, not an item id. By hand (no VAT):
    # - 10.03 поступление «Стол  офисный» 4 шт × 1 000,00 = 4 000,00: the nomenclature
    #   gains «Стол офисный» (spaces tidied), held 4 шт, 4 000,00;
    # - 11.03 реализация «стол офисный» (another case) 1 шт × 1 500,00: the same item,
    #   cost 4 000,00 × 1 / 4 = 1 000,00 → Дт 90.02 Кт 41.01 1 000,00;
    # - 12.03 реализация «Диван» (no поступление brought it): out of stock, no cost.
    await shop.post("/documents", {
        "type": "purchase_goods", "date": "2026-03-10", "counterparty_id": shop.supplier,
        "lines": [{"name": "Стол  офисный", "quantity": "4", "price": "1000.00"}]})
    [item] = (await shop.get("/stock/items"))["items"]
    assert (item["name"], item["unit"], item["kind"]) == ("Стол офисный", "шт", "goods")
    sale = await shop.post("/documents", {
        "type": "sale_goods", "date": "2026-03-11", "counterparty_id": shop.buyer,
        "lines": [{"name": "стол офисный", "quantity": "1", "price": "1500.00"}]})
    assert sale["lines"][0]["item_id"] == item["id"]
    entry = await shop.get(f"/entries/{sale['entry_id']}")
    assert ("90.02", "41.01", "1000.00") in [(p["debit"], p["credit"], p["amount"])
                                             for p in entry["postings"]]
    other = await shop.post("/documents", {
        "type": "sale_goods", "date": "2026-03-12", "counterparty_id": shop.buyer,
        "lines": [{"name": "Диван", "quantity": "1", "price": "9000.00"}]})
    assert other["lines"][0]["item_id"] is None
    entry = await shop.get(f"/entries/{other['entry_id']}")
    assert [p["debit"] for p in entry["postings"]] == ["62.01"]
    assert len((await shop.get("/stock/items"))["items"]) == 1
    rows = (await shop.get("/reports/stock", date="2026-03-31"))["rows"]
    assert [(r["item"], r["quantity"], r["cost"]) for r in rows] == [
        ("Стол офисный", "3.000", "3000.00")]
