"""Bank statement import (выписка, 1CClientBankExchange): preview with proposed entries,
counterparties matched by ИНН and created on posting, rules, duplicates, posting all or
nothing, reconciliation with account 51, the turnover aggregates kept right."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db.models import (
    AccountTurnover,
    BankImport,
    BankImportLine,
    Counterparty,
    Entry,
    PaymentOrder,
    Posting,
)
from server.services import turnovers
from tests.helpers import assert_problem, count, db
from tests.org_helpers import create_org, ooo, sign_up

# The organisation's two accounts (checksums valid with their БИК, reference §8).
ACC_A = "40702810038000000008"  # ПАО Сбербанк, БИК 044525225
ACC_B = "40702810300180001774"  # БИК 044525311
SBER = {"bik": "044525225", "account": ACC_A, "corr_account": "30101810400000000225",
        "bank_name": "ПАО Сбербанк"}
BANK_B = {"bik": "044525311", "account": ACC_B, "corr_account": "30101810000000000311",
          "bank_name": "Банк Б"}
OWN = ("7707083893", "773601001", "ООО «Ромашка»")
CUSTOMER = ("7719617469", "771901001", "ООО «Крокус»")
SUPPLIER_IP = ("500100732259", "", "ИП Петров Пётр Петрович")
EMPLOYEE_ACC = "40817810899910004312"
TREASURY_ACC = "03100643000000018500"


def doc(kind: str, number: str, day: str, amount: str, payer: tuple, payer_acc: str,
        payee: tuple, payee_acc: str, purpose: str, **extra: str) -> list[str]:
    inn_p, kpp_p, name_p = payer
    inn_r, kpp_r, name_r = payee
    lines = [f"СекцияДокумент={kind}", f"Номер={number}", f"Дата={day}", f"Сумма={amount}",
             f"ПлательщикСчет={payer_acc}", f"ПлательщикИНН={inn_p}", f"ПлательщикКПП={kpp_p}",
             f"Плательщик1={name_p}", "ПлательщикБИК=044525225",
             "ПлательщикКорсчет=30101810400000000225", "ПлательщикБанк1=ПАО Сбербанк",
             f"ПолучательСчет={payee_acc}", f"ПолучательИНН={inn_r}", f"ПолучательКПП={kpp_r}",
             f"Получатель1={name_r}", "ПолучательБИК=044525225",
             "ПолучательКорсчет=30101810400000000225", "ПолучательБанк1=ПАО Сбербанк",
             f"НазначениеПлатежа={purpose}"]
    lines += [f"{k}={v}" for k, v in extra.items()]
    return [*lines, "КонецДокумента"]


def exchange(sections: list[list[str]], docs: list[list[str]], encoding: str = "Windows"
             ) -> bytes:
    head = ["1CClientBankExchange", "ВерсияФормата=1.03", f"Кодировка={encoding}",
            "Отправитель=Сбербанк Бизнес Онлайн", "НеизвестныйКлюч=банк пишет что хочет",
            "ДатаНачала=01.03.2026", "ДатаКонца=31.03.2026"]
    body = head + [x for s in sections for x in s] + [x for d in docs for x in d] + ["КонецФайла"]
    return "\r\n".join(body).encode("cp1251" if encoding == "Windows" else "cp866")


def section(account: str, opening: str, credited: str, debited: str, closing: str) -> list[str]:
    return ["СекцияРасчСчет", "ДатаНачала=01.03.2026", "ДатаКонца=31.03.2026",
            f"РасчСчет={account}", f"НачальныйОстаток={opening}", f"ВсегоПоступило={credited}",
            f"ВсегоСписано={debited}", f"КонечныйОстаток={closing}", "КонецРасчСчет"]


# Account A: 200 000,00 at the start; in 120 000,00 (the customer); out 30 000,00 (supplier)
# + 590,00 (fee) + 45 000,00 (ЕНП) + 50 000,00 (salary) + 10 000,00 (to B) = 135 590,00;
# closing 200 000 + 120 000 − 135 590 = 184 410,00. Account B: 0 + 10 000 = 10 000,00.
MARCH = [
    doc("Платежное поручение", "15", "05.03.2026", "120000.00", CUSTOMER, "40702810900000000001",
        OWN, ACC_A, "Оплата по счету № 7 от 01.03.2026, без НДС", ДатаПоступило="05.03.2026"),
    doc("Платежное поручение", "101", "06.03.2026", "30000.00", OWN, ACC_A, SUPPLIER_IP,
        "40802810100000000002", "Оплата по договору поставки № 3, без НДС",
        ДатаСписано="06.03.2026", НовыйКлючДокумента="x"),
    doc("Банковский ордер", "9001", "10.03.2026", "590.00", OWN, ACC_A,
        ("", "", "ПАО Сбербанк"), "70601810000000000001", "Плата за ведение счета за март"),
    doc("Платежное поручение", "102", "25.03.2026", "45000.00", OWN, ACC_A,
        ("7727406020", "770801001", "Казначейство России (ФНС России)"), TREASURY_ACC,
        "Единый налоговый платеж", ПоказательКБК="18201061201010000510",
        СтатусСоставителя="01"),
    doc("Платежное поручение", "103", "20.03.2026", "50000.00", OWN, ACC_A,
        ("", "", "Сидоров Сидор Сидорович"), EMPLOYEE_ACC,
        "Заработная плата за февраль 2026 г. НДФЛ удержан"),
    doc("Платежное поручение", "104", "27.03.2026", "10000.00", OWN, ACC_A, OWN, ACC_B,
        "Перевод собственных средств"),
    # Someone else's account on both sides: shown, never posted.
    doc("Платежное поручение", "7", "27.03.2026", "1.00", CUSTOMER, "40702810900000000001",
        SUPPLIER_IP, "40802810100000000002", "Чужой платёж"),
]
SECTIONS = [section(ACC_A, "200000.00", "120000.00", "135590.00", "184410.00"),
            section(ACC_B, "0.00", "10000.00", "0.00", "10000.00")]


@pytest.fixture
async def bank(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(bank_accounts=[SBER, BANK_B]))
    base = f"/orgs/{org['id']}"
    # The opening balance: Дт 51 Кт 80 200 000,00 on 28.02.2026.
    resp = await http.post(f"{base}/entries", headers=owner.h, json={
        "date": "2026-02-28", "description": "Уставный капитал",
        "postings": [{"debit": "51", "credit": "80", "amount": "200000.00"}]})
    assert resp.status_code == 201, resp.text
    return http, owner.h, base, org["id"]


async def upload(http, h, base, data: bytes, name: str = "kl_to_1c.txt"):
    return await http.post(f"{base}/bank/imports", headers={**h, "Idempotency-Key": name + "x"
                                                            + str(len(data))},
                           params={"filename": name}, content=data)


def by_no(preview: dict) -> dict[int, dict]:
    return {ln["no"]: ln for ln in preview["lines"]}


async def test_preview_proposes_entries_and_posting_makes_them(bank, server_app):
    http, h, base, org_id = bank
    resp = await upload(http, h, base, exchange(SECTIONS, MARCH))
    assert resp.status_code == 201, resp.text
    pv = resp.json()
    assert pv["encoding"] == "cp1251" and pv["state"] == "staged"
    assert [a["account"] for a in pv["accounts"]] == [ACC_A, ACC_B]
    assert pv["accounts"][0]["closing"] == "184410.00" and pv["accounts"][0]["known"]
    lines = by_no(pv)
    # 7 documents; the transfer between our accounts is two lines (out of A, into B).
    assert len(lines) == 8
    got = {n: (ln["direction"], ln["debit"], ln["credit"], ln["reason"], ln["status"])
           for n, ln in lines.items()}
    assert got == {
        1: ("in", "51", "62.01", "покупатель", "new"),
        # Nothing is owed to the supplier (no поступление from it): an advance paid, as
        # 1С books it (tests/server/test_supplier_advances.py).
        2: ("out", "60.02", "51", "аванс поставщику (нет поступления)", "new"),
        3: ("out", "91.02", "51", "комиссия банка", "new"),
        4: ("out", "68.90", "51", "ЕНП", "new"),
        5: ("out", "70", "51", "зарплата", "new"),
        6: ("out", "57", "51", "перевод между своими счетами", "new"),
        7: ("in", "51", "57", "перевод между своими счетами", "new"),
        8: ("in", "51", "62.01", "покупатель", "unknown_account"),
    }
    assert lines[1]["counterparty_inn"] == "7719617469" and lines[1]["new_counterparty"]
    assert lines[1]["counterparty_name"] == "ООО «Крокус»"
    assert lines[6]["bank_account"] == ACC_A and lines[7]["bank_account"] == ACC_B
    assert lines[3]["line"] > lines[2]["line"] > lines[1]["line"] > 1
    # in: 120 000 + 10 000 = 130 000; out: 135 590 (the foreign line is not counted).
    assert pv["counts"] == {"total": 8, "new": 7, "duplicate": 0, "unknown_account": 1,
                            "posted": 0, "incoming": "130000.00", "outgoing": "135590.00",
                            "in_books": 0}
    assert count(server_app, Entry) == 1  # nothing posted by a preview

    again = await http.get(f"{base}/bank/imports/{pv['id']}", headers=h)
    assert again.status_code == 200 and again.json()["lines"] == pv["lines"]

    posted = await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
    assert posted.status_code == 200, posted.text
    result = posted.json()
    assert result | {"import_id": None} == {
        "import_id": None, "posted": 7, "duplicates": 0, "skipped": 1,
        # Only the 60/62 lines carry a counterparty: the customer and the supplier.
        "counterparties_created": 2, "first_entry": 2, "last_entry": 8, "in_books": 0}
    with db(server_app) as s:
        cps = {c.inn: c for c in s.scalars(select(Counterparty))}
        assert set(cps) == {"7719617469", "500100732259"}
        assert (cps["7719617469"].kind, cps["7719617469"].kpp, cps["7719617469"].name) == (
            "org", "771901001", "ООО «Крокус»")
        assert cps["500100732259"].kind == "ip" and cps["500100732259"].kpp is None
        assert cps["7719617469"].account == "40702810900000000001"
        postings = {p.debit + "/" + p.credit: p for p in s.scalars(select(Posting))}
        assert postings["51/62.01"].counterparty_id == cps["7719617469"].id
        assert postings["60.02/51"].counterparty_id == cps["500100732259"].id  # an advance
        assert postings["68.90/51"].counterparty_id is None
        assert postings["70/51"].amount_kopecks == 5_000_000
        # The aggregates written with the postings equal a rebuild from the postings.
        def snapshot():
            return sorted((t.account, t.counterparty_key, t.month, t.debit_kopecks,
                           t.credit_kopecks) for t in s.scalars(select(AccountTurnover)))
        before = snapshot()
        turnovers.rebuild(s, org_id)
        s.commit()
        assert snapshot() == before
    tb = await http.get(f"{base}/reports/trial-balance", headers=h,
                        params={"date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert tb.status_code == 200, tb.text
    row51 = next(r for r in tb.json()["rows"] if r["account"] == "51")
    # 51 in March: debit 120 000 + 10 000 = 130 000; credit 135 590.
    assert (row51["debit"], row51["credit"]) == ("130000.00", "135590.00")

    # Reconciliation: statement 200 000 → 194 410 (A 184 410 + B 10 000); the books' 51
    # opens with 200 000 (February's capital) and closes 200 000 + 130 000 − 135 590 =
    # 194 410: no difference. Only the foreign line is unmatched.
    rec = (await http.get(f"{base}/bank/imports/{pv['id']}/reconciliation", headers=h)).json()
    total = rec["total"]
    assert (total["statement_opening"], total["statement_closing"]) == ("200000.00",
                                                                        "194410.00")
    assert (total["books_opening"], total["books_closing"]) == ("200000.00", "194410.00")
    assert (total["difference_opening"], total["difference_closing"]) == ("0.00", "0.00")
    assert [r["consistent"] for r in rec["rows"]] == [True, True]
    assert rec["rows"][0]["lines_out"] == "135590.00"
    assert [u["no"] for u in rec["unmatched"]] == [8]

    # The same file again: every line a duplicate, nothing new posted.
    resp = await upload(http, h, base, exchange(SECTIONS, MARCH), name="again.txt")
    pv2 = resp.json()
    assert pv2["counts"]["duplicate"] == 7 and pv2["counts"]["new"] == 0
    assert all(ln["entry_id"] for ln in pv2["lines"] if ln["status"] == "duplicate")
    result2 = (await http.post(f"{base}/bank/imports/{pv2['id']}/post", headers=h)).json()
    assert (result2["posted"], result2["duplicates"]) == (0, 7)
    assert count(server_app, Entry) == 8 and count(server_app, Counterparty) == 2
    # Posting twice is refused.
    assert_problem(await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h),
                   409, "bank.already_posted")


async def test_cp866_file_and_a_line_changed_by_hand(bank, server_app):
    http, h, base, _ = bank
    # cp866 has no «»: plain quotes.
    supplier = ("7719617469", "771901001", 'ООО "Крокус"')
    own = ("7707083893", "773601001", 'ООО "Ромашка"')
    data = exchange([], [doc("Платежное поручение", "5", "02.03.2026", "1500.50", supplier,
                             "40702810900000000001", own, ACC_A, "Возврат аванса поставщиком")],
                    encoding="DOS")
    pv = (await upload(http, h, base, data)).json()
    assert pv["encoding"] == "cp866"
    line = pv["lines"][0]
    assert (line["counterparty_name"], line["amount"]) == ('ООО "Крокус"', "1500.50")
    assert (line["purpose"], line["direction"]) == ("Возврат аванса поставщиком", "in")
    resp = await http.put(f"{base}/bank/imports/{pv['id']}/lines/1", headers=h,
                          json={"debit": "51", "credit": "60.02"})
    assert resp.status_code == 200, resp.text
    assert (resp.json()["credit"], resp.json()["reason"]) == ("60.02", "вручную")
    assert_problem(await http.put(f"{base}/bank/imports/{pv['id']}/lines/1", headers=h,
                                  json={"debit": "51", "credit": "99.99"}),
                   422, "ledger.unknown_account")
    assert_problem(await http.put(f"{base}/bank/imports/{pv['id']}/lines/9", headers=h,
                                  json={"debit": "51", "credit": "60.02"}),
                   404, "bank.line_not_found")
    await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
    with db(server_app) as s:
        p = s.scalars(select(Posting).where(Posting.credit == "60.02")).one()
        assert p.amount_kopecks == 150_050 and p.counterparty_id is not None


async def test_a_broken_file_is_refused_whole(bank, server_app):
    http, h, base, _ = bank
    good = exchange(SECTIONS, MARCH).decode("cp1251").split("\r\n")
    at = good.index("Сумма=30000.00")
    good[at] = "Сумма=30 000,00"
    resp = await upload(http, h, base, "\r\n".join(good).encode("cp1251"))
    body = assert_problem(resp, 422, "bank.file")
    assert f"строка {at + 1}" in body["detail"], body["detail"]
    assert count(server_app, BankImport) == 0 and count(server_app, BankImportLine) == 0
    assert_problem(await upload(http, h, base, b"not a statement"), 422, "bank.file")


async def test_a_rule_applies_on_the_next_import(bank, server_app):
    http, h, base, _ = bank
    resp = await http.post(f"{base}/bank/rules", headers=h, json={
        "inn": "500100732259", "direction": "out", "account": "26"})
    assert resp.status_code == 201, resp.text
    rule = resp.json()
    assert_problem(await http.post(f"{base}/bank/rules", headers=h,
                                   json={"purpose": "аренд", "account": "51"}),
                   422, "bank.rule_account")
    resp = await http.post(f"{base}/bank/rules", headers=h, json={"account": "26"})
    assert resp.status_code == 422
    # A purpose rule with a lower priority number wins over the ИНН rule.
    await http.post(f"{base}/bank/rules", headers=h,
                    json={"purpose": "ВЕДЕНИЕ СЧЕТА", "account": "91.02", "priority": 1})
    pv = (await upload(http, h, base, exchange(SECTIONS, MARCH))).json()
    lines = by_no(pv)
    assert (lines[2]["debit"], lines[2]["reason"]) == ("26", "правило: ИНН 500100732259")
    assert lines[3]["reason"] == "правило: «ВЕДЕНИЕ СЧЕТА»"
    assert lines[1]["debit"] == "51" and lines[1]["credit"] == "62.01"  # direction "out" only
    listed = (await http.get(f"{base}/bank/rules", headers=h)).json()["items"]
    assert [r["priority"] for r in listed] == [1, 100]
    assert (await http.delete(f"{base}/bank/rules/{rule['id']}", headers=h)).status_code == 204
    assert len((await http.get(f"{base}/bank/rules", headers=h)).json()["items"]) == 1
    assert_problem(await http.delete(f"{base}/bank/rules/{rule['id']}", headers=h),
                   404, "bank.rule_not_found")


async def test_posting_is_all_or_nothing_in_a_closed_period(bank, server_app):
    http, h, base, _ = bank
    pv = (await upload(http, h, base, exchange(SECTIONS, MARCH))).json()
    assert (await http.post(f"{base}/periods/2026-03/close", headers=h)).status_code == 200
    body = assert_problem(await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h),
                          409, "bank.period_closed")
    assert "03.2026" in body["detail"]
    assert count(server_app, Entry) == 1 and count(server_app, Counterparty) == 0
    assert count(server_app, BankImport, BankImport.state == "staged") == 1
    await http.post(f"{base}/periods/2026-03/reopen", headers=h, json={"reason": "выписка"})
    assert (await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)).json()[
        "posted"] == 7


async def test_other_organisations_cannot_see_an_import(bank, http):
    http, h, base, _ = bank
    pv = (await upload(http, h, base, exchange(SECTIONS, MARCH))).json()
    stranger = await sign_up(http, "stranger@example.ru")
    mine = await create_org(http, stranger, ooo(bank_accounts=[SBER]))
    assert_problem(await http.get(f"/orgs/{mine['id']}/bank/imports/{pv['id']}",
                                  headers=stranger.h), 404, "bank.import_not_found")
    assert_problem(await http.get(f"{base}/bank/imports/{pv['id']}", headers=stranger.h),
                   404, "orgs.not_found")


# --- lines already in the books by another path -------------------------------------------


def postings_sum(server_app, debit: str, credit: str) -> int:
    with db(server_app) as s:
        return sum(p.amount_kopecks for p in s.scalars(
            select(Posting).where(Posting.debit == debit, Posting.credit == credit)))


async def test_a_receipt_entered_by_hand_is_not_posted_again(bank, server_app):
    http, h, base, _ = bank
    resp = await http.post(f"{base}/counterparties", headers=h, json={
        "kind": "org", "name": "ООО «Крокус»", "inn": CUSTOMER[0], "kpp": CUSTOMER[1]})
    assert resp.status_code == 201, resp.text
    customer = resp.json()["id"]
    # The receipt is booked by hand before the statement comes: Дт 51 Кт 62.01 120 000,00.
    made = await http.post(f"{base}/documents", headers=h, json={
        "type": "bank_in", "date": "2026-03-05", "counterparty_id": customer,
        "amount": "120000.00", "purpose": "Оплата по счету № 7 от 01.03.2026"})
    assert made.status_code == 201, made.text
    with db(server_app) as s:
        doc_entry = s.scalar(select(Entry.id).where(Entry.document_id == made.json()["id"]))
    # The statement has that receipt and a second one of the same customer, day and amount
    # (another payment, № 16): one document stands for one line only. Account A now takes
    # in 120 000 × 2 = 240 000,00 and closes 200 000 + 240 000 − 135 590 = 304 410,00.
    second = doc("Платежное поручение", "16", "05.03.2026", "120000.00", CUSTOMER,
                 "40702810900000000001", OWN, ACC_A, "Оплата по счету № 8 от 01.03.2026",
                 ДатаПоступило="05.03.2026")
    sections = [section(ACC_A, "200000.00", "240000.00", "135590.00", "304410.00"),
                section(ACC_B, "0.00", "10000.00", "0.00", "10000.00")]
    pv = (await upload(http, h, base, exchange(sections, [*MARCH, second]))).json()
    lines = by_no(pv)
    assert (lines[1]["status"], lines[1]["entry_id"]) == ("in_books", doc_entry)
    assert lines[1]["reason"] == "уже в учёте: Поступление на р/с № 1 от 05.03.2026"
    assert (lines[9]["status"], lines[9]["direction"]) == ("new", "in")
    # 9 lines: 1 in the books, the foreign one, 7 new (6 of MARCH + the second receipt).
    c = pv["counts"]
    assert (c["total"], c["new"], c["in_books"], c["duplicate"], c["unknown_account"]) == (
        9, 7, 1, 0, 1)

    result = (await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)).json()
    assert (result["posted"], result["in_books"], result["duplicates"]) == (7, 1, 0)
    # Дт 51 Кт 62.01: the document's 120 000 and the second receipt's 120 000, not 360 000.
    assert postings_sum(server_app, "51", "62.01") == 24_000_000
    tb = await http.get(f"{base}/reports/trial-balance", headers=h,
                        params={"date_from": "2026-03-01", "date_to": "2026-03-31"})
    row51 = next(r for r in tb.json()["rows"] if r["account"] == "51")
    # 51 in March: debit 120 000 (document) + 120 000 + 10 000 = 250 000; credit 135 590.
    assert (row51["debit"], row51["credit"]) == ("250000.00", "135590.00")
    after = (await http.get(f"{base}/bank/imports/{pv['id']}", headers=h)).json()
    assert by_no(after)[1]["status"] == "in_books" and by_no(after)[9]["status"] == "posted"
    # Reconciliation: the books close 200 000 + 250 000 − 135 590 = 314 410 = A 304 410
    # + B 10 000; the line in the books is matched, only the foreign one is not.
    rec = (await http.get(f"{base}/bank/imports/{pv['id']}/reconciliation", headers=h)).json()
    assert (rec["total"]["books_closing"], rec["total"]["difference_closing"]) == (
        "314410.00", "0.00")
    assert [u["no"] for u in rec["unmatched"]] == [8]


# One card employee, 70 000 ₽ a month, no children, hired long before 2026.
EMPLOYEE = {"full_name": "Сидоров Сидор Сидорович", "position": "Кладовщик",
            "cost_account": "26", "hired_on": "2025-06-02", "salary": "70000.00",
            "inn": "500100732259", "pay_method": "card", "bank_bik": "044525225",
            "bank_account": EMPLOYEE_ACC, "bank_corr_account": "30101810400000000225",
            "bank_name": "ПАО Сбербанк"}


async def test_salary_paid_by_payroll_is_in_the_books_and_the_enp_is_posted(bank, server_app):
    http, h, base, _ = bank
    resp = await http.post(f"{base}/employees", json=EMPLOYEE, headers=h)
    assert resp.status_code == 201, resp.text
    run = (await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 3},
                           headers=h)).json()
    assert (await http.post(f"{base}/payroll/runs/{run['id']}/approve",
                            headers=h)).status_code == 200
    # March 2026: 21 working days (9 March is a day off for 8 March, a Sunday); 1–15 March
    # has 9 (2–6, 10–13). Advance 70 000 × 9 / 21 = 30 000,00. Paid on 31 March, the last
    # day of the month, when the month's income has arisen (НК ст. 223 п. 2), so НДФЛ is
    # withheld from it: 30 000 × 13 % = 3 900; to the card 30 000 − 3 900 = 26 100,00
    # (Дт 70 Кт 51 by payroll); ЕНП 3 900,00. (An advance paid inside the month withholds
    # nothing: tests/server/test_ndfl_income_date.py.)
    paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=h,
                           json={"date": "2026-03-31", "part": "advance"})
    assert paid.status_code == 200, paid.text
    body = paid.json()
    salary = next(o for o in body["orders"] if o["kind"] == "salary")
    tax = next(o for o in body["orders"] if o["kind"] == "tax")
    assert (salary["amount"], tax["amount"]) == ("26100.00", "3900.00")
    assert salary["payer_account"] == ACC_A and salary["payee_account"] == EMPLOYEE_ACC
    assert salary["posted_entry_id"] == body["entry_id"] and tax["posted_entry_id"] is None
    with db(server_app) as s:
        assert s.get(PaymentOrder, salary["id"]).posted_entry_id == body["entry_id"]
    assert postings_sum(server_app, "70", "51") == 2_610_000

    # The bank's statement: 200 000 − 26 100 − 3 900 = 170 000,00 at the end.
    day = "31.03.2026"
    docs = [
        doc("Платежное поручение", str(salary["number"]), day, "26100.00", OWN, ACC_A,
            (EMPLOYEE["inn"], "", EMPLOYEE["full_name"]), EMPLOYEE_ACC, salary["purpose"],
            ДатаСписано=day),
        doc("Платежное поручение", str(tax["number"]), day, "3900.00", OWN, ACC_A,
            ("7727406020", "770801001", "Казначейство России (ФНС России)"), TREASURY_ACC,
            tax["purpose"], ПоказательКБК="18201061201010000510", СтатусСоставителя="01",
            ДатаСписано=day),
    ]
    sections = [section(ACC_A, "200000.00", "0.00", "30000.00", "170000.00")]
    pv = (await upload(http, h, base, exchange(sections, docs))).json()
    lines = by_no(pv)
    assert (lines[1]["status"], lines[1]["entry_id"]) == ("in_books", body["entry_id"])
    assert lines[1]["reason"] == (f"уже в учёте: п/п № {salary['number']} от 31.03.2026 "
                                  "(зарплата)")
    assert (lines[2]["status"], lines[2]["debit"], lines[2]["credit"]) == (
        "new", "68.90", "51")
    assert (pv["counts"]["new"], pv["counts"]["in_books"]) == (1, 1)

    result = (await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)).json()
    assert (result["posted"], result["in_books"]) == (1, 1)
    assert postings_sum(server_app, "70", "51") == 2_610_000  # once, by payroll
    assert postings_sum(server_app, "68.90", "51") == 390_000  # the ЕНП, by the import
    # Books: 200 000 − 26 100 − 3 900 = 170 000 = the statement; nothing unmatched.
    rec = (await http.get(f"{base}/bank/imports/{pv['id']}/reconciliation", headers=h)).json()
    assert (rec["total"]["books_closing"], rec["total"]["difference_closing"]) == (
        "170000.00", "0.00")
    assert rec["unmatched"] == []


async def test_preview_pages_its_lines(bank):
    """``?lines=N`` on the upload answers the first N lines (counts over them all);
    ``GET ?offset=&limit=`` pages the rest; without them every line comes back."""
    http, h, base, _ = bank
    data = exchange(SECTIONS, MARCH)
    resp = await http.post(f"{base}/bank/imports", headers={**h, "Idempotency-Key": "paged"},
                           params={"filename": "kl.txt", "lines": 3}, content=data)
    assert resp.status_code == 201, resp.text
    pv = resp.json()
    assert [ln["no"] for ln in pv["lines"]] == [1, 2, 3]
    assert pv["counts"]["total"] == 8 and pv["counts"]["new"] == 7
    full = (await http.get(f"{base}/bank/imports/{pv['id']}", headers=h)).json()
    assert len(full["lines"]) == 8 and full["lines"][:3] == pv["lines"]
    assert full["counts"] == pv["counts"]
    page = (await http.get(f"{base}/bank/imports/{pv['id']}", headers=h,
                           params={"offset": 3, "limit": 4})).json()
    assert page["lines"] == full["lines"][3:7] and page["counts"] == full["counts"]
    tail = (await http.get(f"{base}/bank/imports/{pv['id']}", headers=h,
                           params={"offset": 6})).json()
    assert tail["lines"] == full["lines"][6:]
    assert (await http.get(f"{base}/bank/imports/{pv['id']}", headers=h,
                           params={"offset": 50})).json()["lines"] == []
    bad = await http.get(f"{base}/bank/imports/{pv['id']}", headers=h, params={"limit": -1})
    assert bad.status_code == 422
