"""The report screens at 80x24 against the real server app: the trial balance with its
drill-down to the account card and an entry, the period keys, export, and УСН.

The small ledger every test here starts from (dates relative to today, so that "the
previous quarter" is always a finished one; Q = the previous quarter, B = the one before):

    №1  B, 10th of its first month  Дт 51    Кт 80     100 000,00  уставный капитал
    №2  Q,  5th of its first month  Дт 62.01 Кт 90.01  120 000,00  отгрузка, Василёк
    №3  Q, 10th of its 2nd month    Дт 51    Кт 62.01   70 000,00  оплата, Василёк
    №4  Q, 15th of its 2nd month    Дт 26    Кт 60.01   30 000,00  аренда
    №5  this quarter, its first day Дт 51    Кт 62.01   50 000,00  оплата, Василёк

The trial balance for Q, by hand (opening · Дт · Кт · closing):

    26   0                     30 000,00                  30 000,00 Д
    51   100 000,00 Д          70 000,00                 170 000,00 Д
    60   0                                 30 000,00      30 000,00 К
    62   0                    120 000,00   70 000,00      50 000,00 Д
    80   100 000,00 К                                    100 000,00 К
    90   0                                120 000,00     120 000,00 К
    total opening 100 000,00 | 100 000,00; turnover 30 + 70 + 120 = 220 000,00 on each
    side; closing Дт 30 + 170 + 50 = 250 000,00, Кт 30 + 100 + 120 = 250 000,00.

The card of 62 for Q: opening 0; №2 Дт 120 000,00 → 120 000,00 Д; №3 Кт 70 000,00 →
50 000,00 Д; closing 50 000,00 Д.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from textual.widgets import DataTable, Input, Static

from client.periods import Period, add_months
from screens.reports.card import AccountCardScreen
from screens.reports.dialogs import PeriodDialog
from screens.reports.menu import ReportsScreen
from screens.reports.statements import StatementScreen
from screens.reports.trial_balance import TrialBalanceScreen
from screens.reports.usn import UsnScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import screen_text, settle
from tests.tui.test_ledger_screens import add_counterparty, books, open_journal, post_entry
from tui.dialogs.entry_view import EntryView
from tui.dialogs.export import ExportDialog
from tui.widgets.form import ErrorLine

SIZE = (80, 24)


async def small_ledger(http) -> tuple[Period, Period]:
    """Post the ledger above; the current and the previous quarter."""
    h, org = await books(http)
    current = Period.this()
    q = current.step(-1)
    b = q.step(-1)
    cp = await add_counterparty(http, h, org, "ООО «Василёк»", "7736207543")
    await post_entry(http, h, org, b.start.replace(day=10), "Уставный капитал",
                     ("51", "80", "100000.00"))
    await post_entry(http, h, org, q.start.replace(day=5), "Отгрузка",
                     ("62.01", "90.01", "120000.00", cp["id"]))
    second = add_months(q.start, 1)
    await post_entry(http, h, org, second.replace(day=10), "Оплата от покупателя",
                     ("51", "62.01", "70000.00", cp["id"]))
    await post_entry(http, h, org, second.replace(day=15), "Аренда",
                     ("26", "60.01", "30000.00"))
    await post_entry(http, h, org, current.start, "Оплата остатка",
                     ("51", "62.01", "50000.00", cp["id"]))
    return current, q


def cells(table: DataTable, key: str) -> list[str]:
    return [str(getattr(c, "plain", c)).replace("\u00a0", " ") for c in table.get_row(key)]


def shown_accounts(screen: TrialBalanceScreen) -> list[str]:
    return [n.row.account for n in screen.shown]


def title(app) -> str:
    return str(app.screen.query_one("#report-title", Static).render())


def detail(app) -> str:
    return str(app.screen.query_one("#report-detail", Static).render()).replace("\u00a0", " ")


async def open_trial_balance(pilot) -> TrialBalanceScreen:
    """From the journal: `r` opens the reports menu, `1` the trial balance."""
    app = pilot.app
    await open_journal(pilot)
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(app.screen, ReportsScreen)
    await pilot.press("1")
    await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
    screen = app.screen
    assert isinstance(screen, TrialBalanceScreen)
    return screen


async def test_trial_balance_drill_down_and_back(app, http):
    current, q = await small_ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        tb = await open_trial_balance(pilot)
        table = tb.query_one(DataTable)
        # This quarter by default: 51 opens with 100 000 + 70 000 = 170 000,00 Д and gets
        # №5's 50 000,00; 62 gets the same 50 000,00 on its credit side.
        assert tb.period == current
        assert f"Оборотно-сальдовая ведомость за {current.title()}" in title(app)
        assert cells(table, "acc:51")[2:] == ["50 000,00", ""]
        assert cells(table, "acc:62")[2:] == ["", "50 000,00"]
        text = screen_text(app)
        assert "Ромашка, ИНН 7707083893" in text and "сформирован" in text

        # Back a quarter with `[`: the figures worked out above.
        await pilot.press("left_square_bracket")
        await settle(pilot, until=lambda: tb.report.head.date_from == q.start)
        assert tb.period == q and q.title() in title(app)
        assert shown_accounts(tb) == ["26", "51", "60", "62", "80", "90"]  # collapsed
        # At 80 columns: turnover only (Дт, Кт), the name readable.
        assert cells(table, "acc:62") == ["▸ 62", "Расчеты с покупателями и заказчиками",
                                          "120 000,00", "70 000,00"]
        assert cells(table, "acc:26")[2:] == ["30 000,00", ""]
        assert cells(table, "acc:80")[2:] == ["", ""]  # no turnover
        assert cells(table, "total")[2:] == ["220 000,00", "220 000,00"]
        # `v`: opening and closing balances (Дт, Кт each).
        await pilot.press("v")
        await settle(pilot)
        assert cells(table, "acc:51")[2:] == ["100 000,00", "", "170 000,00", ""]
        assert cells(table, "acc:60")[2:] == ["", "", "", "30 000,00"]
        assert cells(table, "acc:80")[2:] == ["", "100 000,00", "", "100 000,00"]
        assert cells(table, "total")[2:] == ["100 000,00", "100 000,00", "250 000,00",
                                             "250 000,00"]
        # `v` again: all six columns (scrolling sideways), then back to the turnover.
        await pilot.press("v")
        await settle(pilot)
        assert cells(table, "acc:62")[2:] == ["", "", "120 000,00", "70 000,00", "50 000,00",
                                              ""]
        await pilot.press("v")
        await settle(pilot)
        assert len(cells(table, "acc:62")) == 4

        # The line under the table: every figure of the highlighted row.
        table.move_cursor(row=3)
        await settle(pilot)
        assert "62 Расчеты с покупателями" in detail(app)
        assert "нач. 0 · оборот Дт 120 000,00 Кт 70 000,00 · кон. 50 000,00 Д" in detail(app)
        # Space opens the sub-accounts of 62; the cursor stays on 62.
        await pilot.press("space")
        await settle(pilot)
        assert shown_accounts(tb) == ["26", "51", "60", "62", "62.01", "80", "90"]
        assert cells(table, "acc:62")[0] == "▾ 62"
        assert cells(table, "acc:62.01")[0] == "    62.01"
        assert cells(table, "acc:62.01")[2:] == ["120 000,00", "70 000,00"]
        assert table.cursor_row == 3

        # Enter: the card of 62 for the same quarter.
        await pilot.press("enter")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        card = app.screen
        assert isinstance(card, AccountCardScreen)
        assert card.period == q and card.account == "62"
        ctable = card.query_one(DataTable)
        assert ctable.row_count == 2
        # At 80 columns the text column has 20 characters (80 − 1 − 12 padding − 8 date
        # − 7 account − 2 × 10 amounts − 12 balance); the line under the table has it all.
        assert cells(ctable, "0")[1:] == ["90.01", "Отгрузка · ООО «Вас…", "120 000,00",
                                          "", "120 000,00 Д"]
        assert cells(ctable, "1")[1:] == ["51", "Оплата о… · ООО «Ва…", "",
                                          "70 000,00", "50 000,00 Д"]
        assert detail(app) == (f"Запись №2 от {q.start.replace(day=5):%d.%m.%Y} · Отгрузка · "
                               "ООО «Василёк»")
        text = screen_text(app)
        assert f"сальдо на {q.start:%d.%m.%Y}: 0,00 ₽" in text
        assert (f"Обороты: Дт 120 000,00, Кт 70 000,00 · сальдо на {q.end:%d.%m.%Y}: "
                f"50 000,00 ₽ Дт") in text

        # Enter on the payment: the whole entry.
        ctable.move_cursor(row=1)
        await settle(pilot)
        assert "Запись №3" in detail(app)
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, EntryView))
        assert isinstance(app.screen, EntryView)
        text = screen_text(app)
        assert "Запись №3" in text and "Оплата от покупателя" in text
        assert "Дт 51" in text and "Кт 62.01" in text and "70 000,00 ₽" in text

        # Escape: the card on the same row; escape again: the report on 62, still open.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is card and ctable.cursor_row == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is tb
        assert table.cursor_row == 3 and tb.shown[3].row.account == "62"
        assert "62.01" in shown_accounts(tb)


async def test_period_keys_on_the_trial_balance(app, http):
    current, q = await small_ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        tb = await open_trial_balance(pilot)
        # shift+← is the same as `[`, shift+→ as `]`.
        await pilot.press("shift+left")
        await settle(pilot)
        assert tb.period == q
        await pilot.press("shift+right")
        await settle(pilot)
        assert tb.period == current
        await pilot.press("left_square_bracket")
        await settle(pilot)
        # `}` grows the quarter to its half-year (the one holding the day looked at,
        # three months before today), `{` shrinks it back and then to the month.
        anchor = add_months(date.today(), -3)
        await pilot.press("right_curly_bracket")
        await settle(pilot, until=lambda: tb.report.head.date_from == tb.period.start)
        assert tb.period == Period.of("half", anchor)
        assert tb.period.title() in title(app)
        assert tb.report.head.date_from == tb.period.start
        assert tb.report.head.date_to == tb.period.end
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert tb.period == q
        await pilot.press("shift+down")
        await settle(pilot)
        assert tb.period == Period.of("month", anchor)
        assert tb.period.title() in title(app)  # «август 2026»
        # Up to the year of that day: it holds Q, so №2 and №3 (62: Дт 120 000,00,
        # Кт 70 000,00), and also №5 (Кт 50 000,00 more) when this quarter is in the
        # same year, i.e. unless today is in the 1st quarter.
        await pilot.press("shift+up", "shift+up", "shift+up", "shift+up")
        await settle(pilot, until=lambda: tb.report.head.date_from == tb.period.start)
        assert tb.period.length == "year" and tb.period.title() == f"{anchor.year} год"
        credit = "120 000,00" if anchor.year == date.today().year else "70 000,00"
        assert cells(tb.query_one(DataTable), "acc:62")[2:] == ["120 000,00", credit]
        # `t`: today's period of the same length; `c`: typed dates.
        await pilot.press("t")
        await settle(pilot)
        assert tb.period == Period.of("year", date.today())
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PeriodDialog)
        dialog.query_one("#from", Input).value = q.start.strftime("%d.%m.%Y")
        dialog.query_one("#to", Input).value = "01.01.2000"
        await pilot.press("enter")  # the first field: on to the second
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "раньше" in screen_text(app)
        dialog.query_one("#to", Input).value = q.end.strftime("%d.%m.%Y")
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.screen is tb and tb.report.head.date_from ==
                     q.start)
        # Typed dates that are exactly a quarter are that quarter (and step by quarters).
        assert tb.period == q and tb.period.length == "quarter"
        assert cells(tb.query_one(DataTable), "total")[2:] == ["220 000,00", "220 000,00"]


async def test_export_trial_balance_to_xlsx_and_csv(app, http, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path / "exports"))
    _, q = await small_ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        tb = await open_trial_balance(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot, until=lambda: tb.report.head.date_from == q.start)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        box = dialog.query_one("#path", Input)
        expected = tmp_path / "exports" / f"ОСВ_{q.slug()}.xlsx"
        assert box.value == str(expected)
        await pilot.press("enter")
        await settle(pilot, until=expected.exists)
        assert app.screen is tb
        sheet = load_workbook(expected).active
        assert sheet["A1"].value == "Оборотно-сальдовая ведомость"
        assert sheet["A2"].value == "Ромашка, ИНН 7707083893"
        assert sheet["A3"].value == (f"Период: {q.title()} ({q.start:%d.%m.%Y} – "
                                     f"{q.end:%d.%m.%Y})")
        assert sheet["A4"].value.startswith("сформирован ")
        header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Счёт")
        assert [c.value for c in sheet[header]][2:4] == ["Сальдо на начало, Дт",
                                                         "Сальдо на начало, Кт"]
        rows = {sheet.cell(r, 1).value: r for r in range(header + 1, sheet.max_row + 1)}
        # The file has every row, collapsed or not, and all six columns.
        assert {"26", "51", "60", "60.01", "62", "62.01", "80", "90", "90.01", "Итого"} <= \
            set(rows)
        r62 = rows["62"]
        values = [sheet.cell(r62, c).value for c in range(3, 9)]
        assert values == [None, None, 120000, 70000, 50000, None]
        for c in (5, 6, 7):
            cell = sheet.cell(r62, c)
            assert cell.data_type == "n" and cell.number_format == "#,##0.00"
        total = [Decimal(str(sheet.cell(rows["Итого"], c).value)) for c in range(3, 9)]
        assert total == [Decimal(100000), Decimal(100000), Decimal(220000), Decimal(220000),
                         Decimal(250000), Decimal(250000)]
        assert sheet.cell(rows["Итого"], 3).font.bold

        # A name ending in .csv: CSV for Russian Excel, in the export folder.
        await pilot.press("e")
        await settle(pilot)
        box = app.screen.query_one("#path", Input)
        box.value = "осв.csv"
        await pilot.press("enter")
        target = tmp_path / "exports" / "осв.csv"
        await settle(pilot, until=target.exists)
        lines = target.read_text(encoding="utf-8-sig").splitlines()
        assert "62;Расчеты с покупателями и заказчиками;;;120000,00;70000,00;50000,00;" in lines
        assert "Итого;;100000,00;100000,00;220000,00;220000,00;250000,00;250000,00" in lines


async def test_card_export_and_analysis(app, http, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    _, q = await small_ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        tb = await open_trial_balance(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot, until=lambda: tb.report.head.date_from == q.start)
        # `a` on 62: its turnover by corresponding account — Дт 62 Кт 90.01 120 000,00,
        # Дт 51 Кт 62 70 000,00.
        tb.query_one(DataTable).move_cursor(row=3)
        await pilot.press("a")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        analysis = app.screen
        table = analysis.query_one(DataTable)
        assert cells(table, "90.01")[2:] == ["120 000,00", ""]
        assert cells(table, "51")[2:] == ["", "70 000,00"]
        assert cells(table, "total")[2:] == ["120 000,00", "70 000,00"]
        assert f"Сальдо на {q.end:%d.%m.%Y}: 50 000,00 ₽ Дт" in screen_text(app)
        # Enter: the card; `e` there writes the whole card with its opening and closing.
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, AccountCardScreen)
                     and app.screen.report is not None)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        path = tmp_path / f"Карточка_62_{q.slug()}.xlsx"
        await settle(pilot, until=path.exists)
        sheet = load_workbook(path).active
        header = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Дата")
        data = [[c.value for c in row] for row in sheet.iter_rows(min_row=header + 1)]
        assert [row[1] for row in data] == [None, 2, 3, None]  # entry numbers
        assert data[1][6] == 120000 and data[2][7] == 70000
        assert data[2][8] == 50000 and data[2][9] == "Д"
        assert data[-1][6:10] == [120000, 70000, 50000, "Д"]
        assert sheet.cell(header + 2, 1).is_date


async def test_usn_shows_the_advance_due(app, http, api, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    h, org = await books(http)  # ООО on УСН «доходы» (6 %)
    today = date.today()
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": today.isoformat(), "description": "Оплата от покупателя",
        "postings": [{"debit": "51", "credit": "62.01", "amount": "100000.00"}]})
    assert resp.status_code == 201, resp.text
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        usn = app.screen
        assert isinstance(usn, UsnScreen)
        # Income 100 000,00 in this quarter only: the tax of the cumulative period is
        # 6 % = 6 000,00; no contributions, no earlier advances → 6 000,00 to pay.
        quarter = (today.month - 1) // 3 + 1
        settles = f"{quarter} квартал {today.year}" if quarter < 4 else f"{today.year} год"
        report = await api.reports.usn(app.org.id, today.year,
                                      Period.this(today=today).end.isoformat())
        due_date = report.quarters[-1].due_date
        text = screen_text(app)
        assert f"К уплате за {settles}: 6 000,00 ₽ до {due_date:%d.%m.%Y}" in text, text
        table = usn.query_one(DataTable)
        code = ("Q1", "H1", "9M", "Y")[quarter - 1]
        assert cells(table, code)[1:] == ["100 000,00", "6 000,00", "0,00", "6 000,00",
                                          f"{due_date:%d.%m.%Y}"]
        assert table.cursor_row == quarter - 1
        # `k`: the book (КУДиР): one income row and the total.
        await pilot.press("k")
        await settle(pilot)
        assert "КУДиР" in title(app)
        assert cells(table, "row:1")[0] == "1" and cells(table, "row:1")[-1] == "100 000,00"
        assert cells(table, "total")[-1] == "100 000,00"
        # `e` writes the book as shown: its rows and the total.
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        path = tmp_path / f"КУДиР_{Period.this(today=today).slug()}.xlsx"
        await settle(pilot, until=path.exists)
        sheet = load_workbook(path).active
        assert "УСН «доходы», ставка 6 %" in [sheet.cell(r, 1).value for r in range(1, 6)]
        last = sheet.max_row
        assert sheet.cell(last, 1).value == "Итого" and sheet.cell(last, 5).value == 100000
        await pilot.press("k")
        await settle(pilot)
        assert "Налог УСН" in title(app)


async def test_usn_refused_for_an_organisation_on_osno(app, http):
    from tests.tui.conftest import ORG

    await register(http)
    h = bearer(await login(http))
    resp = await http.post("/orgs", headers=h, json={**ORG, "tax_regime": "osno",
                                                      "vat_mode": "general"})
    assert resp.status_code == 201, resp.text
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UsnScreen) and screen.report is None
        assert "УСН" in str(screen.query_one(ErrorLine).render())


async def test_statements_open_from_the_menu(app, http):
    _, q = await small_ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ReportsScreen)
        # The menu's own period keys: back a quarter, and the report opens with it.
        await pilot.press("left_square_bracket")
        assert menu.period == q
        assert q.title() in screen_text(app)
        await pilot.press("down", "down", "down", "down", "enter")  # 5: the balance sheet
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        sheet = app.screen
        assert isinstance(sheet, StatementScreen) and sheet.kind == "balance_sheet"
        assert sheet.period == q
        text = screen_text(app)
        assert f"На {q.end:%d.%m.%Y}" in text
        # The balance sheet is on a day, as the form is («на 31.12.…», not «за квартал»).
        assert f"Бухгалтерский баланс на {q.end:%d.%m.%Y}" in text
        lines = {line.code: line for line in sheet.report.lines}
        assert lines, "the balance sheet has lines"
        # Escape brings the period back to the menu; `6` opens the financial results.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is menu
        await pilot.press("6")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        assert isinstance(app.screen, StatementScreen)
        assert app.screen.kind == "financial_results"
        text = screen_text(app)
        assert "Отчёт о финансовых результатах" in text
        # The columns: the period and the same period a year earlier.
        assert f"{q.title()}" in text and f"{q.step(-4).title()}" in text
        # Выручка of Q is №2's 120 000,00 (Кт 90.01).
        revenue = next(line for line in app.screen.report.lines if line.code == "2110")
        assert revenue.current == Decimal("120000.00")
        assert "120 000,00" in text


async def test_trial_balance_by_counterparty_opens_the_counterpartys_card(app, http):
    _, q = await small_ledger(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("left_square_bracket", "2")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        tb = app.screen
        assert isinstance(tb, TrialBalanceScreen) and tb.by == "counterparty"
        assert tb.period == q
        assert "ОСВ по контрагентам за" in title(app)
        # Open by default here: 62, 62.01 and Василёк's line under it (Дт 120 000,00,
        # Кт 70 000,00, as all of 62.01's postings name Василёк).
        row = next(i for i, n in enumerate(tb.shown) if n.row.counterparty == "ООО «Василёк»"
                   and n.row.account == "62.01")
        table = tb.query_one(DataTable)
        key = tb.shown[row].key
        assert cells(table, key)[1].strip() == "· ООО «Василёк»"
        assert cells(table, key)[2:] == ["120 000,00", "70 000,00"]
        table.move_cursor(row=row)
        await settle(pilot)
        assert "62.01 · ООО «Василёк»" in detail(app)
        await pilot.press("enter")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        card = app.screen
        assert isinstance(card, AccountCardScreen)
        assert card.account == "62.01" and card.counterparty_id == tb.shown[row].row.\
            counterparty_id
        assert "Карточка счёта 62.01 · ООО «Василёк» за" in title(app)
        assert card.query_one(DataTable).row_count == 2
        # `-` on the analytics line folds its account and puts the cursor there.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("minus")
        await settle(pilot)
        assert tb._current().key == "acc:62.01"
        assert all(n.row.account != "62.01" or n.key == "acc:62.01" for n in tb.shown)


async def test_wider_terminal_shows_all_columns(app, http):
    await small_ledger(http)
    async with app.run_test(size=(130, 30)) as pilot:
        tb = await open_trial_balance(pilot)
        # 130 columns: 130 − 1 − 16 padding − 10 code − 6 × 10 amounts = 43 for the name.
        assert tb.view == "all" and tb.name_width == 43
        assert len(cells(tb.query_one(DataTable), "acc:51")) == 8
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        # Narrower: the same view, the name squeezed to its minimum (12), sideways scroll.
        assert tb.name_width == 12



async def test_account_card_pages_as_the_cursor_nears_the_end(app, http, monkeypatch):
    """The card loads its postings a page at a time: here 5 a page, the next page asked for
    when the cursor is 2 rows from the end of what is loaded.

    Twelve payments Дт 51 Кт 80 of 1 000,00 on the first twelve days of the previous
    quarter: the running balance of row n (from 0) is (n + 1) × 1 000,00 Д, so the rows
    come 5, then 10 (cursor on row 3 ≥ 5 − 2), then 12 (cursor on row 8 ≥ 10 − 2).
    """
    monkeypatch.setattr("screens.reports.card.CARD_PAGE", 5)
    monkeypatch.setattr("screens.reports.card.CARD_PREFETCH", 2)
    h, org = await books(http)
    q = Period.this().step(-1)
    for n in range(12):
        await post_entry(http, h, org, q.start + timedelta(days=n), f"Взнос {n + 1}",
                         ("51", "80", "1000.00"))
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await app.push_screen(AccountCardScreen("51", "Расчётные счета", q))
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        card = app.screen
        table = card.query_one(DataTable)
        assert table.row_count == 5
        assert cells(table, "4")[5] == "5 000,00 Д"
        assert (f"Обороты: Дт 12 000,00, Кт 0,00 · сальдо на {q.end:%d.%m.%Y}: "
                "12 000,00 ₽ Дт") in screen_text(app)
        table.move_cursor(row=3)
        await settle(pilot, until=lambda: table.row_count == 10)
        assert table.row_count == 10
        assert cells(table, "9")[5] == "10 000,00 Д"
        assert table.cursor_row == 3  # the cursor stays where it was
        table.move_cursor(row=8)
        await settle(pilot, until=lambda: table.row_count == 12)
        assert table.row_count == 12
        assert cells(table, "11")[2].startswith("Взнос 12")
        assert cells(table, "11")[5] == "12 000,00 Д"
        # The last page had no next cursor: at the end, nothing more is asked for.
        table.move_cursor(row=11)
        await settle(pilot)
        assert table.row_count == 12
        assert "Запись №12" in detail(app)
