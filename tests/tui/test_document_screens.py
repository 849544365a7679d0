"""Primary-document screens at 80x24, against the real server app in-process.

Worked examples (VAT included in the prices, rate 22 %: VAT = amount × 22 / 122):
- «Консультация» 2 × 1 500,00 = 3 000,00; VAT 3 000 × 22 / 122 = 540,983… → 540,98
- «Выезд специалиста» 1,5 × 1 000,00 = 1 500,00; VAT 1 500 × 22 / 122 = 270,491… → 270,49
- the акт: total 3 000,00 + 1 500,00 = 4 500,00; VAT 540,98 + 270,49 = 811,47;
  «Четыре тысячи пятьсот рублей 00 копеек».
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import DataTable, Input, OptionList

from core.validation import InvalidInput
from screens.documents.common import default_rate, next_rate, parse_quantity, parse_rate
from screens.documents.form import DocumentFormScreen
from screens.documents.list import DocTypeDialog, DocumentsScreen
from screens.documents.view import DocumentViewScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.dialogs.reason import ReasonDialog
from tui.widgets.form import ErrorLine

SIZE = (80, 24)
VAT_ORG = {**ORG, "tax_regime": "osno", "vat_mode": "general"}
"""An ООО on ОСНО: VAT payer, new lines start at 22 %."""
LUTIK = {"kind": "org", "name": "ООО Лютик", "inn": "7707083893", "kpp": "773601001",
         "contract": "Договор № 15 от 01.02.2026"}


async def books(http, org=VAT_ORG) -> tuple[dict, str, dict]:
    """A user, an organisation and one customer; (headers, org path, customer)."""
    await register(http)
    h = bearer(await login(http))
    made = (await http.post("/orgs", json=org, headers=h)).json()
    path = f"/orgs/{made['id']}"
    resp = await http.post(f"{path}/counterparties", json=LUTIK, headers=h)
    assert resp.status_code == 201, resp.text
    return h, path, resp.json()


async def open_documents(pilot) -> DocumentsScreen:
    await settle(pilot)
    await sign_in(pilot)
    await pilot.app.run_action("org_screen('documents')")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentsScreen)
    return screen


async def new_form(pilot, digit: str) -> DocumentFormScreen:
    """n, then the type by its digit in the chooser."""
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DocTypeDialog)
    await pilot.press(digit)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, DocumentFormScreen)
    return form


async def into(pilot, box: Input, text: str) -> None:
    box.focus()
    await pilot.pause()
    await type_text(pilot, text)


async def choose_lutik(pilot, form: DocumentFormScreen, typed: str = "лют") -> None:
    """Type part of the name (or the first ИНН digits), Enter takes the match offered."""
    await into(pilot, form.query_one("#counterparty", Input), typed)
    await settle(pilot, until=lambda: bool(form.matches))
    assert form.query_one("#cp-matches", OptionList).display
    await pilot.press("enter")
    await settle(pilot)
    assert form.counterparty_name == "ООО Лютик"


def test_vat_rates_and_quantities_as_typed():
    assert parse_rate("без") == "none" and parse_rate("") == "none"
    assert parse_rate("22") == "22" and parse_rate("20 %") == "20"
    assert next_rate("без") == "0" and next_rate("20") == "22" and next_rate("22") == "none"
    assert parse_quantity("1,5") == Decimal("1.5")
    assert parse_quantity("0.125") == Decimal("0.125")
    for bad in ("abc", "0", "-1", "1,2345", ""):
        try:
            parse_quantity(bad)
        except InvalidInput:
            continue
        raise AssertionError(bad)
    try:
        parse_rate("18")  # 18 % ended in 2019
    except InvalidInput:
        pass
    else:
        raise AssertionError("18")
    assert default_rate("none", date(2026, 3, 5)) == "none"
    assert default_rate("usn_5", date(2026, 3, 5)) == "5"
    assert default_rate("usn_7", date(2026, 3, 5)) == "7"
    assert default_rate("general", date(2026, 3, 5)) == "22"
    assert default_rate("general", date(2025, 12, 31)) == "20"


async def test_totals_follow_typing_and_junk_quantity_is_refused(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_documents(pilot)
        form = await new_form(pilot, "2")  # 2 — акт
        assert form.doc_type == "act"
        assert form.check_action("save", (True,)) is None  # dimmed: nothing to post yet
        assert form.query_one("#vat-0", Input).value == "22"  # the org pays VAT at 22 %
        await choose_lutik(pilot, form)
        # The customer's contract comes with it.
        assert form.query_one("#contract", Input).value == "Договор № 15 от 01.02.2026"
        await into(pilot, form.query_one("#name-0", Input), "Консультация")
        await into(pilot, form.query_one("#qty-0", Input), "2")  # replaces the 1 offered
        await into(pilot, form.query_one("#price-0", Input), "1 500")
        await settle(pilot)
        # 2 × 1 500,00 = 3 000,00; VAT inside: 3 000 × 22 / 122 = 540,98
        text = screen_text(app)
        assert "Итого: 3 000,00 ₽ · в т.ч. НДС: 540,98 ₽" in text, text
        assert "Три тысячи рублей 00 копеек" in text
        assert form.check_action("save", (True,)) is True
        # Junk in the quantity: marked, said why, F2 dimmed, F4 refused in the client.
        qty = form.query_one("#qty-0", Input)
        await into(pilot, qty, "2х")
        await settle(pilot)
        assert qty.has_class("-invalid")
        assert "оличеств" in str(form.query_one(ErrorLine).render())
        assert form.check_action("save", (True,)) is None
        await pilot.press("f2")  # a dimmed key does nothing
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen is form
        assert app.focused is qty
        await pilot.press("backspace")
        await settle(pilot)
        assert not qty.has_class("-invalid") and qty.value == "2"
        # VAT on top instead: 3 000,00 + 3 000 × 22 / 100 = 3 000,00 + 660,00 = 3 660,00
        form.query_one("#vat-included").value = False
        await settle(pilot)
        assert "Итого: 3 660,00 ₽ · НДС сверху: 660,00 ₽" in screen_text(app)
        # Space in the VAT box steps to the next rate: 22 → без → 0.
        await into(pilot, form.query_one("#vat-0", Input), " ")
        assert form.query_one("#vat-0", Input).value == "без"
        await settle(pilot)
        assert "Итого: 3 000,00 ₽ · без НДС" in screen_text(app)


async def test_act_with_two_lines_by_keys_lands_in_the_list_and_the_journal(app, http):
    h, org, lutik = await books(http)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        assert "Документов за этот месяц нет" in screen_text(app)
        form = await new_form(pilot, "2")
        await choose_lutik(pilot, form)
        await into(pilot, form.query_one("#name-0", Input), "Консультация")
        await into(pilot, form.query_one("#qty-0", Input), "2")
        await into(pilot, form.query_one("#price-0", Input), "1 500")
        await pilot.press("f3")  # a second line, the cursor on its name
        await settle(pilot)
        assert app.focused is form.query_one("#name-1", Input)
        await type_text(pilot, "Выезд специалиста")
        await into(pilot, form.query_one("#qty-1", Input), "1,5")
        await into(pilot, form.query_one("#price-1", Input), "1000.00")
        await settle(pilot)
        # 3 000,00 + 1 500,00 = 4 500,00; VAT 540,98 + 270,49 = 811,47 (see the top)
        text = screen_text(app)
        assert "Итого: 4 500,00 ₽ · в т.ч. НДС: 811,47 ₽" in text, text
        assert "Четыре тысячи пятьсот рублей 00 копеек" in text
        assert "1 500,00 ₽" in text and "3 000,00 ₽" in text  # each line's amount
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is screen and screen.rows)
        assert app.screen is screen
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        text = screen_text(app)
        for shown in ("Акт", "ООО Лютик", "4 500,00 ₽", "проведён"):
            assert shown in text, (shown, text)
    # The server kept the same figures and booked the sale (the org pays VAT).
    docs = (await http.get(f"{org}/documents", headers=h)).json()["items"]
    assert len(docs) == 1
    doc = docs[0]
    assert (doc["type"], doc["state"], doc["counterparty_id"]) == ("act", "posted", lutik["id"])
    assert (doc["total"], doc["vat_total"]) == ("4500.00", "811.47")
    assert [(x["name"], x["quantity"], x["price"], x["vat_rate"]) for x in doc["lines"]] == [
        ("Консультация", "2", "1500.00", "22"), ("Выезд специалиста", "1.5", "1000.00", "22")]
    assert doc["contract"] == "Договор № 15 от 01.02.2026"
    entries = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    assert len(entries) == 1 and entries[0]["document_id"] == doc["id"]
    assert entries[0]["id"] == doc["entry_id"]
    postings = {(p["debit"], p["credit"], p["amount"]) for p in entries[0]["postings"]}
    assert postings == {("62.01", "90.01", "4500.00"), ("90.03", "68.02", "811.47")}


async def test_payment_saved_as_a_draft_edited_then_posted_with_p(app, http):
    h, org, lutik = await books(http)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        form = await new_form(pilot, "6")  # 6 — поступление на расчётный счёт
        assert form.doc_type == "bank_in"
        assert form.query_one("#account", Input).value == "62.01"  # from a customer
        assert form.query_one("#vat", Input).value == "22"
        await choose_lutik(pilot, form, "770708")  # by the ИНН this time
        await into(pilot, form.query_one("#amount", Input), "1 234,56")
        await into(pilot, form.query_one("#purpose", Input), "Оплата по счёту № 1")
        await settle(pilot)
        # 1 234,56 × 22 / 122 = 222,626… → 222,63
        assert "Итого: 1 234,56 ₽ · в т.ч. НДС: 222,63 ₽" in screen_text(app)
        await pilot.press("f4")  # a draft: saved, nothing booked
        await settle(pilot, until=lambda: app.screen is screen and screen.rows)
        text = screen_text(app)
        assert "Банк +" in text and "1 234,56 ₽" in text and "черновик" in text
        assert (await http.get(f"{org}/entries", headers=h)).json()["items"] == []
        # Enter opens the draft in the form; the amount as typed (1234.56 works too).
        await pilot.press("enter")
        await settle(pilot)
        draft = app.screen
        assert isinstance(draft, DocumentFormScreen) and draft.document is not None
        assert draft.query_one("#amount", Input).value == "1234,56"
        assert draft.counterparty_id == lutik["id"]
        draft.query_one("#amount", Input).value = "1234.50"
        await pilot.press("f4")
        await settle(pilot, until=lambda: app.screen is screen and "1 234,50 ₽" in
                     screen_text(app))
        assert "1 234,50 ₽" in screen_text(app)
        # p posts the draft from the list.
        assert screen.check_action("post", ()) is True
        await pilot.press("p")
        await settle(pilot, until=lambda: "проведён" in screen_text(app))
        assert "проведён" in screen_text(app)
        assert screen.check_action("post", ()) is None  # posted: p is dimmed now
    docs = (await http.get(f"{org}/documents", headers=h)).json()["items"]
    assert [(x["state"], x["total"], x["number"]) for x in docs] == [("posted", "1234.50", 1)]
    entries = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    assert [(p["debit"], p["credit"], p["amount"]) for p in entries[0]["postings"]] == [
        ("51", "62.01", "1234.50")]


async def _post_act(http, h, org, cp, *, doc_type="act", post=True, day=None, name="Услуги",
                    price="1000.00") -> dict:
    body = {"type": doc_type, "date": (day or date.today()).isoformat(),
            "counterparty_id": cp["id"], "post": post,
            "lines": [{"name": name, "quantity": "1", "unit": "шт", "price": price,
                       "vat_rate": "none"}]}
    resp = await http.post(f"{org}/documents", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def test_card_of_a_posted_act_and_cancel_with_a_reason(app, http):
    h, org, lutik = await books(http)
    doc = await _post_act(http, h, org, lutik, price="2500.00")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        await pilot.press("enter")  # a posted document opens read-only
        await settle(pilot)
        card = app.screen
        assert isinstance(card, DocumentViewScreen)
        text = screen_text(app)
        assert "Акт № 1 от" in text and "проведён" in text and "Услуги" in text
        assert "Две тысячи пятьсот рублей 00 копеек" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")  # no reason: refused
        await settle(pilot)
        assert app.screen is dialog
        assert "Заполните" in str(dialog.query_one(ErrorLine).render())
        await type_text(pilot, "ошибка в сумме")
        await pilot.press("enter")
        await settle(pilot, until=lambda: "отменён" in screen_text(app))
        assert app.screen is screen
        assert "отменён" in screen_text(app)
        assert screen.check_action("cancel_doc", ()) is None  # cancelled once is enough
    got = (await http.get(f"{org}/documents/{doc['id']}", headers=h)).json()
    assert got["state"] == "cancelled"
    entries = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    reversal = next(e for e in entries if e["reverses"])
    assert reversal["reverses"] == doc["entry_id"]
    assert "ошибка в сумме" in reversal["description"]
    assert [p["amount"] for p in reversal["postings"]] == ["-2500.00"]


async def test_list_pages_steps_months_filters_and_searches(app, http):
    h, org, lutik = await books(http)
    for n in range(55):
        await _post_act(http, h, org, lutik, post=False, name=f"Услуга {n}")
    last_month = date.today().replace(day=1)
    last_month = last_month.replace(year=last_month.year - 1, month=12) \
        if last_month.month == 1 else last_month.replace(month=last_month.month - 1)
    await _post_act(http, h, org, lutik, doc_type="invoice", day=last_month, price="99.00")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 50  # one page, not the whole month
        assert screen.rows[0].number == 55  # newest first
        table.move_cursor(row=45)
        await settle(pilot, until=lambda: table.row_count == 55)
        assert table.row_count == 55
        # Search by the number.
        await pilot.press("slash")
        await type_text(pilot, "17")
        await settle(pilot, until=lambda: table.row_count == 1)
        assert [r.number for r in screen.rows] == [17]
        await pilot.press("escape")  # leaves the search, not the screen
        assert app.screen is screen
        for _ in range(2):
            await pilot.press("backspace")
        screen.query_one("#search", Input).value = ""
        await settle(pilot, until=lambda: table.row_count == 50)
        table.focus()
        # The month before: only the счёт.
        await pilot.press("left_square_bracket")
        await settle(pilot, until=lambda: table.row_count == 1)
        assert table.row_count == 1 and screen.rows[0].type == "invoice"
        assert "99,00 ₽" in screen_text(app)
        # The status whole at 80 columns (it was cut to «выставле»).
        assert "выставлен " in screen_text(app)
        # The type filter: f → счета only (this month has none, the last has one).
        await pilot.press("f")
        await settle(pilot)
        assert screen.doc_type == "invoice" and table.row_count == 1
        await pilot.press("right_square_bracket")
        await settle(pilot, until=lambda: table.row_count == 0)
        assert table.row_count == 0 and "нет" in screen_text(app)
        await pilot.press("f")  # → акты
        await settle(pilot, until=lambda: table.row_count == 50)
        assert screen.doc_type == "act" and table.row_count == 50


async def test_pdf_of_an_invoice_goes_to_the_export_folder(app, http, tmp_path, monkeypatch):
    # Needs the PDF route (GET …/documents/{id}/pdf) and the printable forms.
    out = tmp_path / "export"
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(out))
    h, org, lutik = await books(http)
    doc = await _post_act(http, h, org, lutik, doc_type="invoice", price="12000.00")
    expected = out / f"Счёт_{doc['number']}_{doc['date']}.pdf"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        assert screen.check_action("pdf", ()) is True
        await pilot.press("s")
        await settle(pilot, until=expected.exists)
        assert str(screen.query_one(ErrorLine).render()) == ""
        assert expected.exists(), list(out.iterdir()) if out.exists() else "no folder"
        assert expected.read_bytes().startswith(b"%PDF")
        shown = [n.message for n in app._notifications]
        assert any(str(expected) in message for message in shown), shown
