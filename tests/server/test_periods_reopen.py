"""`POST …/periods/{month}/reopen` (the journal's older route) reopens a month the way the
month-end closing does (issue 13 point 7): the closing entries are reversed, and a month
under a later closed one is refused.

March 2026, in roubles: Дт 62.01 Кт 90.01 120 000 (a sale), Дт 26 Кт 60.01 30 000 (rent).
Closing March: Дт 90.08 Кт 26 30 000; 90 holds −120 000 + 30 000 = −90 000 (credit), a
profit: Дт 90.09 Кт 99 90 000 — two closing entries, 99 credit 90 000. Reopening through
the periods route reverses both: 99 back to 0, 26 debit 30 000 again.
"""

from __future__ import annotations

from decimal import Decimal

from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register
from tests.helpers import assert_problem

OSNO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}


async def _books(http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=OSNO, headers=h)).json()
    return h, f"/orgs/{org['id']}"


async def _post(http, h, org, day, debit, credit, amount):
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": day, "description": "операция",
        "postings": [{"debit": debit, "credit": credit, "amount": amount}]})
    assert resp.status_code == 201, resp.text


async def _closing(http, h, org, day) -> dict[str, Decimal]:
    tb = (await http.get(f"{org}/reports/trial-balance", headers=h, params={
        "date_from": "2026-01-01", "date_to": day})).json()
    return {r["account"]: Decimal(r["closing_debit"]) - Decimal(r["closing_credit"])
            for r in tb["rows"] if r["level"] < 2}


async def test_periods_reopen_reverses_the_closing_entries(http):
    h, org = await _books(http)
    await _post(http, h, org, "2026-03-05", "62.01", "90.01", "120000.00")
    await _post(http, h, org, "2026-03-06", "26", "60.01", "30000.00")
    done = await http.post(f"{org}/closing/2026-03", headers=h)
    assert done.status_code == 200, done.text
    assert len(done.json()["closing"]["entries"]) == 2
    assert (await _closing(http, h, org, "2026-03-31"))["99"] == Decimal("-90000")

    resp = await http.post(f"{org}/periods/2026-03/reopen", headers=h,
                           json={"reason": "исправление"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"closed": []}
    after = await _closing(http, h, org, "2026-03-31")
    # Сторно is negative amounts: 99 has no turnover left at all, so no row.
    assert after.get("99", 0) == 0 and after["26"] == Decimal("30000")
    # Both closing entries carry their reversal.
    journal = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    reversals = [e for e in journal if e["description"].startswith("Сторно")]
    assert len(reversals) == 2
    log = (await http.get(f"{org}/audit", headers=h)).json()["items"]
    assert log[0]["action"] == "ledger.reopen_period"
    assert log[0]["summary"] == "исправление; сторнировано записей закрытия: 2"


async def test_periods_reopen_refuses_under_a_later_closed_month(http):
    h, org = await _books(http)
    await _post(http, h, org, "2026-03-05", "62.01", "90.01", "1000.00")
    for month in ("2026-03", "2026-04"):
        assert (await http.post(f"{org}/closing/{month}", headers=h)).status_code == 200
    body = assert_problem(await http.post(f"{org}/periods/2026-03/reopen", headers=h,
                                          json={"reason": "x"}), 409, "closing.later_closed")
    assert "04.2026" in body["detail"]
    # Still closed; April first, then March.
    assert (await http.get(f"{org}/periods", headers=h)).json() == {
        "closed": ["2026-03", "2026-04"]}
    for month in ("2026-04", "2026-03"):
        resp = await http.post(f"{org}/periods/{month}/reopen", headers=h,
                               json={"reason": "по порядку"})
        assert resp.status_code == 200, resp.text
    assert (await http.get(f"{org}/periods", headers=h)).json() == {"closed": []}
