"""Provides compact form rows (label + field) that fit 80x24, and the error line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Static


class FormRow(Horizontal):
    """A label on the left, one field (or a few) on the right, one line high."""

    DEFAULT_CSS = """
    FormRow {
        height: auto;
        margin-bottom: 1;
    }
    FormRow > .form-label {
        width: 22;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    FormRow > Input {
        width: 1fr;
    }
    FormRow > Button {
        margin-left: 1;
    }
    """

    def __init__(self, label: str, *fields: Widget, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = label
        self._fields = fields

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="form-label")
        yield from self._fields


class ErrorLine(Static):
    """One or more lines of refusal text; empty and hidden when there is nothing to say."""

    DEFAULT_CSS = """
    ErrorLine {
        color: $text-error;
        height: auto;
        display: none;
    }
    ErrorLine.-shown {
        display: block;
    }
    """

    field: str | None = None
    """The id of the field the shown refusal is about (it goes when that field is edited)."""

    def show(self, text: str, *, field: str | None = None) -> None:
        self.update(f"✗ {text}" if text else "")
        self.set_class(bool(text), "-shown")
        self.field = field if text else None

    def clear(self) -> None:
        self.show("")


class InfoLine(Static):
    DEFAULT_CSS = """
    InfoLine {
        color: $text-success;
        height: auto;
        display: none;
    }
    InfoLine.-shown {
        display: block;
    }
    """

    def show(self, text: str) -> None:
        self.update(f"✓ {text}" if text else "")
        self.set_class(bool(text), "-shown")


class TickBox(Checkbox, inherit_bindings=False):
    """A checkbox whose state reads without colour (✓ or blank), toggled by space only.

    Enter is left to the form, so that Enter on the box submits like anywhere else.
    """

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False)]

    def on_mount(self) -> None:
        self._show_state(self.value)

    def watch_value(self) -> None:
        # Checkbox's own watcher sets the -on class and posts Changed: keep it.
        super().watch_value()
        self._show_state(self.value)

    def _show_state(self, value: bool) -> None:
        self.BUTTON_INNER = "✓" if value else " "
        self.refresh()
