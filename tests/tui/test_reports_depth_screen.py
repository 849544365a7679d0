"""The report screens in depth at 80x24 (issue 13 point 10): the balance sheet's three
columns, `u` for thousands, and the ОСВ's expanded balance of 62.

The ledger (Y = this year; roubles):
    10.06.(Y−2)  Дт 51 Кт 80                100 000   capital paid in
    10.03.(Y−1)  Дт 62.01 A Кт 90.01         50 000   shipped to A, unpaid
    10.03.(Y−1)  Дт 51 Кт 62.01 B            20 000   B's advance
    1st day of this quarter:
                 Дт 68.90 Кт 51              30 000   ЕНП paid
                 Дт 90.03 Кт 68.02        8 333,33   VAT on the sale
Balance sheet at this quarter's end:
    1250  100 000 + 20 000 − 30 000                         =  90 000,00
    1230  62.01 A 50 000 + ЕНС netted 30 000 − 8 333,33      =  71 666,67
    1520  62.01 B 20 000                                    =  20 000,00
    1300  80 100 000 + 90 (50 000 − 8 333,33)                = 141 666,67
    1600 = 1700                                             = 161 666,67
  at 31.12.(Y−1): 1250 120 000, 1230 50 000, 1520 20 000, 1300 150 000, 1600 170 000;
  at 31.12.(Y−2): 1250 100 000, 1300 100 000.
In thousands, each line half up: 1230 72 (71,66667), 1250 90, 1600 = 72 + 90 = 162;
  1300 142, 1520 20, 1700 = 162.
ОСВ of this quarter, 62: opening and closing expanded, Дт 50 000 (A) Кт 20 000 (B).
"""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from client.periods import Period
from screens.reports.statements import StatementScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_ledger_screens import add_counterparty, books, open_journal, post_entry
from tests.tui.test_report_screens import cells, detail, open_trial_balance

SIZE = (80, 24)


async def _ledger(http) -> Period:
    h, org = await books(http)
    y = date.today().year
    a = (await add_counterparty(http, h, org, "ООО «А»", "7728168971"))["id"]
    b = (await add_counterparty(http, h, org, "ООО «Б»", "7702070139"))["id"]
    await post_entry(http, h, org, date(y - 2, 6, 10), "Капитал", ("51", "80", "100000.00"))
    await post_entry(http, h, org, date(y - 1, 3, 10), "Отгрузка",
                     ("62.01", "90.01", "50000.00", a))
    await post_entry(http, h, org, date(y - 1, 3, 10), "Аванс", ("51", "62.01", "20000.00", b))
    quarter = Period.this()
    await post_entry(http, h, org, quarter.start, "ЕНП", ("68.90", "51", "30000.00"))
    await post_entry(http, h, org, quarter.start, "НДС", ("90.03", "68.02", "8333.33"))
    return quarter


async def test_balance_sheet_three_columns_and_thousands(app, http):
    await _ledger(http)
    y = date.today().year
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        sheet = app.screen
        assert isinstance(sheet, StatementScreen) and sheet.kind == "balance_sheet"
        text = screen_text(app)
        # The form's three columns fit at 80 columns.
        assert f"На 31.12.{y - 1}" in text and f"На 31.12.{y - 2}" in text
        table = sheet.query_one(DataTable)
        assert len(table.columns) == 5
        assert cells(table, "4:1230")[2:] == ["71 666,67", "50 000,00", "0,00"]
        assert cells(table, "2:1210")[2:] == ["0,00", "0,00", "0,00"]
        assert cells(table, "5:1600")[2:] == ["161 666,67", "170 000,00", "100 000,00"]
        assert cells(table, "10:1520")[2:] == ["20 000,00", "20 000,00", "0,00"]
        # `u`: thousands of roubles, each line rounded, the total the sum of the lines.
        await pilot.press("u")
        await settle(pilot, until=lambda: sheet.report is not None
                     and sheet.report.units == "thousands")
        assert "тыс. руб." in str(sheet.query_one("#report-title", Static).render())
        assert cells(table, "4:1230")[2:] == ["72", "50", "0"]
        assert cells(table, "5:1600")[2:] == ["162", "170", "100"]
        assert cells(table, "6:1300")[2:] == ["142", "150", "100"]
        # And back.
        await pilot.press("u")
        await settle(pilot, until=lambda: sheet.report is not None
                     and sheet.report.units == "roubles")
        assert cells(table, "4:1230")[2] == "71 666,67"


async def test_trial_balance_shows_62_expanded(app, http):
    await _ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        tb = await open_trial_balance(pilot)
        accounts = [n.row.account for n in tb.shown]
        assert "62" in accounts
        for _ in range(accounts.index("62")):
            await pilot.press("down")
        await settle(pilot)
        # Both sides of the expanded balance, never the net 30 000 Д.
        assert "нач. 50 000,00 Д 20 000,00 К" in detail(app)
        assert "кон. 50 000,00 Д 20 000,00 К" in detail(app)
        row = next(n.row for n in tb.shown if n.row.account == "62")
        assert (row.closing_debit, row.closing_credit) == (50000, 20000)
