"""The ledger core: chart, balanced immutable entries, reversal (сторно), closed periods."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.db.models import Entry, Posting
from tests.conftest import bearer, login, register
from tests.helpers import assert_problem, db

OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}


@pytest.fixture
async def books(http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=OOO, headers=h)).json()
    return http, h, f"/orgs/{org['id']}"


def entry(day: str, *postings: tuple[str, str, str], text: str = "Операция") -> dict:
    return {"date": day, "description": text,
            "postings": [{"debit": d, "credit": c, "amount": a} for d, c, a in postings]}


async def test_a_new_organisation_has_the_94n_chart(books):
    http, h, org = books
    items = {a["code"]: a for a in (await http.get(f"{org}/accounts", headers=h)).json()["items"]}
    assert items["60.01"]["kind"] == "passive" and items["62.01"]["kind"] == "active"
    assert "counterparty" in items["62.01"]["analytics"]
    assert items["68.01"]["parent"] == "68"
    assert {"50", "51", "90.01", "91.02", "99"} <= set(items)


async def test_sale_with_vat_is_posted_in_kopecks(books, server_app):
    http, h, org = books
    # A sale of 12 000,00 ₽ with VAT 20 % inside: 12 000 × 20 / 120 = 2 000,00 ₽.
    resp = await http.post(f"{org}/entries", headers=h, json=entry(
        "2026-03-05", ("62.01", "90.01", "12000.00"), ("90.03", "68.02", "2000"),
        text="Реализация услуг"))
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["number"] == 1
    assert [p["amount"] for p in body["postings"]] == ["12000.00", "2000.00"]
    assert body["total"] == "14000.00"
    with db(server_app) as s:
        kopecks = s.scalars(select(Posting.amount_kopecks).order_by(Posting.line)).all()
    assert kopecks == [1_200_000, 200_000]  # 12 000,00 ₽ = 1 200 000 коп.


async def test_malformed_postings_are_refused(books):
    http, h, org = books
    same = await http.post(f"{org}/entries", headers=h,
                           json=entry("2026-03-05", ("51", "51", "10.00")))
    assert_problem(same, 422, "validation.failed")
    for amount in ("0", "-5.00", "1.005"):
        resp = await http.post(f"{org}/entries", headers=h,
                               json=entry("2026-03-05", ("51", "62.01", amount)))
        assert_problem(resp, 422, "validation.failed")
    unknown = await http.post(f"{org}/entries", headers=h,
                              json=entry("2026-03-05", ("51", "62.77", "10.00")))
    problem = assert_problem(unknown, 422, "ledger.unknown_account")
    assert "62.77" in problem["detail"]


async def test_the_database_itself_refuses_a_broken_posting(books, server_app):
    http, h, org = books
    made = (await http.post(f"{org}/entries", headers=h,
                            json=entry("2026-03-05", ("51", "62.01", "1.00")))).json()
    for debit, credit, kopecks in (("51", "51", 100), ("51", "62.01", 0)):
        with db(server_app) as s, pytest.raises(IntegrityError):
            with s.begin():
                s.add(Posting(entry_id=made["id"], org_id="x", line=9,
                              date=date.fromisoformat(made["date"]),
                              debit=debit, credit=credit, amount_kopecks=kopecks))
                s.flush()


async def test_reversal_links_both_and_changes_nothing_in_the_original(books, server_app):
    http, h, org = books
    original = (await http.post(f"{org}/entries", headers=h, json=entry(
        "2026-03-05", ("26", "60.01", "5000.00"), text="Аренда за март"))).json()
    resp = await http.post(f"{org}/entries/{original['id']}/reverse", headers=h,
                           json={"reason": "счёт не тот"})
    assert resp.status_code == 201, resp.text
    storno = resp.json()
    assert storno["reverses"] == original["id"]
    assert storno["postings"] == [{"debit": "26", "credit": "60.01", "amount": "-5000.00",
                                   "memo": None, "counterparty_id": None,
                                   "counterparty": None}]
    assert storno["description"].startswith("Сторно №1")
    again = await http.post(f"{org}/entries/{original['id']}/reverse", headers=h,
                            json={"reason": "ещё раз"})
    assert_problem(again, 409, "ledger.already_reversed")
    twice = await http.post(f"{org}/entries/{storno['id']}/reverse", headers=h,
                            json={"reason": "сторно сторно"})
    assert_problem(twice, 409, "ledger.reversal_of_reversal")
    page = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    by_id = {e["id"]: e for e in page}
    assert by_id[original["id"]]["reversed_by"] == storno["id"]
    assert by_id[original["id"]]["postings"][0]["amount"] == "5000.00"  # untouched
    # Turnover of 26 after both: 5 000,00 − 5 000,00 = 0.
    with db(server_app) as s:
        assert sum(s.scalars(select(Posting.amount_kopecks)
                             .where(Posting.debit == "26")).all()) == 0


async def test_closed_month_refuses_postings_and_reopening_is_audited(books):
    http, h, org = books
    march = (await http.post(f"{org}/entries", headers=h,
                             json=entry("2026-03-10", ("51", "62.01", "100.00")))).json()
    assert (await http.post(f"{org}/periods/2026-03/close", headers=h)).json() == {
        "closed": ["2026-03"]}
    late = await http.post(f"{org}/entries", headers=h,
                           json=entry("2026-03-31", ("51", "62.01", "1.00")))
    problem = assert_problem(late, 409, "ledger.period_closed")
    assert "03.2026" in problem["detail"]
    april = await http.post(f"{org}/entries", headers=h,
                            json=entry("2026-04-01", ("51", "62.01", "1.00")))
    assert april.status_code == 201
    refused = await http.post(f"{org}/entries/{march['id']}/reverse", headers=h,
                              json={"reason": "ошибка"})
    assert_problem(refused, 409, "ledger.period_closed")
    in_april = await http.post(f"{org}/entries/{march['id']}/reverse", headers=h,
                               json={"reason": "ошибка", "date": "2026-04-02"})
    assert in_april.status_code == 201
    reopened = await http.post(f"{org}/periods/2026-03/reopen", headers=h,
                               json={"reason": "акт сверки"})
    assert reopened.json() == {"closed": []}
    log = (await http.get(f"{org}/audit", headers=h)).json()["items"]
    assert log[0]["action"] == "ledger.reopen_period" and log[0]["summary"] == "акт сверки"
    assert (await http.post(f"{org}/entries", headers=h, json=entry(
        "2026-03-31", ("51", "62.01", "1.00")))).status_code == 201
    bad = await http.post(f"{org}/periods/2026-13/close", headers=h)
    assert_problem(bad, 422, "validation.month")


async def test_entries_page_newest_first(books):
    http, h, org = books
    days = ["2026-01-10", "2026-03-01", "2026-02-15", "2026-03-01", "2026-01-10",
            "2026-02-28", "2026-03-02"]
    for n, day in enumerate(days, start=1):
        resp = await http.post(f"{org}/entries", headers=h,
                               json=entry(day, ("51", "62.01", f"{n}.00")))
        assert resp.json()["number"] == n
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await http.get(f"{org}/entries", headers=h, params=params)).json()
        seen.append([(e["date"], e["number"]) for e in page["items"]])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [
        [("2026-03-02", 7), ("2026-03-01", 4), ("2026-03-01", 2)],
        [("2026-02-28", 6), ("2026-02-15", 3), ("2026-01-10", 5)],
        [("2026-01-10", 1)],
    ]
    ranged = (await http.get(f"{org}/entries", headers=h,
                             params={"date_from": "2026-02-01", "date_to": "2026-02-28"})).json()
    assert [e["number"] for e in ranged["items"]] == [6, 3]


async def test_sub_accounts(books):
    http, h, org = books
    made = await http.post(f"{org}/accounts", headers=h,
                           json={"parent": "51", "code": "51.01", "name": "Сбербанк"})
    assert made.status_code == 201 and made.json()["builtin"] is False
    dup = await http.post(f"{org}/accounts", headers=h,
                          json={"parent": "51", "code": "51.01", "name": "Ещё раз"})
    assert_problem(dup, 422, "ledger.sub_account")
    odd = await http.post(f"{org}/accounts", headers=h,
                          json={"parent": "51", "code": "52.01", "name": "Не тот"})
    assert_problem(odd, 422, "ledger.sub_account")
    posted = await http.post(f"{org}/entries", headers=h,
                             json=entry("2026-03-05", ("51.01", "62.01", "10.00")))
    assert posted.status_code == 201


async def test_postings_are_never_changed_through_the_api(books, server_app):
    http, h, org = books
    made = (await http.post(f"{org}/entries", headers=h,
                            json=entry("2026-03-05", ("51", "62.01", "10.00")))).json()
    for method in ("PUT", "PATCH", "DELETE"):
        resp = await http.request(method, f"{org}/entries/{made['id']}", headers=h, json={})
        assert resp.status_code in (404, 405)
    with db(server_app) as s:
        assert s.scalars(select(Entry.description)).all() == ["Операция"]


async def test_postings_carry_the_counterparty_of_this_organisation_only(books):
    http, h, org = books
    cp = (await http.post(f"{org}/counterparties", headers=h, json={
        "kind": "org", "name": "ООО «Поставщик»", "inn": "7707083893", "kpp": "773601001",
    })).json()
    body = entry("2026-03-05", ("26", "60.01", "5000.00"), text="Аренда")
    body["postings"][0]["counterparty_id"] = cp["id"]
    posted = (await http.post(f"{org}/entries", headers=h, json=body)).json()
    assert posted["postings"][0]["counterparty"] == "ООО «Поставщик»"
    # The reversal keeps the analytics, so the counterparty's balance returns to zero.
    storno = (await http.post(f"{org}/entries/{posted['id']}/reverse", headers=h,
                              json={"reason": "ошибка"})).json()
    assert storno["postings"][0]["counterparty_id"] == cp["id"]
    # A counterparty id that is not this organisation's is refused, nothing is posted.
    body["postings"][0]["counterparty_id"] = "00000000-0000-0000-0000-000000000000"
    resp = await http.post(f"{org}/entries", headers=h, json=body)
    assert_problem(resp, 422, "ledger.unknown_counterparty")
    page = (await http.get(f"{org}/entries", headers=h)).json()
    assert len(page["items"]) == 2


async def test_one_entry_is_read_by_its_id_in_its_own_organisation_only(books, http):
    http, h, org = books
    posted = (await http.post(f"{org}/entries", headers=h, json=entry(
        "2026-03-05", ("26", "60.01", "5000.00"), text="Аренда"))).json()
    got = await http.get(f"{org}/entries/{posted['id']}", headers=h)
    assert got.status_code == 200 and got.json() == posted
    missing = await http.get(f"{org}/entries/00000000-0000-0000-0000-000000000000", headers=h)
    assert_problem(missing, 404, "ledger.entry_not_found")
