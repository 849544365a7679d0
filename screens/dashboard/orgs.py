"""Provides MyOrgsScreen: one line per organisation of the user (``api.dashboard.mine()``):
money, overdue tasks, failed checks, the next deadline; Enter switches to it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core import contract as m
from screens.dashboard.render import amount_text
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.widgets.text import clip
from tui.workers import Done

WIDTHS = {"name": 15, "money": 15, "tasks": 6, "checks": 8, "next": 24}


class MineLoaded(Done[m.MyDashboard]):
    """The line per organisation."""


def deadline_cell(item: m.DashboardDeadline | None) -> str:
    if item is None:
        return "—"
    amount = amount_text(item.amount, estimate=item.estimate, hidden=item.amount_hidden,
                         prepared=item.prepared)
    return clip(f"{item.due_date:%d.%m.%y} {amount} {item.title}".replace("  ", " "),
                WIDTHS["next"])


def row_of(line: m.OrgDashboardLine, current: str | None) -> tuple[Any, ...]:
    mark = "●" if line.org_id == current else " "
    tasks = f"!{line.overdue_tasks}" if line.overdue_tasks else "0"
    checks = (f"✖{line.failed_checks}" if line.errors
              else f"⚠{line.failed_checks}" if line.failed_checks else "✓")
    return (clip(f"{mark}{line.short_name}", WIDTHS["name"]),
            Text(money(line.money) if line.money is not None else "—", justify="right"),
            Text(tasks, justify="right"), Text(checks, justify="right"),
            deadline_cell(line.next_deadline))


class MyOrgsScreen(BuhtaScreen):
    """Every organisation of the user at a glance (v from «Сводка»)."""

    CSS_PATH = sheets("dashboard")
    BINDINGS = [
        Binding("escape,v", "back", "app.back", id="myorgs.back"),
        Binding("enter", "choose", "dash.switch", id="myorgs.choose", key_display="↵",
                priority=True),
        Binding("f5", "reload", "devices.refresh", id="myorgs.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[m.OrgDashboardLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("dash.all_orgs"), classes="form-title", id="myorgs-title")
        yield DataTable(id="myorgs", cursor_type="row", zebra_stripes=True)
        yield Static(t("dash.all_orgs_hint"), classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in WIDTHS:
            label = t(f"dash.col.{key}")
            justify = "left" if key in ("name", "next") else "right"
            table.add_column(Text(label, justify=justify), width=WIDTHS[key], key=key)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call_api(lambda api: api.dashboard.mine(), done=MineLoaded, exclusive=True)

    @on(MineLoaded)
    def _loaded(self, message: MineLoaded) -> None:
        self.lines = message.result.items
        current = self.buhta.org.id if self.buhta.org else None
        table = self.query_one(DataTable)
        table.clear()
        for line in self.lines:
            table.add_row(*row_of(line, current))
        index = next((i for i, x in enumerate(self.lines) if x.org_id == current), 0)
        if self.lines:
            table.move_cursor(row=index)

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < len(self.lines):
            return
        line = self.lines[table.cursor_row]
        self.dismiss()
        if self.buhta.org is None or line.org_id != self.buhta.org.id:
            self.buhta.switch_to(line.org_id)

    def action_back(self) -> None:
        self.dismiss()
