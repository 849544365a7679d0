"""Provides MailboxScreen: mail and SMS the embedded server kept instead of sending (F8)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from client.i18n import t
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.workers import Done


class MailLoaded(Done[tuple[bool, list[Any]]]):
    """Whether mail is on, and the codes received."""


class MailboxScreen(BuhtaModal):
    CSS_PATH = sheets("mailbox")
    BINDINGS = [
        Binding("escape", "close", "common.close", id="mailbox.close"),
        Binding("f5", "reload", "devices.refresh", id="mailbox.refresh"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="mailbox"):
            yield Static(t("mailbox.title"), classes="form-title")
            yield Static(t("mailbox.intro"), classes="hint")
            yield VerticalScroll(id="mailbox-list")

    def on_mount(self) -> None:
        self.query_one("#mailbox-list").focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call_api(lambda api: self._load(api), exclusive=True, done=MailLoaded)

    async def _load(self, api: Any) -> tuple[bool, list[Any]]:
        return api.embedded, await api.auth.local_mailbox()

    @on(MailLoaded)
    def _got_mailbox(self, message: MailLoaded) -> None:
        result = message.result
        embedded, messages = result
        box = self.query_one("#mailbox-list", VerticalScroll)
        box.remove_children()
        if not embedded:
            box.mount(Static(t("mailbox.remote"), classes="hint"))
            return
        if not messages:
            box.mount(Static(t("mailbox.empty"), classes="hint"))
            return
        for message in messages:
            self.buhta.mail_seen = max(self.buhta.mail_seen, message.id)
            when = message.created_at.astimezone().strftime("%d.%m %H:%M")
            head = f"{when}  {t('channel.' + message.channel)} → {message.recipient}"
            if message.subject:
                head += f"  «{message.subject}»"
            box.mount(Static(head, classes="mail-head", markup=False))
            box.mount(Static(message.body, classes="mail-body", markup=False))

    def action_close(self) -> None:
        self.dismiss()
