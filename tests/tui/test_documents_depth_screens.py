"""Documents in depth at 80x24 (issue 13 point 11), against the real server in-process:
«создать на основании» from the card (b), the card's postings, an invoice's paid state, a
counterparty made from inside a document form (F5), a bank line's warning.

Worked examples (VAT 22 % included: VAT = amount × 22 / 122):
- the invoice: «Монтаж» 1 × 12 200,00; VAT 12 200 × 22 / 122 = 2 200,00;
- the act made on its basis: the same line, Дт 62.01 Кт 90.01 12 200,00 and
  Дт 90.03 Кт 68.02 2 200,00; a receipt of 4 000,00 naming the invoice makes it
  «Оплачен частично: 4 000,00 ₽ из 12 200,00 ₽»;
- the поступление of 6 100,00 from «Крокус» with VAT 1 100,00: the payment order pays 6 100,00,
  «Оплата по Поступление товаров № 1 от …. В т.ч. НДС (22 %) 1100,00 руб.».
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import DataTable, Input, OptionList

from core import contract as m
from screens.bank.statement import line_notes
from screens.documents.basis import BasisDialog, order_figures
from screens.documents.form import DocumentFormScreen
from screens.documents.view import DocumentViewScreen
from tests.tui.conftest import screen_text, settle, type_text
from tests.tui.test_document_screens import SIZE, books, open_documents

TODAY = date.today()


async def made(http, h, org, body: dict) -> dict:
    resp = await http.post(f"{org}/documents", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


def lines(price: str) -> list[dict]:
    return [{"name": "Монтаж", "quantity": "1", "unit": "шт", "price": price,
             "vat_rate": "22"}]


async def open_card(pilot) -> DocumentViewScreen:
    """The first document of the list, opened with Enter."""
    await open_documents(pilot)
    await pilot.press("enter")
    await settle(pilot)
    card = pilot.app.screen
    assert isinstance(card, DocumentViewScreen)
    return card


async def test_an_act_made_on_the_basis_of_an_invoice_and_its_postings(app, http):
    h, org, lutik = await books(http)
    invoice = await made(http, h, org, {"type": "invoice", "date": TODAY.isoformat(),
                                        "counterparty_id": lutik["id"],
                                        "lines": lines("12200.00")})
    await made(http, h, org, {"type": "bank_in", "date": TODAY.isoformat(),
                              "counterparty_id": lutik["id"], "amount": "4000.00",
                              "basis": f"Счёт на оплату № 1 от {TODAY:%d.%m.%Y}"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        # The list: the receipt and the invoice (same day, both № 1: either first).
        assert "опл.част" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        if app.screen.doc.id != invoice["id"]:
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("down", "enter")
            await settle(pilot)
        card = app.screen
        assert isinstance(card, DocumentViewScreen) and card.doc.id == invoice["id"]
        text = screen_text(app)
        assert "оплачен частично" in text
        assert "Оплачен частично: 4 000,00 ₽ из 12 200,00 ₽" in text
        assert not card.query_one("#view-postings", DataTable).display  # a счёт books nothing
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BasisDialog)
        options = dialog.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(2)] == [
            "1  Акт оказанных услуг", "2  Реализация товаров (накладная, УПД)"]
        await pilot.press("1")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DocumentFormScreen) and form.doc_type == "act"
        assert form.counterparty_id == lutik["id"]
        assert form.query_one("#basis", Input).value == f"Счёт на оплату № 1 от {TODAY:%d.%m.%Y}"
        assert form.query_one("#name-0", Input).value == "Монтаж"
        await settle(pilot, until=lambda: form.ok)
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is card)
        assert card.changed  # the list reloads on the way back
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        acts = (await http.get(f"{org}/documents", headers=h, params={"type": "act"})).json()
        (act,) = acts["items"]
        assert act["basis"] == f"Счёт на оплату № 1 от {TODAY:%d.%m.%Y}"
        assert [(p["debit"], p["credit"], p["amount"]) for p in act["postings"]] == [
            ("62.01", "90.01", "12200.00"), ("90.03", "68.02", "2200.00")]
        # The act's card lists them.
        card = DocumentViewScreen(m.DocumentOut.model_validate(act))
        await app.push_screen(card)
        await settle(pilot)
        table = card.query_one("#view-postings", DataTable)
        assert table.display and table.row_count == 2
        text = screen_text(app)
        assert "Проводки" in text and "90.03" in text and "2 200,00 ₽" in text
        # Each posting's text whole at 80 columns (cut at 30 characters before).
        memos = [p["memo"] for p in act["postings"]]
        assert all(memo and memo in text for memo in memos), (memos, text)


async def test_a_payment_order_from_a_purchase(app, http):
    h, org, _ = await books(http)
    resp = await http.post(f"{org}/counterparties", headers=h, json={
        "kind": "org", "name": "ООО Крокус", "inn": "7719617469", "kpp": "771901001",
        "bik": "044525225", "account": "40702810200000000001",
        "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк"})
    assert resp.status_code == 201, resp.text
    supplier = resp.json()
    purchase = await made(http, h, org, {"type": "purchase_goods", "date": TODAY.isoformat(),
                                         "counterparty_id": supplier["id"],
                                         "lines": lines("6100.00")})
    amount, purpose = order_figures(m.DocumentOut.model_validate(purchase))
    assert amount == Decimal("6100.00")
    assert purpose == (f"Оплата по Поступление товаров № 1 от {TODAY:%d.%m.%Y}. "
                       "В т.ч. НДС (22 %) 1100,00 руб.")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot)
        await pilot.press("b")  # one choice: the payment order form opens at once
        await settle(pilot, until=lambda: app.screen is not card)
        form = app.screen
        assert type(form).__name__ == "PaymentFormScreen"
        await settle(pilot)
        assert form.counterparty_id == supplier["id"]
        assert form.query_one("#amount", Input).value == "6100,00"
        assert form.query_one("#purpose", Input).value == purpose
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is card)
    orders = (await http.get(f"{org}/payment-orders", headers=h)).json()["items"]
    assert [(o["amount"], o["payee_name"]) for o in orders] == [("6100.00", "ООО Крокус")]


async def test_a_counterparty_made_from_inside_a_document_form(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_documents(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("2")  # акт
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DocumentFormScreen)
        await pilot.press("f5")
        await settle(pilot)
        cp_form = app.screen
        assert type(cp_form).__name__ == "CounterpartyFormScreen"
        cp_form.query_one("#name", Input).focus()
        await pilot.pause()
        await type_text(pilot, "ООО Василёк")
        cp_form.query_one("#inn", Input).focus()
        await pilot.pause()
        await type_text(pilot, "7719617469")
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is form)
        assert form.counterparty_name == "ООО Василёк" and form.counterparty_id
        assert form.query_one("#counterparty", Input).value == "ООО Василёк"
        assert "✓ ООО Василёк" in screen_text(app)


def test_a_bank_line_says_its_warning_and_employee():
    line = m.StatementLineOut.model_construct(warnings=["account_key"], employee="Сидоров С. С.")
    assert line_notes(line) == ("\n⚠ счёт контрагента не проходит контрольный ключ по БИК — "
                                "принят, как в выписке · Сотрудник: Сидоров С. С.")
    assert line_notes(m.StatementLineOut.model_construct(warnings=[], employee=None)) == ""
