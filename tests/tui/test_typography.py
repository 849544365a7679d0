"""A no-break space never breaks a wrapped line (tui.typography): an amount written by
``format_amount`` («61 000,00 ₽») stays on one line when the text around it wraps."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

import tui.app  # noqa: F401 (installs keep_no_break_spaces, as the app does)
from core.money import format_amount

# 38 columns: «…поступило 61» would fit the first line, «000,00 ₽» not.
TEXT = f"Загружено строк 3: поступило {format_amount(Decimal('61000'))}, списано 0"


class Narrow(App[None]):
    CSS = "Static { width: 38; }"

    def compose(self) -> ComposeResult:
        yield Static(TEXT, id="line")


async def test_textual_wraps_around_an_amount_not_inside_it():
    app = Narrow()
    async with app.run_test(size=(80, 24)):
        static = app.query_one("#line", Static)
        rendered = [strip.text.rstrip() for strip in static.render_lines(
            static.region.reset_offset)]
    text = [line for line in rendered if line]
    assert len(text) == 2, text
    assert any("61\u00a0000,00\u00a0₽" in line for line in text), text
    assert not any(line.endswith("61") for line in text), text


def test_rich_wraps_around_an_amount_not_inside_it():
    console = Console(width=38, file=None, force_terminal=False)
    lines = Text(TEXT).wrap(console, 38)
    assert any("61\u00a0000,00\u00a0₽" in line.plain for line in lines), [
        x.plain for x in lines]
