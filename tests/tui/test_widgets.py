"""Shared form widgets."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Checkbox

from tui.widgets.form import TickBox


class TickApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[bool] = []

    def compose(self) -> ComposeResult:
        yield TickBox("Цены включают НДС", id="box")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.changes.append(event.value)


async def test_a_tick_box_shows_its_state_and_tells_the_form():
    app = TickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(TickBox)
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.value and box.BUTTON_INNER == "✓" and box.has_class("-on")
        await pilot.press("space")
        await pilot.pause()
        assert not box.value and box.BUTTON_INNER == " "
        # Each toggle reaches the form as Checkbox.Changed (the form recomputes totals).
        assert app.changes == [True, False]
        # Enter is the form's (submit), not the box's.
        await pilot.press("enter")
        await pilot.pause()
        assert not box.value
