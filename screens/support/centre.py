"""Provides SupportScreen, the «Поддержка» mode: the support phone, hours and e-mail, the
status of the user's open requests, and the keys to everything else: ``w`` a request
(with the context of the screen the user came from), ``c`` a callback, ``r`` my requests
with their conversation, ``h`` the help page of the screen the user came from (searchable).

The screen the user came from is the last full screen shown before this mode (followed
through the app's ``screen_change_signal``; a modal, such as the key overlay, is skipped).
"""

from __future__ import annotations

import weakref
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Static

from client.i18n import t
from core.contract import support as sp
from screens.support.common import capture, help_page_for, screen_key, status_name
from tui.shell import ModeTabs, ShellScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.workers import Done


class InfoLoaded(Done[sp.SupportInfo]):
    """The contacts, topics and limits."""


class OpenLoaded(Done[sp.RequestPage]):
    """The user's open requests."""


class SupportScreen(ShellScreen):
    MODE = "support"
    CSS_PATH = sheets("shell", "support")
    BINDINGS = [
        Binding("w", "write", "support.key.write", id="support.write"),
        Binding("c", "callback", "support.key.callback", id="support.callback"),
        Binding("r", "requests", "support.key.requests", id="support.requests"),
        Binding("h", "help", "support.key.help", id="support.help"),
        Binding("f5", "reload", "support.key.reload", id="support.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.info: sp.SupportInfo | None = None
        self._came_from: Any = None
        try:  # made while the previous mode is still current: that screen is where we came from
            self._remember(self.app.screen)
        except Exception:
            pass

    # --- where the user came from -------------------------------------------------

    def _remember(self, screen: Screen[Any]) -> None:
        if isinstance(screen, ModalScreen) or isinstance(screen, SupportScreen):
            return
        if screen_key(screen) is not None and screen_key(screen).startswith("support."):
            return
        self._came_from = weakref.ref(screen)

    @property
    def came_from(self) -> Any:
        return self._came_from() if self._came_from is not None else None

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if self.app.current_mode != self.MODE:
            self._remember(screen)

    def context(self) -> sp.Context:
        api = self.buhta._api
        last = api.support.last_error if api is not None else None
        return capture(self.came_from, last)

    # --- the screen -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        with Vertical(id="mode-body"):
            yield Static(t("mode.support"), classes="mode-title")
            yield Static(t("support.loading"), id="support-contacts")
            yield Static("", id="support-open")
            yield Static("", id="support-help")
            yield Static(t("support.centre_hint"), id="support-hint", classes="hint")
            yield Static("", id="org-line")
            yield Static("", id="signed-in", classes="hint")
            yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        self.action_reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        came = self.came_from
        where = (came.sub_title or came.title) if came is not None else ""
        self.query_one("#support-help", Static).update(
            t("support.help_for", page=t(f"support.help.{help_page_for(came)}"),
              screen=where or t("mode.dashboard")))
        if self.info is not None:
            self._load_open()

    def action_reload(self) -> None:
        self.call_api(lambda api: api.support.info(), done=InfoLoaded)
        self._load_open()

    def _load_open(self) -> None:
        self.call_api(lambda api: api.support.mine(open_only=True, limit=10), done=OpenLoaded,
                      exclusive=True)

    @on(InfoLoaded)
    def _info(self, message: InfoLoaded) -> None:
        info = self.info = message.result
        self.query_one("#support-contacts", Static).update(
            t("support.contacts", phone=info.phone, hours=info.hours, email=info.email))

    @on(OpenLoaded)
    def _open(self, message: OpenLoaded) -> None:
        items = message.result.items
        if not items:
            text = t("support.no_open")
        else:
            text = t("support.open_title") + "\n" + "\n".join(
                f"  № {r.id} · {status_name(r.status)} · {r.subject[:44]}" for r in items[:4])
        self.query_one("#support-open", Static).update(text)

    # --- keys -----------------------------------------------------------------------

    def action_write(self) -> None:
        from screens.support.form import RequestFormScreen

        self.app.push_screen(RequestFormScreen(self.context(), self.info),
                             lambda _sent: self._load_open())

    def action_callback(self) -> None:
        from screens.support.callback import CallbackFormScreen

        self.app.push_screen(CallbackFormScreen(self.info))

    def action_requests(self) -> None:
        from screens.support.requests import MyRequestsScreen

        self.app.push_screen(MyRequestsScreen(), lambda _x: self._load_open())

    def action_help(self) -> None:
        from screens.support.help_view import HelpScreen

        self.app.push_screen(HelpScreen(help_page_for(self.came_from)))
