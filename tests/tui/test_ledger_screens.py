"""The journal and the manual entry form at 80x24, against the real server app."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input

from screens.ledger import EntryFormScreen, LedgerScreen, ReverseDialog, parse_day
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import ErrorLine

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
        assert table.row_count == 100  # one page, not the whole month
        table.move_cursor(row=85)
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
