"""Provides NotificationsScreen, the notification centre: the caller's notifications,
newest first, an unread one marked ``●`` (not by colour alone), Enter marks it read and
opens what it points at, space marks it read or unread again, ``a`` marks all read, ``i``
sets how often the unread count is asked for (every minute, five minutes, never), ``s``
the event × channel matrix, ``c`` the channels, ``l`` the newsletter."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core.contract import notifications as nm
from screens.notifications import poll
from screens.notifications.jump import open_object
from tui.screen import BuhtaScreen
from tui.widgets.form import ErrorLine, InfoLine
from tui.widgets.text import clip
from tui.workers import Done

CSS = """
NotificationsScreen DataTable { height: 1fr; margin: 0 1; }
NotificationsScreen #notif-status, NotificationsScreen #notif-empty { margin: 0 1; }
"""

UNREAD_MARK = "●"


class PageLoaded(Done[nm.NotificationPage]):
    """The newest notifications."""


class OneChanged(Done[nm.NotificationOut]):
    """One notification marked read or unread."""


class AllRead(Done[nm.UnreadCount]):
    """Every notification marked read."""


def interval_text(seconds: int) -> str:
    return t(f"notif.poll.{seconds}")


class NotificationsScreen(BuhtaScreen):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="notif.back"),
        Binding("enter", "open", "notif.key.open", id="notif.open", key_display="↵",
                priority=True),
        Binding("space", "toggle_read", "notif.key.toggle", id="notif.toggle", show=False),
        Binding("a", "read_all", "notif.key.read_all", id="notif.read_all"),
        Binding("i", "interval", "notif.key.interval", id="notif.interval"),
        Binding("s", "matrix", "notif.key.matrix", id="notif.matrix"),
        Binding("c", "channels", "notif.key.channels", id="notif.channels"),
        Binding("l", "newsletter", "notif.key.newsletter", id="notif.newsletter"),
        Binding("f5", "reload", "notif.key.reload", id="notif.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[nm.NotificationOut] = []
        self.unread = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="notif-status")
        yield DataTable(id="notif-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="notif-empty", classes="hint")
        yield ErrorLine()
        yield InfoLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("notif.title")
        table = self.query_one(DataTable)
        table.add_column(UNREAD_MARK, width=1, key="mark")
        for key, width in (("when", 11), ("org", 12), ("title", 44)):
            table.add_column(t(f"notif.col.{key}"), width=width, key=key)
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    # --- the list ---------------------------------------------------------------------

    def action_reload(self) -> None:
        self.call_api(lambda api: api.notifications.list(limit=100), done=PageLoaded,
                      exclusive=True)

    @on(PageLoaded)
    def _loaded(self, message: PageLoaded) -> None:
        self.items = list(message.result.items)
        self.show_rows()
        poll.poller(self.app).set_count(message.result.unread)

    def show_rows(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for n in self.items:
            style = "" if n.read else "bold"
            table.add_row(UNREAD_MARK if not n.read else " ",
                          f"{n.created_at.astimezone():%d.%m %H:%M}",
                          clip(n.org_short_name or "", 12),
                          Text(clip(n.title, 44), style=style), key=n.id)
        if self.items:
            table.move_cursor(row=min(keep, len(self.items) - 1))
        self.query_one("#notif-empty", Static).update(
            "" if self.items else t("notif.empty"))

    def show_unread(self, unread: int) -> None:
        self.unread = unread
        interval = poll.poller(self.app).interval
        self.query_one("#notif-status", Static).update(
            t("notif.status", unread=unread, poll=interval_text(interval)))

    @property
    def current(self) -> nm.NotificationOut | None:
        table = self.query_one(DataTable)
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def _replace(self, changed: nm.NotificationOut) -> None:
        self.items = [changed if n.id == changed.id else n for n in self.items]
        self.show_rows()

    # --- read marks -------------------------------------------------------------------

    def action_open(self) -> None:
        note = self.current
        if note is None:
            return
        if not note.read:
            self.call_api(lambda api: api.notifications.read(note.id), done=OneChanged)
        if note.object is None:
            self.query_one(InfoLine).show(note.body or t("notif.no_object"))
            return
        app: Any = self.app
        app.in_app_worker(open_object(app, note))

    def action_toggle_read(self) -> None:
        note = self.current
        if note is None:
            return
        if note.read:
            self.call_api(lambda api: api.notifications.unread_one(note.id), done=OneChanged)
        else:
            self.call_api(lambda api: api.notifications.read(note.id), done=OneChanged)

    @on(OneChanged)
    def _one_changed(self, message: OneChanged) -> None:
        self._replace(message.result)
        self.unread = sum(1 for n in self.items if not n.read)
        poll.poller(self.app).fetch_now()

    def action_read_all(self) -> None:
        self.call_api(lambda api: api.notifications.mark_all_read(), done=AllRead)

    @on(AllRead)
    def _all_read(self, message: AllRead) -> None:
        self.items = [n if n.read else n.model_copy(update={"read": True}) for n in self.items]
        self.show_rows()
        poll.poller(self.app).set_count(message.result.unread)
        self.query_one(InfoLine).show(t("notif.all_read"))

    # --- elsewhere --------------------------------------------------------------------

    def action_interval(self) -> None:
        keeper = poll.poller(self.app)
        seconds = poll.next_interval(keeper.interval)
        kept = keeper.set_interval(seconds)
        self.show_unread(self.unread)
        self.query_one(InfoLine).show(
            t("notif.poll_set", poll=interval_text(seconds)) if kept
            else t("notif.poll_not_kept", poll=interval_text(seconds)))

    def action_matrix(self) -> None:
        from screens.notifications.matrix import MatrixScreen

        if self.buhta.require_org() is not None:
            self.app.push_screen(MatrixScreen())

    def action_channels(self) -> None:
        from screens.notifications.channels import ChannelsScreen

        self.app.push_screen(ChannelsScreen())

    def action_newsletter(self) -> None:
        from screens.notifications.newsletter import NewsletterScreen

        self.app.push_screen(NewsletterScreen())

    def action_back(self) -> None:
        self.dismiss(None)
