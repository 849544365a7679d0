"""No 5xx from any input, and no silent overflow (issue 19, points 5 and 9), on SQLite and
PostgreSQL: every malformed or out-of-range value is a 4xx problem naming its field.

Money on the wire is a decimal string within ``core.money.MONEY_MAX`` (999 999 999 999,99 ₽):
a JSON number (``0.1`` is already not 0.1 as a float), an exponent, spaces, a NUL character
are refused. Dates of the books lie in 2000-01-01 … 2099-12-31 (``core.validation``). An
account's turnover may not pass ``core.money.TURNOVER_MAX``, so the aggregates stay exact
integers (on SQLite a BIGINT overflow silently became a REAL).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from core.money import MONEY_MAX, TURNOVER_MAX
from server.db.models import AccountTurnover, Posting
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem, db, set_columns
from tests.org_helpers import create_org, ooo, sign_up

BAD_AMOUNTS = [
    0.1,  # a JSON float
    100,  # a JSON integer: money is a string
    "1e2", " 1.00 ", "1,00", "NaN", "Infinity", "-Infinity", "0x10", "",
    "99999999999999999999999",  # beyond every limit
    "1000000000000",  # 10^12 ₽ = MONEY_MAX + 0,01 ₽
    "9223372036854775.807",  # the BIGINT kopeck limit
    "1" * 5000,
    None, [], {}, True,
]


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    return http, owner.h, f"/orgs/{org['id']}"


def entry(amount, day: str = "2026-03-05", description: str = "Операция") -> dict:
    return {"date": day, "description": description,
            "postings": [{"debit": "51", "credit": "62.01", "amount": amount}]}


def fields(problem: dict) -> set[str]:
    return {e["field"] for e in problem.get("errors") or []}


async def test_malformed_amounts_are_refused_naming_the_field(books):
    http, h, org = books
    for amount in BAD_AMOUNTS:
        resp = await http.post(f"{org}/entries", headers=h, json=entry(amount))
        problem = assert_problem(resp, 422, "validation.failed")
        assert "postings.0.amount" in fields(problem), (amount, problem)
        order = await http.post(f"{org}/payment-orders", headers=h, json={
            "kind": "tax", "date": "2026-04-28", "amount": amount,
            "purpose": "Единый налоговый платёж", "oktmo": "45383000"})
        assert "amount" in fields(assert_problem(order, 422, "validation.failed")), amount
    # The largest amount still goes in, as a string, and comes back the same.
    ok = await http.post(f"{org}/entries", headers=h, json=entry(str(MONEY_MAX)))
    assert ok.status_code == 201, ok.text
    assert ok.json()["postings"][0]["amount"] == "999999999999.99"


async def test_document_money_is_a_bounded_decimal_string(books):
    http, h, org = books
    for price in (0.1, "1e2", "1000000000000", " 5 "):
        resp = await http.post(f"{org}/documents", headers=h, json={
            "type": "act", "date": "2026-03-05", "counterparty_id": None,
            "lines": [{"name": "Услуга", "quantity": "1", "price": price}]})
        assert "lines.0.price" in fields(assert_problem(resp, 422, "validation.failed"))
    resp = await http.post(f"{org}/documents", headers=h, json={
        "type": "bank_in", "date": "2026-03-05", "amount": 12.5})
    assert "amount" in fields(assert_problem(resp, 422, "validation.failed"))


async def test_nul_characters_and_dates_outside_the_books_are_refused(books):
    http, h, org = books
    resp = await http.post(f"{org}/entries", headers=h,
                           json=entry("1.00", description="Аренда\x00март"))
    assert "description" in fields(assert_problem(resp, 422, "validation.failed"))
    resp = await http.post(f"{org}/entries", headers=h, json={
        **entry("1.00"), "postings": [{"debit": "51", "credit": "62.01", "amount": "1.00",
                                       "memo": "\x00"}]})
    assert "postings.0.memo" in fields(assert_problem(resp, 422, "validation.failed"))
    for day in ("0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"):
        resp = await http.post(f"{org}/entries", headers=h, json=entry("1.00", day=day))
        assert "date" in fields(assert_problem(resp, 422, "validation.failed")), day
        resp = await http.post(f"{org}/payment-orders", headers=h, json={
            "kind": "tax", "date": day, "amount": "1.00",
            "purpose": "Единый налоговый платёж", "oktmo": "45383000"})
        assert "date" in fields(assert_problem(resp, 422, "validation.failed")), day
    for edge in ("2000-01-01", "2099-12-31"):
        resp = await http.post(f"{org}/entries", headers=h, json=entry("1.00", day=edge))
        assert resp.status_code == 201, resp.text


async def test_periods_and_report_bounds_are_4xx(books):
    http, h, org = books
    for month in ("0000-01", "9999-12", "2026-13", "2026-00"):
        resp = await http.post(f"{org}/periods/{month}/close", headers=h)
        assert "month" in fields(assert_problem(resp, 422, "validation.month")), month
        resp = await http.post(f"{org}/periods/{month}/reopen", headers=h,
                               json={"reason": "ошибка"})
        assert "month" in fields(assert_problem(resp, 422, "validation.month")), month
    reports = [("reports/financial-results", {}), ("reports/balance-sheet", {}),
               ("reports/trial-balance", {}), ("reports/account-card", {"account": "51"}),
               ("reports/account-analysis", {"account": "51"})]
    for path, extra in reports:
        for date_from, date_to, bad in (("2026-01-01", "9999-12-31", "date_to"),
                                        ("0001-01-01", "2026-12-31", "date_from")):
            resp = await http.get(f"{org}/{path}", headers=h, params={
                "date_from": date_from, "date_to": date_to, **extra})
            problem = assert_problem(resp, 422, "validation.date_range")
            assert fields(problem) == {bad}, (path, problem)


async def test_a_huge_outbox_position_is_a_4xx(http):
    resp = await http.get("/dev/outbox", params={"after": str(10**30)})
    assert "after" in fields(assert_problem(resp, 422, "validation.failed"))


async def test_a_statement_amount_beyond_the_limit_is_refused(books):
    http, h, org = books
    from tests.org_helpers import BANK_SBER
    from tests.server.test_bank_import import CUSTOMER, OWN, doc, exchange, section, upload

    account = BANK_SBER["account"]
    data = exchange([section(account, "0.00", "1.00", "0.00", "1.00")], [
        doc("Платежное поручение", "15", "05.03.2026", "99999999999999999999999.00", CUSTOMER,
            "40702810900000000001", OWN, account, "Оплата", ДатаПоступило="05.03.2026")])
    resp = await upload(http, h, org, data)
    assert 400 <= resp.status_code < 500, resp.text
    assert "Сумма" in resp.text or "amount" in resp.text
    # A line dated outside the books' range would make an entry there: refused too.
    data = exchange([section(account, "0.00", "1.00", "0.00", "1.00")], [
        doc("Платежное поручение", "16", "05.03.1900", "1.00", CUSTOMER,
            "40702810900000000001", OWN, account, "Оплата", ДатаПоступило="05.03.1900")])
    resp = await upload(http, h, org, data)
    assert_problem(resp, 422, "bank.file")
    assert "2000" in resp.json()["detail"], resp.text


async def test_an_account_turnover_cannot_overflow_its_aggregates(books, server_app):
    http, h, org = books
    # The case: two postings near the BIGINT limit (92 233 720 368 547 758,07 ₽ is
    # 2^63 − 1 kopecks) were both accepted and the aggregate became a REAL on SQLite.
    for _ in range(2):
        resp = await http.post(f"{org}/entries", headers=h,
                               json=entry("50000000000000000.00"))
        assert "postings.0.amount" in fields(assert_problem(resp, 422, "validation.failed"))
    made = await http.post(f"{org}/entries", headers=h, json=entry("1.00"))
    assert made.status_code == 201, made.text
    # An account whose turnover is already at the bound (as after ~23 000 postings of the
    # largest amount): one kopeck more is refused, and nothing of it stays in the books.
    assert set_columns(server_app, AccountTurnover, AccountTurnover.account == "51",
                       debit_kopecks=TURNOVER_MAX) == 1
    resp = await http.post(f"{org}/entries", headers=h, json=entry("0.01"))
    assert_problem(resp, 422, "ledger.too_large")
    with db(server_app) as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 1
        debit = s.scalar(select(AccountTurnover.debit_kopecks)
                         .where(AccountTurnover.account == "51"))
        assert debit == TURNOVER_MAX and isinstance(debit, int)
        if server_app.state.engine.dialect.name == "sqlite":
            kinds = s.execute(text("SELECT DISTINCT typeof(debit_kopecks), "
                                   "typeof(credit_kopecks) FROM account_turnovers")).all()
            assert set(kinds) == {("integer", "integer")}
    # The account's own reports still add up.
    resp = await http.get(f"{org}/reports/trial-balance", headers=h,
                          params={"date_from": "2026-01-01", "date_to": "2026-12-31"})
    assert resp.status_code == 200, resp.text


async def test_nul_in_a_query_a_path_or_a_field_name_is_a_422(books):
    http, h, org = books
    resp = await http.get(f"{org}/counterparties?q=%D0%A0%00x", headers=h)
    assert fields(assert_problem(resp, 422, "validation.failed")) == {"q"}
    resp = await http.post(f"{org}/periods/2026-0%001/close", headers=h)
    assert fields(assert_problem(resp, 422, "validation.failed")) == {"path"}
    # An unknown field whose very name carries a NUL: named (escaped), not a 500.
    resp = await http.post(f"{org}/entries", headers=h, json={**entry("1.00"), "x\x00": 1})
    assert "x\\0" in fields(assert_problem(resp, 422, "validation.failed"))
