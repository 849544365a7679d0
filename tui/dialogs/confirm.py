"""Provides ConfirmDialog: a yes/no question, keyboard only (y/д, n/н/Esc)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from client.i18n import t
from tui.screen import BuhtaModal
from tui.styles import sheets


class ConfirmDialog(BuhtaModal):
    CSS_PATH = sheets("dialogs")
    BINDINGS = [
        Binding("y,д", "answer(True)", "common.yes", id="dialog.yes"),
        Binding("n,н,escape", "answer(False)", "common.no", id="dialog.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="dialog-question")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{t('common.yes')} (y)", id="yes", variant="error", compact=True)
                yield Button(f"{t('common.no')} (n)", id="no", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
