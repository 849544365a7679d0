"""Provides ConfirmDialog (a yes/no question) and ReasonDialog (asks why), keyboard only."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from client.i18n import t
from screens.base import BuhtaModal
from tui.widgets.form import ErrorLine, FormRow


class ConfirmDialog(BuhtaModal):
    CSS_PATH = "../styles/dialogs.tcss"
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


class ReasonDialog(BuhtaModal):
    """Asks why (reopening a closed month, …); dismisses with the reason or None."""

    CSS_PATH = "../styles/dialogs.tcss"
    BINDINGS = [Binding("escape", "back", "app.back", id="reason.back")]

    def __init__(self, title: str, ok_label: str, hint: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.ok_label = ok_label
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-question")
            if self.hint:
                yield Static(self.hint, classes="hint")
            yield FormRow(t("ledger.reason"), Input(id="reason", compact=True))
            yield ErrorLine()
            with Horizontal(id="dialog-buttons"):
                yield Button(self.ok_label, id="ok", variant="error", compact=True)
                yield Button(t("app.back"), id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one(ErrorLine).show(t("validation.required"))
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
