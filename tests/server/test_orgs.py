"""Organisations: requisites checked by their checksums, the creator's role, switching."""

from __future__ import annotations

from typing import Any

from server.db.models import BankAccount, Membership, Organisation
from server.domain.roles import ROLE_PERMS, Role
from server.i18n import text
from tests.helpers import PROBLEM, assert_problem, count, rows
from tests.org_helpers import BANK_746, BANK_SBER, create_org, ip, ooo, sign_in, sign_up


def bank(base: dict[str, str] = BANK_SBER, **over: str) -> dict[str, str]:
    return {**base, **over}


async def test_creator_gets_the_org_as_its_accountant(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    typed = ooo(
        inn=" 7707 083 893 ",
        kpp="7736 01 001",
        short_name="  ООО «Ромашка»  ",
        chief_accountant="   ",
        bank_accounts=[bank(account="4081 7810 8999 1000 4312", bank_name=" ПАО Сбербанк ")],
    )
    resp = await http.post("/orgs", json=typed, headers=owner.h)
    assert resp.status_code == 201, resp.text
    org = resp.json()
    assert org["role"] == "accountant"
    assert (org["inn"], org["kpp"], org["ogrn"]) == ("7707083893", "773601001", "1027700132195")
    assert org["short_name"] == "ООО «Ромашка»" and org["chief_accountant"] is None
    (account,) = org["bank_accounts"]
    assert account["account"] == "40817810899910004312"
    assert account["bank_name"] == "ПАО Сбербанк" and account["id"]

    got = await http.get(f"/orgs/{org['id']}", headers=owner.h)
    assert got.status_code == 200 and got.json() == org
    (ms,) = rows(server_app, Membership)
    assert (ms.org_id, ms.user_id, ms.role, ms.status) == (
        org["id"], owner.id, "accountant", "active")
    team = (await http.get(f"/orgs/{org['id']}/team", headers=owner.h)).json()
    assert [(x["email"], x["role"], x["you"]) for x in team["members"]] == [
        ("owner@example.ru", "accountant", True)]
    mine = (await http.get("/orgs", headers=owner.h)).json()["items"]
    assert mine == [{"id": org["id"], "short_name": "ООО «Ромашка»", "inn": "7707083893",
                     "kind": "ooo", "role": "accountant", "status": "active",
                     "last_used": True,
                     "permissions": sorted(p.value for p in ROLE_PERMS[Role.ACCOUNTANT])}]


async def test_an_ip_has_no_kpp_and_an_ogrnip(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ip(kpp="773601001", usn_rate="7.5"))
    assert org["kind"] == "ip" and org["kpp"] is None
    assert org["ogrn"] == "304500116000157"
    assert org["usn_rate"] == "7.5" and org["tax_regime"] == "usn_income_expense"
    assert org["bank_accounts"] == []


async def test_the_reference_valid_examples_are_accepted(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    cases: list[dict[str, Any]] = [
        ooo(inn="7707083893", ogrn="1027700132195", kpp="771901001"),
        ooo(inn="7719617469", ogrn="1022200525819", kpp="7719AB001",
            bank_accounts=[BANK_SBER, BANK_746]),
        ooo(kpp=" 7719ab 001", usn_rate="1"),
        ip(inn="500100732259", ogrn="304500116000157"),
        ip(inn="123456789047", ogrn="385768585948949"),
        # mod 13 gives 11 here: a check that maps only 10 → 0 would refuse it.
        ip(ogrn="304500116000191", tax_regime="osno", vat_mode="general"),
    ]
    for body in cases:
        resp = await http.post("/orgs", json=body, headers=owner.h)
        assert resp.status_code == 201, (body, resp.text)
    orgs = rows(server_app, Organisation)
    assert sorted(o.kpp or "" for o in orgs) == sorted(
        ["771901001", "7719AB001", "7719AB001", "", "", ""])
    assert count(server_app, BankAccount) == 1 + 2 + 1
    assert {o.usn_rate_bp for o in orgs} == {None, 100}


def _errors(key: str, field: str, **params: Any) -> list[dict[str, str]]:
    return [{"field": field, "message": text(key, "ru", **params)}]


# (body, field named in the problem, catalogue key of its message, params)
INVALID: list[tuple[dict[str, Any], str, str, dict[str, Any]]] = [
    (ooo(inn="7707083894"), "inn", "validation.inn_checksum", {}),
    (ooo(inn="770708389"), "inn", "validation.inn_digits", {"expected": 10}),
    (ooo(inn="500100732259"), "inn", "validation.inn_digits", {"expected": 10}),
    (ip(inn="7707083893"), "inn", "validation.inn_digits", {"expected": 12}),
    (ip(inn="500100732258"), "inn", "validation.inn_checksum", {}),
    (ip(inn="500100732269"), "inn", "validation.inn_checksum", {}),
    (ip(inn="123456789048"), "inn", "validation.inn_checksum", {}),
    (ooo(kpp="7719АВ001"), "kpp", "validation.kpp", {}),  # Cyrillic А and В
    (ooo(kpp="77190100"), "kpp", "validation.kpp", {}),
    (ooo(kpp=None), "kpp", "validation.kpp", {}),  # an ООО must have a КПП
    (ooo(ogrn="1027700132196"), "ogrn", "validation.ogrn_checksum", {}),
    (ooo(ogrn="3027700132195"), "ogrn", "validation.ogrn_digits", {}),
    (ooo(ogrn="102770013219"), "ogrn", "validation.ogrn_digits", {}),
    (ip(ogrn="304500116000158"), "ogrn", "validation.ogrnip_checksum", {}),
    (ip(ogrn="304500116000190"), "ogrn", "validation.ogrnip_checksum", {}),
    (ip(ogrn="1027700132195"), "ogrn", "validation.ogrnip_digits", {}),  # an ОГРН for an ИП
    (ooo(bank_accounts=[bank(bik="04452522")]), "bank_accounts.0.bik", "validation.bik", {}),
    (ooo(bank_accounts=[bank(bik="144525225")]), "bank_accounts.0.bik", "validation.bik", {}),
    # The often-quoted account with the wrong key; the right account at another bank.
    (ooo(bank_accounts=[bank(account="40817810099910004312")]), "bank_accounts.0.account",
     "validation.account_checksum", {}),
    (ooo(bank_accounts=[bank(account="40702810300180001774")]), "bank_accounts.0.account",
     "validation.account_checksum", {}),
    (ooo(bank_accounts=[bank(account="4070281030018000177")]), "bank_accounts.0.account",
     "validation.account_digits", {}),
    (ooo(bank_accounts=[bank(corr_account="30101810400000000226")]),
     "bank_accounts.0.corr_account", "validation.corr_account_checksum", {}),
    (ooo(bank_accounts=[bank(corr_account="30101810400000000325")]),
     "bank_accounts.0.corr_account", "validation.corr_account_checksum", {}),
    (ooo(bank_accounts=[bank(corr_account="40702810400000000225")]),
     "bank_accounts.0.corr_account", "validation.corr_account_digits", {}),
    (ooo(bank_accounts=[BANK_SBER, bank(BANK_746, account="40602810700000000026")]),
     "bank_accounts.1.account", "validation.account_checksum", {}),
    (ooo(usn_rate="6"), "usn_rate", "validation.usn_rate", {"base": 6}),
    (ooo(tax_regime="osno", usn_rate="1"), "usn_rate", "validation.usn_rate_regime", {}),
    (ooo(short_name="   "), "short_name", "validation.required", {}),
    (ooo(bank_accounts=[bank(bank_name="  ")]), "bank_accounts.0.bank_name",
     "validation.required", {}),
]


async def test_bad_requisites_are_refused_naming_the_field(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    for body, field, key, params in INVALID:
        resp = await http.post("/orgs", json=body, headers=owner.h)
        problem = assert_problem(resp, 422, "validation.failed")
        assert resp.headers["content-type"].startswith(PROBLEM)
        assert problem["errors"] == _errors(key, field, **params), (body, problem)
        assert field in problem["detail"]
    assert count(server_app, Organisation) == 0
    assert count(server_app, Membership) == 0

    resp = await http.post("/orgs", json=ooo(inn="7707083894"),
                           headers={**owner.h, "Accept-Language": "en"})
    problem = assert_problem(resp, 422, "validation.failed")
    assert problem["errors"] == [
        {"field": "inn", "message": text("validation.inn_checksum", "en")}]


async def test_accountant_updates_the_requisites_and_bad_ones_change_nothing(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    url = f"/orgs/{org['id']}"
    changed = ooo(short_name="ООО «Ромашка и партнёры»", kpp="771901001",
                  bank_accounts=[BANK_746, BANK_SBER], vat_mode="usn_5")
    resp = await http.put(url, json=changed, headers=owner.h)
    assert resp.status_code == 200, resp.text
    updated = resp.json()
    assert updated["id"] == org["id"] and updated["created_at"] == org["created_at"]
    assert (updated["short_name"], updated["kpp"], updated["vat_mode"]) == (
        "ООО «Ромашка и партнёры»", "771901001", "usn_5")
    assert [a["bik"] for a in updated["bank_accounts"]] == ["049805746", "044525225"]
    assert (await http.get(url, headers=owner.h)).json() == updated

    for bad in (ooo(inn="7707083894"), ooo(bank_accounts=[bank(bik="04452522")]),
                {"short_name": "только имя"}):
        assert_problem(await http.put(url, json=bad, headers=owner.h), 422, "validation.failed")
    assert (await http.get(url, headers=owner.h)).json() == updated


async def test_switching_is_remembered_per_device(http):
    owner = await sign_up(http, "owner@example.ru")
    first = await create_org(http, owner, ooo())
    second = await create_org(http, owner, ip())

    async def last_used(who) -> list[str]:
        items = (await http.get("/orgs", headers=who.h)).json()["items"]
        assert {o["id"] for o in items} == {first["id"], second["id"]}
        return [o["id"] for o in items if o["last_used"]]

    assert await last_used(owner) == [second["id"]]  # created last
    resp = await http.post(f"/orgs/{first['id']}/use", headers=owner.h)
    assert resp.status_code == 204 and resp.content == b""
    assert await last_used(owner) == [first["id"]]

    laptop = await sign_in(http, "owner@example.ru", device_name="Ноутбук")
    assert await last_used(laptop) == []
    assert (await http.post(f"/orgs/{second['id']}/use", headers=laptop.h)).status_code == 204
    assert await last_used(laptop) == [second["id"]]
    assert await last_used(owner) == [first["id"]]
