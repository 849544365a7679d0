"""Month-end closing (закрытие месяца, issue 13 point 7), on SQLite and PostgreSQL.

The built ledger of March 2026 (ОСНО, VAT payer), in roubles:

    Дт 62.01 Кт 90.01  120 000   sale to a customer, VAT included
    Дт 90.03 Кт 68.02   20 000   its VAT: 120 000 × 20/120
    Дт 26    Кт 60.01   30 000   rent (management expenses)
    Дт 44    Кт 60.01    5 000   delivery (selling expenses)
    Дт 91.02 Кт 51       1 000   bank fees (other expenses)

Closing March (server.domain.closing):
    costs          Дт 90.08 Кт 26 30 000; Дт 90.07 Кт 44 5 000
    sales_result   90 holds −120 000 + 20 000 + 30 000 + 5 000 = −65 000 (credit): profit,
                   Дт 90.09 Кт 99 65 000
    other_result   91 holds +1 000 (debit): Дт 99 Кт 91.09 1 000
    99: credit 65 000 − 1 000 = 64 000.
After it, 26 and 44 are nil, 90 and 91 are nil (94н: 90.01…90.08 stay cumulative through
the year, 90.09 holds the months' results), 99 credit 64 000. In December the reformation
closes every 90 and 91 sub-account (all nil) and 99 → 84.01: 84.01 credit 64 000.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from server.db.models import Entry, EntryMark
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register
from tests.helpers import assert_problem, count
from tests.org_helpers import join, ooo

OSNO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}
ACCOUNTS = ("26", "44", "90", "90.01", "90.03", "90.07", "90.08", "90.09", "91", "91.02",
            "91.09", "99", "84", "84.01", "84.02", "62", "60", "68", "51")


@pytest.fixture
async def books(http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=OSNO, headers=h)).json()
    return http, h, f"/orgs/{org['id']}", org["id"]


async def _post(http, h, org, day, *postings):
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": day, "description": "операция",
        "postings": [{"debit": d, "credit": c, "amount": a} for d, c, a in postings]})
    assert resp.status_code == 201, resp.text


async def _month_of_business(http, h, org, year_month):
    day = f"{year_month}-10"
    await _post(http, h, org, day, ("62.01", "90.01", "120000.00"), ("90.03", "68.02", "20000.00"))
    await _post(http, h, org, day, ("26", "60.01", "30000.00"))
    await _post(http, h, org, day, ("44", "60.01", "5000.00"))
    await _post(http, h, org, day, ("91.02", "51", "1000.00"))


async def _closing_balances(http, h, org, date_to):
    """{account: signed closing balance (debit positive)} of the ОСВ from 2026-01-01."""
    resp = await http.get(f"{org}/reports/trial-balance", headers=h,
                          params={"date_from": "2026-01-01", "date_to": date_to})
    assert resp.status_code == 200, resp.text
    return {r["account"]: Decimal(r["closing_debit"]) - Decimal(r["closing_credit"])
            for r in resp.json()["rows"] if r["level"] < 2}


def _pick(balances):
    return {a: balances.get(a, Decimal(0)) for a in ACCOUNTS}


async def test_preview_closes_and_reopens_march(books, server_app):
    http, h, org, org_id = books
    await _month_of_business(http, h, org, "2026-03")
    before = await _closing_balances(http, h, org, "2026-03-31")
    assert before["26"] == Decimal("30000") and before["44"] == Decimal("5000")
    # 90 before the closing: −120 000 + 20 000 = −100 000 (the costs are still on 26, 44).
    assert before["90"] == Decimal("-100000") and before["91"] == Decimal("1000")
    assert before.get("99", Decimal(0)) == 0

    entries_before = count(server_app, Entry, Entry.org_id == org_id)
    preview = (await http.get(f"{org}/closing/2026-03/preview", headers=h)).json()
    assert count(server_app, Entry, Entry.org_id == org_id) == entries_before  # nothing written
    assert preview["date"] == "2026-03-31" and preview["cost_mode"] == "sales"
    steps = {e["step"]: {(p["debit"], p["credit"], p["amount"]) for p in e["postings"]}
             for e in preview["entries"]}
    assert steps == {
        "costs": {("90.08", "26", "30000.00"), ("90.07", "44", "5000.00")},
        "sales_result": {("90.09", "99", "65000.00")},
        "other_result": {("99", "91.09", "1000.00")},
    }
    assert (preview["sales_result"], preview["other_result"], preview["tax"],
            preview["net_result"]) == ("65000.00", "-1000.00", "0.00", "64000.00")
    assert any("68.04" in n for n in preview["notes"])  # the profit tax is said to be left out

    done = await http.post(f"{org}/closing/2026-03", headers=h)
    assert done.status_code == 200, done.text
    assert done.json()["closed"] == ["2026-03"]
    assert all(e["entry_id"] for e in done.json()["closing"]["entries"])
    after = await _closing_balances(http, h, org, "2026-03-31")
    assert after.get("26", 0) == 0 and after.get("44", 0) == 0
    assert after["90"] == 0 and after["91"] == 0
    assert after["90.09"] == Decimal("65000") and after["91.09"] == Decimal("-1000")
    assert after["99"] == Decimal("-64000")  # credit 64 000
    assert count(server_app, EntryMark, EntryMark.kind == "closing") == 3
    # The month is closed: nothing more is posted into it.
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": "2026-03-31", "description": "x",
        "postings": [{"debit": "26", "credit": "60.01", "amount": "1.00"}]})
    assert_problem(resp, 409, "ledger.period_closed")
    assert_problem(await http.post(f"{org}/closing/2026-03", headers=h), 409,
                   "closing.already_closed")

    # Reopening reverses the closing entries: the books are as before.
    resp = await http.post(f"{org}/closing/2026-03/reopen", headers=h,
                           json={"reason": "исправление"})
    assert resp.status_code == 200, resp.text
    assert len(resp.json()["reversed"]) == 3 and resp.json()["closed"] == []
    assert await _closing_balances(http, h, org, "2026-03-31") == before
    for entry in done.json()["closing"]["entries"]:
        got = (await http.get(f"{org}/entries/{entry['entry_id']}", headers=h)).json()
        assert got["reversed_by"] is not None
    # And it closes again the same way.
    again = (await http.post(f"{org}/closing/2026-03", headers=h)).json()
    assert again["closing"]["net_result"] == "64000.00"


async def test_an_earlier_month_cannot_reopen_or_close_under_a_closed_later_one(books):
    http, h, org, _ = books
    await _month_of_business(http, h, org, "2026-03")
    await _month_of_business(http, h, org, "2026-04")
    assert (await http.post(f"{org}/closing/2026-04", headers=h)).status_code == 200
    body = assert_problem(await http.post(f"{org}/closing/2026-03", headers=h), 409,
                          "closing.later_closed")
    assert "04.2026" in body["detail"]
    assert (await http.post(f"{org}/closing/2026-04/reopen", headers=h,
                            json={"reason": "по порядку"})).status_code == 200
    assert (await http.post(f"{org}/closing/2026-03", headers=h)).status_code == 200
    assert (await http.post(f"{org}/closing/2026-04", headers=h)).status_code == 200
    body = assert_problem(await http.post(f"{org}/closing/2026-03/reopen", headers=h,
                                          json={"reason": "x"}), 409, "closing.later_closed")
    assert "04.2026" in body["detail"]
    # April took only April's result: two months of 64 000 on 99.
    balances = await _closing_balances(http, h, org, "2026-04-30")
    assert balances["99"] == Decimal("-128000")
    assert balances["90"] == 0 and balances["91"] == 0


async def test_december_reformation_leaves_90_and_91_nil_and_99_on_84(books):
    http, h, org, _ = books
    await _month_of_business(http, h, org, "2026-12")
    preview = (await http.get(f"{org}/closing/2026-12/preview", headers=h)).json()
    steps = {e["step"]: {(p["debit"], p["credit"], p["amount"]) for p in e["postings"]}
             for e in preview["entries"]}
    # 90.09 after the month's result: debit 65 000; the sub-accounts close into it:
    # Дт 90.01 Кт 90.09 120 000, Дт 90.09 Кт 90.03 20 000 / 90.07 5 000 / 90.08 30 000
    # (90.09: 65 000 − 120 000 + 20 000 + 5 000 + 30 000 = 0).
    assert steps["reform_sales"] == {("90.01", "90.09", "120000.00"),
                                     ("90.09", "90.03", "20000.00"),
                                     ("90.09", "90.07", "5000.00"),
                                     ("90.09", "90.08", "30000.00")}
    assert steps["reform_other"] == {("91.09", "91.02", "1000.00")}
    assert steps["reform_profit"] == {("99", "84.01", "64000.00")}
    assert (await http.post(f"{org}/closing/2026-12", headers=h)).status_code == 200
    after = _pick(await _closing_balances(http, h, org, "2026-12-31"))
    for code in ("26", "44", "90", "90.01", "90.03", "90.07", "90.08", "90.09", "91",
                 "91.02", "91.09", "99"):
        assert after[code] == 0, code
    assert after["84.01"] == Decimal("-64000")


async def test_a_loss_year_goes_to_84_02_and_production_mode_uses_20(books):
    http, h, org, _ = books
    resp = await http.put(f"{org}/closing/settings", headers=h, json={"cost_mode": "production"})
    assert resp.status_code == 200 and resp.json() == {"cost_mode": "production"}
    # December: revenue 10 000, management expenses 30 000 → a loss of 20 000.
    await _post(http, h, org, "2026-12-05", ("62.01", "90.01", "10000.00"))
    await _post(http, h, org, "2026-12-06", ("26", "60.01", "30000.00"))
    preview = (await http.get(f"{org}/closing/2026-12/preview", headers=h)).json()
    steps = {e["step"]: {(p["debit"], p["credit"], p["amount"]) for p in e["postings"]}
             for e in preview["entries"]}
    # 26 → 20 → 90.02; 90 holds −10 000 + 30 000 = +20 000 (debit): loss, Дт 99 Кт 90.09.
    assert steps["costs"] == {("20", "26", "30000.00"), ("90.02", "20", "30000.00")}
    assert steps["sales_result"] == {("99", "90.09", "20000.00")}
    assert steps["reform_profit"] == {("84.02", "99", "20000.00")}
    assert preview["net_result"] == "-20000.00"
    assert (await http.post(f"{org}/closing/2026-12", headers=h)).status_code == 200
    after = _pick(await _closing_balances(http, h, org, "2026-12-31"))
    assert after["84.02"] == Decimal("20000") and after["99"] == 0 and after["90"] == 0


async def test_usn_tax_is_booked_at_the_quarter_end(http):
    # «Доходы» 6 %: 100 000 received in March, no contributions → tax for Q1 6 000
    # (НК ст. 346.20, 346.21), booked Дт 99 Кт 68.12 when March closes; February books none.
    await register(http)
    h = bearer(await login(http))
    org_id = (await http.post("/orgs", json=ooo(), headers=h)).json()["id"]
    org = f"/orgs/{org_id}"
    await _post(http, h, org, "2026-03-10", ("51", "62.01", "100000.00"))
    await _post(http, h, org, "2026-03-10", ("62.01", "90.01", "100000.00"))
    february = (await http.get(f"{org}/closing/2026-02/preview", headers=h)).json()
    assert february["entries"] == [] and any("68.12" in n for n in february["notes"])
    march = (await http.get(f"{org}/closing/2026-03/preview", headers=h)).json()
    steps = {e["step"]: {(p["debit"], p["credit"], p["amount"]) for p in e["postings"]}
             for e in march["entries"]}
    assert steps["sales_result"] == {("90.09", "99", "100000.00")}
    assert steps["tax"] == {("99", "68.12", "6000.00")}
    assert march["net_result"] == "94000.00"


async def test_only_the_accountant_closes(books):
    http, h, org, org_id = books
    await _month_of_business(http, h, org, "2026-03")
    owner = type("P", (), {"h": h})()
    for role in ("primary", "observer", "director", "hr"):
        member = await join(http, owner, org_id, f"{role}@example.ru", role)
        assert_problem(await http.post(f"{org}/closing/2026-03", headers=member.h), 403,
                       "orgs.forbidden")
        assert_problem(await http.put(f"{org}/closing/settings", headers=member.h,
                                      json={"cost_mode": "production"}), 403, "orgs.forbidden")
    closed = (await http.get(f"{org}/periods", headers=h)).json()
    assert closed == {"closed": []}
