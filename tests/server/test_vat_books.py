"""The VAT books and the declaration's figures against a quarter made by hand.

ООО on ОСНО (``vat_mode=general``), 1 quarter 2026:
- 20.01 поступление товаров from ИП Петров: 6 100,00 with VAT 22 % inside:
  VAT 6 100 × 22 / 122 = 1 100,00, base 5 000,00; his счёт-фактура № 45 от 19.01.2026;
- 01.03 поступление услуг from him: 1 220,00 with VAT 22 % inside (VAT 220,00), no
  счёт-фактура yet (listed, marked ``missing_invoice``);
- 10.02 акт to ООО «Покупатель»: 10 000,00 with VAT 22 % inside:
  VAT 10 000 × 22 / 122 = 1 803,2786… → 1 803,28, base 8 196,72;
- 05.03 реализация to it, VAT on top: 2 × 500,00 at 22 % (base 1 000,00, VAT 220,00)
  and 1 × 300,00 at 10 % (base 300,00, VAT 30,00): 1 550,00;
- not in the books: a sale of 01.04 (next quarter), a cancelled sale, a draft.
Sales book: 2 rows, 11 550,00 with VAT 2 053,28; by rate 22 %: 9 196,72 / 2 023,28,
10 %: 300,00 / 30,00. Purchase book: 2 rows, 7 320,00 with VAT 1 320,00.
Declaration: стр. 010 9 196,72 / 2 023,28, стр. 020 300,00 / 30,00, стр. 118 2 053,28,
стр. 120 = 190 = 1 320,00, стр. 200 733,28 (2 053,28 − 1 320,00), стр. 210 0.
"""

from __future__ import annotations

import pytest

from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.org_helpers import create_org, ooo, sign_up

BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}
SUPPLIER = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}


@pytest.fixture
async def quarter(http):
    owner = await sign_up(http, "vat@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    base = f"/orgs/{org['id']}"
    buyer = (await http.post(f"{base}/counterparties", json=BUYER, headers=owner.h)).json()["id"]
    supplier = (await http.post(f"{base}/counterparties", json=SUPPLIER,
                                headers=owner.h)).json()["id"]

    async def doc(body: dict) -> dict:
        resp = await http.post(f"{base}/documents", json=body, headers=owner.h)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def line(name, qty, price, rate="22"):
        return {"name": name, "quantity": qty, "price": price, "vat_rate": rate}

    purchase = await doc({"type": "purchase_goods", "date": "2026-01-20",
                          "counterparty_id": supplier, "supplier_invoice_number": "45",
                          "supplier_invoice_date": "2026-01-19",
                          "lines": [line("Товар", "1", "6100.00")]})
    await doc({"type": "purchase_services", "date": "2026-03-01", "counterparty_id": supplier,
               "lines": [line("Ремонт", "1", "1220.00")]})
    await doc({"type": "act", "date": "2026-02-10", "counterparty_id": buyer,
               "lines": [line("Консультация", "1", "10000.00")]})
    await doc({"type": "sale_goods", "date": "2026-03-05", "counterparty_id": buyer,
               "vat_included": False,
               "lines": [line("Чайник", "2", "500.00"), line("Книга", "1", "300.00", "10")]})
    await doc({"type": "act", "date": "2026-04-01", "counterparty_id": buyer,
               "lines": [line("Апрель", "1", "999.00")]})
    await doc({"type": "act", "date": "2026-03-20", "counterparty_id": buyer, "post": False,
               "lines": [line("Черновик", "1", "999.00")]})
    wrong = await doc({"type": "act", "date": "2026-03-21", "counterparty_id": buyer,
                       "lines": [line("Ошибка", "1", "999.00")]})
    resp = await http.post(f"{base}/documents/{wrong['id']}/cancel", json={"reason": "ошибка"},
                           headers=owner.h)
    assert resp.status_code == 200, resp.text
    return http, owner, base, purchase


async def get(http, owner, path, **params):
    resp = await http.get(path, params=params, headers=owner.h)
    assert resp.status_code == 200, resp.text
    return resp


async def test_the_books_and_the_declaration_of_a_hand_made_quarter(quarter):
    http, owner, base, purchase = quarter
    q1 = {"year": 2026, "quarter": 1}

    # The supplier's счёт-фактура is stored and shown with the document.
    shown = (await get(http, owner, f"{base}/documents/{purchase['id']}")).json()
    assert (shown["supplier_invoice_number"], shown["supplier_invoice_date"]) == \
        ("45", "2026-01-19")

    sales = (await get(http, owner, f"{base}/reports/vat/sales-book", **q1)).json()
    assert [(r["number"], r["operation_code"], r["invoice_date"], r["counterparty"],
             r["inn_kpp"], r["total"], r["vat"]) for r in sales["rows"]] == [
        (1, "01", "2026-02-10", "ООО «Покупатель»", "7707083893/773601001", "10000.00",
         "1803.28"),
        (2, "01", "2026-03-05", "ООО «Покупатель»", "7707083893/773601001", "1550.00",
         "250.00"),
    ]
    assert (sales["total"], sales["vat"]) == ("11550.00", "2053.28")
    assert [(r["rate"], r["base"], r["vat"]) for r in sales["by_rate"]] == [
        ("22", "9196.72", "2023.28"), ("10", "300.00", "30.00")]

    purchases = (await get(http, owner, f"{base}/reports/vat/purchase-book", **q1)).json()
    assert [(r["invoice_number"], r["invoice_date"], r["accepted_on"], r["inn_kpp"],
             r["total"], r["vat"], r["missing_invoice"]) for r in purchases["rows"]] == [
        ("45", "2026-01-19", "2026-01-20", "500100732259/", "6100.00", "1100.00", False),
        ("", None, "2026-03-01", "500100732259/", "1220.00", "220.00", True),
    ]
    assert (purchases["total"], purchases["vat"]) == ("7320.00", "1320.00")

    decl = (await get(http, owner, f"{base}/reports/vat/declaration", **q1)).json()
    lines = {x["code"]: (x["base"], x["vat"]) for x in decl["section3"]}
    assert lines == {"010": ("9196.72", "2023.28"), "020": ("300.00", "30.00"),
                     "118": (None, "2053.28"), "120": (None, "1320.00"),
                     "190": (None, "1320.00"), "200": (None, "733.28"),
                     "210": (None, "0.00")}
    assert decl["section8_vat"] == purchases["vat"]
    assert (decl["section9_total"], decl["section9_vat"]) == (sales["total"], sales["vat"])
    assert (decl["payable"], decl["refundable"]) == ("733.28", "0.00")

    # The next quarter holds the April sale only; a wrong quarter is a 422.
    q2 = (await get(http, owner, f"{base}/reports/vat/sales-book", year=2026,
                    quarter=2)).json()
    assert [r["total"] for r in q2["rows"]] == ["999.00"]
    resp = await http.get(f"{base}/reports/vat/sales-book", params={"year": 2026,
                                                                    "quarter": 5},
                          headers=owner.h)
    assert resp.status_code == 422


async def test_the_books_answer_304_when_nothing_changed(quarter):
    http, owner, base, _ = quarter
    first = await get(http, owner, f"{base}/reports/vat/sales-book", year=2026, quarter=1)
    tag = first.headers["etag"]
    again = await http.get(f"{base}/reports/vat/sales-book",
                           params={"year": 2026, "quarter": 1},
                           headers={**owner.h, "If-None-Match": tag})
    assert again.status_code == 304


async def test_a_payer_without_deduction_keeps_no_purchase_book(http):
    # УСН with VAT at 5 % (ст. 164 п. 8): sales charge VAT, purchases deduct none.
    owner = await sign_up(http, "usn5@example.ru")
    org = await create_org(http, owner, ooo(vat_mode="usn_5"))
    base = f"/orgs/{org['id']}"
    buyer = (await http.post(f"{base}/counterparties", json=BUYER, headers=owner.h)).json()["id"]
    resp = await http.post(f"{base}/documents", json={
        "type": "act", "date": "2026-02-10", "counterparty_id": buyer,
        "lines": [{"name": "Услуга", "quantity": "1", "price": "1050.00", "vat_rate": "5"}]},
        headers=owner.h)
    assert resp.status_code == 201, resp.text
    q1 = {"year": 2026, "quarter": 1}
    sales = (await get(http, owner, f"{base}/reports/vat/sales-book", **q1)).json()
    assert (sales["total"], sales["vat"]) == ("1050.00", "50.00")  # 1 050 × 5 / 105
    assert (await get(http, owner, f"{base}/reports/vat/purchase-book", **q1)).json()["rows"] \
        == []
    decl = (await get(http, owner, f"{base}/reports/vat/declaration", **q1)).json()
    assert {x["code"]: x["vat"] for x in decl["section3"]}["043"] == "50.00"
    assert decl["payable"] == "50.00"
