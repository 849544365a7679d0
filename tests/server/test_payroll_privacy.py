"""Pay is private, and the team's contacts are for those who work with it (issue 19, 11).

«Ромашка» (on УСН «доходы минус расходы», so wages paid are in the КУДиР) books a month's
pay for Иванов and pays it, and a customer's payment:

    №1 05.03  Дт 51 Кт 62.01   100 000,00  «Оплата от покупателя»
    №2 31.03  Дт 26 Кт 70       50 000,00  «Начислена зарплата Иванову И. И. за март»
              Дт 70 Кт 68.01     6 500,00  НДФЛ (13 % of 50 000)
              Дт 26 Кт 69.09    15 000,00  contributions (30 %)
    №3 05.04  Дт 70 Кт 51       43 500,00  «Зарплата Иванову И. И.», counterparty Иванов,
                                           memo «карта Иванова»

Roles with payroll rights (accountant, director) see all of it. The primary accountant
and the observer see every amount — the trial balance's totals are the accountant's to
the kopeck — but no card or analysis of 70, 68 (it rolls up 68.01), 68.01 or 69.09, and
nowhere Иванов: not in the card of 51, the journal (page, entry, search), the КУДиР or
the exported journal. The observer sees the team's roles, not the others' e-mails.
Each test runs on SQLite and on PostgreSQL (``tests.both_databases``).
"""

from __future__ import annotations

import pytest

from server.domain.roles import Role, holds_payroll_account, is_payroll_account
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem
from tests.org_helpers import ooo, two_orgs

PAYROLL = (Role.ACCOUNTANT, Role.DIRECTOR)
NO_PAYROLL = (Role.PRIMARY, Role.OBSERVER)
READERS = PAYROLL + NO_PAYROLL
NAME = "Иванов"
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


@pytest.fixture
async def books(http):
    world = await two_orgs(http)
    owner, base = world.owner, f"/orgs/{world.org_id}"
    resp = await http.put(base, headers=owner.h, json=ooo(tax_regime="usn_income_expense"))
    assert resp.status_code == 200, resp.text
    resp = await http.post(f"{base}/counterparties", headers=owner.h, json={
        "kind": "person", "name": "Иванов Иван Иванович"})
    assert resp.status_code == 201, resp.text
    employee = resp.json()["id"]
    for body in (
        {"date": "2026-03-05", "description": "Оплата от покупателя",
         "postings": [{"debit": "51", "credit": "62.01", "amount": "100000.00"}]},
        {"date": "2026-03-31", "description": "Начислена зарплата Иванову И. И. за март",
         "postings": [{"debit": "26", "credit": "70", "amount": "50000.00"},
                      {"debit": "70", "credit": "68.01", "amount": "6500.00"},
                      {"debit": "26", "credit": "69.09", "amount": "15000.00"}]},
        {"date": "2026-04-05", "description": "Зарплата Иванову И. И.",
         "postings": [{"debit": "70", "credit": "51", "amount": "43500.00",
                       "counterparty_id": employee, "memo": "карта Иванова"}]},
    ):
        resp = await http.post(f"{base}/entries", headers=owner.h, json=body)
        assert resp.status_code == 201, resp.text
    return http, world, base


def test_payroll_accounts():
    assert [c for c in ("70", "70.01", "68.01", "69", "69.09", "68", "68.02", "60", "700")
            if is_payroll_account(c)] == ["70", "70.01", "68.01", "69", "69.09"]
    assert holds_payroll_account("68") and not holds_payroll_account("68.02")


async def test_card_and_analysis_of_payroll_accounts_by_role(books):
    http, world, base = books
    for role in READERS:
        h = world.members[role].h
        for account in ("70", "68", "68.01", "69.09"):
            for report in ("account-card", "account-analysis"):
                resp = await http.get(f"{base}/reports/{report}", headers=h,
                                      params={**PERIOD, "account": account})
                if role in PAYROLL:
                    assert resp.status_code == 200, (role, account, resp.text)
                else:
                    body = assert_problem(resp, 403, "reports.payroll_only")
                    assert account in body["detail"]
        # 68.02 (VAT) stays readable to everyone who reads the books.
        resp = await http.get(f"{base}/reports/account-card", headers=h,
                              params={**PERIOD, "account": "68.02"})
        assert resp.status_code == 200, (role, resp.text)
    card = (await http.get(f"{base}/reports/account-card", headers=world.owner.h,
                           params={**PERIOD, "account": "70"})).json()
    assert any(NAME in (r["counterparty"] or "") for r in card["rows"])


async def test_card_of_51_hides_whose_pay_it_was(books):
    http, world, base = books
    for role in READERS:
        card = (await http.get(f"{base}/reports/account-card", headers=world.members[role].h,
                               params={**PERIOD, "account": "51"})).json()
        # The same rows and amounts for everyone: +100 000 from the customer, −43 500.
        assert [(r["corr_account"], r["debit"], r["credit"]) for r in card["rows"]] == [
            ("62.01", "100000.00", "0.00"), ("70", "0.00", "43500.00")]
        assert card["closing"] == "56500.00"
        pay = card["rows"][1]
        if role in PAYROLL:
            assert NAME in pay["description"] and NAME in pay["counterparty"]
        else:
            assert NAME not in str(card)
            assert pay["description"] == "Операция по оплате труда"
            assert pay["counterparty"] is None
            assert card["rows"][0]["description"] == "Оплата от покупателя"


async def test_trial_balance_adds_up_the_same_without_employee_detail(books):
    http, world, base = books
    seen = {}
    for role in READERS:
        for by in ("account", "counterparty"):
            resp = await http.get(f"{base}/reports/trial-balance", headers=world.members[role].h,
                                  params={**PERIOD, "by": by})
            assert resp.status_code == 200, resp.text
            tb = resp.json()
            seen[role, by] = tb
            if role in NO_PAYROLL:
                assert NAME not in str(tb)
                assert not [r for r in tb["rows"]
                            if r["level"] == 2 and is_payroll_account(r["account"])]
    for by in ("account", "counterparty"):
        full, part = seen[Role.ACCOUNTANT, by], seen[Role.PRIMARY, by]
        assert part["totals"] == full["totals"]
        # 70: credit 50 000, debit 6 500 + 43 500 = 50 000, closing 0.
        assert [(r["account"], r["debit"], r["credit"]) for r in part["rows"]
                if r["level"] < 2] == [(r["account"], r["debit"], r["credit"])
                                       for r in full["rows"] if r["level"] < 2]
        row70 = next(r for r in part["rows"] if r["account"] == "70")
        assert (row70["debit"], row70["credit"]) == ("50000.00", "50000.00")


async def test_journal_page_entry_and_search_hide_the_employee(books):
    http, world, base = books
    for role in READERS:
        h = world.members[role].h
        page = (await http.get(f"{base}/entries", headers=h)).json()["items"]
        assert [e["total"] for e in page] == ["43500.00", "71500.00", "100000.00"]
        pay = page[0]
        one = (await http.get(f"{base}/entries/{pay['id']}", headers=h)).json()
        found = (await http.get(f"{base}/entries", headers=h,
                                params={"q": f"desc:{NAME}"})).json()["items"]
        not_found = (await http.get(f"{base}/entries", headers=h,
                                    params={"q": f"not:desc:{NAME}"})).json()["items"]
        if role in PAYROLL:
            assert pay["postings"][0]["memo"] == "карта Иванова"
            assert one == pay
            assert len(found) == 2 and len(not_found) == 1
        else:
            assert NAME not in str(page) and NAME not in str(one)
            assert pay["description"] == one["description"] == "Операция по оплате труда"
            assert pay["postings"][0]["counterparty_id"] is None
            assert pay["postings"][0]["memo"] is None
            assert page[2]["description"] == "Оплата от покупателя"
            # A search by the hidden text finds no payroll entry, either way round.
            assert found == []
            assert [e["description"] for e in not_found] == ["Оплата от покупателя"]


async def test_kudir_and_export_hide_the_employee(books):
    http, world, base = books
    for role in READERS:
        h = world.members[role].h
        usn = (await http.get(f"{base}/reports/usn", headers=h,
                              params={"year": 2026})).json()
        assert (usn["income"], usn["expense"]) == ("100000.00", "43500.00")
        resp = await http.get(f"{base}/export/journal", headers=h)
        assert resp.status_code == 200, resp.text
        journal = resp.text
        assert journal.count("43500.00") == 2  # 70 and 51, each side of the posting
        if role in PAYROLL:
            assert NAME in str(usn["rows"]) and NAME in journal
        else:
            assert NAME not in str(usn) and NAME not in journal
            assert "Операция по оплате труда" in journal
            assert "Оплата от покупателя" in journal


async def test_observer_sees_the_team_not_its_addresses(books):
    http, world, base = books
    resp = await http.post(f"{base}/invitations", headers=world.owner.h,
                           json={"email": "newcomer@example.ru", "role": "primary"})
    assert resp.status_code == 201, resp.text
    for role in (Role.ACCOUNTANT, Role.DIRECTOR, Role.PRIMARY, Role.HR, Role.OBSERVER):
        team = (await http.get(f"{base}/team", headers=world.members[role].h)).json()
        emails = {mb["role"]: mb["email"] for mb in team["members"]}
        assert set(emails) == {r.value for r in Role}
        if role is Role.OBSERVER:
            assert emails == {"accountant": "o…@example.ru", "director": "d…@example.ru",
                              "primary": "p…@example.ru", "hr": "h…@example.ru",
                              "observer": "observer@example.ru"}  # its own, in full
            assert team["invitations"] == []
        else:
            assert emails["accountant"] == "owner@example.ru"
            assert [i["email"] for i in team["invitations"]] == ["newcomer@example.ru"]
