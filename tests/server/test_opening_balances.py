"""Opening balances (ввод остатков, issue 13 point 6), on SQLite and PostgreSQL.

The worked example, start 01.01.2026, so the entry is dated 31.12.2025 (in roubles):

    Дт 51     100 000                 Кт 60.01  40 000 (supplier S)
    Дт 62.01   30 000 (customer A)    Кт 80     10 000
    Дт 62.01   20 000 (customer B)    Кт 84    120 000
    Дт 01      20 000
    debits   170 000                  credits  170 000

Each line is posted against 000: Дт 51 Кт 000 100 000 … Дт 000 Кт 84 120 000; 000 is
debited 40 000 + 10 000 + 120 000 = 170 000 and credited 100 000 + 30 000 + 20 000 +
20 000 = 170 000: its balance is 0. The ОСВ for January 2026 shows them as opening balances.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.db.models import Entry, EntryMark, LedgerAccount
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register
from tests.helpers import assert_problem, count, rows
from tests.org_helpers import join

OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}


async def _cp(http, h, org, name, inn):
    resp = await http.post(f"{org}/counterparties", headers=h,
                           json={"kind": "org", "name": name, "inn": inn})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


@pytest.fixture
async def books(http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=OOO, headers=h)).json()
    path = f"/orgs/{org['id']}"
    a = await _cp(http, h, path, "ООО «Покупатель А»", "7728168971")
    b = await _cp(http, h, path, "ООО «Покупатель Б»", "7702070139")
    s = await _cp(http, h, path, "ООО «Поставщик»", "7736050003")
    return http, h, path, org["id"], {"A": a, "B": b, "S": s}


def example(cps):
    return {"start_date": "2026-01-01", "lines": [
        {"account": "51", "debit": "100000.00"},
        {"account": "62.01", "counterparty_id": cps["A"], "debit": "30000.00"},
        {"account": "62.01", "counterparty_id": cps["B"], "debit": "20000.00"},
        {"account": "01", "debit": "20000.00"},
        {"account": "60.01", "counterparty_id": cps["S"], "credit": "40000.00"},
        {"account": "80", "credit": "10000.00"},
        {"account": "84", "credit": "120000.00"},
    ]}


async def _tb(http, h, org, date_from="2026-01-01", date_to="2026-01-31", by="account"):
    resp = await http.get(f"{org}/reports/trial-balance", headers=h,
                          params={"date_from": date_from, "date_to": date_to, "by": by})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _row(tb, account, level=None):
    found = [r for r in tb["rows"] if r["account"] == account
             and (level is None or r["level"] == level)]
    assert found, (account, [r["account"] for r in tb["rows"]])
    return found[0]


async def test_opening_balances_net_000_to_zero_and_open_the_trial_balance(books, server_app):
    http, h, org, org_id, cps = books
    empty = (await http.get(f"{org}/ledger/opening-balances", headers=h)).json()
    assert empty["start_date"] is None and empty["lines"] == [] and empty["balanced"]
    # 000 is in the chart now (the organisation was created before anything used it).
    assert count(server_app, LedgerAccount, LedgerAccount.org_id == org_id,
                 LedgerAccount.code == "000") == 1

    resp = await http.post(f"{org}/ledger/opening-balances", headers=h, json=example(cps))
    assert resp.status_code == 200, resp.text
    got = resp.json()
    assert got["start_date"] == "2026-01-01" and got["entry_date"] == "2025-12-31"
    assert Decimal(got["debit_total"]) == Decimal("170000.00")
    assert Decimal(got["credit_total"]) == Decimal("170000.00")
    assert Decimal(got["auxiliary_balance"]) == 0 and got["balanced"] is True
    assert {(x["account"], x["counterparty"], x["debit"], x["credit"]) for x in got["lines"]} == {
        ("51", None, "100000.00", "0.00"), ("62.01", "ООО «Покупатель А»", "30000.00", "0.00"),
        ("62.01", "ООО «Покупатель Б»", "20000.00", "0.00"), ("01", None, "20000.00", "0.00"),
        ("60.01", "ООО «Поставщик»", "0.00", "40000.00"), ("80", None, "0.00", "10000.00"),
        ("84", None, "0.00", "120000.00")}

    # The entry: one, dated 31.12.2025, every posting against 000.
    entry = (await http.get(f"{org}/entries/{got['entry_id']}", headers=h)).json()
    assert entry["date"] == "2025-12-31" and len(entry["postings"]) == 7
    assert all("000" in (p["debit"], p["credit"]) for p in entry["postings"])
    assert {(p["debit"], p["credit"], p["amount"]) for p in entry["postings"]} >= {
        ("51", "000", "100000.00"), ("000", "84", "120000.00")}

    # ОСВ of January 2026: the balances are its opening balances, 000 opens and closes at 0.
    tb = await _tb(http, h, org)
    assert _row(tb, "51")["opening_debit"] == "100000.00"
    assert _row(tb, "62")["opening_debit"] == "50000.00"
    assert _row(tb, "60")["opening_credit"] == "40000.00"
    assert _row(tb, "84")["opening_credit"] == "120000.00"
    # 000 nets to zero: no row at all in January (no balance, no turnover) …
    assert "000" not in {r["account"] for r in tb["rows"]}
    # … and in December 2025, the day of the entry, turnovers of 170 000 each side, closing 0.
    december = await _tb(http, h, org, "2025-12-01", "2025-12-31")
    aux = _row(december, "000")
    assert (aux["debit"], aux["credit"], aux["closing_debit"], aux["closing_credit"]) == (
        "170000.00", "170000.00", "0.00", "0.00")
    assert tb["totals"]["opening_debit"] == tb["totals"]["opening_credit"] == "170000.00"
    # By counterparty: 62.01 splits into the two customers.
    by_cp = await _tb(http, h, org, by="counterparty")
    customers = {r["counterparty"]: r["opening_debit"] for r in by_cp["rows"]
                 if r["account"] == "62.01" and r["level"] == 2}
    assert customers == {"ООО «Покупатель А»": "30000.00", "ООО «Покупатель Б»": "20000.00"}


async def test_changing_them_reverses_the_old_entry_and_posts_the_new(books, server_app):
    http, h, org, org_id, cps = books
    first = (await http.post(f"{org}/ledger/opening-balances", headers=h,
                             json=example(cps))).json()
    # The same set again writes nothing.
    again = (await http.post(f"{org}/ledger/opening-balances", headers=h,
                             json=example(cps))).json()
    assert again["entry_id"] == first["entry_id"]
    # A forgotten balance: Дт 50 5 000 — now the debits exceed the credits by 5 000, and
    # 000 shows it (credit 5 000: balance −5 000) until the other side comes in.
    body = example(cps)
    body["lines"].append({"account": "50", "debit": "5000.00"})
    changed = (await http.post(f"{org}/ledger/opening-balances", headers=h, json=body)).json()
    assert changed["entry_id"] != first["entry_id"]
    assert Decimal(changed["auxiliary_balance"]) == Decimal("-5000.00")
    assert changed["balanced"] is False
    old = (await http.get(f"{org}/entries/{first['entry_id']}", headers=h)).json()
    assert old["reversed_by"] is not None
    reversal = (await http.get(f"{org}/entries/{old['reversed_by']}", headers=h)).json()
    assert reversal["date"] == "2025-12-31"
    assert {p["amount"] for p in reversal["postings"]} >= {"-100000.00", "-120000.00"}
    # ОСВ: 51 still 100 000 (not doubled), 50 5 000, 000 credit 5 000.
    tb = await _tb(http, h, org)
    assert _row(tb, "51")["opening_debit"] == "100000.00"
    assert _row(tb, "50")["opening_debit"] == "5000.00"
    assert _row(tb, "000")["closing_credit"] == "5000.00"
    current = (await http.get(f"{org}/ledger/opening-balances", headers=h)).json()
    assert current["entry_id"] == changed["entry_id"] and len(current["lines"]) == 8
    marks = rows(server_app, EntryMark, EntryMark.org_id == org_id)
    assert {m.kind for m in marks} == {"opening"} and len(marks) == 2
    assert count(server_app, Entry, Entry.org_id == org_id) == 3


async def test_bad_lines_are_refused_naming_the_field(books):
    http, h, org, _org_id, cps = books
    cases = [
        ({"start_date": "2026-01-15", "lines": []}, "opening.start_date"),
        ({"start_date": "2026-01-01",
          "lines": [{"account": "51", "counterparty_id": cps["A"], "debit": "1.00"}]},
         "opening.no_counterparty_analytics"),
        ({"start_date": "2026-01-01",
          "lines": [{"account": "51", "debit": "1.00"}, {"account": "51", "credit": "2.00"}]},
         "opening.duplicate"),
        ({"start_date": "2026-01-01", "lines": [{"account": "59.99", "debit": "1.00"}]},
         "ledger.unknown_account"),
    ]
    for body, code in cases:
        resp = await http.post(f"{org}/ledger/opening-balances", headers=h, json=body)
        assert_problem(resp, 422, code)
    both = await http.post(f"{org}/ledger/opening-balances", headers=h, json={
        "start_date": "2026-01-01", "lines": [{"account": "51", "debit": "1", "credit": "1"}]})
    assert both.status_code == 422 and "debit" in both.text
    neither = await http.post(f"{org}/ledger/opening-balances", headers=h, json={
        "start_date": "2026-01-01", "lines": [{"account": "51"}]})
    assert neither.status_code == 422
    # 000 itself is no account to enter a balance on.
    aux = await http.post(f"{org}/ledger/opening-balances", headers=h, json={
        "start_date": "2026-01-01", "lines": [{"account": "000", "debit": "1.00"}]})
    assert aux.status_code == 422
    assert (await http.get(f"{org}/ledger/opening-balances", headers=h)).json()["lines"] == []


async def test_a_closed_month_and_a_role_without_ledger_write_are_refused(books, server_app):
    http, h, org, org_id, cps = books
    closed = await http.post(f"{org}/periods/2025-12/close", headers=h)
    assert closed.status_code == 200, closed.text
    assert_problem(await http.post(f"{org}/ledger/opening-balances", headers=h,
                                   json=example(cps)), 409, "ledger.period_closed")
    reopened = await http.post(f"{org}/periods/2025-12/reopen", headers=h,
                               json={"reason": "ввод остатков"})
    assert reopened.status_code == 200
    owner = type("P", (), {"h": h})()
    for role in ("primary", "observer", "director"):
        member = await join(http, owner, org_id, f"{role}@example.ru", role)
        resp = await http.post(f"{org}/ledger/opening-balances", headers=member.h,
                               json=example(cps))
        assert_problem(resp, 403, "orgs.forbidden")
    assert count(server_app, Entry, Entry.org_id == org_id) == 0
