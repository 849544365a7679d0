"""Counterparties (контрагенты): checked requisites, one ИНН+КПП per organisation, search by
name or ИНН, name-sorted cursor pages, archive instead of delete, every write audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db.models import AuditEvent, Counterparty
from tests.helpers import assert_problem, count, db
from tests.org_helpers import create_org, ip, join, ooo, sign_up

SBER = {"bik": "044525225", "account": "40817810899910004312",
        "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк"}
ROMASHKA = {
    "kind": "org", "name": "ООО «Ромашка»",
    "full_name": "Общество с ограниченной ответственностью «Ромашка»",
    "inn": "7707083893", "kpp": "773601001", "address": "г. Москва, ул. Вавилова, д. 19",
    "phone": "+7 495 500-55-50", "email": "Buh@Romashka.example.ru",
    "contract": "Договор № 15 от 01.02.2026", **SBER,
}
PETROV = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}


def org_body(**over) -> dict:
    return {**ROMASHKA, **over}


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    return http, owner.h, f"/orgs/{org['id']}"


async def add(http, h, org: str, body: dict) -> dict:
    resp = await http.post(f"{org}/counterparties", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def names(http, h, org: str, **params) -> list[str]:
    resp = await http.get(f"{org}/counterparties", headers=h, params={"limit": 500, **params})
    assert resp.status_code == 200, resp.text
    return [c["name"] for c in resp.json()["items"]]


def field_of(resp) -> list[str]:
    body = assert_problem(resp, 422, "validation.failed")
    return [e["field"] for e in body["errors"]]


async def test_create_a_company_with_its_bank_details(books, server_app):
    http, h, org = books
    made = await add(http, h, org, org_body(inn=" 7707 083 893 ", kpp="773601001 "))
    assert made["inn"] == "7707083893" and made["kpp"] == "773601001"
    assert (made["bik"], made["account"], made["corr_account"]) == (
        "044525225", "40817810899910004312", "30101810400000000225")
    assert made["email"] == "buh@romashka.example.ru"
    assert made["contract"] == "Договор № 15 от 01.02.2026"
    assert made["archived"] is False and made["created_at"] == made["updated_at"]
    assert (await http.get(f"{org}/counterparties/{made['id']}", headers=h)).json() == made
    with db(server_app) as s:
        row = s.get(Counterparty, made["id"])
        assert row.name_folded == "ооо «ромашка»"
        event = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "counterparties.create")).one()
    assert (event.object_type, event.object_id) == ("counterparty", made["id"])
    assert "наименование: — → ООО «Ромашка»" in event.summary
    assert "ИНН: — → 7707083893" in event.summary and "КПП: — → 773601001" in event.summary


async def test_an_ip_and_a_person(books):
    http, h, org = books
    petrov = await add(http, h, org, {**PETROV, "kpp": "773601001"})
    assert (petrov["kind"], petrov["inn"], petrov["kpp"]) == ("ip", "500100732259", None)
    assert petrov["bik"] is None and petrov["email"] is None
    # A private person may have no ИНН at all; empty optional fields are stored as nothing.
    person = await add(http, h, org, {"kind": "person", "name": "Сидорова Анна", "inn": "",
                                      "phone": "  ", "bik": "", "bank_name": ""})
    assert (person["inn"], person["phone"], person["bik"]) == (None, None, None)
    twin = await add(http, h, org, {"kind": "person", "name": "Сидорова Анна"})
    assert twin["id"] != person["id"]  # without an ИНН nothing says they are the same


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"inn": "7707083894"}, "inn"),  # the check digit
        ({"inn": "500100732259"}, "inn"),  # a person's 12 digits for a company
        ({"inn": None}, "inn"),  # a company has an ИНН
        ({"kpp": "77360100"}, "kpp"),
        ({"account": "40817810899910004313"}, "account"),
        ({"corr_account": "30101810400000000226"}, "corr_account"),
        ({"bik": "0445252"}, "bik"),
        ({"account": None}, "account"),  # bank details come together or not at all
        ({"bank_name": " "}, "bank_name"),
        ({"email": "не почта"}, "email"),
        ({"name": "   "}, "name"),
    ],
)
async def test_bad_requisites_are_refused_naming_the_field(books, server_app, over, field):
    http, h, org = books
    resp = await http.post(f"{org}/counterparties", json=org_body(**over), headers=h)
    assert field_of(resp) == [field]
    assert count(server_app, Counterparty) == 0


async def test_bad_requisites_of_an_ip_and_a_person(books):
    http, h, org = books
    for body in ({**PETROV, "inn": "7707083893"}, {**PETROV, "inn": ""},
                 {"kind": "person", "name": "Иванов", "inn": "500100732258"}):
        resp = await http.post(f"{org}/counterparties", json=body, headers=h)
        assert field_of(resp) == ["inn"]
    lonely = await http.post(f"{org}/counterparties", headers=h,
                             json={**PETROV, "bik": "044525225"})
    assert field_of(lonely) == ["account"]


async def test_the_same_inn_and_kpp_once_per_organisation(books, http):
    http, h, org = books
    first = await add(http, h, org, org_body())
    again = await http.post(f"{org}/counterparties", headers=h,
                            json=org_body(name="Ромашка ещё раз", bik=None, account=None,
                                          corr_account=None, bank_name=None))
    problem = assert_problem(again, 409, "counterparties.duplicate")
    assert "ООО «Ромашка»" in problem["detail"]
    # A branch (обособленное подразделение) has the same ИНН and its own КПП.
    branch = await add(http, h, org, org_body(name="Ромашка, филиал", kpp="773645001"))
    no_kpp = await add(http, h, org, org_body(name="Ромашка без КПП", kpp=None))
    assert_problem(await http.post(f"{org}/counterparties", headers=h,
                                   json=org_body(name="Снова", kpp="")),
                   409, "counterparties.duplicate")
    await add(http, h, org, PETROV)
    assert_problem(await http.post(f"{org}/counterparties", headers=h,
                                   json={**PETROV, "name": "Петров"}),
                   409, "counterparties.duplicate")
    # Editing a card into another's ИНН+КПП is refused too; keeping its own is fine.
    taken = await http.put(f"{org}/counterparties/{branch['id']}", headers=h,
                           json=org_body(name="Ромашка, филиал"))
    assert_problem(taken, 409, "counterparties.duplicate")
    kept = await http.put(f"{org}/counterparties/{first['id']}", headers=h,
                          json=org_body(phone="+7 495 000-00-00"))
    assert kept.status_code == 200, kept.text
    # An archived one still counts: restore it instead of making a twin.
    await http.post(f"{org}/counterparties/{no_kpp['id']}/archive", headers=h)
    assert_problem(await http.post(f"{org}/counterparties", headers=h,
                                   json=org_body(name="Ещё", kpp=None)),
                   409, "counterparties.duplicate")
    # Another organisation has its own list.
    stranger = await sign_up(http, "stranger@example.ru")
    other = await create_org(http, stranger, ip())
    await add(http, stranger.h, f"/orgs/{other['id']}", org_body())


async def test_search_by_name_in_any_case_or_by_inn_prefix(books):
    http, h, org = books
    await add(http, h, org, org_body())
    await add(http, h, org, org_body(name="АО «Ромашковые поля»", inn="7736050003",
                                     kpp=None))
    await add(http, h, org, PETROV)
    await add(http, h, org, {"kind": "person", "name": "Ёлкина Елена"})
    await add(http, h, org, {"kind": "person", "name": "Smith & Sons 100%"})
    assert await names(http, h, org, q="РОМАШ") == ["АО «Ромашковые поля»", "ООО «Ромашка»"]
    assert await names(http, h, org, q="ромашка»") == ["ООО «Ромашка»"]
    # ё and е are one letter for the search, as people type them.
    assert await names(http, h, org, q="петр петрович") == ["ИП Петров Пётр Петрович"]
    assert await names(http, h, org, q="елкина") == ["Ёлкина Елена"]
    assert await names(http, h, org, q="SMITH") == ["Smith & Sons 100%"]
    # Digits: the beginning of the ИНН, not a fragment of it.
    assert await names(http, h, org, q="77") == ["АО «Ромашковые поля»", "ООО «Ромашка»"]
    assert await names(http, h, org, q="7707 08") == ["ООО «Ромашка»"]
    assert await names(http, h, org, q="500100732259") == ["ИП Петров Пётр Петрович"]
    assert await names(http, h, org, q="083893") == []
    # LIKE's wildcards are plain characters.
    assert await names(http, h, org, q="%") == ["Smith & Sons 100%"]
    assert await names(http, h, org, q="_") == []
    assert len(await names(http, h, org, q="  ")) == 5


async def test_pages_sorted_by_name_whatever_the_case(books):
    http, h, org = books
    typed = ["ооо «Яблоко»", "ИП Борисов", "АО «Вектор»", "зао «Гамма»", "ООО «Альфа»",
             "Дельта", "ип Абрамов", "Ёж и Ко"]
    for name in typed:
        await add(http, h, org, {"kind": "person", "name": name})
    pages, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        resp = await http.get(f"{org}/counterparties", headers=h, params=params)
        assert resp.status_code == 200, resp.text
        pages.append([c["name"] for c in resp.json()["items"]])
        cursor = resp.json()["next_cursor"]
        if not cursor:
            break
    assert pages == [
        ["АО «Вектор»", "Дельта", "Ёж и Ко"],
        ["зао «Гамма»", "ип Абрамов", "ИП Борисов"],
        ["ООО «Альфа»", "ооо «Яблоко»"],
    ]
    # Search and paging together.
    first = (await http.get(f"{org}/counterparties", headers=h,
                            params={"q": "ооо", "limit": 1})).json()
    assert [c["name"] for c in first["items"]] == ["ООО «Альфа»"]
    rest = (await http.get(f"{org}/counterparties", headers=h,
                           params={"q": "ооо", "limit": 1, "cursor": first["next_cursor"]})).json()
    assert [c["name"] for c in rest["items"]] == ["ооо «Яблоко»"] and rest["next_cursor"] is None
    for bad in ("garbage", "YTox", first["next_cursor"][:-2]):
        resp = await http.get(f"{org}/counterparties", headers=h, params={"cursor": bad})
        assert_problem(resp, 422, "validation.cursor")


async def test_a_cursor_of_another_organisation_is_refused(books, http):
    http, h, org = books
    for name in ("А", "Б"):
        await add(http, h, org, {"kind": "person", "name": name})
    cursor = (await http.get(f"{org}/counterparties", headers=h,
                             params={"limit": 1})).json()["next_cursor"]
    stranger = await sign_up(http, "stranger@example.ru")
    other = await create_org(http, stranger, ip())
    resp = await http.get(f"/orgs/{other['id']}/counterparties", headers=stranger.h,
                          params={"cursor": cursor})
    assert_problem(resp, 422, "validation.cursor")


async def test_archive_hides_and_restore_brings_back(books, server_app):
    http, h, org = books
    romashka = await add(http, h, org, org_body())
    await add(http, h, org, PETROV)
    archived = await http.post(f"{org}/counterparties/{romashka['id']}/archive", headers=h)
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert await names(http, h, org) == ["ИП Петров Пётр Петрович"]
    assert await names(http, h, org, q="ромашка") == []
    assert await names(http, h, org, archived="true") == ["ООО «Ромашка»"]
    assert await names(http, h, org, archived="true", q="ром") == ["ООО «Ромашка»"]
    # The card itself stays readable: documents refer to it.
    card = (await http.get(f"{org}/counterparties/{romashka['id']}", headers=h)).json()
    assert card["archived"] is True and card["inn"] == "7707083893"
    twice = await http.post(f"{org}/counterparties/{romashka['id']}/archive", headers=h)
    assert twice.json() == archived.json()  # changes (and logs) nothing
    restored = await http.post(f"{org}/counterparties/{romashka['id']}/restore", headers=h)
    assert restored.json()["archived"] is False
    assert await names(http, h, org) == ["ИП Петров Пётр Петрович", "ООО «Ромашка»"]
    assert await names(http, h, org, archived="true") == []
    log = (await http.get(f"{org}/audit", headers=h,
                          params={"object_type": "counterparty"})).json()["items"]
    assert [(e["action"], e["summary"]) for e in log[:2]] == [
        ("counterparties.restore", "ООО «Ромашка»: в архиве: да → нет"),
        ("counterparties.archive", "ООО «Ромашка»: в архиве: нет → да"),
    ]
    assert count(server_app, AuditEvent, AuditEvent.action == "counterparties.archive") == 1
    # There is no delete.
    resp = await http.delete(f"{org}/counterparties/{romashka['id']}", headers=h)
    assert resp.status_code == 405
    assert count(server_app, Counterparty) == 2


async def test_update_lists_the_changes_in_the_audit_log(books):
    http, h, org = books
    made = await add(http, h, org, org_body())
    body = org_body(name="ООО «Ромашка-Плюс»", phone=None, bik=None, account=None,
                    corr_account=None, bank_name=None)
    resp = await http.put(f"{org}/counterparties/{made['id']}", json=body, headers=h)
    assert resp.status_code == 200, resp.text
    updated = resp.json()
    assert updated["name"] == "ООО «Ромашка-Плюс»" and updated["phone"] is None
    assert updated["bik"] is None and updated["created_at"] == made["created_at"]
    assert updated["updated_at"] >= made["updated_at"]
    same = await http.put(f"{org}/counterparties/{made['id']}", json=body, headers=h)
    assert same.json()["updated_at"] == updated["updated_at"]
    log = (await http.get(f"{org}/audit", headers=h,
                          params={"object_type": "counterparty"})).json()["items"]
    assert log[0]["summary"] == "ООО «Ромашка-Плюс»: без изменений"
    summary = log[1]["summary"]
    assert log[1]["action"] == "counterparties.update"
    assert summary.startswith(
        "ООО «Ромашка-Плюс»: наименование: ООО «Ромашка» → ООО «Ромашка-Плюс»")
    assert "телефон: +7 495 500-55-50 → —" in summary
    assert "банк: 044525225/40817810899910004312/30101810400000000225 ПАО Сбербанк → —" in summary
    assert "ИНН" not in summary and "договор" not in summary  # unchanged fields are not listed
    assert (await names(http, h, org, q="плюс")) == ["ООО «Ромашка-Плюс»"]


async def test_another_organisations_counterparty_is_not_found(books, http):
    http, h, org = books
    stranger = await sign_up(http, "stranger@example.ru")
    other = await create_org(http, stranger, ip())
    theirs = await add(http, stranger.h, f"/orgs/{other['id']}", org_body())
    for method, tail, body in (("GET", "", None), ("PUT", "", org_body()),
                               ("POST", "/archive", None), ("POST", "/restore", None)):
        resp = await http.request(method, f"{org}/counterparties/{theirs['id']}{tail}",
                                  headers=h, json=body)
        assert_problem(resp, 404, "counterparties.not_found")
    resp = await http.get(f"{org}/counterparties/not-a-uuid", headers=h)
    assert resp.status_code == 422


async def test_roles(http, server_app):
    owner = await sign_up(http, "boss@example.ru")
    org_id = (await create_org(http, owner, ooo()))["id"]
    org = f"/orgs/{org_id}"
    watcher = await join(http, owner, org_id, "observer@example.ru", "observer")
    clerk = await join(http, owner, org_id, "primary@example.ru", "primary")
    director = await join(http, owner, org_id, "director@example.ru", "director")
    hr = await join(http, owner, org_id, "hr@example.ru", "hr")
    made = await add(http, clerk.h, org, org_body())  # Бухгалтер по первичке keeps them
    for reader in (watcher, director):
        assert await names(http, reader.h, org) == ["ООО «Ромашка»"]
        resp = await http.post(f"{org}/counterparties", json=PETROV, headers=reader.h)
        assert_problem(resp, 403, "orgs.forbidden")
        resp = await http.post(f"{org}/counterparties/{made['id']}/archive", headers=reader.h)
        assert_problem(resp, 403, "orgs.forbidden")
    assert_problem(await http.get(f"{org}/counterparties", headers=hr.h), 403, "orgs.forbidden")
    assert count(server_app, Counterparty) == 1
    denied = count(server_app, AuditEvent, AuditEvent.action == "denied.counterparties.write")
    assert denied == 4


async def test_a_retried_create_writes_once(books, server_app):
    http, h, org = books
    headers = {**h, "Idempotency-Key": "cp-create-1"}
    first = await http.post(f"{org}/counterparties", json=PETROV, headers=headers)
    again = await http.post(f"{org}/counterparties", json=PETROV, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert count(server_app, Counterparty) == 1


async def test_the_database_refuses_a_twin_the_check_missed(books, server_app, monkeypatch):
    # Two requests racing past the check: the unique key turns the second one down.
    http, h, org = books
    await add(http, h, org, PETROV)
    monkeypatch.setattr(type(server_app.state.counterparties), "_check_unique",
                        lambda *args: None)
    resp = await http.post(f"{org}/counterparties", json={**PETROV, "name": "Петров"},
                           headers=h)
    problem = assert_problem(resp, 409, "counterparties.duplicate")
    assert "ИП Петров Пётр Петрович" in problem["detail"]
    assert count(server_app, Counterparty) == 1
