"""The journal and the manual entry form at 80x24, against the real server app."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input

from client.i18n import t
from core import contract as m
from screens.ledger.entry_form import EntryFormScreen
from screens.ledger.journal import LedgerScreen, ReverseDialog
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.dialogs.entry_view import EntryView
from tui.dialogs.reason import ReasonDialog
from tui.widgets.accounts import AccountSuggester, CompletingInput
from tui.widgets.dates import parse_day, step_month
from tui.widgets.form import ErrorLine
from tui.widgets.money import amount_problem
from tui.widgets.text import with_counterparty

SIZE = (80, 24)


async def books(http) -> tuple[dict, str]:
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=h)).json()
    return h, f"/orgs/{org['id']}"


def test_dates_as_accountants_type_them():
    today = date(2026, 3, 17)
    assert parse_day("", today) == today
    assert parse_day("5", today) == date(2026, 3, 5)  # the 5th of this month
    assert parse_day("28.02", today) == date(2026, 2, 28)
    assert parse_day("01.12.25", today) == date(2025, 12, 1)
    for bad in ("31.02", "32", "1.2.3.4", "вчера"):
        try:
            parse_day(bad, today)
        except ValueError:
            continue
        raise AssertionError(bad)


async def test_new_entry_by_keys_and_its_reversal(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert "записей нет" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntryFormScreen)
        assert form.check_action("post", ()) is None  # dimmed: nothing to post yet
        await type_text(pilot, "5")
        await pilot.press("tab")
        await type_text(pilot, "Оплата от покупателя")
        await pilot.press("tab")
        await type_text(pilot, "51")
        await pilot.press("tab")
        await type_text(pilot, "62.01")
        await pilot.press("tab")
        await type_text(pilot, "1 234,56")
        await settle(pilot)
        assert "Итого: 1 234,56 ₽" in screen_text(app)
        assert form.check_action("post", ()) is True
        await pilot.press("f2")
        await settle(pilot, until=lambda: "1 234,56 ₽" in screen_text(app))
        journal = app.screen
        assert isinstance(journal, LedgerScreen)
        assert journal.query_one(DataTable).row_count == 1
        text = screen_text(app)
        assert "Оплата от покупателя" in text and "1 234,56 ₽" in text
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ReverseDialog)
        await type_text(pilot, "не тот покупатель")
        await pilot.press("enter")
        await settle(pilot, until=lambda: "−1 234,56 ₽" in screen_text(app))
        assert journal.query_one(DataTable).row_count == 2
        assert "−1 234,56 ₽" in screen_text(app)
        assert "Сторно №1" in screen_text(app)


async def test_unknown_account_keeps_post_dimmed(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2", "n")
        await settle(pilot)
        form = app.screen
        form.query_one("#description", Input).value = "Прочее"
        form.query_one("#debit-0", Input).value = "51"
        form.query_one("#credit-0", Input).value = "62.77"
        form.query_one("#amount-0", Input).value = "10"
        await settle(pilot)
        assert form.check_action("post", ()) is None
        await pilot.press("f2")  # a dimmed key does nothing
        await settle(pilot)
        assert isinstance(app.screen, EntryFormScreen)


async def test_journal_pages_from_the_server_and_a_closed_month_refuses(app, http):
    h, org = await books(http)
    this_month = date.today().replace(day=1)
    for n in range(1, 131):
        resp = await http.post(f"{org}/entries", headers=h, json={
            "date": this_month.isoformat(), "description": f"Операция {n}",
            "postings": [{"debit": "51", "credit": "62.01", "amount": f"{n}.00"}]})
        assert resp.status_code == 201
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        # One page of about two screenfuls (issue 18), not the whole month.
        assert table.row_count == app.screen.table.window_size < 100
        for _ in range(10):  # to the end, a page at a time
            table.move_cursor(row=table.row_count - 1)
            await settle(pilot)
        assert table.row_count == 130
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "закрыт" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#day", Input).value = this_month.strftime("%d.%m.%Y")
        form.query_one("#description", Input).value = "Поздно"
        form.query_one("#debit-0", Input).value = "51"
        form.query_one("#credit-0", Input).value = "62.01"
        form.query_one("#amount-0", Input).value = "1"
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, EntryFormScreen)
        assert "закрыт" in str(app.screen.query_one(ErrorLine).render())
        # Back in the journal (leaving the refused entry unsaved is asked first), `c` on
        # the closed month reopens it, with a reason.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # no reason: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        assert t("validation.required") in str(app.screen.query_one(ErrorLine).render())
        await type_text(pilot, "забыли акт за этот месяц")
        await pilot.press("enter")
        await settle(pilot)
        assert "🔒" not in screen_text(app)
        periods = (await http.get(f"{org}/periods", headers=h)).json()
        assert periods["closed"] == []
        audit = (await http.get(f"{org}/audit", headers=h)).json()["items"]
        assert any(a["action"] == "ledger.reopen_period"
                   and "забыли акт" in (a.get("summary") or "") for a in audit)


# --- helpers for the journal query, window, entry view and form tests ------------------


async def post_entry(http, h, org, day: date, description: str, *postings) -> dict:
    """Post through the API; each posting is (debit, credit, amount[, counterparty_id])."""
    lines = []
    for p in postings:
        line = {"debit": p[0], "credit": p[1], "amount": p[2]}
        if len(p) > 3:
            line["counterparty_id"] = p[3]
        lines.append(line)
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": day.isoformat(), "description": description, "postings": lines})
    assert resp.status_code == 201, resp.text
    return resp.json()


async def add_counterparty(http, h, org, name: str, inn: str) -> dict:
    resp = await http.post(f"{org}/counterparties", headers=h,
                           json={"kind": "org", "name": name, "inn": inn})
    assert resp.status_code == 201, resp.text
    return resp.json()


async def open_journal(pilot) -> LedgerScreen:
    await settle(pilot)
    await sign_in(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LedgerScreen)
    return screen


async def open_form(pilot) -> EntryFormScreen:
    await open_journal(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, EntryFormScreen)
    return form


def shown_descriptions(screen: LedgerScreen) -> list[str]:
    return [e.description for e in screen.entries]


def error_text(screen) -> str:
    line = screen.query_one(ErrorLine)
    return str(line.render()) if line.has_class("-shown") else ""


# --- pure helpers ------------------------------------------------------------------------


def test_counterparty_shares_the_description_cell():
    # Width 26: room 26 − 3 = 23; the counterparty keeps its 7 characters, the
    # description gets 16 (15 and an ellipsis).
    assert with_counterparty("Оплата от покупателя", "Ромашка", 26) == \
        "Оплата от покуп… · Ромашка"
    # A short description leaves the counterparty more than half: room 23, «Аренда» (6)
    # leaves 17, but «ООО «Очень длинное имя»» (23) is cut to 17.
    cell = with_counterparty("Аренда", "ООО «Очень длинное имя»", 26)
    assert cell == "Аренда · ООО «Очень длинн…" and len(cell) == 26
    assert with_counterparty("Без контрагента", None, 26) == "Без контрагента"
    assert with_counterparty("", "Ромашка", 26) == "· Ромашка"


def test_amounts_on_their_way_are_not_refused():
    for fine in ("", "1", "1 2", "1 23", "1 234", "1 234,", "1 234,5", "1234.56", "0", "-"):
        assert amount_problem(fine) is None, fine
    for junk in ("12abc", "1.234", "12,345", "1 2345", "--1"):
        assert amount_problem(junk) == "Сумма — число с копейками через запятую, например " \
                                       "1 234,56", junk
    assert amount_problem("-5") == "Сумма проводки — больше нуля"


def test_account_suggestions_by_code_then_by_name():
    accounts = [m.LedgerAccountOut(code=c, name=n, kind="active", analytics=[], parent=None,
                                   builtin=True)
                for c, n in (("50", "Касса"), ("51", "Расчетные счета"),
                             ("62", "Расчеты с покупателями и заказчиками"),
                             ("62.01", "Расчеты с покупателями и заказчиками"),
                             ("90.01", "Выручка"), ("91.01", "Прочие доходы"))]
    s = AccountSuggester(accounts)
    assert s.match("62.0") == "62.01 Расчеты с покупателями и заказчиками"
    assert s.match("5") == "50 Касса"  # the code first, in code order
    assert s.match("касс") == "50 Касса"
    assert s.match("РАСЧЁТНЫЕ") == "51 Расчетные счета"  # any case, ё = е
    assert s.match("покуп заказ") == "62 Расчеты с покупателями и заказчиками"
    assert s.match("доход") == "91.01 Прочие доходы"
    assert s.match("аренда") is None and s.match("  ") is None
    # How the Input shows them: a continuation as is, a match inside the name with →.
    assert CompletingInput.offer_text("62.0", "62.01 Расчеты") == "62.01 Расчеты"
    assert CompletingInput.offer_text("касс", "50 Касса") == "касс → 50 Касса"


# --- the journal ---------------------------------------------------------------------------


async def test_query_line_filters_the_journal(app, http):
    h, org = await books(http)
    today = date.today()
    earlier = step_month(today.replace(day=1), -2).replace(day=10)
    await post_entry(http, h, org, today, "Аренда офиса", ("26", "60.01", "30000.00"))
    await post_entry(http, h, org, today, "Оплата от покупателя", ("51", "62.01", "1000.00"))
    await post_entry(http, h, org, today, "Канцтовары", ("26", "71", "500.00"))
    await post_entry(http, h, org, earlier, "Аренда склада", ("26", "60.01", "12000.00"))
    async with app.run_test(size=SIZE) as pilot:
        journal = await open_journal(pilot)
        # This month only: the warehouse rent two months back is not shown.
        assert shown_descriptions(journal) == ["Канцтовары", "Оплата от покупателя",
                                               "Аренда офиса"]
        await pilot.press("slash")
        assert journal.query_one("#query", Input).has_focus
        await type_text(pilot, "desc:аренда")
        await pilot.press("enter")
        await settle(pilot)
        # The month still applies: one rent of the two.
        assert shown_descriptions(journal) == ["Аренда офиса"]
        assert journal.query_one(DataTable).row_count == 1
        assert journal.query_one(DataTable).has_focus
        text = screen_text(app)
        assert "запрос: desc:аренда" in text and "Аренда офиса" in text
        assert "Канцтовары" not in text
        # A date: term replaces the month: the query's own period.
        await pilot.press("slash")
        journal.query_one("#query", Input).value = ""
        await type_text(pilot, f"desc:аренда date:{earlier:%Y-%m}")
        await pilot.press("enter")
        await settle(pilot)
        assert shown_descriptions(journal) == ["Аренда склада"]
        assert "по запросу" in screen_text(app)
        # Esc clears the query and the month is back.
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert journal.query_one("#query", Input).value == ""
        assert journal.query_one(DataTable).has_focus
        assert len(journal.entries) == 3
        # A query the server cannot read: its reason on the error line, the cursor back
        # in the query line to fix it.
        await pilot.press("slash")
        await type_text(pilot, "amt:>abc")
        await pilot.press("enter")
        await settle(pilot)
        assert "Запрос не понят" in error_text(journal)
        assert "amt:>abc" in error_text(journal)
        assert journal.query_one("#query", Input).has_focus
        assert journal.entries == []


async def test_all_time_toggle(app, http):
    h, org = await books(http)
    today = date.today()
    earlier = step_month(today.replace(day=1), -3)
    await post_entry(http, h, org, today, "Сейчас", ("51", "62.01", "1.00"))
    await post_entry(http, h, org, earlier, "Раньше", ("51", "62.01", "2.00"))
    async with app.run_test(size=SIZE) as pilot:
        journal = await open_journal(pilot)
        assert shown_descriptions(journal) == ["Сейчас"]
        await pilot.press("m")
        await settle(pilot)
        assert shown_descriptions(journal) == ["Сейчас", "Раньше"]
        assert "весь период" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        assert shown_descriptions(journal) == ["Сейчас"]


async def test_journal_window_drops_old_pages_and_starts_over(app, http, monkeypatch):
    from screens.ledger import journal as ledger

    monkeypatch.setattr(ledger, "PAGE", 3)
    monkeypatch.setattr(ledger, "PREFETCH", 2)
    h, org = await books(http)
    today = date.today()
    for n in range(1, 41):
        await post_entry(http, h, org, today, f"Операция {n}", ("51", "62.01", f"{n}.00"))
    async with app.run_test(size=SIZE) as pilot:
        journal = await open_journal(pilot)
        table = journal.query_one(DataTable)
        assert table.row_count == 3  # one page of 3
        most = 0
        # Newest first, all on one day: row k (from the top, before any drop) is
        # entry 40 − k. 39 steps down reach entry 1.
        for k in range(1, 40):
            await pilot.press("down")
            await settle(pilot)
            most = max(most, table.row_count)
            assert journal._current().number == 40 - k
            assert table.row_count == len(journal.rows) <= 30  # 10 pages of 3
        assert journal.cursor is None  # the end of the journal
        assert most == 30
        assert journal.trimmed
        # 40 entries in pages of 3: 14 pages, the last one of 1 entry; the window keeps
        # the last 10 pages: 9 × 3 + 1 = 28 entries, numbers 28 … 1.
        assert [e.number for e in journal.entries] == list(range(28, 0, -1))
        assert "к началу" in screen_text(app)
        # Up at the top of the window: the dropped pages are gone, the journal starts over.
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert table.cursor_row == 0 and journal._current().number == 28
        await pilot.press("up")
        await settle(pilot)
        assert not journal.trimmed
        assert journal._current().number == 40
        assert table.row_count == 3


async def test_entry_view_shows_postings_counterparties_and_reversal(app, http):
    h, org = await books(http)
    cp = await add_counterparty(http, h, org, "ООО «Василёк»", "7736207543")
    today = date.today()
    original = await post_entry(http, h, org, today, "Отгрузка",
                                ("62.01", "90.01", "1200.00", cp["id"]),
                                ("90.02", "41.01", "700.00"))
    resp = await http.post(f"{org}/entries/{original['id']}/reverse", headers=h,
                           json={"reason": "ошибка"})
    assert resp.status_code == 201
    async with app.run_test(size=SIZE) as pilot:
        journal = await open_journal(pilot)
        text = screen_text(app)
        # The counterparty is in the description column at 80 columns.
        assert "Отгрузка · ООО «Василёк»" in text, text
        table = journal.query_one(DataTable)
        # Newest first: the reversal's 2 rows, then the original's 2 rows.
        table.move_cursor(row=2)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, EntryView)
        text = screen_text(app)
        assert f"Запись №1 от {today:%d.%m.%Y}" in text
        assert "Дт 62.01" in text and "Кт 90.01" in text and "1 200,00 ₽" in text
        assert "ООО «Василёк»" in text and "Дт 90.02" in text and "700,00 ₽" in text
        assert "Итого: 1 900,00 ₽" in text
        assert "Сторнирована записью №2" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is journal
        table.move_cursor(row=0)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Запись №2" in text and "Сторнирует запись №1" in text
        assert "−1 200,00 ₽" in text
        await pilot.press("escape")
        await settle(pilot)
        # An entry made by a document names it.
        entry = journal.entries[1].model_copy(update={"document": "Акт № 3 от 05.03.2026"})
        await app.push_screen(EntryView(entry))
        await settle(pilot)
        assert "Документ: Акт № 3 от 05.03.2026" in screen_text(app)
        # Outside the loaded window the reversal is still mentioned, without its number.
        assert "Сторнирована записью вне загруженной части журнала" in screen_text(app)


# --- the entry form --------------------------------------------------------------------


async def test_account_autocomplete_by_name_fragment(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        debit = form.query_one("#debit-0", Input)
        debit.focus()
        await pilot.pause()
        await type_text(pilot, "расчётные")
        await settle(pilot)
        # The field is narrow: the line under the postings says what → takes.
        assert "→ 51 Расчетные счета (→ или Tab — выбрать)" in screen_text(app)
        await pilot.press("right")  # → takes the suggestion
        assert debit.value == "51 Расчетные счета"
        await pilot.press("tab")
        credit = form.query_one("#credit-0", Input)
        assert credit.has_focus
        await type_text(pilot, "авансам получ")
        await settle(pilot)
        await pilot.press("tab")  # leaving the field takes a match found inside a name
        await settle(pilot)
        assert credit.value == "62.02 Расчеты по авансам полученным"
        # A known code stays as typed; the start of a code is completed, codes first.
        credit.focus()
        credit.value = "62.01"
        await settle(pilot)
        assert "62.01: Расчеты с покупателями и заказчиками" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert credit.value == "62.01"
        credit.focus()
        credit.value = "68.1"
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert credit.value == "68.12 Налог при упрощенной системе налогообложения"
        credit.focus()
        credit.value = "ёлки"
        await settle(pilot)
        assert "Нет счёта «ёлки» в плане счетов" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert credit.value == "ёлки"


async def test_counterparty_autocomplete_sets_the_posting_counterparty(app, http):
    h, org = await books(http)
    vasilek = await add_counterparty(http, h, org, "ООО «Василёк»", "7736207543")
    vector = await add_counterparty(http, h, org, "ООО «Вектор»", "7702070139")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#description", Input).value = "Оплата"
        form.query_one("#debit-0", Input).value = "51"
        form.query_one("#credit-0", Input).value = "62.01"
        form.query_one("#amount-0", Input).value = "1 000"
        box = form.query_one("#cp-0", Input)
        box.focus()
        await pilot.pause()
        await type_text(pilot, "василе")  # е for ё, as people type
        await settle(pilot)
        assert "→ ООО «Василёк»" in screen_text(app)
        # Typed but not chosen: posting would lose it, so F2 stays dimmed.
        assert form.check_action("post", ()) is None
        await pilot.press("right")
        await settle(pilot)
        assert box.value == "ООО «Василёк»"
        assert "✓ ООО «Василёк» · ИНН 7736207543" in screen_text(app)
        assert form.check_action("post", ()) is True
        # A second line chosen by its full ИНН.
        await pilot.press("f3")
        await settle(pilot)
        form.query_one("#debit-1", Input).value = "51"
        form.query_one("#credit-1", Input).value = "62.02"
        form.query_one("#amount-1", Input).value = "500"
        form.query_one("#cp-1", Input).focus()
        await pilot.pause()
        await type_text(pilot, "7702070139")
        await settle(pilot)
        assert "✓ ООО «Вектор»" in screen_text(app)
        # Editing the text to something else forgets the choice.
        box.value = "ООО «Василёк» и ко"
        await settle(pilot)
        assert form.check_action("post", ()) is None
        box.value = "ООО «Василёк»"
        await settle(pilot)
        assert form.check_action("post", ()) is True
        await pilot.press("f2")
        await settle(pilot, until=lambda: isinstance(app.screen, LedgerScreen))
        assert isinstance(app.screen, LedgerScreen)
    h2 = bearer(await login(http))
    entries = (await http.get(f"{org}/entries", headers=h2)).json()["items"]
    assert len(entries) == 1
    postings = entries[0]["postings"]
    assert [p["counterparty_id"] for p in postings] == [vasilek["id"], vector["id"]]
    assert [p["amount"] for p in postings] == ["1000.00", "500.00"]


async def test_junk_amount_is_refused_as_typed_and_dates_are_read_back(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#description", Input).value = "Прочее"
        form.query_one("#debit-0", Input).value = "51"
        form.query_one("#credit-0", Input).value = "62.01"
        amount = form.query_one("#amount-0", Input)
        amount.focus()
        await pilot.pause()
        await type_text(pilot, "12abc")
        await settle(pilot)
        assert "✗ Сумма — число с копейками" in screen_text(app)
        assert form.check_action("post", ()) is None
        amount.value = ""
        await type_text(pilot, "1 2")  # on its way to 1 234: no complaint yet
        await settle(pilot)
        assert "✗" not in screen_text(app)
        await type_text(pilot, "34,56")
        await settle(pilot)
        assert "Итого: 1 234,56 ₽" in screen_text(app)
        assert form.check_action("post", ()) is True
        amount.value = "1234.56"
        await settle(pilot)
        assert "Итого: 1 234,56 ₽" in screen_text(app)
        amount.value = "-5"
        await settle(pilot)
        assert "✗ Сумма проводки — больше нуля" in screen_text(app)
        assert form.check_action("post", ()) is None
        # The date as typed, read back next to the field.
        day = form.query_one("#day", Input)
        day.value = "28.02"
        await settle(pilot)
        feb = date(date.today().year, 2, 28)
        weekday = "пн вт ср чт пт сб вс".split()[feb.weekday()]
        assert f"→ {weekday}, {feb:%d.%m.%Y}" in screen_text(app)
        day.value = "31.02"
        await settle(pilot)
        # An impossible day says so (issue #12), not a format hint.
        assert f"✗ В феврале {feb.year} года нет 31-го числа" in screen_text(app)
