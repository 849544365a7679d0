"""The stock and VAT screens at 80x24 against the real server app: the stock report (9 in
the reports menu) with the items screen (`i`, `n` adds one), and the VAT books (8) with
`v` going sales book → purchase book → declaration.

The quarter (this one, from its first day D; an ООО on ОСНО, VAT 22 % inside the prices):
- D поступление 10 шт × 122,00 = 1 220,00 (VAT 220,00, 41.01 gets 1 000,00), счёт-фактура
  № 45 of D; D поступление 10 шт × 158,60 = 1 586,00 (VAT 286,00, 41.01 gets 1 300,00):
  20 шт for 2 300,00, average 115,00;
- D реализация 5 шт × 200,00 = 1 000,00, VAT 1 000 × 22 / 122 = 180,33; cost 575,00
  (Дт 90.02 Кт 41.01); left 15 шт for 1 725,00.
Sales book: 1 000,00 / 180,33. Purchase book: 2 806,00 / 506,00 (the second purchase has
no счёт-фактура). Declaration: стр. 118 180,33, стр. 190 506,00, стр. 210 325,67.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input

from client.periods import Period
from screens.reports.base import num
from screens.reports.stock import ItemDialog, ItemsScreen, StockScreen
from screens.reports.vat import VatScreen
from tests.tui.conftest import ORG, settle
from tests.tui.test_ledger_screens import add_counterparty, books, open_journal
from tests.tui.test_report_screens import cells, detail

SIZE = (80, 24)


async def _quarter(http) -> tuple[dict, str]:
    h, org = await books(http)
    resp = await http.put(org, json={**ORG, "tax_regime": "osno", "vat_mode": "general"},
                          headers=h)
    assert resp.status_code == 200, resp.text
    supplier = (await add_counterparty(http, h, org, "ООО «Поставщик»", "7728168971"))["id"]
    buyer = (await add_counterparty(http, h, org, "ООО «Покупатель»", "7702070139"))["id"]
    item = (await http.post(f"{org}/stock/items", json={"name": "Чайник"}, headers=h)).json()
    day = Period.this().start.isoformat()

    async def doc(body: dict) -> None:
        resp = await http.post(f"{org}/documents", json={"date": day, **body}, headers=h)
        assert resp.status_code == 201, resp.text

    def line(qty: str, price: str) -> dict:
        return {"name": "Чайник", "quantity": qty, "price": price, "vat_rate": "22",
                "item_id": item["id"]}

    await doc({"type": "purchase_goods", "counterparty_id": supplier,
               "supplier_invoice_number": "45", "supplier_invoice_date": day,
               "lines": [line("10", "122.00")]})
    await doc({"type": "purchase_goods", "counterparty_id": supplier,
               "lines": [line("10", "158.60")]})
    await doc({"type": "sale_goods", "counterparty_id": buyer, "lines": [line("5", "200.00")]})
    return h, org


async def test_stock_report_and_items(app, http):
    h, org = await _quarter(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        screen = app.screen
        assert isinstance(screen, StockScreen)
        table = screen.query_one(DataTable)
        assert cells(table, "row:0") == ["Чайник", "Основной склад", "15", "шт", "1 725,00"]
        assert cells(table, "total")[-1] == "1 725,00"
        assert "115,00" in detail(app)
        # A report on a day: «Остатки товаров на …», with no period after it.
        assert screen.period_text().startswith("Остатки товаров на ")
        assert " за " not in screen.period_text()

        # `o`: a sale of more than is held is posted with a warning from now on.
        await pilot.press("o")
        await settle(pilot)
        settings = (await http.get(f"{org}/stock/settings", headers=h)).json()
        assert settings == {"oversell": "warn"}

        await pilot.press("i")
        await settle(pilot)
        items = app.screen
        assert isinstance(items, ItemsScreen)
        assert [x.name for x in items.items] == ["Чайник"]
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ItemDialog)
        dialog.query_one("#name", Input).value = "Кружка"
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.screen is items and len(items.items) == 2)
        assert [x.name for x in items.items] == ["Кружка", "Чайник"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_vat_books_and_declaration(app, http):
    await _quarter(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("8")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        screen = app.screen
        assert isinstance(screen, VatScreen) and screen.view == "sales"
        table = screen.query_one(DataTable)
        row = cells(table, "row:1")
        assert row[:2] == ["1", "01"] and row[3] == "ООО «Покупатель»"
        assert row[4:] == ["1 000,00", "180,33"]
        assert "7702070139/" in detail(app) and "22 %" in detail(app)

        await pilot.press("v")
        await settle(pilot)
        assert screen.view == "purchases"
        assert cells(table, "row:1")[2].startswith("45 от")
        assert cells(table, "row:2")[2] == "—"
        assert cells(table, "total")[-2:] == ["2 806,00", "506,00"]
        # «Итого» whole (it was cut to «Ито» in the № column); the quarter named once.
        assert cells(table, "total")[2] == "Итого"
        assert " за " not in screen.period_text() and "квартал" in screen.period_text()

        await pilot.press("v")
        await settle(pilot)
        assert screen.view == "declaration"
        codes = {cells(table, f"s3:{i}")[0]: cells(table, f"s3:{i}")[-1]
                 for i in range(len(screen.report.declaration.section3))}
        assert codes["118"] == "180,33" and codes["190"] == "506,00"
        assert codes["210"] == "325,67"
        assert "325,67" in detail(app)
        # Section 9's total (the sales with VAT, wider than any line of section 3) whole.
        assert cells(table, "s9")[2] == num(screen.report.declaration.section9_total,
                                            blank_zero=False).replace("\xa0", " ")
        export = screen.export_table()
        assert export is not None and export.rows[-1][-1] == screen.report.declaration.section9_vat
