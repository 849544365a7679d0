"""Provides ReasonDialog: asks why (reopening a closed month, cancelling a document,
reversing an entry) and, when asked to, on which day.

Without a day it dismisses with the reason; with ``day=`` it shows a date field
(that day filled in) and dismisses with ``(reason, ISO date)``; Esc or «Назад»
dismiss with None. An empty reason or an unreadable date is refused in the dialog.
``boxed`` draws it as a centred box with a heading (the journal's reversal).
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from client.i18n import t
from core.validation import InvalidInput
from tui.errors import invalid_text
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow


class ReasonDialog(BuhtaModal):
    """Asks why; dismisses with the reason (and the day when one is asked for) or None."""

    CSS_PATH = sheets("dialogs")
    BINDINGS = [Binding("escape", "back", "app.back", id="reason.back")]

    def __init__(self, title: str, ok_label: str, hint: str | None = None, *,
                 day: date | None = None, boxed: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.ok_label = ok_label
        self.hint = hint
        self.day = day
        self.boxed = boxed

    def compose(self) -> ComposeResult:
        box, title, buttons = (("dialog", "form-title", "buttons") if self.boxed
                               else ("", "", ""))
        with Vertical(id="dialog", classes=box):
            yield Static(self.title_text, id="dialog-question", classes=title)
            if self.hint:
                yield Static(self.hint, classes="hint")
            yield FormRow(t("ledger.reason"), Input(id="reason", compact=True))
            if self.day is not None:
                yield FormRow(t("ledger.date"),
                              DateInput(self.day, id="day", compact=True, book=True))
            yield ErrorLine()
            with Horizontal(id="dialog-buttons", classes=buttons):
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
        if self.day is None:
            self.dismiss(reason)
            return
        try:
            day = self.query_one("#day", DateInput).day
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        self.dismiss((reason, day.isoformat()))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
