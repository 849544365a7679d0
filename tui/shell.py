"""Provides the base of the main shell's screens: the mode tabs and ShellScreen.

Every mode has the same keys: 1-5 switch modes, o/t/j the organisation's card, team
and audit log, d devices, l the queue of writes made offline, u the notification centre
(its unread count is in the header), x logs out, ctrl+p the palette.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Static

from client.i18n import t
from tui.footer import KeyFooter
from tui.messages import OrgChanged
from tui.screen import BuhtaScreen
from tui.styles import sheets

MODES = ("dashboard", "ledger", "payroll", "tasks", "support")


class ModeTabs(Static):
    """The line of modes with their keys; the current one is highlighted."""

    def __init__(self, current: str) -> None:
        super().__init__(id="mode-tabs")
        self.current = current

    def render(self) -> str:
        parts = []
        for number, mode in enumerate(MODES, start=1):
            label = f" {number} {t(f'mode.{mode}')} "
            parts.append(f"[reverse]{label}[/]" if mode == self.current else label)
        return "".join(parts)


class ShellScreen(BuhtaScreen):
    CSS_PATH = sheets("shell")
    MODE: ClassVar[str] = "dashboard"
    BINDINGS = [
        Binding("1", "app.goto('dashboard')", "mode.dashboard", id="shell.dashboard", show=False),
        Binding("2", "app.goto('ledger')", "mode.ledger", id="shell.ledger", show=False),
        Binding("3", "app.goto('payroll')", "mode.payroll", id="shell.payroll", show=False),
        Binding("4", "app.goto('tasks')", "mode.tasks", id="shell.tasks", show=False),
        Binding("5", "app.goto('support')", "mode.support", id="shell.support", show=False),
        Binding("o", "app.org_screen('card')", "shell.card", id="shell.card"),
        Binding("t", "app.org_screen('team')", "shell.team", id="shell.team"),
        Binding("j", "app.org_screen('audit')", "shell.audit", id="shell.audit"),
        Binding("k", "app.org_screen('counterparties')", "counterparties.title",
                id="shell.counterparties", show=False),
        Binding("a", "app.org_screen('accept')", "orgs.accept", id="shell.accept", show=False),
        Binding("n", "app.org_screen('new')", "orgs.new", id="shell.new_org", show=False),
        Binding("d", "app.devices", "shell.devices", id="shell.devices", show=False),
        Binding("z", "app.certificates", "sig.key.certificates", id="shell.certificates",
                show=False),
        Binding("x", "app.logout", "shell.logout", id="shell.logout"),
        Binding("l", "app.write_queue", "queue.open", id="shell.queue", show=False),
        Binding("u", "app.notifications", "notif.title", id="shell.notifications",
                show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        with Vertical(id="mode-body"):
            yield Static(t(f"mode.{self.MODE}"), classes="mode-title")
            yield Static(t(f"mode.{self.MODE}.placeholder"), classes="placeholder")
            yield Static("", id="org-line")
            yield Static("", id="signed-in", classes="hint")
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        self.show_org(self.buhta.org)
        api = self.buhta._api
        if api is not None and api.user is not None:
            self.query_one("#signed-in", Static).update(
                t("shell.signed_in_as", email=api.user.email)
            )

    def show_unread(self, unread: int) -> None:
        """The unread count changed (screens.notifications.poll): the header says it."""
        self.show_org(self.buhta.org)

    def on_org_changed(self, message: OrgChanged) -> None:
        self.show_org(message.org)

    def show_org(self, org: Any) -> None:
        """Every screen says which organisation is active: here, in the header and a line."""
        mode = t(f"mode.{self.MODE}")
        self.sub_title = f"{org.short_name} · {mode}" if org else mode
        unread = getattr(self.app, "unread", None)
        if unread:
            self.sub_title += " · " + t("shell.unread", n=unread)
        line = (t("shell.org", name=org.short_name, inn=org.inn, role=t(f"role.{org.role}"))
                if org else t("shell.no_org"))
        self.query_one("#org-line", Static).update(line)
