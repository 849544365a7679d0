"""An exception in a screen's handler is an error line and a log entry, never an exit.

A screen with a field whose ``@on`` handler, key action, watcher and worker answer
each raise: the app keeps running, the field keeps what was typed, the error line
says what happened, and ``buhta.log`` in the data folder has the traceback.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input

from client.paths import data_dir
from tests.tui.conftest import settle, type_text
from tui.screen import BuhtaScreen
from tui.widgets.form import ErrorLine
from tui.workers import Done

SIZE = (80, 24)


class Loaded(Done[int]):
    """The worker's answer."""


class FaultyScreen(BuhtaScreen):
    BINDINGS = [Binding("f5", "boom", "boom"), Binding("f6", "load", "load", priority=True)]
    count = reactive(0)

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield ErrorLine()

    def on_mount(self) -> None:
        self.query_one("#field", Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.value.endswith("!"):
            raise ValueError("handler broke")
        self.count = len(event.value)

    def watch_count(self, count: int) -> None:
        if count == 7:
            raise KeyError("watcher broke")

    def action_boom(self) -> None:
        raise RuntimeError("action broke")

    def action_load(self) -> None:
        self.call_api(lambda api: _answer(), done=Loaded)

    @on(Loaded)
    def _loaded(self, _message: Loaded) -> None:
        raise ZeroDivisionError("answer broke")


async def _answer() -> int:
    return 1


def error_text(app) -> str:
    return str(app.screen.query_one(ErrorLine).render())


async def test_a_raising_handler_leaves_the_app_and_the_form(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = FaultyScreen()
        await app.push_screen(screen)
        await settle(pilot)
        field = screen.query_one("#field", Input)

        await type_text(pilot, "сумма!")  # the @on handler raises on «!»
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert app.screen is screen and field.value == "сумма!"
        assert "handler broke" in error_text(app) and "не потеряно" in error_text(app)

        await type_text(pilot, "x")  # 7 characters: the watcher raises
        await settle(pilot)
        assert "watcher broke" in error_text(app)
        assert field.value == "сумма!x"

        await pilot.press("f5")  # an action from the screen's keys
        await settle(pilot)
        assert "action broke" in error_text(app)

        await pilot.press("f6")  # a worker's answer
        await settle(pilot)
        assert "answer broke" in error_text(app)

        # Still a working form: typing goes on.
        await type_text(pilot, "y")
        await settle(pilot)
        assert field.value == "сумма!xy" and app.screen is screen
        log = (data_dir() / "buhta.log").read_text(encoding="utf-8")
        for text in ("handler broke", "watcher broke", "action broke", "answer broke"):
            assert text in log
        assert "Traceback" in log
