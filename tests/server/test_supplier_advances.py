"""Advances paid to suppliers (аванс выданный, 60.02), as 1С books them, against a case
worked out by hand; on SQLite and PostgreSQL.

An ООО on the УСН (no VAT), March 2026, supplier ИП Петров Пётр Петрович:
- 02.03 поступление товаров (purchase_goods) 10 000,00: Дт 41.01 Кт 60.01 10 000,00 —
  the supplier is owed 10 000,00 (60.01 credit balance);
- 05.03 a payment of 25 000,00 (a statement line going out, or a «Списание с расчётного
  счёта» bank_out on 60.01): 10 000,00 of it pays the поступление, Дт 60.01 Кт 51
  10 000,00; the rest 25 000 − 10 000 = 15 000,00 is an advance paid, Дт 60.02 Кт 51
  15 000,00. 60.01: credit 10 000 − debit 10 000 = 0; 60.02: debit 15 000,00;
- 10.03 поступление товаров 12 000,00: Дт 41.01 Кт 60.01 12 000,00 and, in the same
  entry, the advance offset Дт 60.01 Кт 60.02 min(15 000, 12 000) = 12 000,00. 60.01:
  credit 10 000 + 12 000 = 22 000, debit 10 000 + 12 000 = 22 000 → 0; 60.02: debit
  15 000 − credit 12 000 = 3 000,00 debit.
The ОСВ by counterparty for March: 60.02 of Петров closing 3 000,00 Д; 60.01 of Петров
turnovers 22 000 / 22 000, closing 0.

No VAT on an advance paid: its deduction by the buyer (НК ст. 171 п. 12) is a right, left
out; a VAT payer's advance paid books no 76.ВА either.
"""

from __future__ import annotations

import pytest

from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.org_helpers import create_org, ooo, sign_up
from tests.server.test_bank_import import ACC_A, OWN, SBER, SUPPLIER_IP, doc, exchange, upload

SUPPLIER = {"kind": "ip", "name": SUPPLIER_IP[2], "inn": SUPPLIER_IP[0]}
SUPPLIER_ACC = "40802810100000000002"
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


async def made(http, h, base, body: dict) -> dict:
    resp = await http.post(f"{base}/documents", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


def goods(cp: str, day: str, price: str) -> dict:
    return {"type": "purchase_goods", "date": day, "counterparty_id": cp,
            "lines": [{"name": "Бумага", "quantity": "1", "price": price}]}


def pairs(postings: list[dict]) -> list[tuple[str, str, str]]:
    return [(p["debit"], p["credit"], p["amount"]) for p in postings]


def paid_out(number: str, day: str, amount: str) -> list[str]:
    """A statement line: our payment to ИП Петров."""
    return doc("Платежное поручение", number, day, amount, OWN, ACC_A, SUPPLIER_IP,
               SUPPLIER_ACC, "Оплата по договору поставки № 3, без НДС",
               ДатаСписано=day)


async def entry_postings(http, h, base, entry_id: str) -> list[tuple[str, str, str]]:
    resp = await http.get(f"{base}/entries/{entry_id}", headers=h)
    assert resp.status_code == 200, resp.text
    return pairs(resp.json()["postings"])


async def post_statement(http, h, base, lines: list[list[str]]) -> list[dict]:
    """Upload and post a statement; its lines as posted (with their entries)."""
    resp = await upload(http, h, base, exchange([], lines))
    assert resp.status_code == 201, resp.text
    imp = resp.json()["id"]
    posted = await http.post(f"{base}/bank/imports/{imp}/post", headers=h)
    assert posted.status_code == 200, posted.text
    again = await http.get(f"{base}/bank/imports/{imp}", headers=h)
    return sorted(again.json()["lines"], key=lambda ln: ln["no"])


async def by_counterparty(http, h, base, cp: str) -> dict[str, tuple[str, ...]]:
    """Account → (debit, credit, closing debit, closing credit) of the supplier's lines
    in the ОСВ by counterparty for March."""
    resp = await http.get(f"{base}/reports/trial-balance", headers=h,
                          params={**MARCH, "by": "counterparty"})
    assert resp.status_code == 200, resp.text
    return {r["account"]: (r["debit"], r["credit"], r["closing_debit"], r["closing_credit"])
            for r in resp.json()["rows"] if r["level"] == 2 and r["counterparty_id"] == cp}


@pytest.fixture
async def owed(http):
    """An ООО on the УСН at Сбербанк owing ИП Петров 10 000,00 for goods of 02.03.2026."""
    owner = await sign_up(http, "supplier-advances@example.ru")
    org = await create_org(http, owner, ooo(bank_accounts=[SBER]))
    base, h = f"/orgs/{org['id']}", owner.h
    cp = await http.post(f"{base}/counterparties", json=SUPPLIER, headers=h)
    assert cp.status_code == 201, cp.text
    first = await made(http, h, base, goods(cp.json()["id"], "2026-03-02", "10000.00"))
    assert pairs(first["postings"]) == [("41.01", "60.01", "10000.00")]
    return http, h, base, cp.json()["id"]


async def the_second_delivery_offsets(http, h, base, cp: str) -> None:
    """10.03 goods of 12 000,00 offset 12 000,00 of the 15 000,00 advance; the ОСВ."""
    second = await made(http, h, base, goods(cp, "2026-03-10", "12000.00"))
    assert pairs(second["postings"]) == [("41.01", "60.01", "12000.00"),
                                         ("60.01", "60.02", "12000.00")]
    assert second["postings"][1]["memo"] == "Зачёт аванса"
    tb = await by_counterparty(http, h, base, cp)
    assert tb["60.02"] == ("15000.00", "12000.00", "3000.00", "0.00")
    assert tb["60.01"] == ("22000.00", "22000.00", "0.00", "0.00")


async def test_an_advance_paid_by_a_bank_statement(owed):
    http, h, base, cp = owed
    resp = await upload(http, h, base, exchange([], [paid_out("201", "05.03.2026",
                                                              "25000.00")]))
    assert resp.status_code == 201, resp.text
    [line] = resp.json()["lines"]
    # Proposed as an advance paid: the supplier's 10 000,00 do not cover 25 000,00.
    assert (line["debit"], line["credit"], line["reason"]) == (
        "60.02", "51", "аванс поставщику (нет поступления)")
    posted = await http.post(f"{base}/bank/imports/{resp.json()['id']}/post", headers=h)
    assert posted.status_code == 200, posted.text
    entry = (await http.get(f"{base}/bank/imports/{resp.json()['id']}",
                            headers=h)).json()["lines"][0]["entry_id"]
    assert await entry_postings(http, h, base, entry) == [
        ("60.01", "51", "10000.00"), ("60.02", "51", "15000.00")]
    await the_second_delivery_offsets(http, h, base, cp)


async def test_an_advance_paid_by_a_payment_document(owed):
    http, h, base, cp = owed
    payment = await made(http, h, base, {"type": "bank_out", "date": "2026-03-05",
                                         "counterparty_id": cp, "amount": "25000.00"})
    assert payment["account"] == "60.01"
    assert pairs(payment["postings"]) == [("60.01", "51", "10000.00"),
                                          ("60.02", "51", "15000.00")]
    assert [p["memo"] for p in payment["postings"]] == ["Списание с расчётного счёта",
                                                         "Аванс выдан"]
    await the_second_delivery_offsets(http, h, base, cp)


async def test_the_debt_on_the_payment_date_and_the_account_chosen(owed):
    """A РКО of 01.03 (before the goods of 02.03) of 3 000,00: nothing owed that day, all
    of it an advance, Дт 60.02 Кт 50.01 3 000,00. A bank_out the user pointed at 91.02:
    left as it is, Дт 91.02 Кт 51 in full. Then a statement in the file's order: 05.03
    6 000,00 is covered (60.01 6 000,00, 10 000 − 6 000 = 4 000,00 still owed), 06.03
    6 000,00 pays the 4 000,00 (60.01) and 2 000,00 is an advance (60.02). 60.02 at the
    end: 3 000 + 2 000 = 5 000,00 debit; 60.01: credit 10 000, debit 6 000 + 4 000 → 0."""
    http, h, base, cp = owed
    early = await made(http, h, base, {"type": "cash_out", "date": "2026-03-01",
                                       "counterparty_id": cp, "amount": "3000.00"})
    assert pairs(early["postings"]) == [("60.02", "50.01", "3000.00")]
    other = await made(http, h, base, {"type": "bank_out", "date": "2026-03-03",
                                       "counterparty_id": cp, "amount": "500.00",
                                       "account": "91.02"})
    assert pairs(other["postings"]) == [("91.02", "51", "500.00")]
    lines = await post_statement(http, h, base, [paid_out("202", "05.03.2026", "6000.00"),
                                                 paid_out("203", "06.03.2026", "6000.00")])
    assert [(ln["debit"], ln["status"]) for ln in lines] == [("60.01", "posted"),
                                                             ("60.02", "posted")]
    assert await entry_postings(http, h, base, lines[0]["entry_id"]) == [
        ("60.01", "51", "6000.00")]
    assert await entry_postings(http, h, base, lines[1]["entry_id"]) == [
        ("60.01", "51", "4000.00"), ("60.02", "51", "2000.00")]
    tb = await by_counterparty(http, h, base, cp)
    assert tb["60.02"] == ("5000.00", "0.00", "5000.00", "0.00")
    assert tb["60.01"] == ("10000.00", "10000.00", "0.00", "0.00")
