"""server/domain/posting_rules.py: the Дт/Кт each document type makes, VAT payer or not."""

from __future__ import annotations

import pytest

from server.domain import chart
from server.domain import posting_rules as r

CP = "cp-1"


def book(doc_type: str, total: int, vat: int, vat_mode: str, account: str | None = None,
         cp: str | None = CP) -> list[tuple[str, str, int, str | None]]:
    facts = r.DocumentFacts(type=doc_type, total=total, vat=vat, account=account,
                            counterparty_id=cp)
    return [(p.debit, p.credit, p.amount, p.counterparty_id)
            for p in r.postings_for(facts, vat_mode)]


def test_every_account_the_rules_use_is_in_the_chart():
    codes = {a.code for a in chart.load_chart()}
    assert r.ACCOUNTS_USED <= codes
    assert set(r.DEFAULT_ACCOUNT.values()) | set(r.MONEY_ACCOUNT.values()) <= codes
    assert set(r.EXPENSE_ACCOUNTS) <= codes


def test_an_invoice_books_nothing():
    assert book("invoice", 1_200_000, 200_000, "general") == []


@pytest.mark.parametrize("doc_type", ["act", "sale_goods"])
def test_a_sale_by_a_vat_payer(doc_type):
    # 12 000,00 ₽ with 20 % inside (2 000,00 ₽): the revenue at the full 12 000,00,
    # then the VAT out of it: Дт 90.03 Кт 68.02 2 000,00.
    assert book(doc_type, 1_200_000, 200_000, "general") == [
        ("62.01", "90.01", 1_200_000, CP),
        ("90.03", "68.02", 200_000, None),
    ]


def test_a_sale_at_the_reduced_usn_rate_charges_vat_too():
    # 10 500,00 ₽ with 5 % inside: 10 500 × 5 / 105 = 500,00 ₽.
    assert book("act", 1_050_000, 50_000, "usn_5") == [
        ("62.01", "90.01", 1_050_000, CP),
        ("90.03", "68.02", 50_000, None),
    ]
    assert book("act", 1_070_000, 70_000, "usn_7")[1] == ("90.03", "68.02", 70_000, None)


def test_a_sale_by_a_non_payer_has_no_vat_posting():
    assert book("act", 1_200_000, 200_000, "none") == [("62.01", "90.01", 1_200_000, CP)]
    # A payer selling «без НДС» (VAT 0): no zero posting either.
    assert book("sale_goods", 500_000, 0, "general") == [("62.01", "90.01", 500_000, CP)]


def test_a_purchase_of_goods_with_deduction():
    # 12 200,00 ₽ with 22 % inside: VAT 2 200,00, goods 10 000,00.
    assert book("purchase_goods", 1_220_000, 220_000, "general") == [
        ("41.01", "60.01", 1_000_000, CP),
        ("19.03", "60.01", 220_000, CP),
        ("68.02", "19.03", 220_000, CP),
    ]


def test_a_purchase_of_goods_without_deduction_goes_to_cost_in_full():
    for mode in ("none", "usn_5", "usn_7"):
        assert book("purchase_goods", 1_220_000, 220_000, mode) == [
            ("41.01", "60.01", 1_220_000, CP)
        ], mode


def test_a_purchase_of_services():
    # 6 000,00 ₽ with 20 % inside: VAT 1 000,00, services 5 000,00, on 26 by default.
    assert book("purchase_services", 600_000, 100_000, "general") == [
        ("26", "60.01", 500_000, CP),
        ("19.04", "60.01", 100_000, CP),
        ("68.02", "19.04", 100_000, CP),
    ]
    assert book("purchase_services", 600_000, 100_000, "general", account="44")[0] == \
        ("44", "60.01", 500_000, CP)
    assert book("purchase_services", 600_000, 100_000, "none", account="44") == [
        ("44", "60.01", 600_000, CP)
    ]
    # A supplier without VAT: only the cost.
    assert book("purchase_services", 600_000, 0, "general") == [("26", "60.01", 600_000, CP)]


def test_payments_by_default():
    assert book("bank_in", 100_000, 0, "none") == [("51", "62.01", 100_000, CP)]
    assert book("bank_out", 100_000, 0, "none") == [("60.01", "51", 100_000, CP)]
    assert book("cash_in", 100_000, 0, "none") == [("50.01", "62.01", 100_000, CP)]
    assert book("cash_out", 100_000, 0, "none") == [("60.01", "50.01", 100_000, CP)]


def test_a_payment_vat_is_only_words():
    # 12 200,00 ₽ received «в т.ч. НДС 22 % 2 200,00»: one posting, the full amount.
    assert book("bank_in", 1_220_000, 220_000, "general") == [("51", "62.01", 1_220_000, CP)]


def test_payments_to_a_chosen_account_and_their_analytics():
    # An advance received: Кт 62.02, a settlement account (counterparty analytics).
    assert book("bank_in", 100_000, 0, "none", account="62.02") == \
        [("51", "62.02", 100_000, CP)]
    # Cash to an accountable person (71 keeps an employee, not a counterparty).
    assert book("cash_out", 50_000, 0, "none", account="71") == \
        [("71", "50.01", 50_000, None)]
    # A cash receipt from nobody on file.
    assert book("cash_in", 50_000, 0, "none", cp=None) == [("50.01", "62.01", 50_000, None)]
    # Cash put into the bank: Дт 51 Кт 50.01, neither side has counterparty analytics.
    assert book("bank_in", 50_000, 0, "none", account="50.01") == \
        [("51", "50.01", 50_000, None)]


def test_inconsistent_input_is_refused():
    with pytest.raises(ValueError):
        book("act", 100, 200, "general")
    with pytest.raises(ValueError):
        book("bank_in", 100, 0, "none", account="51")
    with pytest.raises(ValueError):
        book("payroll", 100, 0, "none")


def test_settlement_accounts_carry_the_counterparty():
    assert all(r.carries_counterparty(c) for c in ("60.01", "62.01", "19.03", "76.АВ", "62"))
    assert not any(r.carries_counterparty(c) for c in ("41.01", "90.01", "68.02", "51", "71"))
