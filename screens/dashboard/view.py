"""Provides DashboardScreen: the «Сводка» mode, one organisation's state on one screen.

One request (``api.dashboard.org``) on every visit and organisation change; the client's
ETag cache turns a repeat with nothing changed into a 304. The failed checks are a table:
Enter opens the offending item (screens.dashboard.links). v shows every organisation,
c the tax calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core import contract as m
from screens.dashboard import links
from screens.dashboard.render import (
    check_row,
    checks_title,
    deadlines_block,
    money_block,
    tasks_block,
    work_line,
    worst_first,
)
from tui.shell import ModeTabs, ShellScreen
from tui.styles import sheets
from tui.widgets.dates import day_text
from tui.widgets.form import ErrorLine
from tui.workers import Done


class DashboardLoaded(Done[m.Dashboard]):
    """The organisation's aggregate."""


@dataclass(eq=False)
class TargetLoaded(Done[Any]):
    """The item a check links to, read to open its screen."""

    kind: str = ""


class CalendarCommands(Provider):
    """The command palette's entry for the tax calendar (shown while «Сводка» is open)."""

    async def discover(self) -> Hits:
        yield DiscoveryHit(t("cal.title"), self._open, help=t("cal.palette_help"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(t("cal.title"))
        if score > 0:
            yield Hit(score, matcher.highlight(t("cal.title")), self._open,
                      help=t("cal.palette_help"))

    def _open(self) -> None:
        self.app.push_screen(links.calendar_screen())


class DashboardScreen(ShellScreen):
    MODE = "dashboard"
    CSS_PATH = sheets("shell", "dashboard")
    COMMANDS = ShellScreen.COMMANDS | {CalendarCommands}
    BINDINGS = [
        Binding("enter", "open_check", "dash.open", id="dashboard.open", key_display="↵",
                priority=True),
        Binding("v", "all_orgs", "dash.all_orgs", id="dashboard.all_orgs"),
        Binding("c", "calendar", "cal.short", id="dashboard.calendar"),
        Binding("f5", "reload", "devices.refresh", id="dashboard.reload", show=False),
        # The shell's keys work here too; the Footer has room for this mode's own.
        Binding("o", "app.org_screen('card')", "shell.card", id="dashboard.card", show=False),
        Binding("t", "app.org_screen('team')", "shell.team", id="dashboard.team", show=False),
        Binding("j", "app.org_screen('audit')", "shell.audit", id="dashboard.audit",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: m.Dashboard | None = None
        self.checks: list[m.DashboardCheck] = []
        self.generation = 0
        self.under_dialog = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        yield Static("", id="dash-title")
        with Horizontal(id="dash-top"):
            yield Static("", id="dash-money")
            yield Static("", id="dash-right")
        yield Static("", id="dash-work")
        yield Static("", id="dash-checks-title")
        yield DataTable(id="dash-checks", cursor_type="row", show_header=False)
        yield ErrorLine()
        yield Static("", id="org-line", classes="hint")
        yield Static("", id="signed-in", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#dash-checks", DataTable)
        table.add_column("check", key="check", width=76)
        table.focus()

    def on_screen_suspend(self) -> None:
        self.under_dialog = isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        # (ShellScreen's own handler fills the organisation and «signed in as» lines.)
        # Back from a screen: the books may have changed (a 304 when not). Back from a
        # dialog over «Сводка» (the palette, logging out) nothing was done here.
        if self.under_dialog and self.data is not None:
            self.under_dialog = False
            return
        self.action_reload()

    def on_org_changed(self, message: Any) -> None:
        self.action_reload()

    def show_org(self, org: Any) -> None:
        super().show_org(org)
        if org is None:
            self.data = None
            self.query_one("#dash-title", Static).update(t("shell.no_org"))

    # --- loading ---------------------------------------------------------------------

    def action_reload(self) -> None:
        org = self.buhta.org
        if org is None:
            return
        self.generation += 1
        self.call_api(lambda api: api.dashboard.org(org.id), done=DashboardLoaded,
                      guard=lambda: (self.generation, self.buhta.org), exclusive=True)

    @on(DashboardLoaded)
    def _loaded(self, message: DashboardLoaded) -> None:
        self.show(message.result)

    def show(self, d: m.Dashboard) -> None:
        self.data = d
        self.query_one(ErrorLine).clear()
        self.query_one("#dash-title", Static).update(
            t("dash.title", name=d.short_name, day=day_text(d.as_of)))
        self.query_one("#dash-money", Static).update(money_block(d))
        self.query_one("#dash-right", Static).update(
            f"{deadlines_block(d)}\n{tasks_block(d)}")
        self.query_one("#dash-work", Static).update(work_line(d))
        self.query_one("#dash-checks-title", Static).update(checks_title(d))
        table = self.query_one("#dash-checks", DataTable)
        keep = table.cursor_row
        table.clear()
        self.checks = worst_first(d.checks)
        for check in self.checks:
            table.add_row(check_row(check))
        if self.checks:
            table.move_cursor(row=min(keep, len(self.checks) - 1))

    # --- opening a check's item -----------------------------------------------------

    @property
    def current_check(self) -> m.DashboardCheck | None:
        table = self.query_one("#dash-checks", DataTable)
        if not self.checks or not 0 <= table.cursor_row < len(self.checks):
            return None
        return self.checks[table.cursor_row]

    def action_open_check(self) -> None:
        check = self.current_check
        org = self.buhta.org
        if check is None or org is None:
            return
        link = check.link
        if link is None:
            self.notify(t("dash.no_link"))
            return
        app: Any = self.app
        if link.kind == "document" and link.id:
            doc_id = link.id
            self.call_api(lambda api: api.documents.get(org.id, doc_id),
                          done=lambda doc: TargetLoaded(doc, kind="document"), group="target")
        elif link.kind == "counterparty" and link.id:
            cp_id = link.id
            self.call_api(lambda api: api.counterparties.get(org.id, cp_id),
                          done=lambda cp: TargetLoaded(cp, kind="counterparty"),
                          group="target")
        elif link.kind == "account":
            app.push_screen(links.account_screen(link))
        elif link.kind == "bank_import":
            app.run_action("org_screen('bank')")
        elif link.kind in ("payroll", "period"):
            mode = "payroll" if link.kind == "payroll" else "ledger"
            first = links.month_of(link.period, link.day)
            app.in_app_worker(links.open_month(app, mode, first))
        elif link.kind == "deadline":
            app.push_screen(links.calendar_screen(link.id, link.day.year if link.day else None))
        else:
            self.notify(t("dash.no_link"))

    @on(TargetLoaded)
    def _target(self, message: TargetLoaded) -> None:
        if message.kind == "document":
            self.app.push_screen(links.document_screen(message.result))
        elif message.kind == "counterparty":
            self.app.push_screen(links.counterparty_screen(message.result))

    # --- elsewhere --------------------------------------------------------------------

    def action_all_orgs(self) -> None:
        self.app.push_screen(links.screen_class(links.MULTI_ORG)())

    def action_calendar(self) -> None:
        self.app.push_screen(links.calendar_screen())
