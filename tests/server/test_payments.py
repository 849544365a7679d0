"""Payment orders (платёжные поручения): numbering per year, the payee from the counterparty's
card, the ЕНП defaults, refusals, the 1CClientBankExchange export read back with our own parser,
delete rules and access. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from server.db.models import AuditEvent, PaymentOrder
from server.domain.bank_exchange import parse
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem, db
from tests.org_helpers import BANK_746, create_org, ip, join, ooo, sign_up

SUPPLIER = {
    "kind": "org", "name": "ООО «Поставщик»", "inn": "7719617469", "kpp": "771901001",
    "bik": BANK_746["bik"], "account": BANK_746["account"],
    "corr_account": BANK_746["corr_account"], "bank_name": BANK_746["bank_name"],
}


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    return http, owner, org


async def new_order(http, h, org_id: str, body: dict, status: int = 201) -> dict:
    resp = await http.post(f"/orgs/{org_id}/payment-orders", json=body, headers=h)
    assert resp.status_code == status, resp.text
    return resp.json()


async def supplier(http, h, org_id: str) -> dict:
    resp = await http.post(f"/orgs/{org_id}/counterparties", json=SUPPLIER, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


def tax_body(**over) -> dict:
    return {"kind": "tax", "date": "2026-04-28", "amount": "25000.00",
            "purpose": "Единый налоговый платёж", "oktmo": "45383000", **over}


async def test_supplier_order_takes_the_payee_from_the_card(books, server_app):
    http, owner, org = books
    cp = await supplier(http, owner.h, org["id"])
    made = await new_order(http, owner.h, org["id"], {
        "date": "2026-03-05", "amount": "12354.50", "counterparty_id": cp["id"],
        "purpose": "Оплата по счёту № 7 от 01.03.2026\nВ т.ч. НДС не облагается"})
    assert made["number"] == 1 and made["kind"] == "supplier"
    assert made["payee_name"] == "ООО «Поставщик»"
    assert (made["payee_inn"], made["payee_kpp"], made["payee_bik"], made["payee_account"],
            made["payee_corr_account"]) == ("7719617469", "771901001", "049805746",
                                            "40602810700000000025", "30101810800000000746")
    assert made["payer_account"] == "40817810899910004312"  # the org's first account (Sber)
    assert made["bank_account_id"] == org["bank_accounts"][0]["id"]
    assert made["purpose"] == "Оплата по счёту № 7 от 01.03.2026 В т.ч. НДС не облагается"
    assert Decimal(made["amount"]) == Decimal("12354.50")
    assert made["amount_in_words"].startswith("Двенадцать тысяч триста пятьдесят четыре")
    assert made["priority"] == 5 and made["exported_at"] is None
    assert made["kbk"] is None and made["payer_status"] is None
    with db(server_app) as s:
        row = s.get(PaymentOrder, made["id"])
        assert row.amount_kopecks == 1_235_450 and row.year == 2026
        event = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "payments.create")).one()
    assert event.object_id == made["id"] and "№ 1" in event.summary


async def test_typed_payee_fields_win_over_the_card(books):
    http, owner, org = books
    cp = await supplier(http, owner.h, org["id"])
    made = await new_order(http, owner.h, org["id"], {
        "date": "2026-03-05", "amount": "1", "counterparty_id": cp["id"],
        "payee_name": "Поставщик (по договору)", "purpose": "Аванс"})
    assert made["payee_name"] == "Поставщик (по договору)"
    assert made["payee_inn"] == "7719617469"


async def test_enp_defaults_for_an_ooo_and_an_ip(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    made = await new_order(http, owner.h, org["id"], tax_body())
    assert (made["payee_name"], made["payee_inn"], made["payee_kpp"]) == (
        "Казначейство России (ФНС России)", "7727406020", "770801001")
    assert (made["payee_account"], made["payee_bik"], made["payee_corr_account"]) == (
        "03100643000000018500", "017003983", "40102810445370000059")
    assert (made["kbk"], made["oktmo"], made["payer_status"]) == (
        "18201061201010000510", "45383000", "01")
    assert (made["basis"], made["tax_period"], made["doc_number"], made["doc_date"]) == (
        "0", "0", "0", "0")
    # An ИП pays with status 13 (and needs a bank account for the payer side).
    person = await sign_up(http, "ip@example.ru")
    shop = await create_org(http, person, ip(bank_accounts=[BANK_746]))
    made_ip = await new_order(http, person.h, shop["id"], tax_body(oktmo="46783000001"))
    assert made_ip["payer_status"] == "13" and made_ip["oktmo"] == "46783000001"
    # A typed status and КБК are kept.
    typed = await new_order(http, owner.h, org["id"],
                            tax_body(payer_status="02", kbk="18210102010011000110"))
    assert (typed["payer_status"], typed["kbk"]) == ("02", "18210102010011000110")


async def test_numbering_per_year_and_typed_numbers(books):
    http, owner, org = books
    o = org["id"]
    first = await new_order(http, owner.h, o, tax_body(date="2026-01-10"))
    second = await new_order(http, owner.h, o, tax_body(date="2026-02-10"))
    typed = await new_order(http, owner.h, o, tax_body(number=10))
    after = await new_order(http, owner.h, o, tax_body())
    next_year = await new_order(http, owner.h, o, tax_body(date="2027-01-15"))
    # 1, 2, typed 10, then max + 1 = 11; a new year restarts at 1.
    assert [x["number"] for x in (first, second, typed, after, next_year)] == [1, 2, 10, 11, 1]
    clash = await http.post(f"/orgs/{o}/payment-orders", json=tax_body(number=2),
                            headers=owner.h)
    body = assert_problem(clash, 409, "pay.number_taken")
    assert "2026" in body["detail"]
    # The same number in another year is free.
    assert (await new_order(http, owner.h, o, tax_body(date="2027-02-01", number=2)))[
        "number"] == 2


async def test_the_list_is_newest_first_with_a_cursor(books):
    http, owner, org = books
    o = org["id"]
    for day in ("2026-03-01", "2026-03-03", "2026-03-02", "2026-04-01"):
        await new_order(http, owner.h, o, tax_body(date=day))
    # Numbers: 03-01 → 1, 03-03 → 2, 03-02 → 3, 04-01 → 4.
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "date_from": "2026-03-01", "date_to": "2026-03-31"}
        if cursor:
            params["cursor"] = cursor
        page = (await http.get(f"/orgs/{o}/payment-orders", params=params,
                               headers=owner.h)).json()
        seen += [(x["date"], x["number"]) for x in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [("2026-03-03", 2), ("2026-03-02", 3), ("2026-03-01", 1)]
    bad = await http.get(f"/orgs/{o}/payment-orders", params={"cursor": "xyz"},
                         headers=owner.h)
    assert_problem(bad, 422, "validation.cursor")


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"kbk": "1820106120101000051"}, "pay.kbk"),  # 19 digits
        ({"oktmo": None}, "pay.oktmo"),
        ({"oktmo": "4538300"}, "pay.oktmo"),  # 7 digits
        ({"payer_status": "1"}, "pay.payer_status"),
        ({"kind": "supplier"}, "pay.payee_missing"),  # no card, no payee
        ({"kind": "other", "payee_name": "Кто-то", "payee_bank": "Банк", "payee_bik": "044525311",
          "payee_account": "40702810300180001775"}, "pay.payee_invalid"),  # wrong key
        ({"payee_inn": "7727406021"}, "pay.payee_invalid"),  # wrong ИНН check digit
        ({"payee_bik": "144525225"}, "pay.payee_invalid"),
        ({"amount": "0"}, "pay.amount"),
        ({"amount": "10.005"}, "pay.amount"),
        ({"purpose": "Налог 🙂"}, "pay.not_cp1251"),
        ({"bank_account_id": "00000000-0000-4000-8000-000000000000"},
         "pay.unknown_bank_account"),
        ({"counterparty_id": "00000000-0000-4000-8000-000000000000"},
         "ledger.unknown_counterparty"),
    ],
)
async def test_refusals(books, over, code):
    http, owner, org = books
    resp = await http.post(f"/orgs/{org['id']}/payment-orders", json=tax_body(**over),
                           headers=owner.h)
    assert_problem(resp, 422, code)


async def test_an_org_without_a_bank_account_cannot_pay(http):
    person = await sign_up(http, "ip@example.ru")
    shop = await create_org(http, person, ip())
    resp = await http.post(f"/orgs/{shop['id']}/payment-orders", json=tax_body(),
                           headers=person.h)
    assert_problem(resp, 422, "pay.no_bank_account")


async def test_export_reads_back_with_the_same_requisites(books, server_app):
    http, owner, org = books
    o = org["id"]
    cp = await supplier(http, owner.h, o)
    pay = await new_order(http, owner.h, o, {
        "date": "2026-03-05", "amount": "12354.50", "counterparty_id": cp["id"],
        "purpose": "Оплата по счёту № 7. Без налога (НДС)", "priority": 5})
    tax = await new_order(http, owner.h, o, tax_body(date="2026-03-02", uin="0"))
    resp = await http.post(f"/orgs/{o}/payment-orders/export",
                           json={"ids": [pay["id"], tax["id"]]}, headers=owner.h)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/octet-stream"
    assert 'filename="1c_to_kl.txt"' in resp.headers["content-disposition"]
    data = resp.content
    assert data.startswith(b"1CClientBankExchange\r\n")
    f = parse(data)
    assert f.encoding == "cp1251"
    h = f.header
    assert (h["ВерсияФормата"], h["Кодировка"], h["Отправитель"]) == ("1.03", "Windows", "Бухта")
    # Oldest first: the tax order of 02.03 before the payment of 05.03.
    assert (h["ДатаНачала"], h["ДатаКонца"]) == ("02.03.2026", "05.03.2026")
    assert h["РасчСчет"] == "40817810899910004312"
    assert [d.number for d in f.documents] == [str(tax["number"]), str(pay["number"])]
    enp, supply = f.documents
    assert supply.kind == "Платежное поручение"
    assert supply.amount == Decimal("12354.50")
    assert supply.fields["Сумма"] == "12354.50"
    assert str(supply.date) == "2026-03-05"
    assert (supply.payer_account, supply.payer_inn, supply.payer_kpp, supply.payer_name,
            supply.payer_bik, supply.payer_corr_account) == (
        "40817810899910004312", "7707083893", "773601001", "ООО «Ромашка»", "044525225",
        "30101810400000000225")
    assert supply.fields["Плательщик"] == "ИНН 7707083893 ООО «Ромашка»"
    assert supply.payer_bank == "ПАО Сбербанк"
    assert (supply.payee_account, supply.payee_inn, supply.payee_kpp, supply.payee_name,
            supply.payee_bik, supply.payee_corr_account, supply.payee_bank) == (
        pay["payee_account"], pay["payee_inn"], pay["payee_kpp"], pay["payee_name"],
        pay["payee_bik"], pay["payee_corr_account"], pay["payee_bank"])
    assert supply.purpose == pay["purpose"]
    assert (supply.fields["ВидОплаты"], supply.fields["Очередность"]) == ("01", "5")
    assert "ПоказательКБК" not in supply.fields and supply.kbk is None
    assert (enp.payee_account, enp.payee_bik, enp.payee_corr_account, enp.payee_inn) == (
        "03100643000000018500", "017003983", "40102810445370000059", "7727406020")
    assert (enp.kbk, enp.oktmo, enp.payer_status) == ("18201061201010000510", "45383000", "01")
    assert (enp.fields["ПоказательОснования"], enp.fields["ПоказательПериода"],
            enp.fields["ПоказательНомера"], enp.fields["ПоказательДаты"],
            enp.fields["Код"]) == ("0", "0", "0", "0", "0")
    assert enp.amount == Decimal("25000.00")

    # Marked exported, audited; a second export gives the same documents, keeps the time.
    page = (await http.get(f"/orgs/{o}/payment-orders", headers=owner.h)).json()
    stamps = {x["id"]: x["exported_at"] for x in page["items"]}
    assert stamps[pay["id"]] and stamps[tax["id"]]
    again = await http.post(f"/orgs/{o}/payment-orders/export", json={"ids": [pay["id"]]},
                            headers=owner.h)
    assert [d.fields for d in parse(again.content).documents] == [supply.fields]
    page = (await http.get(f"/orgs/{o}/payment-orders", headers=owner.h)).json()
    assert {x["id"]: x["exported_at"] for x in page["items"]} == stamps
    with db(server_app) as s:
        events = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "payments.export")).all()
    assert len(events) == 2


async def test_delete_only_before_the_export(books, server_app):
    http, owner, org = books
    o = org["id"]
    keep = await new_order(http, owner.h, o, tax_body())
    drop = await new_order(http, owner.h, o, tax_body())
    resp = await http.delete(f"/orgs/{o}/payment-orders/{drop['id']}", headers=owner.h)
    assert resp.status_code == 204
    again = await http.delete(f"/orgs/{o}/payment-orders/{drop['id']}", headers=owner.h)
    assert_problem(again, 404, "pay.not_found")
    await http.post(f"/orgs/{o}/payment-orders/export", json={"ids": [keep["id"]]},
                    headers=owner.h)
    refused = await http.delete(f"/orgs/{o}/payment-orders/{keep['id']}", headers=owner.h)
    assert_problem(refused, 409, "pay.exported")
    unknown = await http.post(f"/orgs/{o}/payment-orders/export",
                              json={"ids": [drop["id"]]}, headers=owner.h)
    assert_problem(unknown, 404, "pay.not_found")
    with db(server_app) as s:
        assert s.scalars(select(AuditEvent).where(
            AuditEvent.action == "payments.delete")).one().object_id == drop["id"]


async def test_access(books):
    http, owner, org = books
    o = org["id"]
    made = await new_order(http, owner.h, o, tax_body())
    observer = await join(http, owner, o, "observer@example.ru", "observer")
    primary = await join(http, owner, o, "primary@example.ru", "primary")
    hr = await join(http, owner, o, "hr@example.ru", "hr")
    # An observer reads but does not write; HR does not even read; the primary role pays.
    listed = await http.get(f"/orgs/{o}/payment-orders", headers=observer.h)
    assert [x["id"] for x in listed.json()["items"]] == [made["id"]]
    for resp in (
        await http.post(f"/orgs/{o}/payment-orders", json=tax_body(), headers=observer.h),
        await http.delete(f"/orgs/{o}/payment-orders/{made['id']}", headers=observer.h),
        await http.post(f"/orgs/{o}/payment-orders/export", json={"ids": [made["id"]]},
                        headers=observer.h),
        await http.get(f"/orgs/{o}/payment-orders", headers=hr.h),
    ):
        assert resp.status_code == 403, resp.text
    await new_order(http, primary.h, o, tax_body())
    # Another organisation's order is not found from here.
    stranger = await sign_up(http, "stranger@example.ru")
    other = await create_org(http, stranger, ooo())
    theirs = await new_order(http, stranger.h, other["id"], tax_body())
    resp = await http.delete(f"/orgs/{o}/payment-orders/{theirs['id']}", headers=owner.h)
    assert_problem(resp, 404, "pay.not_found")
    resp = await http.post(f"/orgs/{o}/payment-orders/export", json={"ids": [theirs["id"]]},
                           headers=owner.h)
    assert_problem(resp, 404, "pay.not_found")
