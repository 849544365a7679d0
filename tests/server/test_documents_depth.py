"""Documents in depth (issue 13 point 11): an invoice's paid state from the payments that
name it, a document's card listing the postings it made."""

from __future__ import annotations

from datetime import date

import pytest

from server.services.documents_links import invoice_refs, payment_state
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.org_helpers import create_org, ooo, sign_up
from tests.server.test_bank_import import ACC_A, CUSTOMER, OWN, SBER, doc, exchange, upload

CUSTOMER_ACC = "40702810200000000001"


def test_invoice_references_in_words():
    assert invoice_refs("Оплата по счету № 7 от 01.03.2026, без НДС") == [
        (7, date(2026, 3, 1))]
    assert invoice_refs("оплата по счёту №15") == [(15, None)]
    assert invoice_refs("Сч. 3 от 2.3.26 и счета на оплату № 4") == [
        (3, date(2026, 3, 2)), (4, None)]
    assert invoice_refs("по счёт-фактуре № 5") == []  # a счёт-фактура is no invoice
    assert invoice_refs("Оплата по договору № 5") == [] == invoice_refs(None)
    assert invoice_refs("счет № 8 от 31.02.2026") == [(8, None)]  # no such day
    # Kopecks: nothing → unpaid; 4 000,00 of 10 000,00 → partial; all or more → paid.
    assert [payment_state(1_000_000, x) for x in (0, 400_000, 1_000_000, 1_200_000)] == [
        "unpaid", "partial", "paid", "paid"]


@pytest.fixture
async def seller(http):
    """A VAT payer with its account at Сбербанк and the customer «Крокус»."""
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general",
                                             bank_accounts=[SBER]))
    base = f"/orgs/{org['id']}"
    cp = await http.post(f"{base}/counterparties", headers=owner.h, json={
        "kind": "org", "name": "ООО «Крокус»", "inn": CUSTOMER[0], "kpp": CUSTOMER[1]})
    assert cp.status_code == 201, cp.text
    return http, owner.h, base, cp.json()["id"]


def invoice(cp_id: str, day: str, price: str) -> dict:
    return {"type": "invoice", "date": day, "counterparty_id": cp_id,
            "lines": [{"name": "Монтаж", "quantity": "1", "unit": "шт", "price": price,
                       "vat_rate": "22"}]}


async def test_an_invoice_is_paid_by_the_payments_naming_it(seller):
    http, h, base, cp_id = seller

    async def made(body: dict) -> dict:
        resp = await http.post(f"{base}/documents", headers=h, json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def card(doc_id: str) -> dict:
        return (await http.get(f"{base}/documents/{doc_id}", headers=h)).json()

    first = await made(invoice(cp_id, "2026-03-02", "10000.00"))
    second = await made(invoice(cp_id, "2026-03-03", "500.00"))
    assert (first["number"], second["number"]) == (1, 2)
    assert (first["paid"], first["payment_state"]) == ("0.00", "unpaid")
    assert first["postings"] == []  # an invoice books nothing
    # The statement: 4 000,00 naming invoice № 1 with its date; 500,00 naming a
    # счёт-фактура № 2 (not the invoice № 2).
    pv = (await upload(http, h, base, exchange([], [
        doc("Платежное поручение", "21", "05.03.2026", "4000.00", CUSTOMER, CUSTOMER_ACC,
            OWN, ACC_A, "Оплата по счёту № 1 от 02.03.2026, в т.ч. НДС 22%",
            ДатаПоступило="05.03.2026"),
        doc("Платежное поручение", "22", "05.03.2026", "500.00", CUSTOMER, CUSTOMER_ACC,
            OWN, ACC_A, "Оплата по счёт-фактуре № 2", ДатаПоступило="05.03.2026"),
    ]))).json()
    # Before posting the statement nothing is paid.
    assert (await card(first["id"]))["payment_state"] == "unpaid"
    assert (await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
            ).status_code == 200
    got = await card(first["id"])
    assert (got["paid"], got["payment_state"]) == ("4000.00", "partial")
    # A receipt document whose «основание» names the invoice: 4 000 + 6 000 = 10 000,00.
    await made({"type": "bank_in", "date": "2026-03-06", "counterparty_id": cp_id,
                "amount": "6000.00", "basis": "Счёт № 1 от 02.03.2026"})
    got = await card(first["id"])
    assert (got["paid"], got["payment_state"]) == ("10000.00", "paid")
    assert (await card(second["id"]))["payment_state"] == "unpaid"
    # The list shows the same state.
    listed = (await http.get(f"{base}/documents", headers=h,
                             params={"type": "invoice"})).json()["items"]
    assert {x["number"]: x["payment_state"] for x in listed} == {1: "paid", 2: "unpaid"}


async def test_a_card_lists_its_postings_and_their_reversal(seller):
    http, h, base, cp_id = seller
    # An act of 12 200,00 with VAT 22 % inside: 12 200 × 22/122 = 2 200,00.
    act = (await http.post(f"{base}/documents", headers=h, json={
        **invoice(cp_id, "2026-03-10", "12200.00"), "type": "act"})).json()
    assert [(p["debit"], p["credit"], p["amount"]) for p in act["postings"]] == [
        ("62.01", "90.01", "12200.00"), ("90.03", "68.02", "2200.00")]
    number = act["postings"][0]["entry_number"]
    cancelled = await http.post(f"{base}/documents/{act['id']}/cancel", headers=h,
                                json={"reason": "ошибка"})
    assert cancelled.status_code == 200, cancelled.text
    rows = [(p["debit"], p["credit"], p["amount"], p["entry_number"])
            for p in cancelled.json()["postings"]]
    assert rows == [("62.01", "90.01", "12200.00", number), ("90.03", "68.02", "2200.00", number),
                    ("62.01", "90.01", "-12200.00", number + 1),
                    ("90.03", "68.02", "-2200.00", number + 1)]


async def test_a_receipt_on_62_02_charges_vat_on_the_advance_and_the_sale_offsets_it(seller):
    http, h, base, cp_id = seller
    # 12 200,00 received in advance in 2026: VAT 12 200 × 22/122 = 2 200,00.
    receipt = (await http.post(f"{base}/documents", headers=h, json={
        "type": "bank_in", "date": "2026-03-04", "counterparty_id": cp_id,
        "amount": "12200.00", "account": "62.02"})).json()
    assert [(p["debit"], p["credit"], p["amount"]) for p in receipt["postings"]] == [
        ("51", "62.02", "12200.00"), ("76.АВ", "68.02", "2200.00")]
    # The shipment of 12 200,00 offsets it all and deducts the whole 2 200,00.
    act = (await http.post(f"{base}/documents", headers=h, json={
        **invoice(cp_id, "2026-03-10", "12200.00"), "type": "act"})).json()
    assert [(p["debit"], p["credit"], p["amount"]) for p in act["postings"]] == [
        ("62.01", "90.01", "12200.00"), ("90.03", "68.02", "2200.00"),
        ("62.02", "62.01", "12200.00"), ("68.02", "76.АВ", "2200.00")]
