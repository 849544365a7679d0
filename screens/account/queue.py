"""Provides QueueScreen: the writes made offline, waiting or refused, for the user to resolve.

Each row: its number, when it was made, what it is (an entry, a document, a task, with a
few words of it) and its state — waiting for the link, or refused with the server's
reason (in the interface's language). Keys: r sends a refused one again, e opens it as
JSON to correct it, Delete discards it (asked first), s sends the queue now, Esc back.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static, TextArea

from client.i18n import t
from tui.screen import BuhtaModal, BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.workers import Done

if TYPE_CHECKING:
    from client.offline import OfflineLayer
    from client.write_queue import QueuedWrite


class QueueSynced(Done[Any]):
    """The queue was sent (as far as the link allowed)."""


def state_text(item: QueuedWrite) -> str:
    if item.status == "failed":
        return t("queue.state.failed", reason=item.last_error)
    return t("queue.state.pending")


class QueueScreen(BuhtaScreen):
    CSS_PATH = sheets("devices")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="queue.back"),
        Binding("r", "retry", "queue.retry", id="queue.retry"),
        Binding("e", "edit", "queue.edit", id="queue.edit"),
        Binding("delete", "discard", "queue.discard", id="queue.discard"),
        Binding("s", "sync", "queue.sync", id="queue.sync"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueuedWrite] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("queue.title"), classes="form-title")
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Static("", id="queue-reason", classes="hint")
        yield Static("", id="queue-empty", classes="hint")
        yield ErrorLine(id="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("queue.title")
        table = self.query_one(DataTable)
        table.add_columns(t("queue.col.n"), t("queue.col.made"), t("queue.col.what"),
                          t("queue.col.state"))
        table.focus()
        self.show()

    def offline_layer(self) -> OfflineLayer | None:
        return getattr(self.buhta._api, "offline", None)

    def show(self) -> None:
        layer = self.offline_layer()
        user = self.buhta._api.user if self.buhta._api is not None else None
        self.items = layer.queue.items(layer.api.server_key, user.id) \
            if layer is not None and user is not None else []
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for item in self.items:
            made = datetime.fromtimestamp(item.created_at).strftime("%d.%m %H:%M")
            what = t(f"queue.kind.{item.kind}")
            summary = item.summary()
            table.add_row(str(item.id), made, f"{what}: {summary}" if summary else what,
                          state_text(item)[:40], key=str(item.id))
        if self.items:
            table.move_cursor(row=min(row or 0, len(self.items) - 1))
        self.query_one("#queue-empty", Static).update("" if self.items else t("queue.empty"))
        self._show_reason()

    def current(self) -> QueuedWrite | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row is None or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_reason(self) -> None:
        item = self.current()
        reason = t("queue.reason", reason=item.last_error) if item and item.last_error else ""
        self.query_one("#queue-reason", Static).update(reason)

    def _failed(self) -> QueuedWrite | None:
        item = self.current()
        if item is None:
            return None
        if item.status != "failed":
            self.show_error(t("queue.only_failed"))
            return None
        return item

    def action_retry(self) -> None:
        item, layer = self._failed(), self.offline_layer()
        if item is None or layer is None:
            return
        layer.queue.retry(item.id)
        self.show()
        self.action_sync()

    def action_edit(self) -> None:
        item, layer = self._failed(), self.offline_layer()
        if item is None or layer is None:
            return

        def edited(body: bytes | None) -> None:
            if body is not None:
                layer.queue.edit(item.id, body)
                self.show()
                self.action_sync()

        self.app.push_screen(EditWrite(item.body), edited)

    def action_discard(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        item, layer = self.current(), self.offline_layer()
        if item is None or layer is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                layer.queue.discard(item.id)
                self.show()

        self.app.push_screen(ConfirmDialog(t("queue.discard_confirm")), answered)

    def action_sync(self) -> None:
        self.call_api(lambda api: api.offline.sync(), done=QueueSynced, exclusive=True)

    @on(QueueSynced)
    def _synced(self, message: QueueSynced) -> None:
        result = message.result
        if result.sent or result.refused:
            self.app.notify(t("offline.replayed", sent=result.sent, refused=result.refused))
        self.show()

    def action_back(self) -> None:
        self.dismiss()


class EditWrite(BuhtaModal):
    """A refused write's body as JSON, to correct: F2 keeps it, Esc leaves it as it was."""

    CSS_PATH = sheets("dialogs")
    BINDINGS = [
        Binding("f2", "save", "common.save", id="queue.edit.save", priority=True),
        Binding("escape", "cancel", "app.back", id="queue.edit.cancel"),
    ]

    def __init__(self, body: bytes) -> None:
        super().__init__()
        try:
            self.text = json.dumps(json.loads(body or b"{}"), ensure_ascii=False, indent=2)
        except ValueError:
            self.text = body.decode("utf-8", "replace")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(t("queue.edit_title"), id="dialog-question")
            yield TextArea(self.text, id="queue-body", language=None)
            yield ErrorLine(id="error")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        try:
            data: Any = json.loads(text)
        except ValueError as exc:
            self.query_one(ErrorLine).show(t("queue.edit_bad_json", error=exc))
            return
        self.dismiss(json.dumps(data, ensure_ascii=False).encode())

    def action_cancel(self) -> None:
        self.dismiss(None)
