"""Provides ReasonDialog: asks why (reopening a closed month, cancelling a document,
reversing an entry) and, when asked to, on which day.

Without a day it dismisses with the reason; with ``day=`` it shows a date field
(that day filled in) and dismisses with ``(reason, ISO date)``; Esc or «Назад»
dismiss with None. An empty reason or an unreadable date is refused in the dialog.
Always a centred box with a heading; the reason takes no more than the server does.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from client.i18n import t
from core import contract as m
from core.validation import InvalidInput
from tui.errors import invalid_text
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.limits import max_length


class ReasonDialog(BuhtaModal):
    """Asks why; dismisses with the reason (and the day when one is asked for) or None.

    Always a framed box in the middle of the screen, the reason in a field with a
    visible frame. A refusal names the field, puts the cursor back in it and keeps
    what was typed.
    """

    CSS_PATH = sheets("dialogs")
    DEFAULT_CSS = """
    ReasonDialog {
        align: center middle;
    }
    ReasonDialog > #dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        padding: 0 1;
        border: thick $error;
        background: $surface;
    }
    ReasonDialog #dialog-question {
        text-style: bold;
        margin-bottom: 1;
    }
    ReasonDialog FormRow {
        margin-bottom: 0;
    }
    ReasonDialog #dialog-buttons {
        height: auto;
        margin-top: 1;
    }
    ReasonDialog #dialog-buttons Button {
        margin-right: 2;
    }
    """
    BINDINGS = [Binding("escape", "back", "app.back", id="reason.back")]

    def __init__(self, title: str, ok_label: str, hint: str | None = None, *,
                 day: date | None = None, boxed: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.ok_label = ok_label
        self.hint = hint
        self.day = day
        self.boxed = boxed  # kept for callers: every reason dialog is boxed now

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self.title_text, id="dialog-question", classes="form-title")
            if self.hint:
                yield Static(self.hint, classes="hint")
            yield FormRow(t("ledger.reason"),
                          Input(id="reason", max_length=max_length(m.ReopenIn, "reason")))
            if self.day is not None:
                yield FormRow(t("ledger.date"), DateInput(self.day, id="day", book=True))
            yield ErrorLine()
            with Horizontal(id="dialog-buttons", classes="buttons"):
                yield Button(self.ok_label, id="ok", variant="error", compact=True)
                yield Button(t("app.back"), id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def _refuse(self, field: str, text: str) -> None:
        self.query_one(ErrorLine).show(text)
        self.query_one(f"#{field}", Input).focus()  # what was typed stays

    @on(Input.Changed)
    def _typed(self) -> None:
        self.query_one(ErrorLine).clear()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            return self._refuse("reason", f"{t('validation.required')}: {t('ledger.reason')}")
        if self.day is None:
            self.dismiss(reason)
            return
        try:
            day = self.query_one("#day", DateInput).day
        except InvalidInput as exc:
            return self._refuse("day", f"{t('ledger.date')}: {invalid_text(exc)}")
        self.dismiss((reason, day.isoformat()))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
