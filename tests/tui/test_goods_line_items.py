"""A goods line's name box offers the organisation's nomenclature at 80x24, keys in bursts.

The books (an ООО on УСН «доходы», no VAT): the item «Стол офисный» (компл), and a
поступление of 10 компл × 1 000,00 = 10 000,00 today (41.01 gets 10 000,00, average
1 000,00). The реализация typed here: «Сто», → takes «Стол офисный» and its unit «компл»;
2 × 3 000,00 = 6 000,00 (Дт 62.01 Кт 90.01 6 000,00), cost 2 × 1 000,00 = 2 000,00
(Дт 90.02 Кт 41.01 2 000,00); 8 компл for 8 000,00 are left.
"""

from __future__ import annotations

from datetime import date

from textual import events
from textual.keys import _character_to_key
from textual.widgets import DataTable, Input

from tests.tui.conftest import ORG, screen_text, settle
from tests.tui.test_document_screens import books, choose_lutik, new_form, open_documents

SIZE = (80, 24)
NAMED = {"tab", "shift+tab", "right", "end", "f2"}


async def burst(pilot, *parts: str) -> None:
    """Send ``parts`` (key names from NAMED, or text typed key by key) in one go, with no
    pause between the keys, then let the app settle."""
    app = pilot.app
    for part in parts:
        keys = [(part, None)] if part in NAMED else [
            (ch if ch.isalnum() else _character_to_key(ch), ch) for ch in part]
        for key, char in keys:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
    await settle(pilot)


def value(form, selector: str) -> str:
    return form.query_one(selector, Input).value


async def _stock(http) -> tuple[dict, str, dict]:
    h, org, lutik = await books(http, ORG)  # no VAT: the amounts are the prices
    resp = await http.post(f"{org}/stock/items", json={"name": "Стол офисный", "unit": "компл"},
                           headers=h)
    assert resp.status_code == 201, resp.text
    resp = await http.post(f"{org}/documents", headers=h, json={
        "type": "purchase_goods", "date": date.today().isoformat(),
        "counterparty_id": lutik["id"], "lines": [
            {"name": "Стол офисный", "quantity": "10", "unit": "компл", "price": "1000.00",
             "vat_rate": "none"}]})
    assert resp.status_code == 201, resp.text
    return h, org, resp.json()["lines"][0]["item_id"]


async def test_a_sale_line_takes_the_item_by_its_first_letters(app, http):
    h, org, item_id = await _stock(http)
    assert item_id  # the поступление found the item by its name
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(pilot)
        form = await new_form(pilot, "3")  # 3 — реализация товаров
        assert form.doc_type == "sale_goods"
        await choose_lutik(pilot, form)
        await settle(pilot, until=lambda: getattr(form, "items", None) is not None)
        form.query_one("#name-0", Input).focus()
        await settle(pilot)
        # Tab straight after the letters keeps them: a suggestion is taken only by → / End.
        await burst(pilot, "Сто", "tab")
        assert value(form, "#name-0") == "Сто"
        assert app.focused is form.query_one("#qty-0", Input)
        # Back in the box (all selected), the letters again and →: the item and its unit.
        await burst(pilot, "shift+tab", "Сто", "right")
        assert value(form, "#name-0") == "Стол офисный"
        assert value(form, "#unit-0") == "компл"  # the default «шт» gave way
        await burst(pilot, "tab", "2", "tab", "tab", "3000", "f2")
        await settle(pilot, until=lambda: app.screen is screen and screen.rows)
        assert app.screen is screen
        # Its card lists the cost write-off with its whole text (it was cut at 30).
        table = screen.query_one(DataTable)
        table.move_cursor(row=next(i for i, r in enumerate(screen.rows)
                                   if r.type == "sale_goods"))
        await pilot.press("enter")
        await settle(pilot, until=lambda: "Проводки" in screen_text(app))
        assert "Себестоимость проданных товаров" in screen_text(app)
    docs = (await http.get(f"{org}/documents", headers=h)).json()["items"]
    [sale] = [d for d in docs if d["type"] == "sale_goods"]
    assert sale["state"] == "posted"
    [line] = sale["lines"]
    assert (line["name"], line["quantity"], line["unit"], line["price"]) == \
        ("Стол офисный", "2", "компл", "3000.00")
    assert line["item_id"] == item_id
    entry = (await http.get(f"{org}/entries/{sale['entry_id']}", headers=h)).json()
    postings = {(p["debit"], p["credit"], p["amount"]) for p in entry["postings"]}
    # 2 × 3 000,00 = 6 000,00 sold; cost 2 × (10 000,00 / 10) = 2 000,00 written off.
    assert postings == {("62.01", "90.01", "6000.00"), ("90.02", "41.01", "2000.00")}


async def test_an_act_offers_no_items(app, http):
    await _stock(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_documents(pilot)
        form = await new_form(pilot, "2")  # 2 — акт: services, no nomenclature
        assert form.doc_type == "act"
        box = form.query_one("#name-0", Input)
        box.focus()
        await settle(pilot)
        await burst(pilot, "Сто", "right", "end")
        assert box.value == "Сто"
        assert box.suggester is None and getattr(form, "items", None) is None
        assert value(form, "#unit-0") == "шт"


def test_a_renamed_saved_line_lets_the_server_find_its_item_by_the_new_name():
    from core import contract as m
    from screens.documents.lines import _kept_item

    saved = m.DocumentLineOut(name="Стол офисный", quantity="2", unit="шт", price="3000.00",
                              vat_rate="none", amount="6000.00", vat="0.00", item_id="i-1",
                              warehouse_id="w-1")
    # Unchanged (spaces and case aside): the line keeps its item and warehouse.
    assert _kept_item(saved, "стол  офисный") == {"item_id": "i-1", "warehouse_id": "w-1"}
    # Renamed to another item: no item id is sent (the server finds «Стул» by its name);
    # the warehouse stays.
    assert _kept_item(saved, "Стул") == {"warehouse_id": "w-1"}
    assert _kept_item(None, "Стул") == {}
