"""Dates and amounts at 80x24: an impossible day says so, the books' date range and the one
money limit hold in every form, the report period names the wrong field."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from client.periods import Period
from core.money import format_amount
from screens.reports.dialogs import PeriodDialog
from tests.tui.conftest import screen_text, settle, type_text
from tests.tui.test_document_screens import books as doc_books
from tests.tui.test_document_screens import new_form, open_documents
from tests.tui.test_ledger_screens import books, open_form
from tui.widgets.form import ErrorLine

SIZE = (80, 24)


async def fill(pilot, box: Input, text: str) -> None:
    box.focus()
    box.value = ""
    await pilot.pause()
    await type_text(pilot, text)
    await settle(pilot)


def shown(widget: Static) -> str:
    return str(widget.render())


async def test_entry_form_days_and_the_money_limit(app, http):
    h, org = await books(http)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        day = form.query_one("#day", Input)
        await fill(pilot, day, "31.02.2026")
        assert "В феврале 2026 года нет 31-го числа" in shown(form.query_one("#day-parsed", Static))
        await fill(pilot, day, "01.01.1900")
        assert "Дата — от 01.01.2000 до 31.12.2099" in shown(form.query_one("#day-parsed", Static))
        await fill(pilot, form.query_one("#description", Input), "Проверка")
        await fill(pilot, form.query_one("#debit-0", Input), "51")
        await fill(pilot, form.query_one("#credit-0", Input), "62.01")
        amount = form.query_one("#amount-0", Input)
        await fill(pilot, amount, "999 999 999 999 999,99")
        # The manual entry has the documents' limit: refused while typed, F2 dimmed.
        assert "Сумма не может быть больше 999 999 999 999,99 ₽" in screen_text(app)
        assert form.check_action("post", ()) is None
        await fill(pilot, amount, "100")
        assert form.check_action("post", ()) is True
        await pilot.press("f2")  # the date 01.01.1900 is still refused: no posting
        await settle(pilot)
        assert app.screen is form and app.focused is day
        assert "Дата — от 01.01.2000 до 31.12.2099" in str(form.query_one(ErrorLine).render())
    entries = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    assert entries == []


async def test_a_too_big_price_is_too_big(app, http):
    await doc_books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_documents(pilot)
        form = await new_form(pilot, "2")
        await fill(pilot, form.query_one("#name-0", Input), "Услуги")
        await fill(pilot, form.query_one("#price-0", Input), "1000000000000000")
        text = screen_text(app)
        assert "Цена слишком большая" in text and "не меньше нуля" not in text, text


async def test_report_period_names_the_wrong_date(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = PeriodDialog(Period.custom(date(2026, 1, 1), date(2026, 1, 31)))
        await app.push_screen(dialog)
        await settle(pilot)
        await fill(pilot, dialog.query_one("#to", Input), "31.02.2026")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one(ErrorLine).render())
        assert "По: В феврале 2026 года нет 31-го числа" in error
        assert app.focused is dialog.query_one("#to", Input)
        await fill(pilot, dialog.query_one("#from", Input), "1.1.1900")
        await fill(pilot, dialog.query_one("#to", Input), "31.01.2026")
        await pilot.press("enter")
        await settle(pilot)
        assert "С: Дата — от 01.01.2000" in str(dialog.query_one(ErrorLine).render())


def test_amounts_never_break_inside():
    # No plain space to wrap at: thousands and the currency are joined by no-break spaces.
    text = format_amount(__import__("decimal").Decimal("1234567.89"))
    assert text == "1\u00a0234\u00a0567,89\u00a0₽" and " " not in text
