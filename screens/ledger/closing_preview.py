"""Provides ClosingPreviewScreen: the entries closing a month will post, before they are
posted (``GET …/closing/{month}/preview`` writes nothing). F2 (or y) closes the month,
Esc (or n) leaves it open. Dismisses with True to close."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from client.i18n import t
from core.contract import closing as cm
from core.money import format_amount
from tui.errors import describe
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.workers import Done, Failed


class PreviewLoaded(Done[cm.ClosingPreview]):
    """The month's closing entries, as they would be posted."""


class PreviewFailed(Failed):
    """The preview was refused (a later month closed …)."""


def preview_text(p: cm.ClosingPreview) -> str:
    """The entries one posting a line, then the month's figures and the notes."""
    lines: list[str] = []
    for entry in p.entries:
        lines.append(entry.description)
        for posting in entry.postings:
            lines.append(f"  Дт {posting.debit:<6} Кт {posting.credit:<6} "
                         f"{format_amount(posting.amount):>16}")
    if not p.entries:
        lines.append(t("closing.nothing"))
    lines.append("")
    lines.append(t("closing.figures", sales=format_amount(p.sales_result),
                   other=format_amount(p.other_result), tax=format_amount(p.tax),
                   net=format_amount(p.net_result)))
    lines.extend(f"• {note}" for note in p.notes)
    return "\n".join(lines)


class ClosingPreviewScreen(BuhtaModal):
    CSS_PATH = sheets("closing")
    BINDINGS = [
        Binding("f2,y,д", "close_month", "closing.close_month", id="closing.close_month"),
        Binding("escape,n,н", "cancel", "app.back", id="closing.cancel"),
    ]

    def __init__(self, org_id: str, month: str, title: str) -> None:
        super().__init__()
        self.org_id = org_id
        self.month = month
        self.title_text = title
        self.preview: cm.ClosingPreview | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="closing"):
            yield Static(t("closing.preview_title", period=self.title_text), id="closing-title")
            with VerticalScroll(id="closing-entries"):
                yield Static(t("closing.loading"), id="closing-text")
            yield Static(t("closing.hint"), id="closing-hint")

    def on_mount(self) -> None:
        org_id, month = self.org_id, self.month
        self.call_api(lambda api: api.closing.preview(org_id, month), done=PreviewLoaded,
                      failed=PreviewFailed, exclusive=True)

    @on(PreviewLoaded)
    def _loaded(self, message: PreviewLoaded) -> None:
        self.preview = message.result
        self.query_one("#closing-text", Static).update(preview_text(message.result))

    @on(PreviewFailed)
    def _failed(self, message: PreviewFailed) -> None:
        self.query_one("#closing-text", Static).update(describe(message.error))

    def action_close_month(self) -> None:
        if self.preview is not None:  # nothing to confirm before the entries are shown
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
