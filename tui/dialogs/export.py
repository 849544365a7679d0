"""Provides ExportDialog: where to save a table (XLSX, or CSV when the name says so)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from client.i18n import t
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.form import ErrorLine


class ExportDialog(BuhtaModal):
    """Where to save: a path, prefilled; a name ending in ``.csv`` writes CSV."""

    CSS_PATH = sheets("reports")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="reports_export.cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("reports.export_title"), classes="form-title")
            yield Input(str(self.suggested), id="path", compact=True)
            yield Static(t("reports.export_hint"), classes="hint")
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("reports.save"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one(ErrorLine).show(t("validation.required"))
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.suggested.parent / path  # a bare name goes to the export folder
        if path.is_dir() or text.endswith(("/", "\\")):
            path = path / self.suggested.name
        elif path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_name(path.name + ".xlsx")
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
