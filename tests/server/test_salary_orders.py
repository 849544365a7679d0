"""Payment orders to people and to СФР (issue 13, point 4): ``employee_id`` is checked
(another organisation's employee or any UUID: 404 naming the field) and fills the payee
from the employee's card; a salary order carries the income-type code «1» (field 20,
КодНазПлатежа in the exchange file); the injury-contributions order to СФР; a payroll
paying more cash than account 50 holds warns before posting.

Cash example: the January 2026 payroll of tests/server/test_payroll.py pays Сидорова
40 000 − 5 200 = 34 800,00 in cash on 05.02.2026. Account 50 holds 0 → the warning says
34 800,00 short; after Дт 50.01 Кт 51 50 000,00 on 04.02 it holds 50 000 ≥ 34 800 → none.
Injury: 200 + 40 + 80 = 320,00 ₽ for January, due 15.02.2026 (Sunday) → 16.02.2026.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from server.domain.bank_exchange import parse
from tests.helpers import assert_problem
from tests.org_helpers import create_org, join, ooo, sign_up
from tests.server.test_payroll import IVANOV, books, compute  # noqa: F401 (fixture)

SFR = {"payee_name": "ОСФР по г. Москве и Московской области",
       "payee_inn": "7703363868", "payee_kpp": "770301001",
       "payee_account": "03100643000000017300", "payee_bik": "004525988",
       "payee_corr_account": "40102810545370000003",
       "payee_bank": "ГУ Банка России по ЦФО//УФК по г. Москве г. Москва",
       "oktmo": "45383000"}


def salary_body(**over) -> dict:
    return {"kind": "salary", "date": "2026-02-05", "amount": "1000.00",
            "purpose": "Заработная плата за январь 2026. Без налога (НДС)", "priority": 3,
            **over}


async def test_employee_fills_the_payee_and_the_income_code(books):
    http, owner, _, base, ids = books
    resp = await http.post(f"{base}/payment-orders", headers=owner.h,
                           json=salary_body(employee_id=ids["Иванов"]))
    assert resp.status_code == 201, resp.text
    got = resp.json()
    assert (got["payee_name"], got["payee_inn"], got["payee_account"], got["payee_bik"],
            got["payee_bank"]) == ("Иванов Иван Иванович", "500100732259",
                                   "40817810899910004312", "044525225", "ПАО Сбербанк")
    assert got["income_type_code"] == "1"
    resp = await http.post(f"{base}/payment-orders/export", headers=owner.h,
                           json={"ids": [got["id"]]})
    assert resp.status_code == 200, resp.text
    (doc,) = parse(resp.content).documents
    assert doc.fields["КодНазПлатежа"] == "1"
    assert doc.fields["ПолучательСчет"] == "40817810899910004312"


async def test_unknown_or_foreign_employee_is_refused_naming_the_field(books):
    http, owner, _, base, _ids = books
    stranger = await sign_up(http, "other@example.ru")
    other_org = await create_org(http, stranger, ooo())
    resp = await http.post(f"/orgs/{other_org['id']}/employees", json=IVANOV,
                           headers=stranger.h)
    assert resp.status_code == 201, resp.text
    foreign = resp.json()["id"]
    for bad in (foreign, str(uuid.uuid4()), "not-a-uuid"):
        resp = await http.post(f"{base}/payment-orders", headers=owner.h,
                               json=salary_body(employee_id=bad))
        assert_problem(resp, 404, "pay.unknown_employee")
        assert resp.json()["errors"][0]["field"] == "employee_id"


async def test_a_role_without_payroll_rights_cannot_use_an_employee(books):
    http, owner, org, base, ids = books
    primary = await join(http, owner, org["id"], "primary@example.ru", "primary")
    resp = await http.post(f"{base}/payment-orders", headers=primary.h,
                           json=salary_body(employee_id=ids["Иванов"]))
    assert resp.status_code in (403, 404) and "Иванов" not in resp.text


async def test_supplier_and_tax_orders_carry_no_income_code(books):
    http, owner, _, base, _ids = books
    resp = await http.post(f"{base}/payment-orders", headers=owner.h, json={
        "kind": "tax", "date": "2026-02-05", "amount": "10.00",
        "purpose": "Единый налоговый платёж", "oktmo": "0"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["income_type_code"] is None


async def test_injury_order_to_sfr(books):
    http, owner, _, base, _ids = books
    resp = await http.post(f"{base}/payment-orders", headers=owner.h, json={
        "kind": "tax", "budget": "sfr_injury", "date": "2026-02-05", "amount": "320.00",
        "purpose": "Взносы НС и ПЗ за январь 2026", **SFR})
    assert resp.status_code == 201, resp.text
    got = resp.json()
    assert (got["kbk"], got["payer_status"], got["oktmo"], got["basis"]) == (
        "79710212000061000160", "08", "45383000", "0")
    assert got["payee_account"] == "03100643000000017300"  # not the ЕНП's 18500 account
    # The ОСФР payee must be a treasury account; an ЕНП «0» ОКТМО is not allowed here.
    for field, value in (("payee_account", "40702810900000000001"), ("oktmo", "0")):
        resp = await http.post(f"{base}/payment-orders", headers=owner.h, json={
            "kind": "tax", "budget": "sfr_injury", "date": "2026-02-05", "amount": "1.00",
            "purpose": "Взносы НС и ПЗ", **{**SFR, field: value}})
        assert resp.status_code == 422, resp.text
        assert resp.json()["errors"][0]["field"] == field


async def test_payroll_final_makes_the_injury_order_and_warns_of_short_cash(
        books):
    http, owner, _, base, _ids = books
    run = await compute(http, owner.h, base, 2026, 1)
    assert (await http.post(f"{base}/payroll/runs/{run['id']}/approve",
                            headers=owner.h)).status_code == 200
    await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                    json={"date": "2026-01-20", "part": "advance"})
    path = f"{base}/payroll/runs/{run['id']}/pay"
    body = {"date": "2026-02-05", "part": "final", "injury_payee": SFR}
    # The preview warns and changes nothing.
    preview = (await http.post(path, headers=owner.h, json={**body, "preview": True})).json()
    assert preview["preview"] is True
    (warning,) = preview["warnings"]
    assert warning["code"] == "payroll.cash_short"
    assert "34\u00a0800,00" in warning["text"]
    again = (await http.get(f"{base}/payroll/runs/2026-01", headers=owner.h)).json()
    assert again["final_paid_on"] is None and len(again["payment_order_ids"]) == 2
    # Cash drawn from the bank the day before: no warning; the injury order is made.
    resp = await http.post(f"{base}/entries", headers=owner.h, json={
        "date": "2026-02-04", "description": "Получены наличные в банке",
        "postings": [{"debit": "50.01", "credit": "51", "amount": "50000.00"}]})
    assert resp.status_code == 201, resp.text
    paid = (await http.post(path, headers=owner.h, json=body)).json()
    assert paid["warnings"] == [] and paid["preview"] is False
    injury = [o for o in paid["orders"] if o["kbk"] == "79710212000061000160"]
    assert len(injury) == 1 and Decimal(injury[0]["amount"]) == Decimal("320.00")
    assert "срок 16.02.2026" in injury[0]["purpose"]
    salary = [o for o in paid["orders"] if o["kind"] == "salary"]
    assert {o["payee_name"] for o in salary} == {"Иванов Иван Иванович",
                                                 "Петров Пётр Петрович"}
    assert all(o["income_type_code"] == "1" for o in salary)
