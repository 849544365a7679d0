"""The «Назад» button of a form at 80x24 is Esc: after typing it asks «Выйти без
сохранения?» (n keeps the form and the text, y leaves); on an untouched form it leaves at once."""

from __future__ import annotations

from textual.widgets import Button, Input

from screens.documents.form import DocumentFormScreen
from screens.documents.list import DocumentsScreen
from screens.identity.login import LoginScreen
from screens.identity.register import RegisterScreen
from screens.ledger.counterparties import CounterpartiesScreen, CounterpartyFormScreen
from tests.tui.conftest import screen_text, settle, type_text
from tests.tui.test_counterparty_screens import _open_list, _org
from tests.tui.test_document_screens import books, new_form, open_documents
from tui.dialogs.confirm import ConfirmDialog

SIZE = (80, 24)
QUESTION = "Выйти без сохранения?"


async def _back(pilot, form) -> None:
    """Focus «Назад» and press Enter on it, as a user does after Tab."""
    back = form.query_one("#back", Button)
    back.focus()
    await pilot.pause()
    assert pilot.app.focused is back
    await pilot.press("enter")
    await settle(pilot)


async def _asks_then_leaves(pilot, form, field: str, text: str, behind: type) -> None:
    """Type ``text`` into ``field``; «Назад» asks, n stays with the text, «Назад» + y leaves."""
    app = pilot.app
    box = form.query_one(f"#{field}", Input)
    box.focus()
    await pilot.pause()
    await type_text(pilot, text)
    await _back(pilot, form)
    assert isinstance(app.screen, ConfirmDialog)
    assert QUESTION in screen_text(app)
    await pilot.press("n")  # stay: the form and what was typed
    await settle(pilot)
    assert app.screen is form
    assert box.value.endswith(text)
    await _back(pilot, form)
    assert isinstance(app.screen, ConfirmDialog)
    await pilot.press("y")
    await settle(pilot)
    assert isinstance(app.screen, behind)
    assert form not in app.screen_stack


async def _leaves_at_once(pilot, form, behind: type) -> None:
    await _back(pilot, form)
    assert not isinstance(pilot.app.screen, ConfirmDialog)
    assert isinstance(pilot.app.screen, behind)
    assert form not in pilot.app.screen_stack


async def test_register_form_back_button_asks_after_typing(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RegisterScreen)
        await _asks_then_leaves(pilot, form, "email", "ivan@example.ru", LoginScreen)
        await pilot.press("f2")
        await settle(pilot)
        untouched = app.screen
        assert isinstance(untouched, RegisterScreen) and untouched is not form
        await _leaves_at_once(pilot, untouched, LoginScreen)


async def test_counterparty_form_back_button_asks_after_typing(app, http):
    await _org(http)
    async with app.run_test(size=SIZE) as pilot:
        await _open_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CounterpartyFormScreen)
        await _asks_then_leaves(pilot, form, "name", "ООО Лютик", CounterpartiesScreen)
        await pilot.press("n")
        await settle(pilot)
        untouched = app.screen
        assert isinstance(untouched, CounterpartyFormScreen) and untouched is not form
        await _leaves_at_once(pilot, untouched, CounterpartiesScreen)


async def test_document_form_back_button_asks_after_typing(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_documents(pilot)
        form = await new_form(pilot, "1")
        await _asks_then_leaves(pilot, form, "number", "17", DocumentsScreen)
        untouched = await new_form(pilot, "1")
        assert untouched is not form
        await _leaves_at_once(pilot, untouched, DocumentsScreen)
        assert isinstance(untouched, DocumentFormScreen)
