"""НДФЛ by the income date (issue 13, point 1): salary income arises on the last day of the
month it is for (НК ст. 223 п. 2), tax is withheld on the payment (ст. 226 п. 4), so
nothing is withheld from an advance paid inside the month and the whole month's tax is
withheld from the final payment.

Worked example (January 2026, the three employees of tests/server/test_payroll.py):
- month НДФЛ: Иванов (100 000 − 4 200) × 13 % = 12 454; Петров 20 000 × 13 % = 2 600;
  Сидорова 40 000 × 13 % = 5 200; together 20 254;
- advance 20.01.2026 (a Tuesday, inside January): Иванов 26 666,67 + Петров 5 333,33
  = 32 000,00 to the cards, НДФЛ 0, no ЕНП order, no Дт 70 Кт 68.01;
- final 05.02.2026: НДФЛ 20 254 withheld (Дт 70 Кт 68.01 20 254,00 dated 05.02);
  withheld on the 5th → notice period 01.02–22.02.2026, notice by 25.02.2026 (a
  Wednesday); payment by the 28th: 28.02.2026 is a Saturday → Monday 02.03.2026;
- the quarter: January's income (160 000) and computed tax (20 254) stay in January;
  the tax WITHHELD (20 254) is February's;
- an advance paid on the month's last day is taxed: paid 30.01.2026 is not the last
  day (31.01 is a Saturday; the pay day was not moved by hand) → none; paid 31.01.2026 →
  Иванов (26 666,67 − 4 200) × 13 % = 2 920,67 → 2 921, Петров 5 333,33 × 13 % = 693,33
  → 693; the final payment withholds the rest 12 454 − 2 921 + 2 600 − 693 + 5 200
  = 16 640.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.db.models import Posting
from server.domain import payroll_rules as pr
from tests.helpers import db
from tests.server.test_payroll import books, compute  # noqa: F401 (fixture)


def D(text: str | int) -> Decimal:
    return Decimal(text)


async def approved(http, h, base):
    run = await compute(http, h, base, 2026, 1)
    resp = await http.post(f"{base}/payroll/runs/{run['id']}/approve", headers=h)
    assert resp.status_code == 200, resp.text
    return run


async def pay(http, h, base, run, day, part, **extra):
    resp = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=h,
                           json={"date": day, "part": part, **extra})
    assert resp.status_code == 200, resp.text
    return resp.json()


def postings(server_app, entry_id):
    with db(server_app) as s:
        return [(p.debit, p.credit, p.amount_kopecks, p.date.isoformat())
                for p in s.scalars(select(Posting).where(Posting.entry_id == entry_id)
                                   .order_by(Posting.line))]


async def test_advance_on_the_20th_withholds_nothing(books, server_app):
    http, owner, _, base, _ids = books
    run = await approved(http, owner.h, base)
    accrual = postings(server_app, run_id_entry := (await http.get(
        f"{base}/payroll/runs/2026-01", headers=owner.h)).json()["entry_ids"][0])
    assert not any(p[:2] == ("70", "68.01") for p in accrual), run_id_entry
    adv = await pay(http, owner.h, base, run, "2026-01-20", "advance")
    assert D(adv["ndfl"]) == 0 and adv["ndfl_notice"] is None
    assert [o["kind"] for o in adv["orders"]] == ["salary", "salary"]  # no ЕНП order
    assert sum(D(o["amount"]) for o in adv["orders"]) == D("32000.00")
    assert postings(server_app, adv["entry_id"]) == [("70", "51", 3_200_000, "2026-01-20")]


async def test_final_on_the_5th_withholds_the_whole_month(books, server_app):
    http, owner, _, base, _ids = books
    run = await approved(http, owner.h, base)
    await pay(http, owner.h, base, run, "2026-01-20", "advance")
    fin = await pay(http, owner.h, base, run, "2026-02-05", "final")
    assert D(fin["ndfl"]) == D(20254)
    assert fin["ndfl_notice"] == {"period_from": "2026-02-01", "period_to": "2026-02-22",
                                  "amount": "20254.00", "notice_due": "2026-02-25",
                                  "payment_due": "2026-03-02"}
    assert fin["ndfl_due"] == "2026-03-02"
    assert ("70", "68.01", 2_025_400, "2026-02-05") in postings(server_app, fin["entry_id"])
    (enp,) = [o for o in fin["orders"] if o["kind"] == "tax"]
    assert D(enp["amount"]) == D("20254") + D("50127.90")
    assert "срок 02.03.2026" in enp["purpose"]


async def test_the_quarter_puts_the_tax_in_the_month_it_was_withheld(books):
    http, owner, _, base, _ids = books
    run = await approved(http, owner.h, base)
    await pay(http, owner.h, base, run, "2026-01-20", "advance")
    await pay(http, owner.h, base, run, "2026-02-05", "final")
    q = (await http.get(f"{base}/payroll/quarters/2026-Q1", headers=owner.h)).json()
    jan, feb, mar = q["months"]
    assert (D(jan["income"]), D(jan["ndfl_computed"]), D(jan["ndfl_withheld"])) == (
        D(160000), D(20254), D(0))
    assert (D(feb["income"]), D(feb["ndfl_withheld"])) == (D(0), D(20254))
    assert D(mar["ndfl_withheld"]) == 0
    assert D(q["total"]["ndfl_withheld"]) == D(q["ndfl_withheld_ytd"]) == D(20254)
    assert q["ndfl_notices"] == [{"period_from": "2026-02-01", "period_to": "2026-02-22",
                                  "amount": "20254.00", "notice_due": "2026-02-25",
                                  "payment_due": "2026-03-02"}]


@pytest.mark.parametrize(("day", "advance_ndfl"), [("2026-01-30", 0), ("2026-01-31", 3614)])
async def test_an_advance_on_the_last_day_is_taxed(books, server_app, day,
                                                   advance_ndfl):
    http, owner, _, base, _ids = books
    run = await approved(http, owner.h, base)
    adv = await pay(http, owner.h, base, run, day, "advance")
    assert D(adv["ndfl"]) == advance_ndfl  # 2 921 + 693 on the 31st
    assert [o["kind"] == "tax" for o in adv["orders"]].count(True) == (1 if advance_ndfl
                                                                        else 0)
    fin = await pay(http, owner.h, base, run, "2026-02-05", "final")
    assert D(fin["ndfl"]) == D(20254) - advance_ndfl  # 16 640 after a taxed advance
    if advance_ndfl:
        # withheld 31.01 → period 23.01–31.01, notice by 03.02, payment by the 5th of the
        # next month (НК ст. 226 п. 6 since 2024): Thursday 05.02.2026
        assert adv["ndfl_notice"]["period_from"] == "2026-01-23"
        assert (adv["ndfl_notice"]["notice_due"], adv["ndfl_notice"]["payment_due"]) == (
            "2026-02-03", "2026-02-05")
        assert ("70", "68.01", 361_400, day) in postings(server_app, adv["entry_id"])


def test_the_rules_by_hand():
    assert pr.income_date(2026, 2) == date(2026, 2, 28)
    assert not pr.advance_is_taxed(date(2026, 1, 20), 2026, 1)
    assert pr.advance_is_taxed(date(2026, 1, 31), 2026, 1)
    n = pr.ndfl_notice(date(2026, 2, 5))
    assert (n.period_from, n.period_to, n.notice_due, n.payment_due) == (
        date(2026, 2, 1), date(2026, 2, 22), date(2026, 2, 25), date(2026, 3, 2))
    # 1–22.01.2026: the 25th is a Sunday → notice Monday 26.01; payment 28.01 (Wednesday).
    n = pr.ndfl_notice(date(2026, 1, 20))
    assert (n.notice_due, n.payment_due) == (date(2026, 1, 26), date(2026, 1, 28))
    # 23–28.02.2026 → notice by 03.03 (Tuesday), payment by 05.03 (Thursday).
    n = pr.ndfl_notice(date(2026, 2, 27))
    assert (n.period_from, n.period_to, n.notice_due, n.payment_due) == (
        date(2026, 2, 23), date(2026, 2, 28), date(2026, 3, 3), date(2026, 3, 5))
    # 23–31 December: notice and payment by the last working day of the year: 31.12.2026
    # (a Thursday) is a day off in the production calendar → 30.12.2026.
    n = pr.ndfl_notice(date(2026, 12, 25))
    assert (n.period_from, n.period_to, n.notice_due, n.payment_due) == (
        date(2026, 12, 23), date(2026, 12, 31), date(2026, 12, 30), date(2026, 12, 30))
