"""Bank import in depth (issue 13 point 3): a person returning an accountable sum goes to
71.01 with the employee; a counterparty account failing the control key is accepted with a
warning on its line; a VAT payer's customer payment nothing shipped covers is an advance on
62.02 with VAT on it (76.АВ / 68.02), offset on the shipment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db.models import AccountTurnover, LedgerAccount, Posting
from server.domain import bank_advances as adv
from server.services import turnovers
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import db
from tests.org_helpers import create_org, ooo, sign_up
from tests.server.test_bank_import import (
    ACC_A,
    CUSTOMER,
    EMPLOYEE,
    EMPLOYEE_ACC,
    OWN,
    SBER,
    by_no,
    doc,
    exchange,
    upload,
)

# The often-quoted 40817810099910004312 fails the key at БИК 044525225 (reference §8).
BAD_KEY_ACC = "40817810099910004312"
CUSTOMER_ACC = "40702810200000000001"  # key digit 2 at БИК 044525225 (checked)
STRANGER = ("", "", "Кузнецов Кузьма Кузьмич")
SIDOROV = (EMPLOYEE["inn"], "", "СИДОРОВ СИДОР СИДОРОВИЧ")


@pytest.fixture
async def payer(http):
    """A VAT payer (ОСНО, general rate) with its account at Сбербанк, the employee
    Сидоров, and a sale to «Крокус» of 6 100,00 incl. VAT 22 % (1 100,00) on 02.03.2026."""
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general",
                                             bank_accounts=[SBER]))
    base = f"/orgs/{org['id']}"
    h = owner.h
    assert (await http.post(f"{base}/employees", json=EMPLOYEE, headers=h)).status_code == 201
    cp = await http.post(f"{base}/counterparties", headers=h, json={
        "kind": "org", "name": "ООО «Крокус»", "inn": CUSTOMER[0], "kpp": CUSTOMER[1]})
    assert cp.status_code == 201, cp.text
    act = await http.post(f"{base}/documents", headers=h, json={
        "type": "act", "date": "2026-03-02", "counterparty_id": cp.json()["id"],
        "lines": [{"name": "Монтаж", "quantity": "1", "unit": "шт", "price": "6100.00",
                   "vat_rate": "22"}]})
    assert act.status_code == 201, act.text
    return http, h, base, org["id"], cp.json()["id"]


def test_the_rules_by_hand():
    # 12 200,00 at 22/122: 12 200 × 22 / 122 = 2 200,00; 100,00 → 18,0327… → 18,03.
    assert adv.calculated_vat(1_220_000, 22) == 220_000
    assert adv.calculated_vat(10_000, 22) == 1_803
    # 2025: 12 000,00 at 20/120 = 2 000,00.
    assert adv.calculated_vat(1_200_000, adv.advance_rate("general", __import__(
        "datetime").date(2025, 12, 31))) == 200_000
    assert adv.advance_rate("none", adv.GENERAL_RATE_2026) is None
    assert adv.advance_rate("usn_5", adv.GENERAL_RATE_2026) == 5
    # A receipt of 12 200,00 from a customer owing 3 660,00: 3 660 settles, 8 540 advance.
    assert adv.split_receipt(1_220_000, 366_000) == (366_000, 854_000)
    assert adv.split_receipt(100, -50) == (0, 100)  # an overpaid customer owes nothing
    # Advance 8 540,00 with VAT 1 540,00; a sale of 6 100,00 takes 6 100 of it and
    # 1 540 × 6 100 / 8 540 = 1 100,00 of its VAT; a sale of 10 000 takes it all.
    assert adv.offset_on_shipment(610_000, 854_000, 154_000) == (610_000, 110_000)
    assert adv.offset_on_shipment(1_000_000, 854_000, 154_000) == (854_000, 154_000)
    assert adv.offset_on_shipment(610_000, 0, 0) == (0, 0)
    assert adv.account_warnings(BAD_KEY_ACC, "044525225") == ["account_key"]
    assert adv.account_warnings(EMPLOYEE_ACC, "044525225") == []
    assert adv.account_warnings(None, "044525225") == [] == adv.account_warnings("1", "2")


async def test_returns_warnings_and_advances(payer, server_app):
    http, h, base, org_id, cp_id = payer
    statement = exchange([], [
        # 1. Крокус pays 2 440,00 of the 6 100,00 sale: 62.01.
        doc("Платежное поручение", "11", "05.03.2026", "2440.00", CUSTOMER,
            CUSTOMER_ACC, OWN, ACC_A, "Оплата по счету № 1 от 02.03.2026",
            ДатаПоступило="05.03.2026"),
        # 2. Then 12 200,00: the 3 660,00 left of the sale does not cover it: 62.02.
        doc("Платежное поручение", "12", "06.03.2026", "12200.00", CUSTOMER,
            CUSTOMER_ACC, OWN, ACC_A, "Предоплата по договору 5",
            ДатаПоступило="06.03.2026"),
        # 3. Сидоров (ИНН and card account of the employee) returns 1 500,00: 71.01.
        doc("Платежное поручение", "13", "07.03.2026", "1500.00", SIDOROV, EMPLOYEE_ACC,
            OWN, ACC_A, "Возврат неиспользованных денежных средств",
            ДатаПоступило="07.03.2026"),
        # 4. Someone unknown, «возврат подотчетных», from an account failing the key.
        doc("Платежное поручение", "14", "09.03.2026", "300.00", STRANGER, BAD_KEY_ACC,
            OWN, ACC_A, "Возврат подотчетных сумм", ДатаПоступило="09.03.2026"),
    ])
    resp = await upload(http, h, base, statement)
    assert resp.status_code == 201, resp.text
    pv = resp.json()
    lines = by_no(pv)
    got = {n: (ln["debit"], ln["credit"], ln["status"], ln["employee"], ln["warnings"])
           for n, ln in lines.items()}
    assert got == {
        1: ("51", "62.01", "new", None, []),
        2: ("51", "62.02", "new", None, []),
        3: ("51", "71.01", "new", "Сидоров Сидор Сидорович", []),
        4: ("51", "71.01", "new", None, ["account_key"]),
    }
    assert lines[2]["reason"] == "аванс покупателя (нет отгрузки)"
    assert lines[3]["reason"] == "возврат подотчётных: Сидоров Сидор Сидорович"
    assert lines[4]["reason"] == "возврат подотчётных: —"
    # The preview read again says the same (the warnings are worked out, not stored).
    again = (await http.get(f"{base}/bank/imports/{pv['id']}", headers=h)).json()
    assert again["lines"] == pv["lines"]

    # An organisation whose chart predates 71.01: posting adds it.
    with db(server_app) as s:
        s.query(LedgerAccount).filter_by(org_id=org_id, code="71.01").delete()
        s.commit()
    posted = await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
    assert posted.status_code == 200, posted.text
    assert posted.json()["posted"] == 4
    with db(server_app) as s:
        rows = sorted((p.debit, p.credit, p.amount_kopecks, p.memo, p.counterparty_id == cp_id)
                      for p in s.scalars(select(Posting).where(Posting.date >= _d("2026-03-05"))))
        # Line 2 at posting: the sale's 6 100,00 − 2 440,00 = 3 660,00 still unpaid
        # settles it (Дт 51 Кт 62.01), the rest 12 200 − 3 660 = 8 540,00 is the advance,
        # VAT 8 540 × 22/122 = 1 540,00 (Дт 76.АВ Кт 68.02).
        assert rows == sorted([
            ("51", "62.01", 244_000, None, True),
            ("51", "62.01", 366_000, "Оплата отгрузки", True),
            ("51", "62.02", 854_000, "Аванс получен", True),
            ("76.АВ", "68.02", 154_000, "НДС с аванса 22/122", True),
            ("51", "71.01", 150_000, "Подотчётное лицо: Сидоров Сидор Сидорович", False),
            ("51", "71.01", 30_000, None, False),
        ])
        assert s.scalar(select(LedgerAccount.code).where(
            LedgerAccount.org_id == org_id, LedgerAccount.code == "71.01")) == "71.01"

        def snapshot():
            return sorted((t.account, t.counterparty_key, t.month, t.debit_kopecks,
                           t.credit_kopecks) for t in s.scalars(select(AccountTurnover)))
        before = snapshot()
        turnovers.rebuild(s, org_id)
        s.commit()
        assert snapshot() == before  # the aggregates kept right for the split lines

    # The shipment: a sale of 6 100,00 (VAT 1 100,00) on 10.03 offsets 6 100,00 of the
    # 8 540,00 advance and deducts 1 540 × 6 100 / 8 540 = 1 100,00 of its VAT.
    sale = await http.post(f"{base}/documents", headers=h, json={
        "type": "act", "date": "2026-03-10", "counterparty_id": cp_id,
        "lines": [{"name": "Монтаж", "quantity": "1", "unit": "шт", "price": "6100.00",
                   "vat_rate": "22"}]})
    assert sale.status_code == 201, sale.text
    booked = [(p["debit"], p["credit"], p["amount"]) for p in sale.json()["postings"]]
    assert booked == [("62.01", "90.01", "6100.00"), ("90.03", "68.02", "1100.00"),
                      ("62.02", "62.01", "6100.00"), ("68.02", "76.АВ", "1100.00")]
    # Left: advance 8 540 − 6 100 = 2 440,00 with VAT 1 540 − 1 100 = 440,00
    # (2 440 × 22/122 = 440: exact).
    with db(server_app) as s:
        def balance(account: str) -> int:
            total = 0
            for p in s.scalars(select(Posting).where(Posting.counterparty_id == cp_id)):
                total += p.amount_kopecks * ((p.debit == account) - (p.credit == account))
            return total
        assert balance("62.02") == -244_000 and balance("76.АВ") == 44_000
        assert balance("62.01") == 0  # 6 100 + 6 100 sold, 2 440 + 3 660 + 6 100 paid


async def test_a_payer_of_no_vat_keeps_the_customer_on_62_01(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(bank_accounts=[SBER]))  # vat_mode none
    base = f"/orgs/{org['id']}"
    pv = (await upload(http, owner.h, base, exchange([], [
        doc("Платежное поручение", "12", "06.03.2026", "12200.00", CUSTOMER,
            CUSTOMER_ACC, OWN, ACC_A, "Предоплата", ДатаПоступило="06.03.2026"),
    ]))).json()
    assert (pv["lines"][0]["debit"], pv["lines"][0]["credit"]) == ("51", "62.01")


def _d(text: str):
    from datetime import date
    return date.fromisoformat(text)
