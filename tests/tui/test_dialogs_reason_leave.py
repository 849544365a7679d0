"""Dialogs at 80x24: the reason dialog is a framed box whose refusals name the field and
keep the cursor and the text in it; Esc on a form with something typed asks first."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from screens.identity.login import LoginScreen
from screens.identity.register import RegisterScreen
from tests.tui.conftest import screen_text, settle, type_text
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.reason import ReasonDialog
from tui.widgets.form import ErrorLine

SIZE = (80, 24)


async def test_esc_after_typing_asks_before_leaving(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RegisterScreen)
        await type_text(pilot, "ivan@example.ru")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Выйти без сохранения?" in screen_text(app)
        await pilot.press("n")  # stay: the form and what was typed
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#email", Input).value == "ivan@example.ru"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_esc_on_an_untouched_form_leaves_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_reason_dialog_is_framed_and_keeps_the_field(app):
    answers = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = ReasonDialog("Сторно записи №1", "Сторнировать", day=date(2026, 3, 5))
        app.push_screen(dialog, answers.append)
        await settle(pilot)
        reason = dialog.query_one("#reason", Input)
        assert not reason.has_class("-textual-compact")  # a field with a visible frame
        assert "┃" in screen_text(app) or "▊" in screen_text(app)  # the box's frame
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "Заполните поле: Причина" in str(dialog.query_one(ErrorLine).render())
        assert app.focused is reason
        await type_text(pilot, "не тот счёт")
        await settle(pilot)
        assert str(dialog.query_one(ErrorLine).render()) == ""  # cleared by the fix
        day = dialog.query_one("#day", Input)
        day.value = "31.02.2026"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and app.focused is day
        assert "В феврале 2026 года нет 31-го числа" in str(dialog.query_one(ErrorLine).render())
        assert reason.value == "не тот счёт"
        day.value = "05.03.2026"
        day.focus()
        await pilot.press("enter")
        await settle(pilot)
    assert answers == [("не тот счёт", "2026-03-05")]


async def test_esc_closes_an_open_list_before_it_asks(app, http):
    from textual.widgets import Select

    from screens.orgs.org_form import OrgFormScreen
    from tests.tui.test_keys_footer import with_org
    from tests.tui.test_org_screens import sign_in

    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("o")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, OrgFormScreen)
        card.query_one("#full_name", Input).focus()
        await type_text(pilot, " и К")  # the card itself filled in the rest: that is no typing
        select = card.query_one("#tax_regime", Select)
        select.focus()
        await settle(pilot)
        await pilot.press("enter")  # the list opens
        await settle(pilot)
        assert select.expanded
        await pilot.press("escape")  # the list's own Esc first
        await settle(pilot)
        assert not select.expanded and app.screen is card
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmDialog, OrgFormScreen))
