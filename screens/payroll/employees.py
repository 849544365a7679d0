"""Provides EmployeesScreen: everyone with a card, the dismissed ones too."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from client.i18n import t
from core import contract as m
from screens.payroll.employee_form import EmployeeFormScreen
from tui.footer import KeyFooter
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.workers import Done


class EmployeesLoaded(Done[m.EmployeeList]):
    """Everyone with a card."""


def status_text(employee: m.EmployeeOut, today: date | None = None) -> str:
    today = today or date.today()
    if employee.dismissed_on is not None and employee.dismissed_on <= today:
        return t("pscreen.emp.dismissed")
    if employee.hired_on > today:
        return t("pscreen.emp.future")
    return t("pscreen.emp.working")


class EmployeesScreen(BuhtaScreen):
    """Сотрудники: everyone with a card, the dismissed ones too (sorted by name)."""

    CSS_PATH = sheets("payroll")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="employees.back"),
        Binding("n", "new", "pscreen.emp.new", id="employees.new"),
        # A priority key: the table's own Enter would otherwise hide it in the Footer.
        Binding("enter", "open", "pscreen.emp.open", id="employees.open", key_display="↵",
                priority=True),
        Binding("f5", "reload", "devices.refresh", id="employees.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[m.EmployeeOut] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("pscreen.emp.title"), classes="form-title")
        yield DataTable(id="employees", cursor_type="row", zebra_stripes=True)
        yield Static("", id="employees-empty", classes="hint")
        yield ErrorLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = t("mode.payroll")
        table = self.query_one(DataTable)
        # 79 columns less 4 × 2 padding: 71 = 28 + 20 + 13 + 10.
        table.add_column(t("pscreen.emp.name"), width=28, key="name")
        table.add_column(t("pscreen.emp.position"), width=20, key="position")
        table.add_column(Text(t("pscreen.emp.salary"), justify="right"), width=13,
                         key="salary")
        table.add_column(t("pscreen.emp.status"), width=10, key="status")
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.call_api(lambda api: api.payroll.employees(org_id), done=EmployeesLoaded,
                          exclusive=True)

    @on(EmployeesLoaded)
    def _employees_loaded(self, message: EmployeesLoaded) -> None:
        result = message.result
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = list(result.items)
        for e in self.rows:
            name = e.full_name + (" ★" if e.is_director else "")
            table.add_row(name[:28], e.position[:20], Text(money(e.salary), justify="right"),
                          status_text(e), key=e.id)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        self.query_one("#employees-empty", Static).update(
            "" if self.rows else t("pscreen.emp.empty"))

    def _selected(self) -> m.EmployeeOut | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one(DataTable).cursor_row, len(self.rows) - 1)]

    def action_new(self) -> None:
        self.app.push_screen(EmployeeFormScreen(), self._saved)

    def action_open(self) -> None:
        employee = self._selected()
        if employee is not None:
            self.app.push_screen(EmployeeFormScreen(employee), self._saved)

    def _saved(self, employee: m.EmployeeOut | None) -> None:
        if employee is not None:
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)
