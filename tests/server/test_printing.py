"""Printable forms: the счёт на оплату and the акт as PDF, read back with pypdf.

Worked example used throughout (prices include VAT 20 %):
    2 × 15 000,00 = 30 000,00   VAT 30 000,00 × 20/120 = 5 000,00
    1 ×  4 500,50 =  4 500,50   VAT  4 500,50 × 20/120 =   750,083… → 750,08
    total 34 500,50             VAT 34 500,50 × 20/120 = 5 750,083… → 5 750,08
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any, get_args

import pytest
from pypdf import PdfReader

from core import contract as m
from server.printing.forms import initials, money, quantity, render_document_pdf, ru_date
from tests.org_helpers import BANK_746, BANK_SBER, IP, OOO

LONG_NAME = (
    "Разработка и сопровождение интернет-магазина на платформе 1С-Битрикс, включая "
    "настройку обмена с учётной системой и обучение сотрудников заказчика"
)


def make_org(base: dict[str, Any] = OOO, **over: Any) -> m.Org:
    data = {**base, "id": "org-1", "role": "accountant", "created_at": "2026-01-10T09:00:00Z"}
    data["bank_accounts"] = [{**b, "id": f"bank-{i}"} for i, b in enumerate(data["bank_accounts"])]
    return m.Org.model_validate({**data, **over})


def vat_org(**over: Any) -> m.Org:
    return make_org(tax_regime="osno", vat_mode="general",
                    chief_accountant="Петрова Мария Сергеевна", **over)


def make_counterparty(**over: Any) -> m.CounterpartyOut:
    return m.CounterpartyOut.model_validate({
        "id": "cp-1", "kind": "org", "name": "ООО «Василёк»",
        "full_name": "Общество с ограниченной ответственностью «Василёк»",
        "inn": "7719617469", "kpp": "771901001", "address": "г. Москва, ул. Садовая, д. 5",
        "phone": None, "email": None, "bik": "044525225", "account": "40702810938000012345",
        "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк",
        "contract": None, "archived": False,
        "created_at": "2026-01-10T09:00:00Z", "updated_at": "2026-01-10T09:00:00Z",
        **over,
    })


def line(name: str, qty: str, unit: str, price: str, amount: str, vat: str,
         rate: str = "20") -> dict[str, str]:
    return {"name": name, "quantity": qty, "unit": unit, "price": price, "vat_rate": rate,
            "amount": amount, "vat": vat}


EXAMPLE_LINES = [
    line(LONG_NAME, "2", "усл", "15000.00", "30000.00", "5000.00"),
    line("Консультация по налогам", "1", "ч", "4500.50", "4500.50", "750.08"),
]


def make_doc(**over: Any) -> m.DocumentOut:
    data: dict[str, Any] = {
        "id": "doc-1", "type": "invoice", "number": 12, "date": "2026-03-05",
        "state": "posted", "counterparty_id": "cp-1", "counterparty": "ООО «Василёк»",
        "contract": "Договор № 7 от 10.01.2026", "basis": None, "vat_included": True,
        "lines": EXAMPLE_LINES, "vat_rate": "none", "purpose": None, "account": None,
        "total": "34500.50", "vat_total": "5750.08",
        "total_in_words": "Тридцать четыре тысячи пятьсот рублей 50 копеек",
        "entry_id": None, "created_at": "2026-03-05T10:00:00Z",
    }
    return m.DocumentOut.model_validate({**data, **over})


def read(pdf: bytes) -> tuple[list[str], str]:
    """The pages' text, and all of it with whitespace (line breaks, no-break spaces)
    collapsed to single spaces, so wrapped names and grouped amounts read as one."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return pages, " ".join(" ".join(pages).split())


def test_invoice_shows_bank_parties_lines_and_totals():
    pdf = render_document_pdf(vat_org(), make_doc(), make_counterparty())
    assert pdf.startswith(b"%PDF")
    pages, text = read(pdf)
    assert len(pages) == 1
    assert "Счёт на оплату № 12 от 5 марта 2026 г." in text
    # The bank block: the org's first account.
    for part in ("Банк получателя", "ПАО Сбербанк", "БИК 044525225",
                 "Сч. № 30101810400000000225", "Сч. № 40817810899910004312",
                 "ИНН 7707083893 КПП 773601001", "Получатель"):
        assert part in text, part
    assert ("Общество с ограниченной ответственностью «Ромашка», ИНН 7707083893, "
            "КПП 773601001, г. Москва, ул. Вавилова, д. 19") in text
    assert ("Общество с ограниченной ответственностью «Василёк», ИНН 7719617469, "
            "КПП 771901001, г. Москва, ул. Садовая, д. 5") in text
    assert "Основание: Договор № 7 от 10.01.2026" in text
    assert "№ Товары (работы, услуги) Кол-во Ед. Цена Сумма" in text
    assert f"{LONG_NAME} 2 усл 15 000,00 30 000,00" in text  # wrapped, read back whole
    assert "2 Консультация по налогам 1 ч 4 500,50 4 500,50" in text
    assert "Итого: 34 500,50" in text
    assert "В том числе НДС 20 %: 5 750,08" in text
    assert "Всего к оплате: 34 500,50" in text
    assert "Всего наименований 2, на сумму 34 500,50 руб." in text
    assert "Тридцать четыре тысячи пятьсот рублей 50 копеек" in text
    assert "Руководитель Иванов И. И." in text
    assert "Бухгалтер Петрова М. С." in text
    assert "Индивидуальный предприниматель" not in text


def test_the_long_name_wraps_inside_its_cell():
    pages, _ = read(render_document_pdf(vat_org(), make_doc(), make_counterparty()))
    name_lines = [ln for ln in pages[0].splitlines() if ln.startswith("Разработка")]
    assert name_lines and name_lines[0] != LONG_NAME  # broken over several lines


def test_pdf_carries_title_and_embedded_dejavu_fonts():
    pdf = render_document_pdf(vat_org(), make_doc(), make_counterparty())
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Счёт на оплату № 12 от 5 марта 2026 г."
    assert b"DejaVuSans" in pdf
    assert b"/FontFile2" in pdf  # the TrueType program is embedded, not just named
    # The same document always renders to the same bytes (creation date = the document's).
    assert render_document_pdf(vat_org(), make_doc(), make_counterparty()) == pdf


def test_act_shows_parties_statement_and_both_signature_blocks():
    doc = make_doc(type="act", number=7, date="2026-01-31", basis="Счёт № 12 от 05.01.2026")
    pages, text = read(render_document_pdf(vat_org(), doc, make_counterparty()))
    assert len(pages) == 1
    assert "Акт № 7 от 31 января 2026 г." in text
    assert "Банк получателя" not in text  # no bank block on an act
    assert ("Исполнитель: Общество с ограниченной ответственностью «Ромашка», "
            "ИНН 7707083893, КПП 773601001") in text
    assert "р/с 40817810899910004312, в банке ПАО Сбербанк, БИК 044525225" in text
    assert "Заказчик: Общество с ограниченной ответственностью «Василёк», ИНН 7719617469" in text
    assert "р/с 40702810938000012345" in text
    assert "Основание: Счёт № 12 от 05.01.2026; Договор № 7 от 10.01.2026" in text
    assert "№ Наименование работ, услуг Кол-во Ед. Цена Сумма" in text
    assert f"{LONG_NAME} 2 усл 15 000,00 30 000,00" in text
    assert "Итого: 34 500,50" in text
    assert "В том числе НДС 20 %: 5 750,08" in text
    assert "Всего к оплате" not in text
    assert "Всего оказано услуг 2, на сумму 34 500,50 руб." in text
    assert "Тридцать четыре тысячи пятьсот рублей 50 копеек" in text
    assert ("Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий "
            "по объему, качеству и срокам оказания услуг не имеет.") in text
    assert "ИСПОЛНИТЕЛЬ Руководитель ООО «Ромашка»" in text
    assert "ЗАКАЗЧИК Руководитель ООО «Василёк»" in text
    assert "Иванов И. И." in text


def test_without_vat_the_form_says_so():
    # A УСН organisation, no VAT on the lines: 2 × 15 000,00 + 1 × 4 500,50 = 34 500,50.
    lines = [{**ln, "vat_rate": "none", "vat": "0"} for ln in EXAMPLE_LINES]
    doc = make_doc(lines=lines, vat_total="0")
    for form in ("invoice", "act"):
        _, text = read(render_document_pdf(make_org(), doc.model_copy(update={"type": form}),
                                           make_counterparty()))
        assert "Без налога (НДС)" in text, form
        assert "НДС 20" not in text, form
        assert "Итого: 34 500,50" in text, form


def test_vat_on_top_of_the_prices():
    # Prices without VAT: 2 × 15 000,00 = 30 000,00; VAT 30 000,00 × 20 % = 6 000,00;
    # due 30 000,00 + 6 000,00 = 36 000,00.
    doc = make_doc(
        vat_included=False,
        lines=[line("Аудит", "2", "усл", "15000.00", "30000.00", "6000.00")],
        total="36000.00", vat_total="6000.00",
        total_in_words="Тридцать шесть тысяч рублей 00 копеек",
    )
    _, text = read(render_document_pdf(vat_org(), doc, make_counterparty()))
    assert "Итого: 30 000,00" in text
    assert "Сумма НДС 20 %: 6 000,00" in text
    assert "Всего к оплате: 36 000,00" in text
    assert "В том числе" not in text
    assert "Всего наименований 1, на сумму 36 000,00 руб." in text


def test_several_vat_rates_each_get_a_line():
    # 1 × 11 000,00 at 10 %: 11 000,00 × 10/110 = 1 000,00;
    # 1 × 12 000,00 at 20 %: 12 000,00 × 20/120 = 2 000,00; VAT 3 000,00 of 23 000,00.
    doc = make_doc(
        lines=[line("Книги", "1", "шт", "11000.00", "11000.00", "1000.00", rate="10"),
               line("Доставка", "1", "усл", "12000.00", "12000.00", "2000.00")],
        total="23000.00", vat_total="3000.00",
        total_in_words="Двадцать три тысячи рублей 00 копеек",
    )
    _, text = read(render_document_pdf(vat_org(), doc, make_counterparty()))
    assert "В том числе НДС 10 %: 1 000,00 В том числе НДС 20 %: 2 000,00" in text


def test_sixty_lines_flow_onto_more_pages_with_the_heading_repeated():
    # 60 lines of 1 × 100,00: total 6 000,00, no VAT.
    lines = [line(f"Позиция номер {i}", "1", "шт", "100.00", "100.00", "0", rate="none")
             for i in range(1, 61)]
    doc = make_doc(lines=lines, total="6000.00", vat_total="0",
                   total_in_words="Шесть тысяч рублей 00 копеек")
    pages, text = read(render_document_pdf(make_org(), doc, make_counterparty()))
    assert len(pages) > 1
    for page in pages:
        assert "Товары (работы, услуги)" in page
    for number, page in enumerate(pages, start=1):
        assert f"стр. {number} из {len(pages)}" in " ".join(page.split())
    for i in range(1, 61):
        assert f"{i} Позиция номер {i} 1 шт 100,00 100,00" in text
    assert "Всего наименований 60, на сумму 6 000,00 руб." in text
    # The totals come after the last line.
    assert text.index("Позиция номер 60") < text.index("Итого: 6 000,00")


def test_one_page_form_has_no_page_numbers():
    _, text = read(render_document_pdf(vat_org(), make_doc(), make_counterparty()))
    assert "стр. 1" not in text


def test_an_entrepreneur_signs_as_such_and_without_a_bank_block():
    org = make_org(IP)  # no bank account, no КПП
    doc = make_doc(lines=[line("Услуга", "1.5", "ч", "1000.00", "1500.00", "0", rate="none")],
                   total="1500.00", vat_total="0",
                   total_in_words="Одна тысяча пятьсот рублей 00 копеек")
    _, invoice = read(render_document_pdf(org, doc, None))
    assert "Банк получателя" not in invoice
    assert "БИК" not in invoice
    assert "КПП" not in invoice.split("Покупатель")[0]  # none for the supplier
    assert "Индивидуальный предприниматель Петров П. П." in invoice  # the signature line
    assert "Руководитель" not in invoice
    assert "Бухгалтер" not in invoice
    # No counterparty card: the document's counterparty name stands in.
    assert "(Заказчик): ООО «Василёк»" in invoice
    assert "1 Услуга 1,5 ч 1 000,00 1 500,00" in invoice

    _, act = read(render_document_pdf(org, doc.model_copy(update={"type": "act"}), None))
    assert "ИСПОЛНИТЕЛЬ Индивидуальный предприниматель ИП Петров" in act
    assert "Петров П. П." in act


@pytest.mark.parametrize(
    "doc_type", [t for t in get_args(m.DocType) if t not in ("invoice", "act")]
)
def test_other_document_types_have_no_form(doc_type):
    with pytest.raises(ValueError, match=doc_type):
        render_document_pdf(vat_org(), make_doc(type=doc_type), make_counterparty())


def test_text_helpers():
    assert ru_date(date(2026, 3, 5)) == "5 марта 2026 г."
    assert ru_date(date(2025, 5, 21)) == "21 мая 2025 г."
    assert ru_date(date(2026, 12, 31)) == "31 декабря 2026 г."
    assert money(Decimal("1234.56")).replace("\u00a0", " ") == "1 234,56"
    assert money(Decimal("1234567")).replace("\u00a0", " ") == "1 234 567,00"
    assert money(Decimal("0.5")) == "0,50"
    with pytest.raises(ValueError):
        money(Decimal("1.005"))  # never rounded
    assert quantity(Decimal("2.000")) == "2"
    assert quantity(Decimal("1.250")) == "1,25"
    assert quantity(Decimal("1000")).replace("\u00a0", " ") == "1 000"
    assert initials("Иванов Иван Иванович") == "Иванов И. И."
    assert initials("Петрова Мария") == "Петрова М."
    assert initials("Иванов И. И.") == "Иванов И. И."
    assert initials("Ли") == "Ли"


def test_bank_block_uses_the_first_account():
    org = vat_org(bank_accounts=[{**BANK_SBER, "id": "b1"}, {**BANK_746, "id": "b2"}])
    _, text = read(render_document_pdf(org, make_doc(), make_counterparty()))
    assert "Сч. № 40817810899910004312" in text
    assert BANK_746["account"] not in text
    assert BANK_746["bik"] not in text
