"""The payment documents of a payroll run: the Т-53 (cash) and the salary register (card).

The scenario of tests/server/test_payroll.py (January 2026, ООО «Ромашка»):
- Иванов (card, табельный № 1, entered first): advance 26 666,67 (no НДФЛ is withheld from
  an advance paid inside the month, НК ст. 223 п. 2); final 100 000 − 26 666,67 − 12 454
  = 60 879,33.
- Петров (card, № 2): advance 5 333,33; final 20 000 − 5 333,33 − 2 600 = 12 066,67.
- Сидорова (cash, № 3, hired 19 January): no advance (no days in the first half);
  final 40 000 − 0 − 5 200 = 34 800,00.
Register of the advance: 26 666,67 + 5 333,33 = 32 000,00; of the final payment:
60 879,33 + 12 066,67 = 72 946,00. Т-53 of the final payment: 34 800,00.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.helpers import assert_problem
from tests.org_helpers import join
from tests.server.test_payroll import books, compute  # noqa: F401  (the shared fixture)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


async def approved_january(http, h, base):
    run = await compute(http, h, base, 2026, 1)
    resp = await http.post(f"{base}/payroll/runs/{run['id']}/approve", headers=h)
    assert resp.status_code == 200, resp.text
    return run


async def test_t53_of_the_final_payment(books):
    http, owner, _org, base, _ids = books
    run = await approved_january(http, owner.h, base)
    resp = await http.get(f"{base}/payroll/runs/{run['id']}/t53", params={"part": "final"},
                          headers=owner.h)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    text = pdf_text(resp.content)
    assert "ПЛАТЁЖНАЯ ВЕДОМОСТЬ" in text and "Т-53" in text and "0301011" in text
    assert "Общество с ограниченной ответственностью «Ромашка»" in text
    assert "Сидорова Анна Сергеевна" in text and "34 800,00" in text
    # Only the cash employee: the card ones go to the register.
    assert "Иванов Иван Иванович" not in text and "Петров Пётр Петрович" not in text
    assert "Тридцать четыре тысячи восемьсот рублей 00 копеек" in text
    # Number «01-2» (the final payment of January), dated the planned pay day 05.02.2026;
    # the cash term is 5 working days from it: 5, 6, 9, 10, 11 February.
    assert "01-2" in text and "с 05.02.2026 по 11.02.2026" in text
    assert "01.01.2026" in text and "31.01.2026" in text  # the period
    for signer in ("Руководитель", "Главный бухгалтер", "кассир", "Иванов И. И."):
        assert signer in text, signer
    # The advance pays nobody in cash (Сидорова had no days in the first half).
    nobody = await http.get(f"{base}/payroll/runs/{run['id']}/t53",
                            params={"part": "advance"}, headers=owner.h)
    assert_problem(nobody, 422, "payroll.nothing_to_pay")


async def test_register_of_each_payment(books):
    http, owner, _org, base, _ids = books
    run = await approved_january(http, owner.h, base)
    path = f"{base}/payroll/runs/{run['id']}/register"
    adv = await http.get(path, params={"part": "advance"}, headers=owner.h)
    assert adv.status_code == 200, adv.text
    assert adv.headers["content-type"] == "application/pdf"
    text = pdf_text(adv.content)
    assert "РЕЕСТР" in text and "01-1" in text
    assert "Иванов Иван Иванович" in text and "26 666,67" in text
    assert "Петров Пётр Петрович" in text and "5 333,33" in text
    assert "40817810899910004312" in text and "ПАО Сбербанк" in text
    assert "Сидорова" not in text
    assert "32 000,00" in text
    assert "Тридцать две тысячи рублей 00 копеек" in text
    assert "Количество сотрудников: 2" in text
    fin = pdf_text((await http.get(path, params={"part": "final"}, headers=owner.h)).content)
    assert "60 879,33" in fin and "12 066,67" in fin and "72 946,00" in fin
    assert "Семьдесят две тысячи девятьсот сорок шесть рублей 00 копеек" in fin
    bad = await http.get(path, params={"part": "bonus"}, headers=owner.h)
    assert_problem(bad, 422, "validation.failed")


async def test_paid_part_is_dated_the_pay_day(books):
    http, owner, _org, base, _ids = books
    run = await approved_january(http, owner.h, base)
    paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=owner.h,
                           json={"date": "2026-01-19", "part": "advance"})
    assert paid.status_code == 200, paid.text
    text = pdf_text((await http.get(f"{base}/payroll/runs/{run['id']}/register",
                                    params={"part": "advance"}, headers=owner.h)).content)
    assert "19 января 2026 г." in text and "32 000,00" in text


async def test_draft_and_other_orgs_are_refused(books):
    http, owner, _org, base, _ids = books
    run = await compute(http, owner.h, base, 2026, 1)
    draft = await http.get(f"{base}/payroll/runs/{run['id']}/t53", params={"part": "final"},
                           headers=owner.h)
    assert_problem(draft, 409, "payroll.not_approved")
    missing = await http.get(
        f"{base}/payroll/runs/00000000-0000-4000-8000-000000000000/register",
        params={"part": "final"}, headers=owner.h)
    assert_problem(missing, 404, "payroll.not_found")


@pytest.mark.parametrize("role", ["observer", "primary"])
async def test_no_payroll_rights_no_documents(books, role):
    http, owner, org, base, _ids = books
    run = await approved_january(http, owner.h, base)
    other = await join(http, owner, org["id"], f"{role}@example.ru", role)
    for doc in ("t53", "register"):
        resp = await http.get(f"{base}/payroll/runs/{run['id']}/{doc}",
                              params={"part": "final"}, headers=other.h)
        assert_problem(resp, 403, "orgs.forbidden")
        assert "Сидорова" not in resp.text and "Иванов" not in resp.text
