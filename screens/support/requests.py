"""Provides MyRequestsScreen (the user's requests with their status; Enter opens one) and
ConversationScreen: a request's conversation, what was attached, the read access granted
to support, a reply field (Enter sends), ``g`` grant support read access to the request's
organisation for 24 hours (asked first), ``v`` revoke it, ``c`` close the request."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from client.i18n import t
from core.contract import support as sp
from screens.support.common import context_lines, status_name
from tui.dialogs.confirm import ConfirmDialog
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, InfoLine
from tui.workers import Done


class PageLoaded(Done[sp.RequestPage]):
    """The user's requests, newest first."""


class RequestLoaded(Done[sp.RequestOut]):
    """One request with its conversation."""


class GrantChanged(Done[sp.GrantOut]):
    """Read access granted or revoked."""


class MyRequestsScreen(BuhtaScreen):
    CSS_PATH = sheets("support")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="myrequests.back"),
        Binding("enter", "open", "support.key.open", id="myrequests.open", key_display="↵",
                priority=True),
        Binding("f5", "reload", "support.key.reload", id="myrequests.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[sp.RequestOut] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("support.my_title"), classes="form-title")
        yield DataTable(id="my-requests", cursor_type="row", zebra_stripes=True)
        yield Static("", id="my-empty", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("support.my_title")
        table = self.query_one(DataTable)
        for key, width in (("number", 6), ("status", 24), ("topic", 16), ("subject", 24)):
            table.add_column(t(f"support.col.{key}"), width=width, key=key)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call_api(lambda api: api.support.mine(limit=100), done=PageLoaded, exclusive=True)

    @on(PageLoaded)
    def _loaded(self, message: PageLoaded) -> None:
        self.items = message.result.items
        table = self.query_one(DataTable)
        table.clear()
        for r in self.items:
            table.add_row(f"№ {r.id}", status_name(r.status), r.topic_name[:16],
                          r.subject[:24], key=str(r.id))
        self.query_one("#my-empty", Static).update("" if self.items else t("support.my_empty"))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row is None or table.cursor_row >= len(self.items):
            return
        number = self.items[table.cursor_row].id
        self.app.push_screen(ConversationScreen(number), lambda _x: self.action_reload())

    def action_back(self) -> None:
        self.dismiss(None)


class ConversationScreen(BuhtaScreen):
    CSS_PATH = sheets("support")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="conversation.back"),
        Binding("enter", "send", "support.key.reply", id="conversation.reply", key_display="↵"),
        Binding("ctrl+g", "grant", "support.key.grant", id="conversation.grant"),
        Binding("ctrl+r", "revoke", "support.key.revoke", id="conversation.revoke"),
        Binding("ctrl+w", "close_request", "support.key.close", id="conversation.close"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.request: sp.RequestOut | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("support.loading"), id="conv-head")
        with VerticalScroll(id="conv-body"):
            yield Static("", id="conv-messages")
        yield Static("", id="conv-grants", classes="hint")
        yield Input(id="reply", compact=True, max_length=sp.MAX_TEXT,
                    placeholder=t("support.reply_placeholder"))
        yield ErrorLine()
        yield InfoLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("support.request_title", number=self.number)
        self.query_one("#reply", Input).focus()
        self.call_api(lambda api: api.support.get(self.number), done=RequestLoaded)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        r = self.request
        if action in ("grant", "close_request", "send"):
            return r is not None and r.status != "closed"
        if action == "revoke":
            return r is not None and any(g.live for g in r.grants)
        return True

    @on(RequestLoaded)
    def _loaded(self, message: RequestLoaded) -> None:
        r = self.request = message.result
        head = [t("support.request_head", number=r.id, status=status_name(r.status),
                  topic=r.topic_name)]
        if r.org_short_name:
            head.append(t("support.request_org", org=r.org_short_name))
        attached = context_lines(r.context)
        if attached:
            head.append(t("support.attached") + " " + "; ".join(attached))
        self.query_one("#conv-head", Static).update("\n".join(head))
        lines = []
        for msg in r.messages:
            lines.append(f"[b]{msg.author}[/b] · {msg.created_at.astimezone():%d.%m %H:%M}")
            lines.append(msg.text.replace("[", r"\["))
        self.query_one("#conv-messages", Static).update("\n".join(lines))
        self.query_one("#conv-body", VerticalScroll).scroll_end(animate=False)
        live = [g for g in r.grants if g.live]
        self.query_one("#conv-grants", Static).update(
            "; ".join(t("support.grant_live", org=g.org_short_name,
                        until=f"{g.expires_at.astimezone():%d.%m.%Y %H:%M}") for g in live)
            or t("support.grant_none"))
        self.refresh_bindings()

    @on(Input.Submitted, "#reply")
    def _submitted(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        field = self.query_one("#reply", Input)
        text = field.value.strip()
        if not text or self.busy:
            return
        self.query_one(ErrorLine).clear()

        async def send(api):  # type: ignore[no-untyped-def]
            return await api.support.reply(self.number, text)

        field.value = ""
        self.call_api(send, done=RequestLoaded)

    def _reload(self, message: object = None) -> None:
        self.call_api(lambda api: api.support.get(self.number), done=RequestLoaded)

    def action_grant(self) -> None:
        r = self.request
        if r is None:
            return
        if r.org_id is None:
            self.query_one(ErrorLine).show(t("support.grant_needs_org"))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: api.support.grant(r.id), done=GrantChanged)

        self.app.push_screen(ConfirmDialog(t("support.grant_confirm",
                                             org=r.org_short_name or "")), answered)

    def action_revoke(self) -> None:
        r = self.request
        live = [g for g in r.grants if g.live] if r is not None else []
        for g in live:
            self.call_api(lambda api, g=g: api.support.revoke(r.id, g.id), done=GrantChanged)

    @on(GrantChanged)
    def _grant_changed(self, message: GrantChanged) -> None:
        g = message.result
        self.query_one(InfoLine).show(
            t("support.granted", org=g.org_short_name,
              until=f"{g.expires_at.astimezone():%d.%m.%Y %H:%M}") if g.live
            else t("support.revoked", org=g.org_short_name))
        self._reload()

    def action_close_request(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: api.support.close(self.number), done=RequestLoaded)

        self.app.push_screen(ConfirmDialog(t("support.close_confirm", number=self.number)),
                             answered)

    def action_back(self) -> None:
        self.dismiss(None)
