"""The supplier's счёт-фактура on the поступление form at 80x24 (issue 13 point 9).

Needs screens/documents/form.py's «СФ поставщика» row (uncommitted with the documents
helper's work in that file)."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import settle

SIZE = (80, 24)

async def test_the_supplier_invoice_on_a_purchase_form(app, http):
    # A поступление товаров by keys with the supplier's счёт-фактура № 45 of 02.03.2026:
    # stored on the document, and shown again when its form opens.
    from tests.tui.test_document_screens import books as doc_books
    from tests.tui.test_document_screens import choose_lutik, into, new_form, open_documents

    h, org, _ = await doc_books(http)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        form = await new_form(pilot, "4")
        assert form.doc_type == "purchase_goods"
        await choose_lutik(pilot, form)
        await into(pilot, form.query_one("#sf-number", Input), "45")
        await into(pilot, form.query_one("#sf-date", Input), "02.03.2026")
        await into(pilot, form.query_one("#name-0", Input), "Чайник")
        await into(pilot, form.query_one("#price-0", Input), "122")
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is screen and screen.rows)
    [doc] = (await http.get(f"{org}/documents", headers=h)).json()["items"]
    assert (doc["type"], doc["supplier_invoice_number"], doc["supplier_invoice_date"]) == \
        ("purchase_goods", "45", "2026-03-02")
