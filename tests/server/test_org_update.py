"""``PUT /orgs/{id}`` once the organisation has a payment order: its bank accounts are
updated in place (a payment order references them by id, fk_payment_orders_bank_account),
never deleted and inserted again. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from server.db.models import BankAccount, PaymentOrder
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem, db
from tests.org_helpers import BANK_746, BANK_SBER, create_org, ooo, sign_up

TAX = {"kind": "tax", "date": "2026-04-28", "amount": "25000.00",
       "purpose": "Единый налоговый платёж", "oktmo": "45383000"}


async def org_with_an_order(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    resp = await http.post(f"/orgs/{org['id']}/payment-orders", json=TAX, headers=owner.h)
    assert resp.status_code == 201, resp.text
    return owner, org, resp.json()


async def test_update_keeps_the_referenced_account_in_place(http, server_app):
    owner, org, order = await org_with_an_order(http)
    (sber,) = org["bank_accounts"]
    assert order["bank_account_id"] == sber["id"]
    # Same account renamed, a second account added after it, the director changed.
    body = ooo(director="Сидоров Сидор Сидорович",
               bank_accounts=[{**BANK_SBER, "bank_name": "ПАО Сбербанк (Москва)"}, BANK_746])
    resp = await http.put(f"/orgs/{org['id']}", json=body, headers=owner.h)
    assert resp.status_code == 200, resp.text  # was 500 (FK violation on delete)
    got = resp.json()
    assert got["director"] == "Сидоров Сидор Сидорович"
    first, second = got["bank_accounts"]
    assert first["id"] == sber["id"] and first["bank_name"] == "ПАО Сбербанк (Москва)"
    assert second["account"] == BANK_746["account"] and second["id"] != sber["id"]
    # Reordered: the rows keep their ids, only positions change.
    body = ooo(bank_accounts=[BANK_746, BANK_SBER])
    resp = await http.put(f"/orgs/{org['id']}", json=body, headers=owner.h)
    assert resp.status_code == 200, resp.text
    assert [a["id"] for a in resp.json()["bank_accounts"]] == [second["id"], sber["id"]]
    # The unreferenced account may go; the order still points at Sber.
    resp = await http.put(f"/orgs/{org['id']}", json=ooo(bank_accounts=[BANK_SBER]),
                          headers=owner.h)
    assert resp.status_code == 200, resp.text
    assert [a["id"] for a in resp.json()["bank_accounts"]] == [sber["id"]]
    with db(server_app) as s:
        assert s.scalar(select(PaymentOrder.bank_account_id)) == sber["id"]
        assert len(s.scalars(select(BankAccount)).all()) == 1


async def test_removing_a_referenced_account_is_refused_with_409(http, server_app):
    owner, org, _ = await org_with_an_order(http)
    (sber,) = org["bank_accounts"]
    resp = await http.put(f"/orgs/{org['id']}", json=ooo(bank_accounts=[BANK_746]),
                          headers=owner.h)
    assert_problem(resp, 409, "orgs.bank_account_in_use")
    body = resp.json()
    assert BANK_SBER["account"] in body["detail"]
    assert body["errors"][0]["field"] == "bank_accounts"
    # Nothing changed: the refusal rolled the whole update back.
    got = (await http.get(f"/orgs/{org['id']}", headers=owner.h)).json()
    assert [a["id"] for a in got["bank_accounts"]] == [sber["id"]]
    resp = await http.put(f"/orgs/{org['id']}", json=ooo(bank_accounts=[]), headers=owner.h)
    assert_problem(resp, 409, "orgs.bank_account_in_use")


async def test_the_same_account_twice_is_refused_naming_the_field(http):
    owner, org, _ = await org_with_an_order(http)
    resp = await http.put(f"/orgs/{org['id']}", headers=owner.h,
                          json=ooo(bank_accounts=[BANK_SBER, BANK_SBER]))
    assert_problem(resp, 422, "orgs.bank_account_twice")
    assert resp.json()["errors"][0]["field"] == "bank_accounts.1.account"
