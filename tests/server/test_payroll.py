"""Payroll through the API: employees, a month's run, approval (postings), payment
(payment orders, ЕНП due dates), payslips, the quarter, and who may see any of it.

Worked example (2026, ООО, not МСП, injury 0.2 %; January has 15 working days, the
12th–30th; February 19):
- Иванов: 100 000 ₽, two children (1 400 + 2 800 = 4 200 ₽ deduction), card, account 26.
  Advance: worked 12–15 Jan = 4 of 15 days → 100 000 × 4 / 15 = 26 666,67, paid 20 Jan
  with NO НДФЛ: the income arises on 31 January (НК ст. 223 п. 2; issue 13 point 1).
  Month: (100 000 − 4 200) × 13 % = 12 454, all withheld from the final payment.
  Contributions 30 000,00, injury 200,00. Advance paid 26 666,67, final
  100 000 − 26 666,67 − 12 454 = 60 879,33.
- Петров, the director, 20 000 ₽ (below МРОТ 27 093), card, account 26.
  Advance 20 000 × 4 / 15 = 5 333,33, no НДФЛ; month НДФЛ 2 600, all from the final.
  Contributions on the minimum base 27 093 × 30 % = 8 127,90; injury on the pay 40,00.
- Сидорова, 60 000 ₽, hired 19 Jan (10 of 15 working days), cash, account 44.
  Salary 60 000 × 10 / 15 = 40 000; no advance (no days in the first half);
  НДФЛ 5 200; contributions 12 000; injury 80.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from server.db.models import PaymentOrder, PayrollRun, Posting
from tests.helpers import assert_problem, db
from tests.org_helpers import create_org, join, ooo, sign_up

CARD = {"pay_method": "card", "bank_bik": "044525225",
        "bank_account": "40817810899910004312", "bank_corr_account": "30101810400000000225",
        "bank_name": "ПАО Сбербанк"}
IVANOV = {"full_name": "Иванов Иван Иванович", "position": "Менеджер", "cost_account": "26",
          "hired_on": "2025-03-01", "salary": "100000.00", "inn": "500100732259",
          "snils": "112-233-445 95", "children": [{"order": 1}, {"order": 2}], **CARD}
PETROV = {"full_name": "Петров Пётр Петрович", "position": "Генеральный директор",
          "cost_account": "26", "hired_on": "2024-01-10", "salary": "20000.00",
          "is_director": True, **CARD}
SIDOROVA = {"full_name": "Сидорова Анна Сергеевна", "position": "Продавец",
            "department": "Магазин", "cost_account": "44", "hired_on": "2026-01-19",
            "salary": "60000.00", "pay_method": "cash"}
NAMES = ("Иванов", "Петров", "Сидорова")


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    ids = {}
    for body in (IVANOV, PETROV, SIDOROVA):
        resp = await http.post(f"{base}/employees", json=body, headers=owner.h)
        assert resp.status_code == 201, resp.text
        ids[body["full_name"].split()[0]] = resp.json()["id"]
    return http, owner, org, base, ids


async def compute(http, h, base, year, month, **extra):
    resp = await http.post(f"{base}/payroll/runs", json={"year": year, "month": month, **extra},
                           headers=h)
    assert resp.status_code == 200, resp.text
    return resp.json()


def line_of(run, ids, name):
    return next(x for x in run["lines"] if x["employee_id"] == ids[name])


async def test_employee_card_is_checked_and_stored(books):
    http, owner, _, base, ids = books
    got = (await http.get(f"{base}/employees/{ids['Иванов']}", headers=owner.h)).json()
    assert got["snils"] == "11223344595" and got["children"] == [
        {"order": 1, "disabled": False}, {"order": 2, "disabled": False}]
    bad = await http.post(f"{base}/employees", headers=owner.h,
                          json={**IVANOV, "snils": "112-233-445 96"})
    assert_problem(bad, 422, "validation.failed")
    bad = await http.post(f"{base}/employees", headers=owner.h,
                          json={**IVANOV, "bank_account": "40817810099910004312"})
    assert_problem(bad, 422, "validation.failed")
    listed = (await http.get(f"{base}/employees", headers=owner.h)).json()["items"]
    assert [x["full_name"].split()[0] for x in listed] == list(NAMES)


async def test_january_run_three_employees(books):
    http, owner, _, base, ids = books
    run = await compute(http, owner.h, base, 2026, 1)
    assert run["state"] == "draft" and run["working_days"] == 15
    assert run["advance_date"] == "2026-01-20" and run["final_date"] == "2026-02-05"
    iv = line_of(run, ids, "Иванов")
    assert (iv["days_worked"], D(iv["salary"]), D(iv["deductions"])) == (15, D(100000), D(4200))
    assert D(iv["advance_gross"]) == D("26666.67")
    assert (D(iv["ndfl_advance"]), D(iv["ndfl_final"]), D(iv["ndfl"])) == (
        D(0), D(12454), D(12454))
    assert (D(iv["contrib_main"]), D(iv["contrib_injury"])) == (D(30000), D(200))
    assert (D(iv["advance"]), D(iv["final_payment"]), D(iv["net"])) == (
        D("26666.67"), D("60879.33"), D(87546))
    pe = line_of(run, ids, "Петров")
    assert (D(pe["ndfl_advance"]), D(pe["ndfl"])) == (D(0), D(2600))
    assert D(pe["contribution_base"]) == D(27093)  # the director's minimum base
    assert (D(pe["contrib_main"]), D(pe["contrib_injury"])) == (D("8127.90"), D(40))
    si = line_of(run, ids, "Сидорова")
    assert (si["days_worked"], D(si["salary"]), D(si["advance_gross"])) == (10, D(40000), D(0))
    assert (D(si["ndfl"]), D(si["contrib_main"]), D(si["contrib_injury"])) == (
        D(5200), D(12000), D(80))
    # Totals: accrued 100 000 + 20 000 + 40 000; НДФЛ 12 454 + 2 600 + 5 200;
    # contributions 30 000 + 8 127,90 + 12 000.
    tot = run["totals"]
    assert (D(tot["accrued"]), D(tot["ndfl"]), D(tot["contrib_main"]),
            D(tot["contrib_injury"])) == (D(160000), D(20254), D("50127.90"), D(320))


async def test_rerun_replaces_the_draft_and_same_key_creates_nothing(books, server_app):
    http, owner, org, base, ids = books
    first = await compute(http, owner.h, base, 2026, 1)
    bonus = {"items": [{"employee_id": ids["Иванов"], "kind": "bonus", "amount": "10000.00"}]}
    again = await compute(http, owner.h, base, 2026, 1, **bonus)
    assert again["id"] == first["id"]
    # The bonus adds 10 000 × 13 % = 1 300 to the final НДФЛ: 12 454 + 1 300 = 13 754.
    iv = line_of(again, ids, "Иванов")
    assert (D(iv["bonus"]), D(iv["accrued"]), D(iv["ndfl_final"])) == (
        D(10000), D(110000), D(13754))
    h = {**owner.h, "Idempotency-Key": "payroll-jan-2026"}
    one = await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 1}, headers=h)
    two = await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 1}, headers=h)
    assert one.status_code == two.status_code == 200 and one.json() == two.json()
    with db(server_app) as s:
        runs = s.scalars(select(PayrollRun).where(PayrollRun.org_id == org["id"])).all()
        assert len(runs) == 1


async def test_approve_posts_and_pay_makes_orders(books, server_app):
    http, owner, org, base, _ids = books
    run = await compute(http, owner.h, base, 2026, 1)
    resp = await http.post(f"{base}/payroll/runs/{run['id']}/approve", headers=owner.h)
    assert resp.status_code == 200, resp.text
    approved = resp.json()
    assert approved["state"] == "approved" and len(approved["entry_ids"]) == 1
    with db(server_app) as s:
        posts = s.scalars(select(Posting).where(Posting.entry_id == approved["entry_ids"][0])
                          .order_by(Posting.line)).all()
        got = [(p.debit, p.credit, p.amount_kopecks, p.date.isoformat()) for p in posts]
    assert got == [
        ("26", "70", 12_000_000, "2026-01-31"),   # Иванов + Петров: 120 000
        ("44", "70", 4_000_000, "2026-01-31"),    # Сидорова: 40 000
        # НДФЛ is posted with the payment it is withheld from (below), not here.
        ("26", "69.09", 3_812_790, "2026-01-31"),  # 30 000 + 8 127,90
        ("44", "69.09", 1_200_000, "2026-01-31"),
        ("26", "69.11", 24_000, "2026-01-31"),     # 200 + 40
        ("44", "69.11", 8_000, "2026-01-31"),
    ]
    again = await compute_raw(http, owner.h, base, 2026, 1)
    assert_problem(again, 409, "payroll.not_draft")

    # Advance on 20 Jan: card 26 666,67 + 5 333,33 = 32 000,00; no cash; no НДФЛ
    # withheld (income arises 31 Jan), so no ЕНП order.
    paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                           json={"date": "2026-01-20", "part": "advance"})
    assert paid.status_code == 200, paid.text
    adv = paid.json()
    assert D(adv["ndfl"]) == D(0) and adv["ndfl_notice"] is None
    kinds = sorted((o["kind"], D(o["amount"])) for o in adv["orders"])
    assert kinds == [("salary", D("5333.33")), ("salary", D("26666.67"))]
    # Final on 5 Feb: card 60 879,33 + 12 066,67 = 72 946; cash 40 000 − 5 200 = 34 800;
    # НДФЛ 12 454 + 2 600 + 5 200 = 20 254 due 28 Feb → Saturday → 2 March; contributions
    # 50 127,90 due the same day; ЕНП 70 381,90; injury due 15 Feb (Sunday) → 16 Feb.
    paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                           json={"date": "2026-02-05", "part": "final"})
    assert paid.status_code == 200, paid.text
    fin = paid.json()
    assert (fin["ndfl_due"], fin["contributions_due"], fin["injury_due"]) == (
        "2026-03-02", "2026-03-02", "2026-02-16")
    tax = [o for o in fin["orders"] if o["kind"] == "tax"]
    assert len(tax) == 1 and D(tax[0]["amount"]) == D("70381.90")
    assert tax[0]["kbk"] == "18201061201010000510"
    assert fin["run"]["state"] == "paid"
    with db(server_app) as s:
        posts = s.scalars(select(Posting).where(Posting.entry_id == fin["entry_id"])
                          .order_by(Posting.line)).all()
        assert [(p.debit, p.credit, p.amount_kopecks) for p in posts] == [
            ("70", "51", 7_294_600), ("70", "50.01", 3_480_000), ("70", "68.01", 2_025_400)]
        assert len(s.scalars(select(PaymentOrder).where(
            PaymentOrder.org_id == org["id"])).all()) == 2 + 3
    again = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                            json={"date": "2026-02-05", "part": "final"})
    assert_problem(again, 409, "payroll.already_paid")


async def compute_raw(http, h, base, year, month, **extra):
    return await http.post(f"{base}/payroll/runs", json={"year": year, "month": month, **extra},
                           headers=h)


async def test_february_ndfl_is_cumulative(books):
    http, owner, _, base, ids = books
    jan = await compute(http, owner.h, base, 2026, 1)
    assert (await http.post(f"{base}/payroll/runs/{jan['id']}/approve",
                            headers=owner.h)).status_code == 200
    feb = await compute(http, owner.h, base, 2026, 2)
    iv = line_of(feb, ids, "Иванов")
    # Advance: 10 of 19 days → 52 631,58, no НДФЛ (paid 20 Feb, inside the month).
    # Month: (200 000 − 8 400) × 13 % = 24 908 − 12 454 = 12 454, all from the final.
    assert D(iv["advance_gross"]) == D("52631.58")
    assert (D(iv["ndfl_advance"]), D(iv["ndfl_final"]), D(iv["ndfl"])) == (
        D(0), D(12454), D(12454))
    assert D(iv["income_ytd"]) == D(200000)
    si = line_of(feb, ids, "Сидорова")
    # 40 000 before; month (100 000 × 13 %) − 5 200 = 7 800, none from the advance.
    assert (D(si["ndfl_advance"]), D(si["ndfl"])) == (D(0), D(7800))
    # Approving February before an earlier draft is refused the other way round:
    mar = await compute(http, owner.h, base, 2026, 3)
    refused = await http.post(f"{base}/payroll/runs/{mar['id']}/approve", headers=owner.h)
    assert_problem(refused, 409, "payroll.earlier_draft")
    summary = (await http.get(f"{base}/payroll/quarters/2026-Q1", headers=owner.h)).json()
    assert [D(x["income"]) for x in summary["months"]] == [D(160000), D(0), D(0)]
    assert D(summary["total"]["ndfl_computed"]) == D(20254)
    assert D(summary["total"]["ndfl_withheld"]) == D(0)  # nothing paid yet
    assert D(summary["contrib_main_ytd"]) == D("50127.90")


async def test_december_pay_days(books):
    http, owner, _, base, _ = books
    dec = await compute(http, owner.h, base, 2026, 12)
    # 20.12.2026 is a Sunday → Friday 18.12; 5.01.2027 is in the New Year holidays and
    # 31.12.2026 a day off → 30.12.2026, the last working day, also the НДФЛ due date.
    assert (dec["advance_date"], dec["final_date"]) == ("2026-12-18", "2026-12-30")


async def test_payslip_text_and_pdf(books):
    http, owner, _, base, ids = books
    run = await compute(http, owner.h, base, 2026, 1)
    path = f"{base}/payroll/runs/{run['id']}/payslips/{ids['Иванов']}"
    slip = (await http.get(path, headers=owner.h)).json()
    assert D(slip["accrued"]) == D(100000) and D(slip["deducted"]) == D(12454)
    assert D(slip["due"]) == D(87546)
    text = "\n".join(slip["text"])
    assert "Иванов Иван Иванович" in text and "100000.00" in text and "12454.00" in text
    assert "87546.00" in text and "4200.00" in text
    pdf = await http.get(f"{path}/pdf", headers=owner.h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["observer", "primary"])
async def test_no_payroll_rights_no_names(books, role):
    http, owner, org, base, ids = books
    run = await compute(http, owner.h, base, 2026, 1)
    await http.post(f"{base}/payroll/runs/{run['id']}/approve", headers=owner.h)
    for day, part in (("2026-01-20", "advance"), ("2026-02-05", "final")):
        # The advance withholds no НДФЛ (no ЕНП order); the final payment makes one.
        await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                        json={"date": day, "part": part})
    other = await join(http, owner, org["id"], f"{role}@example.ru", role)
    for path in ("/employees", f"/employees/{ids['Иванов']}", "/payroll/runs",
                 "/payroll/runs/2026-01", f"/payroll/runs/{run['id']}/payslips/{ids['Иванов']}",
                 "/payroll/quarters/2026-Q1"):
        assert_problem(await http.get(base + path, headers=other.h), 403, "orgs.forbidden")
    refused = await http.post(f"{base}/employees", json=SIDOROVA, headers=other.h)
    assert_problem(refused, 403, "orgs.forbidden")
    journal = await http.get(f"{base}/entries", headers=other.h)
    assert journal.status_code == 200
    orders = await http.get(f"{base}/payment-orders", headers=other.h)
    assert orders.status_code == 200
    assert [o["kind"] for o in orders.json()["items"]] == ["tax"]  # the ЕНП only
    for name in NAMES:
        assert name not in journal.text and name not in orders.text
