"""Provides ChannelsScreen: where notifications go besides the app. E-mail to the
confirmed address, one message per event or a daily digest (``g``); Telegram linked by a
one-time code sent to the bot (``l`` shows ``/start CODE``), unlinked with ``x``; ``w``
the organisation's webhooks, ``s`` the event × channel matrix."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from client.i18n import t
from core.contract import notifications as nm
from tui.dialogs.confirm import ConfirmDialog
from tui.screen import BuhtaScreen
from tui.widgets.form import ErrorLine, InfoLine
from tui.workers import Done

CSS = """
ChannelsScreen #channels { padding: 0 1; height: auto; }
ChannelsScreen .channel-title { text-style: bold; margin-top: 1; }
ChannelsScreen #tg-code { margin-left: 2; height: auto; }
"""


class SettingsLoaded(Done[nm.ChannelSettings]):
    """The caller's channels."""


class CodeMade(Done[nm.TelegramLinkCode]):
    """A new one-time code for the bot."""


class ChannelsScreen(BuhtaScreen):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="channels.back"),
        Binding("g", "digest", "notif.key.digest", id="channels.digest"),
        Binding("l", "link", "notif.key.tg_link", id="channels.tg_link"),
        Binding("x", "unlink", "notif.key.tg_unlink", id="channels.tg_unlink", show=False),
        Binding("w", "webhooks", "notif.key.webhooks", id="channels.webhooks"),
        Binding("s", "matrix", "notif.key.matrix", id="channels.matrix"),
        Binding("f5", "reload", "notif.key.reload", id="channels.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settings: nm.ChannelSettings | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="channels"):
            yield Static(t("notif.ch.email"), classes="channel-title")
            yield Static(t("notif.loading"), id="email-line")
            yield Static(t("notif.ch.telegram"), classes="channel-title")
            yield Static("", id="tg-line")
            yield Static("", id="tg-code")
            yield Static(t("notif.ch.webhooks"), classes="channel-title")
            yield Static(t("notif.ch.webhooks_hint"), classes="hint")
        yield ErrorLine()
        yield InfoLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("notif.ch.title")
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unlink":
            return self.settings is not None and self.settings.telegram.linked
        return True

    def action_reload(self) -> None:
        self.call_api(lambda api: api.notifications.settings(), done=SettingsLoaded,
                      exclusive=True)

    @on(SettingsLoaded)
    def _loaded(self, message: SettingsLoaded) -> None:
        self.settings = s = message.result
        email = s.email
        if email.address is None or not email.confirmed:
            line = t("notif.ch.email_none")
        elif email.digest:
            line = t("notif.ch.email_digest", address=email.address, hour=email.digest_hour)
        else:
            line = t("notif.ch.email_each", address=email.address)
        self.query_one("#email-line", Static).update(escape(line))
        tg = s.telegram
        tg_line = (t("notif.ch.tg_linked", chat=tg.chat_title or "",
                     when=f"{tg.linked_at.astimezone():%d.%m.%Y}" if tg.linked_at else "")
                   if tg.linked else t("notif.ch.tg_none"))
        self.query_one("#tg-line", Static).update(escape(tg_line))
        if tg.linked:
            self.query_one("#tg-code", Static).update("")
        self.refresh_bindings()

    def action_digest(self) -> None:
        s = self.settings
        if s is None:
            return
        body = nm.ChannelSettingsIn(email_digest=not s.email.digest)
        self.call_api(lambda api: api.notifications.change_settings(body), done=SettingsLoaded)

    def action_link(self) -> None:
        self.call_api(lambda api: api.notifications.telegram_link(), done=CodeMade)

    @on(CodeMade)
    def _code(self, message: CodeMade) -> None:
        code = message.result
        bot = self.settings.telegram.bot_username if self.settings else None
        named = "@" + bot.lstrip("@") if bot else t("notif.ch.tg_bot")
        lines = [t("notif.ch.tg_send", bot=named),
                 f"  {code.command}",
                 t("notif.ch.tg_until", until=f"{code.expires_at.astimezone():%d.%m %H:%M}")]
        if code.deep_link:
            lines.append(t("notif.ch.tg_deep_link", link=code.deep_link))
        self.query_one("#tg-code", Static).update(escape("\n".join(lines)))

    def action_unlink(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: api.notifications.telegram_unlink(),
                              done=SettingsLoaded)

        self.app.push_screen(ConfirmDialog(t("notif.ch.tg_unlink_confirm")), answered)

    def action_webhooks(self) -> None:
        from screens.notifications.webhooks import WebhooksScreen

        if self.buhta.require_org() is not None:
            self.app.push_screen(WebhooksScreen())

    def action_matrix(self) -> None:
        from screens.notifications.matrix import MatrixScreen

        if self.buhta.require_org() is not None:
            self.app.push_screen(MatrixScreen())

    def action_back(self) -> None:
        self.dismiss(None)
