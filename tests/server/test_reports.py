"""Trial balance, account card and account analysis on a small ledger computed by hand.

The books of «Ромашка» (amounts in roubles; B — ООО «Покупатель», B2 — ИП Сидоров,
S — ООО «Поставщик»):

    №   date        Дт      Кт      amount    cp   what
    1   10.12.2025  51      80      100 000   —    уставный капитал
    2   15.12.2025  62.01   90.01    30 000   B    sale
    3   20.12.2025  26      60.01    12 000   S    rent
    4   15.01.2026  51      62.01    20 000   B    payment from B
    5   10.02.2026  60.01   51       12 000   S    payment to S
    6   20.02.2026  60.02   51        5 000   S    advance to S
    7   05.03.2026  62.01   90.01     8 000   B2   sale
    8   25.03.2026  26      60.01     3 000   S    services of S
    9   05.04.2026  51      62.01     8 000   B2   payment from B2
    10  31.03.2026  60.01   60.02     3 000   S    the advance set off
    11  02.04.2026  сторно of № 8: Дт 26 Кт 60.01 −3 000 (S)

The quarter is Q1 2026 (01.01–31.03): № 1–3 make the opening balances, № 9 and № 11
fall after it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem
from tests.org_helpers import create_org, join, ooo, sign_up


class Books:
    def __init__(self, http, owner, org, cps):
        self.http, self.owner, self.org = http, owner, org
        self.base = f"/orgs/{org['id']}"
        self.cp = cps
        self.entries: dict[int, dict] = {}

    async def post(self, day: str, debit: str, credit: str, amount: str, cp: str | None,
                   text: str = "Операция") -> dict:
        resp = await self.http.post(f"{self.base}/entries", headers=self.owner.h, json={
            "date": day, "description": text,
            "postings": [{"debit": debit, "credit": credit, "amount": amount,
                          "counterparty_id": self.cp[cp] if cp else None}]})
        assert resp.status_code == 201, resp.text
        made = resp.json()
        self.entries[made["number"]] = made
        return made

    async def report(self, name: str, who=None, **params) -> dict:
        resp = await self.get(name, who, **params)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def get(self, name: str, who=None, **params):
        return await self.http.get(f"{self.base}/reports/{name}", params=params,
                                   headers=(who or self.owner).h)


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    cps = {}
    for key, body in {
        "B": {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893",
              "kpp": "773601001"},
        "B2": {"kind": "ip", "name": "ИП Сидоров", "inn": "500100732259"},
        "S": {"kind": "org", "name": "ООО «Поставщик»", "inn": "7728168971",
              "kpp": "772801001"},
    }.items():
        resp = await http.post(f"/orgs/{org['id']}/counterparties", json=body, headers=owner.h)
        assert resp.status_code == 201, resp.text
        cps[key] = resp.json()["id"]
    b = Books(http, owner, org, cps)
    await b.post("2025-12-10", "51", "80", "100000.00", None, "Уставный капитал")
    await b.post("2025-12-15", "62.01", "90.01", "30000.00", "B", "Продажа")
    await b.post("2025-12-20", "26", "60.01", "12000.00", "S", "Аренда")
    await b.post("2026-01-15", "51", "62.01", "20000.00", "B", "Оплата от покупателя")
    await b.post("2026-02-10", "60.01", "51", "12000.00", "S", "Оплата поставщику")
    await b.post("2026-02-20", "60.02", "51", "5000.00", "S", "Аванс поставщику")
    await b.post("2026-03-05", "62.01", "90.01", "8000.00", "B2", "Продажа")
    await b.post("2026-03-25", "26", "60.01", "3000.00", "S", "Услуги")
    await b.post("2026-04-05", "51", "62.01", "8000.00", "B2", "Оплата от покупателя")
    await b.post("2026-03-31", "60.01", "60.02", "3000.00", "S", "Зачёт аванса")
    resp = await http.post(f"{b.base}/entries/{b.entries[8]['id']}/reverse", headers=owner.h,
                           json={"reason": "акт не тот", "date": "2026-04-02"})
    assert resp.status_code == 201, resp.text
    b.entries[11] = resp.json()
    return b


FIGURES = ("opening_debit", "opening_credit", "debit", "credit", "closing_debit",
           "closing_credit")


def table(rows: list[dict]) -> list[tuple]:
    return [(r["level"], r["account"], r["counterparty"], *(r[f] for f in FIGURES))
            for r in rows]


Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


async def test_trial_balance_for_a_quarter(books):
    tb = await books.report("trial-balance", **Q1)
    assert tb["by"] == "account"
    assert tb["head"]["org_name"] == "ООО «Ромашка»"
    assert tb["head"]["org_inn"] == "7707083893"
    assert (tb["head"]["date_from"], tb["head"]["date_to"]) == ("2026-01-01", "2026-03-31")
    assert table(tb["rows"]) == [
        # 26: opened at 12 000 Дт (№ 3); Дт 3 000 (№ 8; its reversal is in April);
        # closes 12 000 + 3 000 = 15 000 Дт.
        (0, "26", None, "12000.00", "0.00", "3000.00", "0.00", "15000.00", "0.00"),
        # 51: opened at 100 000 Дт (№ 1); Дт 20 000 (№ 4); Кт 12 000 + 5 000 = 17 000
        # (№ 5, 6); closes 100 000 + 20 000 − 17 000 = 103 000 Дт.
        (0, "51", None, "100000.00", "0.00", "20000.00", "17000.00", "103000.00", "0.00"),
        # 60 = 60.01 + 60.02, netted: opened at 12 000 Кт; Дт 12 000 + 5 000 + 3 000 =
        # 20 000 (№ 5, 6, 10); Кт 3 000 + 3 000 = 6 000 (№ 8, 10);
        # closes −12 000 + 20 000 − 6 000 = 2 000 Дт.
        (0, "60", None, "0.00", "12000.00", "20000.00", "6000.00", "2000.00", "0.00"),
        # 60.01: opened at 12 000 Кт; Дт 12 000 + 3 000 = 15 000; Кт 3 000; closes 0.
        (1, "60.01", None, "0.00", "12000.00", "15000.00", "3000.00", "0.00", "0.00"),
        # 60.02: Дт 5 000 (№ 6); Кт 3 000 (№ 10); closes 2 000 Дт.
        (1, "60.02", None, "0.00", "0.00", "5000.00", "3000.00", "2000.00", "0.00"),
        # 62 = 62.01: opened at 30 000 Дт (№ 2); Дт 8 000 (№ 7); Кт 20 000 (№ 4);
        # closes 30 000 + 8 000 − 20 000 = 18 000 Дт.
        (0, "62", None, "30000.00", "0.00", "8000.00", "20000.00", "18000.00", "0.00"),
        (1, "62.01", None, "30000.00", "0.00", "8000.00", "20000.00", "18000.00", "0.00"),
        # 80: opened at 100 000 Кт, nothing in the quarter.
        (0, "80", None, "0.00", "100000.00", "0.00", "0.00", "0.00", "100000.00"),
        # 90 = 90.01: opened at 30 000 Кт; Кт 8 000 (№ 7); closes 38 000 Кт.
        (0, "90", None, "0.00", "30000.00", "0.00", "8000.00", "0.00", "38000.00"),
        (1, "90.01", None, "0.00", "30000.00", "0.00", "8000.00", "0.00", "38000.00"),
    ]
    names = {r["account"]: (r["name"], r["parent"]) for r in tb["rows"]}
    assert names["60.01"] == ("Расчеты с поставщиками и подрядчиками", "60")
    assert names["51"] == ("Расчетные счета", None)
    # Totals of the level-0 rows: opening 12 000 + 100 000 + 30 000 = 142 000 on each
    # side; turnover Дт 3 000 + 20 000 + 20 000 + 8 000 = 51 000 and Кт 17 000 + 6 000 +
    # 20 000 + 8 000 = 51 000; closing Дт 15 000 + 103 000 + 2 000 + 18 000 = 138 000
    # and Кт 100 000 + 38 000 = 138 000.
    totals = tb["totals"]
    assert totals["name"] == "Итого" and totals["level"] == 0
    assert [totals[f] for f in FIGURES] == ["142000.00", "142000.00", "51000.00", "51000.00",
                                            "138000.00", "138000.00"]


async def test_trial_balance_by_counterparty(books):
    tb = await books.report("trial-balance", by="counterparty", **Q1)
    assert tb["by"] == "counterparty"
    rows = table(tb["rows"])
    # Accounts kept by counterparty get a line per counterparty right after them; the
    # account rows themselves are as in the plain report. 90.01 and 26 are not kept by
    # counterparty (the sale postings carry one, but the chart says no): no lines.
    assert rows == [
        (0, "26", None, "12000.00", "0.00", "3000.00", "0.00", "15000.00", "0.00"),
        (0, "51", None, "100000.00", "0.00", "20000.00", "17000.00", "103000.00", "0.00"),
        (0, "60", None, "0.00", "12000.00", "20000.00", "6000.00", "2000.00", "0.00"),
        (1, "60.01", None, "0.00", "12000.00", "15000.00", "3000.00", "0.00", "0.00"),
        (2, "60.01", "ООО «Поставщик»",
         "0.00", "12000.00", "15000.00", "3000.00", "0.00", "0.00"),
        (1, "60.02", None, "0.00", "0.00", "5000.00", "3000.00", "2000.00", "0.00"),
        (2, "60.02", "ООО «Поставщик»", "0.00", "0.00", "5000.00", "3000.00", "2000.00", "0.00"),
        (0, "62", None, "30000.00", "0.00", "8000.00", "20000.00", "18000.00", "0.00"),
        (1, "62.01", None, "30000.00", "0.00", "8000.00", "20000.00", "18000.00", "0.00"),
        # B2 (ИП Сидоров, sorted first): Дт 8 000 (№ 7), closes 8 000 Дт.
        (2, "62.01", "ИП Сидоров", "0.00", "0.00", "8000.00", "0.00", "8000.00", "0.00"),
        # B: opened at 30 000 Дт (№ 2); Кт 20 000 (№ 4); closes 10 000 Дт.
        (2, "62.01", "ООО «Покупатель»",
         "30000.00", "0.00", "0.00", "20000.00", "10000.00", "0.00"),
        (0, "80", None, "0.00", "100000.00", "0.00", "0.00", "0.00", "100000.00"),
        # 80 is kept by counterparty (founders), but № 1 names none.
        (2, "80", "<без контрагента>", "0.00", "100000.00", "0.00", "0.00", "0.00", "100000.00"),
        (0, "90", None, "0.00", "30000.00", "0.00", "8000.00", "0.00", "38000.00"),
        (1, "90.01", None, "0.00", "30000.00", "0.00", "8000.00", "0.00", "38000.00"),
    ]
    lines = [r for r in tb["rows"] if r["level"] == 2]
    assert {r["counterparty_id"] for r in lines} == {books.cp["S"], books.cp["B"],
                                                     books.cp["B2"], None}
    assert all(r["parent"] == r["account"] for r in lines)
    # The same totals: only level-0 rows count.
    assert [tb["totals"][f] for f in FIGURES] == ["142000.00", "142000.00", "51000.00",
                                                  "51000.00", "138000.00", "138000.00"]


async def test_a_reversal_is_a_negative_turnover_and_part_months_count(books):
    # April: № 9 (Дт 51 Кт 62.01 8 000) and the reversal № 11 (Дт 26 Кт 60.01 −3 000).
    tb = await books.report("trial-balance", date_from="2026-04-01", date_to="2026-04-30")
    rows = {r["account"]: r for r in tb["rows"]}
    # 26: opened at 15 000 Дт; Дт −3 000 (red storno: the turnover goes down); closes
    # 12 000 Дт.
    assert [rows["26"][f] for f in FIGURES] == [
        "15000.00", "0.00", "-3000.00", "0.00", "12000.00", "0.00"]
    # 60.01: opened at 0; Кт −3 000; closes 0 − (−3 000) = 3 000 Дт.
    assert [rows["60.01"][f] for f in FIGURES] == [
        "0.00", "0.00", "0.00", "-3000.00", "3000.00", "0.00"]
    # Totals still pair up: turnover Дт −3 000 (26) + 8 000 (51) = 5 000;
    # Кт −3 000 (60) + 8 000 (62) = 5 000.
    assert (tb["totals"]["debit"], tb["totals"]["credit"]) == ("5000.00", "5000.00")

    # 16.01–15.02 cuts both months: 51 opened at 100 000 + 20 000 (№ 4, 15.01) = 120 000;
    # Кт 12 000 (№ 5, 10.02); closes 108 000. 62.01: 30 000 − 20 000 = 10 000 Дт, no
    # turnover. 26, 60, 80, 90 as opened.
    tb = await books.report("trial-balance", date_from="2026-01-16", date_to="2026-02-15")
    rows = {r["account"]: r for r in tb["rows"]}
    assert [rows["51"][f] for f in FIGURES] == [
        "120000.00", "0.00", "0.00", "12000.00", "108000.00", "0.00"]
    assert [rows["62.01"][f] for f in FIGURES] == [
        "10000.00", "0.00", "0.00", "0.00", "10000.00", "0.00"]
    assert [rows["60"][f] for f in FIGURES] == [
        "0.00", "12000.00", "12000.00", "0.00", "0.00", "0.00"]

    # Before anything was posted there is nothing to show.
    empty = await books.report("trial-balance", date_from="2025-01-01", date_to="2025-11-30")
    assert empty["rows"] == []
    assert [empty["totals"][f] for f in FIGURES] == ["0.00"] * 6


def card_table(rows: list[dict]) -> list[tuple]:
    return [(r["date"], r["entry_number"], r["corr_account"], r["counterparty"], r["debit"],
             r["credit"], r["balance"]) for r in rows]


async def test_account_card_runs_a_balance_across_pages(books):
    first = await books.report("account-card", account="51", limit=2, **Q1)
    assert (first["account"], first["name"]) == ("51", "Расчетные счета")
    # Opened at 100 000 (№ 1); the period's Дт 20 000, Кт 17 000; closes 103 000.
    assert (first["opening"], first["debit"], first["credit"], first["closing"]) == (
        "100000.00", "20000.00", "17000.00", "103000.00")
    assert card_table(first["rows"]) == [
        ("2026-01-15", 4, "62.01", "ООО «Покупатель»", "20000.00", "0.00", "120000.00"),
        ("2026-02-10", 5, "60.01", "ООО «Поставщик»", "0.00", "12000.00", "108000.00"),
    ]
    assert first["rows"][0]["entry_id"] == books.entries[4]["id"]
    assert first["rows"][0]["description"] == "Оплата от покупателя"
    assert first["rows"][0]["document"] is None
    assert first["next_cursor"]
    second = await books.report("account-card", account="51", limit=2,
                                cursor=first["next_cursor"], **Q1)
    # The second page opens where the first ended (108 000), not at the period's start.
    assert second["opening"] == "108000.00"
    assert card_table(second["rows"]) == [
        ("2026-02-20", 6, "60.02", "ООО «Поставщик»", "0.00", "5000.00", "103000.00"),
    ]
    assert second["next_cursor"] is None
    # Whole-period figures on every page.
    assert (second["debit"], second["credit"], second["closing"]) == (
        "20000.00", "17000.00", "103000.00")


async def test_account_card_of_a_synthetic_account_and_a_counterparty(books):
    # 60 takes in 60.01 and 60.02; № 10 (Дт 60.01 Кт 60.02) is two rows: its debit
    # side, then its credit side. Opened at −12 000 (12 000 Кт).
    card = await books.report("account-card", account="60", limit=4, **Q1)
    assert card["opening"] == "-12000.00"
    assert card_table(card["rows"]) == [
        ("2026-02-10", 5, "51", "ООО «Поставщик»", "12000.00", "0.00", "0.00"),
        ("2026-02-20", 6, "51", "ООО «Поставщик»", "5000.00", "0.00", "5000.00"),
        ("2026-03-25", 8, "26", "ООО «Поставщик»", "0.00", "3000.00", "2000.00"),
        ("2026-03-31", 10, "60.02", "ООО «Поставщик»", "3000.00", "0.00", "5000.00"),
    ]
    rest = await books.report("account-card", account="60", limit=4,
                              cursor=card["next_cursor"], **Q1)
    assert rest["opening"] == "5000.00"
    assert card_table(rest["rows"]) == [
        ("2026-03-31", 10, "60.01", "ООО «Поставщик»", "0.00", "3000.00", "2000.00"),
    ]
    assert rest["next_cursor"] is None
    # −12 000 + 20 000 − 6 000 = 2 000, as the trial balance says.
    assert (rest["debit"], rest["credit"], rest["closing"]) == (
        "20000.00", "6000.00", "2000.00")

    # 62 of B only: opened at 30 000 (№ 2); Кт 20 000 (№ 4); closes 10 000. B2's sale
    # (№ 7) is not B's.
    card = await books.report("account-card", account="62", counterparty_id=books.cp["B"],
                              **Q1)
    assert (card["counterparty_id"], card["counterparty"]) == (books.cp["B"],
                                                               "ООО «Покупатель»")
    assert (card["opening"], card["debit"], card["credit"], card["closing"]) == (
        "30000.00", "0.00", "20000.00", "10000.00")
    assert card_table(card["rows"]) == [
        ("2026-01-15", 4, "51", "ООО «Покупатель»", "0.00", "20000.00", "10000.00"),
    ]
    # The reversal is a row of its own with a negative amount: 26 in April opens at
    # 15 000 and goes down by 3 000.
    card = await books.report("account-card", account="26", date_from="2026-04-01",
                              date_to="2026-04-30")
    assert card_table(card["rows"]) == [
        ("2026-04-02", 11, "60.01", "ООО «Поставщик»", "-3000.00", "0.00", "12000.00"),
    ]
    assert card["rows"][0]["description"].startswith("Сторно №8")


async def test_account_analysis(books):
    analysis = await books.report("account-analysis", account="51", **Q1)
    assert (analysis["account"], analysis["name"]) == ("51", "Расчетные счета")
    # 51 debited against 62.01 (№ 4, 20 000), credited against 60.01 (№ 5, 12 000) and
    # 60.02 (№ 6, 5 000); in chart order.
    assert [(r["corr_account"], r["name"], r["debit"], r["credit"])
            for r in analysis["rows"]] == [
        ("60.01", "Расчеты с поставщиками и подрядчиками", "0.00", "12000.00"),
        ("60.02", "Расчеты по авансам выданным", "0.00", "5000.00"),
        ("62.01", "Расчеты с покупателями и заказчиками", "20000.00", "0.00"),
    ]
    assert (analysis["opening"], analysis["debit"], analysis["credit"],
            analysis["closing"]) == ("100000.00", "20000.00", "17000.00", "103000.00")

    # 60 (with its sub-accounts): debited against 51 (12 000 + 5 000) and 60.02 (№ 10);
    # credited against 26 (№ 8) and 60.01 (№ 10). Дт 17 000 + 3 000 = 20 000,
    # Кт 3 000 + 3 000 = 6 000, as in the trial balance.
    analysis = await books.report("account-analysis", account="60", **Q1)
    assert [(r["corr_account"], r["debit"], r["credit"]) for r in analysis["rows"]] == [
        ("26", "0.00", "3000.00"),
        ("51", "17000.00", "0.00"),
        ("60.01", "0.00", "3000.00"),
        ("60.02", "3000.00", "0.00"),
    ]
    assert sum(Decimal(r["debit"]) for r in analysis["rows"]) == Decimal(analysis["debit"])
    assert sum(Decimal(r["credit"]) for r in analysis["rows"]) == Decimal(analysis["credit"])
    assert (analysis["opening"], analysis["debit"], analysis["credit"],
            analysis["closing"]) == ("-12000.00", "20000.00", "6000.00", "2000.00")

    # A period with a reversal: in April 26 has only the red storno against 60.01.
    april = await books.report("account-analysis", account="26", date_from="2026-04-01",
                               date_to="2026-04-30")
    assert [(r["corr_account"], r["debit"], r["credit"]) for r in april["rows"]] == [
        ("60.01", "-3000.00", "0.00")]


async def test_refusals(books):
    backwards = await books.get("trial-balance", date_from="2026-03-31", date_to="2026-01-01")
    problem = assert_problem(backwards, 422, "report.period")
    assert "31.03.2026" in problem["detail"]
    for name in ("account-card", "account-analysis"):
        resp = await books.get(name, account="51", date_from="2026-03-31",
                               date_to="2026-01-01")
        assert_problem(resp, 422, "report.period")
        unknown = await books.get(name, account="61", **Q1)
        assert "61" in assert_problem(unknown, 422, "ledger.unknown_account")["detail"]
    bad_by = await books.get("trial-balance", by="employee", **Q1)
    assert_problem(bad_by, 422, "validation.failed")
    bad_cursor = await books.get("account-card", account="51", cursor="bm9wZQ", **Q1)
    assert_problem(bad_cursor, 422, "validation.cursor")
    stranger_cp = await books.get("account-card", account="62",
                                  counterparty_id=str(uuid.uuid4()), **Q1)
    assert_problem(stranger_cp, 422, "ledger.unknown_counterparty")
    # Latin lookalikes and spaces in the code read as the chart's code.
    card = await books.report("account-card", account=" 51 ", **Q1)
    assert card["account"] == "51"


async def test_an_observer_may_read_and_a_stranger_may_not(books):
    observer = await join(books.http, books.owner, books.org["id"], "observer@example.ru",
                          "observer")
    stranger = await sign_up(books.http, "stranger@example.ru")
    for name, params in (("trial-balance", {}), ("account-card", {"account": "51"}),
                         ("account-analysis", {"account": "51"})):
        seen = await books.report(name, observer, **params, **Q1)
        assert seen["head"]["org_inn"] == "7707083893"
        refused = await books.get(name, stranger, **params, **Q1)
        assert_problem(refused, 404, "orgs.not_found")
        anonymous = await books.http.get(f"{books.base}/reports/{name}",
                                         params={**params, **Q1})
        assert_problem(anonymous, 401, "auth.unauthorized")


async def test_the_card_names_the_document_of_an_entry(http):
    owner = await sign_up(http, "doc@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    base = f"/orgs/{org['id']}"
    buyer = (await http.post(f"{base}/counterparties", headers=owner.h, json={
        "kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893",
        "kpp": "773601001"})).json()
    resp = await http.post(f"{base}/documents", headers=owner.h, json={
        "type": "act", "date": "2026-03-05", "counterparty_id": buyer["id"],
        "lines": [{"name": "Консультация", "quantity": "3", "unit": "час",
                   "price": "1234.50", "vat_rate": "20"}]})
    assert resp.status_code == 201, resp.text
    card = (await http.get(f"{base}/reports/account-card", headers=owner.h, params={
        "account": "62", **Q1})).json()
    # 3 × 1 234,50 = 3 703,50 on 62.01 against 90.01.
    assert card_table(card["rows"]) == [
        ("2026-03-05", 1, "90.01", "ООО «Покупатель»", "3703.50", "0.00", "3703.50")]
    assert card["rows"][0]["document"] == "Акт № 1 от 05.03.2026"


async def test_a_synthetic_account_netted_to_zero_still_heads_its_sub_accounts(http):
    owner = await sign_up(http, "net@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    base = f"/orgs/{org['id']}"
    resp = await http.post(f"{base}/entries", headers=owner.h, json={
        "date": "2026-01-10", "description": "Аванс учтён",
        "postings": [{"debit": "60.02", "credit": "60.01", "amount": "1000.00"}]})
    assert resp.status_code == 201, resp.text
    tb = (await http.get(f"{base}/reports/trial-balance", headers=owner.h, params={
        "date_from": "2026-02-01", "date_to": "2026-02-28"})).json()
    # In February 60.01 holds 1 000 Кт and 60.02 1 000 Дт from January, nothing moves:
    # 60 nets to zero, yet it is shown above them. 60 is active-passive: its balance is
    # expanded (issue 13 point 10), Дт 1 000 (60.02) and Кт 1 000 (60.01), not a net 0,
    # and the totals carry both sides.
    assert table(tb["rows"]) == [
        (0, "60", None, "1000.00", "1000.00", "0.00", "0.00", "1000.00", "1000.00"),
        (1, "60.01", None, "0.00", "1000.00", "0.00", "0.00", "0.00", "1000.00"),
        (1, "60.02", None, "1000.00", "0.00", "0.00", "0.00", "1000.00", "0.00"),
    ]
    assert [tb["totals"][f] for f in FIGURES] == ["1000.00", "1000.00", "0.00", "0.00",
                                                   "1000.00", "1000.00"]
