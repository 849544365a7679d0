"""The tax calendar through the API: amounts from a payroll and a ledger built here,
``prepared`` once the ЕНП order is exported, what each role sees, the ETag, the range.

Worked example (ООО «Ромашка», УСН «доходы» 6 %, not a VAT payer), the January 2026
payroll of ``tests/server/test_payroll.py`` (its module docstring has the arithmetic):
- advance paid 20.01.2026: no НДФЛ withheld (salary income arises on 31.01, НК ст. 223
  п. 2) → 0 ₽ for 1–22 January (notice 26.01, payment 28.01), no ЕНП order;
- final paid 05.02.2026: the whole January НДФЛ 12 454 + 2 600 + 5 200 = 20 254 ₽ → the
  НДФЛ of 1–22 February (notice 25.02) and of 23.01–22.02 (payment 28.02 Saturday → 02.03);
- contributions for January 30 000 + 8 127,90 + 12 000 = 50 127,90 ₽ (notice 25.02,
  payment 02.03); НС и ПЗ 200 + 40 + 80 = 320 ₽ (15.02 Sunday → 16.02);
- payroll made one ЕНП order: 20 254 + 50 127,90 = 70 381,90 ₽ «срок 02.03.2026»;
- income: Дт 51 Кт 62.01 1 000 000 ₽ on 10.02.2026 → УСН Q1 6 % = 60 000 ₽, no
  contributions paid through the bank in Q1 (the ЕНП was not booked as paid) → the
  advance for Q1 is 60 000 ₽ (notice 27.04, payment 28.04); H1, 9M: nothing more, 0 ₽.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import assert_problem
from tests.org_helpers import create_org, ip, join, ooo, sign_up
from tests.server.test_payroll import IVANOV, PETROV, SIDOROVA


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    for body in (IVANOV, PETROV, SIDOROVA):
        resp = await http.post(f"{base}/employees", json=body, headers=owner.h)
        assert resp.status_code == 201, resp.text
    resp = await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 1},
                           headers=owner.h)
    assert resp.status_code == 200, resp.text
    run = resp.json()
    resp = await http.post(f"{base}/payroll/runs/{run['id']}/approve", headers=owner.h)
    assert resp.status_code == 200, resp.text
    orders = {}
    for day, part in (("2026-01-20", "advance"), ("2026-02-05", "final")):
        resp = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                               json={"date": day, "part": part})
        assert resp.status_code == 200, resp.text
        orders[part] = next((o for o in resp.json()["orders"] if o["kind"] == "tax"), None)
    resp = await http.post(f"{base}/entries", headers=owner.h, json={
        "date": "2026-02-10", "description": "Оплата от покупателя",
        "postings": [{"debit": "51", "credit": "62.01", "amount": "1000000.00"}]})
    assert resp.status_code in (200, 201), resp.text
    return http, owner, org, base, orders


async def calendar(http, base, h, **params):
    resp = await http.get(f"{base}/calendar", headers=h, params=params)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return body, {item["id"]: item for item in body["items"]}


async def test_amounts_from_the_books(books):
    http, owner, _org, base, _orders = books
    body, got = await calendar(http, base, owner.h, year=2026)
    assert (body["kind"], body["regime"], body["vat_mode"], body["employees"]) == (
        "ooo", "usn_income", "none", True)
    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-12-31")

    def amount(key):
        item = got[key]
        return (D(item["amount"]) if item["amount"] is not None else None, item["estimate"])

    assert amount("ndfl_payment:2026-01") == (D("0.00"), False)  # the advance: none
    assert amount("ndfl_notice:2026-01-1") == (D("0.00"), False)
    assert amount("ndfl_notice:2026-01-2") == (None, False)   # nothing withheld 23–31.01
    assert amount("ndfl_notice:2026-02-1") == (D("20254.00"), False)
    assert amount("ndfl_payment:2026-02") == (D("20254.00"), False)
    assert got["ndfl_payment:2026-02"]["due_date"] == "2026-03-02"
    assert got["ndfl_payment:2026-02"]["legal_date"] == "2026-02-28"
    assert amount("contributions_payment:2026-01") == (D("50127.90"), False)
    assert amount("contributions_notice:2026-01") == (D("50127.90"), False)
    assert amount("injury_payment:2026-01") == (D("320.00"), False)
    assert got["injury_payment:2026-01"]["due_date"] == "2026-02-16"
    assert amount("contributions_payment:2026-02") == (None, False)  # no February run
    # УСН from the УСН report: Q1 60 000, nothing more after it.
    assert amount("usn_advance:2026-Q1") == (D("60000.00"), False)
    assert amount("usn_notice:2026-Q1") == (D("60000.00"), False)
    assert amount("usn_advance:2026-H1") == (D("0.00"), False)
    # Reports carry no amount.
    assert amount("rsv:2026-Q1") == (None, False)
    assert got["rsv:2026-Q1"]["basis"] == "п. 7 ст. 431 НК РФ"
    # Titles in Russian by default.
    assert got["ndfl_notice:2026-01-1"]["title"] == "Уведомление по НДФЛ за 01.01–22.01.2026"
    assert got["rsv:2026-Q1"]["title"] == "Расчёт по страховым взносам (РСВ) за 1 квартал 2026"
    assert got["contributions_payment:2026-01"]["title"] == (
        "Уплата страховых взносов (ЕНП) за январь 2026")
    # Not exported yet: nothing is prepared.
    assert not any(item["prepared"] for item in got.values())


async def test_a_draft_run_is_an_estimate(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    resp = await http.post(f"{base}/employees", json=IVANOV, headers=owner.h)
    assert resp.status_code == 201, resp.text
    resp = await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 3},
                           headers=owner.h)
    assert resp.status_code == 200, resp.text
    _, got = await calendar(http, base, owner.h, year=2026)
    # Иванов, March 2026, a whole month: contributions 100 000 × 30 % = 30 000 (not МСП).
    item = got["contributions_payment:2026-03"]
    assert (D(item["amount"]), item["estimate"]) == (D("30000.00"), True)
    # НДФЛ of a part not yet paid counts on its planned pay day, as an estimate.
    paid_in = [got[k] for k in ("ndfl_payment:2026-03", "ndfl_payment:2026-04")]
    assert all(i["estimate"] for i in paid_in if i["amount"] is not None)
    assert any(i["amount"] is not None for i in paid_in)


async def test_prepared_after_the_enp_order_is_exported(books):
    http, owner, _org, base, orders = books
    _, before = await calendar(http, base, owner.h, year=2026)
    resp = await http.post(f"{base}/payment-orders/export", headers=owner.h,
                           json={"ids": [orders["final"]["id"]]})
    assert resp.status_code == 200, resp.text
    _, got = await calendar(http, base, owner.h, year=2026)
    # The order names «срок 02.03.2026»: every ЕНП payment due that day is prepared.
    assert got["ndfl_payment:2026-02"]["prepared"] is True
    assert got["contributions_payment:2026-01"]["prepared"] is True
    # Nothing is exported for 28.01 (the advance withheld no НДФЛ); notices, reports,
    # НС и ПЗ (to СФР, not on the ЕНП) are never prepared by the order.
    assert got["ndfl_payment:2026-01"]["prepared"] is False
    assert got["ndfl_notice:2026-02-1"]["prepared"] is False
    assert got["injury_payment:2026-01"]["prepared"] is False
    assert got["usn_advance:2026-Q1"]["prepared"] is False
    assert [k for k, v in got.items() if v["prepared"] != before[k]["prepared"]] == [
        "contributions_payment:2026-01", "ndfl_payment:2026-02"]


async def test_an_undated_exported_enp_prepares_its_window(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    # An ЕНП order made by hand on 20.04.2026, no due date in its purpose: it prepares the
    # payments due after the previous ЕНП date (this org has no staff: 30.03, the УСН tax
    # for 2025) up to 28.04 — the Q1 advance — and not the H1 advance of 28.07.
    resp = await http.post(f"{base}/payment-orders", headers=owner.h, json={
        "kind": "tax", "date": "2026-04-20", "amount": "60000.00",
        "purpose": "Единый налоговый платёж", "oktmo": "0"})
    assert resp.status_code == 201, resp.text
    _, got = await calendar(http, base, owner.h, year=2026)
    assert got["usn_advance:2026-Q1"]["prepared"] is False  # made, not exported
    resp = await http.post(f"{base}/payment-orders/export", headers=owner.h,
                           json={"ids": [resp.json()["id"]]})
    assert resp.status_code == 200, resp.text
    _, got = await calendar(http, base, owner.h, year=2026)
    assert got["usn_advance:2026-Q1"]["prepared"] is True
    assert got["usn_tax:2025"]["prepared"] is False
    assert got["usn_advance:2026-H1"]["prepared"] is False


@pytest.mark.parametrize(("role", "payroll", "books_amounts"), [
    ("observer", False, True),
    ("primary", False, True),
    ("hr", True, False),
    ("director", True, True),
])
async def test_what_each_role_sees(books, role, payroll, books_amounts):
    http, owner, org, base, _ = books
    member = await join(http, owner, org["id"], f"{role}@example.ru", role)
    _, got = await calendar(http, base, member.h, year=2026)
    ndfl = got["ndfl_payment:2026-02"]
    contributions = got["contributions_payment:2026-01"]
    if payroll:
        assert D(ndfl["amount"]) == D("20254.00") and ndfl["amount_hidden"] is False
        assert D(contributions["amount"]) == D("50127.90")
    else:  # pay is private: neither the НДФЛ nor the contributions, only that they exist
        for item in (ndfl, contributions, got["injury_payment:2026-01"],
                     got["ndfl_notice:2026-01-1"], got["contributions_notice:2026-01"]):
            assert item["amount"] is None and item["amount_hidden"] is True
        assert not any(i["amount"] is not None for k, i in got.items()
                       if k.split(":")[0] in ("ndfl_payment", "ndfl_notice",
                                              "contributions_payment",
                                              "contributions_notice", "injury_payment"))
    usn = got["usn_advance:2026-Q1"]["amount"]
    assert (D(usn) if usn is not None else None) == (D("60000.00") if books_amounts else None)
    # The dates are the same for everyone.
    assert ndfl["due_date"] == "2026-03-02"


async def test_etag_304_until_the_books_change(books):
    http, owner, _org, base, orders = books
    first = await http.get(f"{base}/calendar", headers=owner.h, params={"year": 2026})
    assert first.status_code == 200
    tag = first.headers["etag"]
    again = await http.get(f"{base}/calendar", params={"year": 2026},
                           headers={**owner.h, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    resp = await http.post(f"{base}/payment-orders/export", headers=owner.h,
                           json={"ids": [orders["final"]["id"]]})
    assert resp.status_code == 200
    changed = await http.get(f"{base}/calendar", params={"year": 2026},
                             headers={**owner.h, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


async def test_the_next_deadlines_of_a_range_in_english(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ip(tax_regime="usn_income"))
    base = f"/orgs/{org['id']}"
    resp = await http.get(f"{base}/calendar", params={"from": "2026-04-01", "limit": 3},
                          headers={**owner.h, "Accept-Language": "en"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["date_from"], body["date_to"]) == ("2026-04-01", "2027-04-01")
    assert [(i["id"], i["due_date"]) for i in body["items"]] == [
        ("usn_notice:2026-Q1", "2026-04-27"), ("usn_declaration:2025", "2026-04-27"),
        ("usn_advance:2026-Q1", "2026-04-28")]
    assert body["employees"] is False
    assert body["items"][1]["title"] == "Simplified tax (УСН) return for 2025"
    assert body["items"][0]["title"] == "Simplified tax (УСН) advance notice for Q1 2026"
    # The ИП's fixed contributions are the law's figure, whoever asks.
    resp = await http.get(f"{base}/calendar", params={"from": "2026-12-01", "to": "2026-12-31"},
                          headers=owner.h)
    items = resp.json()["items"]
    assert [(i["id"], i["due_date"], i["amount"], i["estimate"]) for i in items] == [
        ("ip_fixed:2026", "2026-12-28", "57390.00", False)]


async def test_range_refusals(books):
    http, owner, _, base, _ = books
    resp = await http.get(f"{base}/calendar", headers=owner.h,
                          params={"from": "2026-05-01", "to": "2026-04-01"})
    assert_problem(resp, 422, "report.period")
    resp = await http.get(f"{base}/calendar", headers=owner.h,
                          params={"from": "2020-01-01", "to": "2026-01-01"})
    assert_problem(resp, 422, "calendar.range")
    resp = await http.get(f"{base}/calendar", headers=owner.h,
                          params={"year": 2026, "from": "2026-01-01"})
    assert_problem(resp, 422, "calendar.year_or_range")
    resp = await http.get(f"{base}/calendar", headers=owner.h, params={"year": 1999})
    assert resp.status_code == 422
    # No parameters: this year's calendar.
    resp = await http.get(f"{base}/calendar", headers=owner.h)
    assert resp.status_code == 200 and resp.json()["date_from"].endswith("-01-01")
