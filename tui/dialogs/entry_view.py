"""Provides EntryView: one journal entry, read only (opened by the journal and the reports)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from client.i18n import t
from core import contract as m
from core.money import format_amount
from tui.screen import BuhtaModal
from tui.styles import sheets


class EntryView(BuhtaModal):
    """One entry, read only: every posting, its counterparty, its document, its reversal."""

    CSS_PATH = sheets("ledger")
    BINDINGS = [Binding("escape", "close", "app.back", id="entry_view.close")]

    def __init__(self, entry: m.EntryOut, numbers: dict[str, int] | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.numbers = numbers or {}
        """Entry numbers by id, for the reversal links (the journal's loaded window)."""

    def _link(self, key: str, entry_id: str) -> str:
        number = self.numbers.get(entry_id)
        return t(key, number=number) if number is not None else t(f"{key}_elsewhere")

    def _postings(self) -> str:
        lines = []
        for p in self.entry.postings:
            line = (f"{t('ledger.debit')} {p.debit:<8} {t('ledger.credit')} {p.credit:<8} "
                    f"{format_amount(p.amount):>16}")
            if p.counterparty:
                line += f"  {p.counterparty}"
            if p.memo:
                line += f"  ({p.memo})"
            lines.append(line)
        return "\n".join(lines)

    def compose(self) -> ComposeResult:
        e = self.entry
        with Vertical(classes="dialog"):
            yield Static(t("ledger.entry_title", number=e.number,
                           date=e.date.strftime("%d.%m.%Y")), classes="form-title")
            yield Static(e.description, id="view-description")
            if e.document:
                yield Static(f"{t('ledger.document')}: {e.document}", id="view-document")
            with VerticalScroll(id="view-postings"):
                yield Static(self._postings())
            yield Static(f"{t('ledger.total')}: {format_amount(e.total)}", id="view-total")
            if e.reverses:
                yield Static(self._link("ledger.reverses", e.reverses), classes="view-link")
            if e.reversed_by:
                yield Static(self._link("ledger.reversed_by", e.reversed_by),
                             classes="view-link")
            with Horizontal(classes="buttons"):
                yield Button(t("app.back"), id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
