"""Keys in a burst (a paste, tmux ``send-keys``, a slow SSH link) land where they should.

The keys are handed to the app all at once, the way a terminal driver does when
they arrive in one read: no pause between them (``pilot.press`` waits for the app
to go idle after every key, which hides the problem).
"""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from screens.identity.login import LoginScreen
from screens.identity.register import RegisterScreen
from tests.tui.conftest import settle
from tests.tui.test_document_screens import books, new_form, open_documents

SIZE = (80, 24)
NAMED = {"tab", "shift+tab", "enter", "escape", "f2", "f3", "f4", "f5", "f8", "space"}


async def burst(pilot, *parts: str) -> None:
    """Send ``parts`` (key names from NAMED, or text typed key by key) in one go."""
    app = pilot.app
    for part in parts:
        if part in NAMED:
            keys = [(part, " " if part == "space" else None)]
        else:
            keys = [(ch if ch.isalnum() else _character_to_key(ch), ch) for ch in part]
        for key, char in keys:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
    await settle(pilot)


def value(screen, selector: str) -> str:
    return screen.query_one(selector, Input).value


async def test_registration_typed_in_one_burst_right_after_f2(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        # F2 opens the form; the keys behind it arrive before it has mounted.
        # Tab after the phone stops on «Получить код»; shift+tab steps back.
        await burst(pilot, "f2", "a@b.ru", "tab", "8 916 111-22-33", "tab", "tab", "123456",
                    "tab", "пароль", "shift+tab", "shift+tab", "tab", "tab", "tab", "ещё")
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert value(screen, "#email") == "a@b.ru"
        assert value(screen, "#phone") == "8 916 111-22-33"
        assert value(screen, "#code") == "123456"
        assert value(screen, "#password") == "пароль"
        assert value(screen, "#password2") == "ещё"
        assert app.focused is screen.query_one("#password2", Input)


async def test_login_typed_in_one_burst(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await burst(pilot, "ivan@example.ru", "tab", "секрет 42")
        assert value(screen, "#email") == "ivan@example.ru"
        assert value(screen, "#password") == "секрет 42"


async def test_enter_moves_on_before_the_next_key(app):
    """Enter in the e-mail field moves to the password: what follows lands there."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await burst(pilot, "ivan@example.ru", "enter", "секрет")
        assert value(screen, "#email") == "ivan@example.ru"
        assert value(screen, "#password") == "секрет"


async def test_document_line_typed_in_one_burst(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_documents(pilot)
        form = await new_form(pilot, "2")  # 2 — акт
        form.query_one("#name-0", Input).focus()
        await settle(pilot)
        await burst(pilot, "Услуги", "tab", "2", "tab", "час", "tab", "15000")
        assert value(form, "#name-0") == "Услуги"
        assert value(form, "#qty-0") == "2"
        assert value(form, "#unit-0") == "час"
        assert value(form, "#price-0") == "15000"
