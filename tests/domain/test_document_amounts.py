"""client/documents.py: line amounts, VAT inside and on top, totals, titles, VAT wording."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from client.i18n import CATALOGUE
from core import contract as m
from core import documents as d


def test_vat_inside_the_price():
    # 3 × 1 234,50 = 3 703,50 ₽ with 20 % inside: 3 703,50 × 20 / 120 = 617,25 ₽ exactly.
    line = d.line_amounts(D("3"), D("1234.50"), "20", vat_included=True)
    assert (line.amount, line.vat, line.total, line.net) == (
        D("3703.50"), D("617.25"), D("3703.50"), D("3086.25"))


def test_vat_on_top_of_the_price():
    # 3 × 1 234,50 = 3 703,50 ₽ + 22 %: 3 703,50 × 22 / 100 = 814,77 ₽; total 4 518,27 ₽.
    line = d.line_amounts(D("3"), D("1234.50"), "22", vat_included=False)
    assert (line.amount, line.vat, line.total, line.net) == (
        D("3703.50"), D("814.77"), D("4518.27"), D("3703.50"))


@pytest.mark.parametrize(
    ("rate", "included", "vat", "total"),
    [
        # 10 000,00 ₽ with 5 % inside: 10 000 × 5 / 105 = 476,190… → 476,19 ₽.
        ("5", True, "476.19", "10000.00"),
        # 10 000,00 ₽ + 5 %: 500,00 ₽ → 10 500,00 ₽.
        ("5", False, "500.00", "10500.00"),
        # 10 000,00 ₽ with 7 % inside: 10 000 × 7 / 107 = 654,205… → 654,21 ₽.
        ("7", True, "654.21", "10000.00"),
        # 10 000,00 ₽ with 10 % inside: 10 000 × 10 / 110 = 909,0909… → 909,09 ₽.
        ("10", True, "909.09", "10000.00"),
        # 10 000,00 ₽ with 22 % inside: 10 000 × 22 / 122 = 1 803,278… → 1 803,28 ₽.
        ("22", True, "1803.28", "10000.00"),
        # 0 % and «без НДС»: no VAT, inside or on top.
        ("0", True, "0.00", "10000.00"),
        ("0", False, "0.00", "10000.00"),
        ("none", True, "0.00", "10000.00"),
        ("none", False, "0.00", "10000.00"),
    ],
)
def test_each_rate(rate, included, vat, total):
    line = d.line_amounts(D("1"), D("10000.00"), rate, vat_included=included)
    assert line.amount == D("10000.00")
    assert (line.vat, line.total) == (D(vat), D(total))


def test_the_amount_is_rounded_half_up_to_a_kopeck():
    # 1,5 × 0,15 = 0,225 → 0,23 (half up, not to even: banker's rounding would give 0,22).
    assert d.line_amounts(D("1.5"), D("0.15"), "none", True).amount == D("0.23")
    # 0,333 × 10,00 = 3,33; 2,125 × 1,00 = 2,125 → 2,13.
    assert d.line_amounts(D("0.333"), D("10.00"), "none", True).amount == D("3.33")
    assert d.line_amounts(D("2.125"), D("1.00"), "none", True).amount == D("2.13")


def test_vat_is_rounded_half_up_to_a_kopeck():
    # 0,05 × 10 / 100 = 0,005 → 0,01 on top; 1,10 × 10 / 110 = 0,10 inside exactly.
    assert d.vat_of(D("0.05"), "10", vat_included=False) == D("0.01")
    assert d.vat_of(D("1.10"), "10", vat_included=True) == D("0.10")
    # 0,06 × 20 / 120 = 0,01 exactly; 0,03 × 20 / 120 = 0,005 → 0,01; 0,02 → 0,0033 → 0,00.
    assert d.vat_of(D("0.06"), "20", vat_included=True) == D("0.01")
    assert d.vat_of(D("0.03"), "20", vat_included=True) == D("0.01")
    assert d.vat_of(D("0.02"), "20", vat_included=True) == D("0.00")


def test_document_totals_add_the_lines_each_rounded():
    # Line 1: 3 × 1 234,50 = 3 703,50 with 20 % inside → VAT 617,25.
    # Line 2: 2 × 0,50 = 1,00 with 20 % inside → 1,00 × 20 / 120 = 0,1666… → 0,17.
    # Line 3: 1 × 100,00 без НДС → VAT 0.
    # Total 3 703,50 + 1,00 + 100,00 = 3 804,50; VAT 617,25 + 0,17 = 617,42.
    totals = d.document_totals([(D("3"), D("1234.50"), "20"), (D("2"), D("0.50"), "20"),
                                (D("1"), D("100.00"), "none")], vat_included=True)
    assert [x.vat for x in totals.lines] == [D("617.25"), D("0.17"), D("0.00")]
    assert (totals.total, totals.vat_total, totals.net_total) == (
        D("3804.50"), D("617.42"), D("3187.08"))


def test_document_totals_with_vat_on_top():
    # 2 × 500,00 = 1 000,00 + 22 % = 220,00; 1 × 99,99 + 10 % = 9,999 → 10,00.
    # Total 1 220,00 + 109,99 = 1 329,99; VAT 230,00.
    totals = d.document_totals([(D("2"), D("500.00"), "22"), (D("1"), D("99.99"), "10")],
                               vat_included=False)
    assert (totals.total, totals.vat_total) == (D("1329.99"), D("230.00"))


def test_a_payment_is_one_line():
    # 12 200,00 ₽ with 22 % inside: 12 200 × 22 / 122 = 2 200,00 ₽.
    totals = d.payment_totals(D("12200.00"), "22", vat_included=True)
    assert (totals.total, totals.vat_total) == (D("12200.00"), D("2200.00"))
    empty = d.document_totals([], vat_included=True)
    assert (empty.total, empty.vat_total) == (D("0.00"), D("0.00"))


def test_titles():
    day = date(2026, 3, 5)
    assert d.document_title("act", 3, day) == "Акт № 3 от 05.03.2026"
    assert d.document_title("invoice", 12, day) == "Счёт на оплату № 12 от 05.03.2026"
    assert d.document_title("cash_in", 1, date(2026, 12, 31)) == "ПКО № 1 от 31.12.2026"
    for doc_type in d.DOC_TYPES:
        assert d.document_title(doc_type, 7, day).endswith(" № 7 от 05.03.2026")


def test_type_lists_agree_with_the_wire_contract_and_the_catalogue():
    assert set(d.DOC_TYPES) == set(m.DocType.__args__)  # type: ignore[attr-defined]
    assert d.LINE_TYPES == m.LINE_DOC_TYPES
    assert set(d.VAT_RATES) == set(m.VatRate.__args__)  # type: ignore[attr-defined]
    assert set(d.LINE_TYPES) | set(d.PAYMENT_TYPES) == set(d.DOC_TYPES)
    for doc_type, name in d.DOC_TYPE_NAMES.items():
        assert CATALOGUE[f"doc.type.{doc_type}"][0] == name


def test_vat_wording_of_a_payment():
    assert d.vat_purpose_text("22", D("1803.28")) == "В т.ч. НДС (22 %) 1803,28 руб."
    assert d.vat_purpose_text("none", D("0")) == "Без налога (НДС)"
    assert d.payment_purpose("Оплата по счёту № 5 от 02.03.2026.", "20", D("200")) == \
        "Оплата по счёту № 5 от 02.03.2026. В т.ч. НДС (20 %) 200,00 руб."
    assert d.payment_purpose(None, "none", D("0")) == "Без налога (НДС)"
    # A purpose that already speaks of VAT is left as typed.
    typed = "Оплата, НДС не облагается"
    assert d.payment_purpose(typed, "20", D("1")) == typed


def test_quantity_text():
    assert [d.quantity_text(D(x)) for x in ("3", "3.000", "1.5", "0.125", "10")] == [
        "3", "3", "1,5", "0,125", "10"]


# --- the wire model's checks ----------------------------------------------------------

CP = "00000000-0000-4000-8000-000000000001"


def act(**over):
    body = {"type": "act", "date": "2026-03-05", "counterparty_id": CP,
            "lines": [{"name": "Консультация", "quantity": "3", "price": "1234.50",
                       "vat_rate": "20"}]}
    return {**body, **over}


def field_of(body: dict, model: type = m.DocumentIn) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    error = caught.value.errors()[0]
    cause = (error.get("ctx") or {}).get("error")
    return cause.params.get("field") if cause is not None else ".".join(map(str, error["loc"]))


def test_document_in_accepts_a_good_act_and_drops_a_stray_amount():
    doc = m.DocumentIn.model_validate(act(amount="5.00", account="62.01", purpose="  "))
    assert doc.amount is None and doc.account is None and doc.purpose is None


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "1.0005"}, "quantity"),
        ({"price": "-0.01"}, "price"),
        ({"price": "1.005"}, "price"),
        ({"name": "   "}, "name"),
        ({"quantity": "1e30"}, "quantity"),  # refused, not an overflow in quantize()
        ({"price": "1e40"}, "price"),
        ({"price": "NaN"}, "price"),
    ],
)
def test_bad_lines_are_refused(line, field):
    good = {"name": "Консультация", "quantity": "1.125", "price": "0.00"}
    m.DocumentLineIn.model_validate(good)  # three decimals of quantity, a zero price: fine
    assert field_of({**good, **line}, m.DocumentLineIn) == field


def test_document_in_shape_rules():
    assert field_of(act(lines=[])) == "lines"
    assert field_of(act(counterparty_id=None)) == "counterparty_id"
    pay = {"type": "bank_in", "date": "2026-03-05", "counterparty_id": CP, "amount": "100.00"}
    m.DocumentIn.model_validate(pay)
    assert field_of({**pay, "amount": None}) == "amount"
    assert field_of({**pay, "amount": "0"}) == "amount"
    assert field_of({**pay, "amount": "1.001"}) == "amount"
    assert field_of({**pay, "amount": "1e40"}) == "amount"
    assert field_of({**pay, "lines": act()["lines"]}) == "lines"
    assert field_of({**pay, "account": "банк"}) == "account"
    assert field_of({**pay, "account": "51"}) == "account"  # Дт 51 Кт 51 makes no sense
    assert m.DocumentIn.model_validate({**pay, "account": "76.АВ"}).account == "76.АВ"
    # A cash order may have no counterparty; a bank one may not.
    cash = {"type": "cash_out", "date": "2026-03-05", "amount": "100.00", "account": "71"}
    assert m.DocumentIn.model_validate(cash).counterparty_id is None
    assert field_of({**cash, "account": "50.01"}) == "account"
    assert field_of({**pay, "counterparty_id": None}) == "counterparty_id"
    services = act(type="purchase_services", account="44")
    assert m.DocumentIn.model_validate(services).account == "44"
    assert field_of(act(type="purchase_services", account="20")) == "account"
    # A total beyond what can be written in words: 1 000 000 × 1 000 000,00 ₽.
    huge = act(lines=[{"name": "x", "quantity": "1000000", "price": "1000000.00"}])
    assert field_of(huge) == "lines"
