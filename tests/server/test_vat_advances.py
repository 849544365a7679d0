"""Advances received in the VAT books and the declaration, against quarters made by hand.

1. ООО on ОСНО (``vat_mode=general``), 4 quarter 2026, receipt documents:
- 02.12 поступление на расчётный счёт (bank_in) from ООО «Покупатель» on 62.02,
  61 000,00: VAT 61 000 × 22/122 = 11 000,00 (Дт 76.АВ Кт 68.02) — sales book код 02:
  61 000,00 / 11 000,00, its счёт-фактура the receipt's number and date;
- 03.12 акт to it, 40 000,00 with VAT 22 % inside: VAT 40 000 × 22/122 = 7 213,1147… →
  7 213,11, base 32 786,89 (код 01); the advance offset 40 000,00 (Дт 62.02 Кт 62.01),
  its VAT deducted 11 000 × 40 000 / 61 000 = 7 213,1147… → 7 213,11 (Дт 68.02 Кт 76.АВ)
  — purchase book код 22: 40 000,00 / 7 213,11 on the advance's счёт-фактура;
- 04.12 another advance of 12 200,00 (VAT 2 200,00), cancelled (its entry reversed):
  in neither book;
- 10.12 поступление товаров from ИП Петров 6 100,00 with VAT 22 % inside (1 100,00),
  his счёт-фактура № 45 от 09.12.2026 (код 01).
Sales book: 61 000 + 40 000 = 101 000,00, VAT 11 000 + 7 213,11 = 18 213,11.
Purchase book: 40 000 + 6 100 = 46 100,00, VAT 7 213,11 + 1 100 = 8 313,11.
Declaration раздел 3: стр. 010 32 786,89 / 7 213,11; стр. 070 61 000,00 / 11 000,00;
стр. 118 = 7 213,11 + 11 000 = 18 213,11; стр. 120 1 100,00; стр. 170 7 213,11;
стр. 190 = 1 100 + 7 213,11 = 8 313,11; стр. 200 = 18 213,11 − 8 313,11 = 9 900,00.
The ledger's 68.02 for the quarter: credit 7 213,11 + 11 000 (+ 2 200 − 2 200 reversed)
= 18 213,11, debit 7 213,11 + 1 100 = 8 313,11; credit − debit = 9 900,00 = стр. 200.

2. The same kind of org, 1 quarter 2026, a bank statement: an act of 02.03 to «Крокус»
6 100,00 (VAT 1 100,00); the statement's 05.03 2 440,00 pays part of it, 06.03 (платёжное
поручение № 12) 12 200,00 pays the 3 660,00 left and 8 540,00 is an advance, VAT
8 540 × 22/122 = 1 540,00 — the код 02 row is 8 540,00 (the line's advance part, not its
12 200,00) / 1 540,00, счёт-фактура «12» of 06.03.2026. An act of 20.03 of 6 100,00 offsets
6 100,00 of it and deducts 1 540 × 6 100 / 8 540 = 1 100,00 (код 22 row 6 100,00 /
1 100,00). A VAT charge entered by hand on 25.03, Дт 76.АВ Кт 68.02 2 200,00 with the
counterparty and no receipt: код 02, 2 200 × 122/22 = 12 200,00 (the rate of the date),
счёт-фактура «—». Declaration: стр. 010 10 000,00 / 2 200,00; стр. 070 20 740,00 /
3 740,00; стр. 118 5 940,00; стр. 120 0; стр. 170 = 190 = 1 100,00; стр. 200 4 840,00.
68.02: credit 1 100 + 1 540 + 1 100 + 2 200 = 5 940,00, debit 1 100,00 → 4 840,00.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.org_helpers import create_org, ooo, sign_up
from tests.server.test_bank_import import ACC_A, CUSTOMER, OWN, SBER, doc, exchange, upload

BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}
SUPPLIER = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}
CUSTOMER_ACC = "40702810200000000001"  # key digit 2 at БИК 044525225 (checked)


async def get(http, h, path, **params):
    resp = await http.get(path, params=params, headers=h)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def made(http, h, base, body: dict) -> dict:
    resp = await http.post(f"{base}/documents", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


def act(cp: str, day: str, price: str) -> dict:
    return {"type": "act", "date": day, "counterparty_id": cp,
            "lines": [{"name": "Работы", "quantity": "1", "price": price, "vat_rate": "22"}]}


async def ledger_68_02(http, h, base, date_from: str, date_to: str) -> str:
    """Credit turnover − debit turnover of 68.02 in the trial balance of the period."""
    tb = await get(http, h, f"{base}/reports/trial-balance", date_from=date_from,
                   date_to=date_to)
    row = next(r for r in tb["rows"] if r["account"] == "68.02")
    return f"{Decimal(row['credit']) - Decimal(row['debit']):.2f}"


def book_rows(book: dict) -> list[tuple]:
    return [(r["number"], r["operation_code"], r["invoice_number"], r["invoice_date"],
             r["accepted_on"], r["counterparty"], r["total"], r["vat"],
             [(x["rate"], x["base"], x["vat"]) for x in r["by_rate"]]) for r in book["rows"]]


async def test_advance_by_receipt_documents_in_the_books_and_the_declaration(http):
    owner = await sign_up(http, "advances@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    base, h = f"/orgs/{org['id']}", owner.h
    buyer = (await http.post(f"{base}/counterparties", json=BUYER, headers=h)).json()["id"]
    supplier = (await http.post(f"{base}/counterparties", json=SUPPLIER,
                                headers=h)).json()["id"]
    receipt = await made(http, h, base, {"type": "bank_in", "date": "2026-12-02",
                                         "counterparty_id": buyer, "amount": "61000.00",
                                         "account": "62.02"})
    assert [(p["debit"], p["credit"], p["amount"]) for p in receipt["postings"]] == [
        ("51", "62.02", "61000.00"), ("76.АВ", "68.02", "11000.00")]
    sale = await made(http, h, base, act(buyer, "2026-12-03", "40000.00"))
    assert [(p["debit"], p["credit"], p["amount"]) for p in sale["postings"]][2:] == [
        ("62.02", "62.01", "40000.00"), ("68.02", "76.АВ", "7213.11")]
    wrong = await made(http, h, base, {"type": "bank_in", "date": "2026-12-04",
                                       "counterparty_id": buyer, "amount": "12200.00",
                                       "account": "62.02"})
    resp = await http.post(f"{base}/documents/{wrong['id']}/cancel", json={"reason": "ошибка"},
                           headers=h)
    assert resp.status_code == 200, resp.text
    await made(http, h, base, {"type": "purchase_goods", "date": "2026-12-10",
                               "counterparty_id": supplier, "supplier_invoice_number": "45",
                               "supplier_invoice_date": "2026-12-09",
                               "lines": [{"name": "Товар", "quantity": "1", "price": "6100.00",
                                          "vat_rate": "22"}]})
    q4 = {"year": 2026, "quarter": 4}
    number = str(receipt["number"])

    sales = await get(http, h, f"{base}/reports/vat/sales-book", **q4)
    assert book_rows(sales) == [
        (1, "02", number, "2026-12-02", None, "ООО «Покупатель»", "61000.00", "11000.00",
         [("22/122", "50000.00", "11000.00")]),
        (2, "01", str(sale["number"]), "2026-12-03", None, "ООО «Покупатель»", "40000.00",
         "7213.11", [("22", "32786.89", "7213.11")]),
    ]
    assert sales["rows"][0]["inn_kpp"] == "7707083893/773601001"
    assert sales["rows"][0]["document_id"] == receipt["id"]
    assert (sales["total"], sales["vat"]) == ("101000.00", "18213.11")

    purchases = await get(http, h, f"{base}/reports/vat/purchase-book", **q4)
    assert book_rows(purchases) == [
        (1, "22", number, "2026-12-02", "2026-12-03", "ООО «Покупатель»", "40000.00",
         "7213.11", [("22/122", "32786.89", "7213.11")]),
        (2, "01", "45", "2026-12-09", "2026-12-10", "ИП Петров Пётр Петрович", "6100.00",
         "1100.00", [("22", "5000.00", "1100.00")]),
    ]
    assert (purchases["total"], purchases["vat"]) == ("46100.00", "8313.11")

    decl = await get(http, h, f"{base}/reports/vat/declaration", **q4)
    assert [(x["code"], x["base"], x["vat"]) for x in decl["section3"]] == [
        ("010", "32786.89", "7213.11"), ("070", "61000.00", "11000.00"),
        ("118", None, "18213.11"), ("120", None, "1100.00"), ("170", None, "7213.11"),
        ("190", None, "8313.11"), ("200", None, "9900.00"), ("210", None, "0.00")]
    assert decl["section8_vat"] == "8313.11"
    assert (decl["section9_total"], decl["section9_vat"]) == ("101000.00", "18213.11")
    assert (decl["payable"], decl["refundable"]) == ("9900.00", "0.00")
    assert await ledger_68_02(http, h, base, "2026-10-01", "2026-12-31") == "9900.00"


@pytest.fixture
async def payer(http):
    """A VAT payer (ОСНО) at Сбербанк and a sale to «Крокус» of 6 100,00 incl. VAT 22 %
    (1 100,00) on 02.03.2026."""
    owner = await sign_up(http, "payer@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general",
                                             bank_accounts=[SBER]))
    base, h = f"/orgs/{org['id']}", owner.h
    cp = await http.post(f"{base}/counterparties", headers=h, json={
        "kind": "org", "name": "ООО «Крокус»", "inn": CUSTOMER[0], "kpp": CUSTOMER[1]})
    assert cp.status_code == 201, cp.text
    first = await made(http, h, base, act(cp.json()["id"], "2026-03-02", "6100.00"))
    return http, h, base, cp.json()["id"], first


async def test_advance_by_a_bank_statement_and_by_hand(payer):
    http, h, base, cp_id, first = payer
    statement = exchange([], [
        doc("Платежное поручение", "11", "05.03.2026", "2440.00", CUSTOMER, CUSTOMER_ACC,
            OWN, ACC_A, "Оплата по счету № 1 от 02.03.2026", ДатаПоступило="05.03.2026"),
        doc("Платежное поручение", "12", "06.03.2026", "12200.00", CUSTOMER, CUSTOMER_ACC,
            OWN, ACC_A, "Предоплата по договору 5", ДатаПоступило="06.03.2026"),
    ])
    resp = await upload(http, h, base, statement)
    assert resp.status_code == 201, resp.text
    posted = await http.post(f"{base}/bank/imports/{resp.json()['id']}/post", headers=h)
    assert posted.status_code == 200, posted.text
    second = await made(http, h, base, act(cp_id, "2026-03-20", "6100.00"))
    assert [(p["debit"], p["credit"], p["amount"]) for p in second["postings"]][2:] == [
        ("62.02", "62.01", "6100.00"), ("68.02", "76.АВ", "1100.00")]
    resp = await http.post(f"{base}/entries", headers=h, json={
        "date": "2026-03-25", "description": "НДС с аванса по договору 6",
        "postings": [{"debit": "76.АВ", "credit": "68.02", "amount": "2200.00",
                      "counterparty_id": cp_id}]})
    assert resp.status_code == 201, resp.text
    # A charge by hand reversed in the journal: in neither book.
    resp = await http.post(f"{base}/entries", headers=h, json={
        "date": "2026-03-26", "description": "Ошибочный НДС с аванса",
        "postings": [{"debit": "76.АВ", "credit": "68.02", "amount": "500.00",
                      "counterparty_id": cp_id}]})
    assert resp.status_code == 201, resp.text
    rev = await http.post(f"{base}/entries/{resp.json()['id']}/reverse", headers=h,
                          json={"reason": "ошибка"})
    assert rev.status_code == 201, rev.text
    q1 = {"year": 2026, "quarter": 1}

    sales = await get(http, h, f"{base}/reports/vat/sales-book", **q1)
    krokus = "ООО «Крокус»"
    assert book_rows(sales) == [
        (1, "01", str(first["number"]), "2026-03-02", None, krokus, "6100.00", "1100.00",
         [("22", "5000.00", "1100.00")]),
        (2, "02", "12", "2026-03-06", None, krokus, "8540.00", "1540.00",
         [("22/122", "7000.00", "1540.00")]),
        (3, "01", str(second["number"]), "2026-03-20", None, krokus, "6100.00", "1100.00",
         [("22", "5000.00", "1100.00")]),
        (4, "02", "—", None, None, krokus, "12200.00", "2200.00",
         [("22/122", "10000.00", "2200.00")]),
    ]
    assert (sales["total"], sales["vat"]) == ("32940.00", "5940.00")
    purchases = await get(http, h, f"{base}/reports/vat/purchase-book", **q1)
    assert book_rows(purchases) == [
        (1, "22", "12", "2026-03-06", "2026-03-20", krokus, "6100.00", "1100.00",
         [("22/122", "5000.00", "1100.00")])]
    assert purchases["rows"][0]["document_id"] == second["id"]

    decl = await get(http, h, f"{base}/reports/vat/declaration", **q1)
    assert [(x["code"], x["base"], x["vat"]) for x in decl["section3"]] == [
        ("010", "10000.00", "2200.00"), ("070", "20740.00", "3740.00"),
        ("118", None, "5940.00"), ("120", None, "0.00"), ("170", None, "1100.00"),
        ("190", None, "1100.00"), ("200", None, "4840.00"), ("210", None, "0.00")]
    assert decl["section8_vat"] == "1100.00"
    assert await ledger_68_02(http, h, base, "2026-01-01", "2026-03-31") == "4840.00"
