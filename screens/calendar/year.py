"""Provides CalendarScreen: the tax calendar of the active organisation for a year.

A table of deadlines (date, what, amount: «≈» an estimate, «✓» prepared, «—» hidden or
unknown); [ ] change the year, u shows only the ones still ahead, t turns the selected
deadline into a task (DeadlineTaskDialog).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core import contract as m
from screens.calendar.task import DeadlineTaskDialog
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.widgets.text import clip
from tui.workers import Done

WIDTHS = {"date": 10, "what": 44, "amount": 18}
FAMILY_MARK = {"payment": "₽", "notice": "у", "report": "о"}


class CalendarLoaded(Done[m.TaxCalendar]):
    """The year's deadlines."""


def amount_text(item: m.CalendarDeadline) -> str:
    """«≈ 1 200,00 ₽» an estimate, «✓ …» prepared, «—» hidden from the role; empty when
    the books do not know it (a report, a payment of a period not kept here): the legend
    says «—» is hidden, so an unknown amount is not shown as one."""
    if item.amount_hidden:
        text = "—"
    elif item.amount is None:
        text = ""
    else:
        text = money(item.amount)
        if item.estimate:
            text = f"≈ {text}"
    if item.prepared:
        text = f"✓ {text}".strip()
    return text


def year_of(deadline_id: str | None) -> int | None:
    """``ndfl_notice:2026-01-1`` → 2026."""
    if not deadline_id or ":" not in deadline_id:
        return None
    head = deadline_id.split(":", 1)[1][:4]
    return int(head) if head.isdigit() else None


class CalendarScreen(BuhtaScreen):
    CSS_PATH = sheets("dashboard")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="calendar.back"),
        Binding("left_square_bracket", "step(-1)", "cal.prev", id="calendar.prev",
                show=False),
        Binding("right_square_bracket", "step(1)", "cal.next", id="calendar.next",
                show=False),
        Binding("u", "toggle_upcoming", "cal.upcoming", id="calendar.upcoming"),
        Binding("t", "make_task", "cal.make_task", id="calendar.task"),
        Binding("f5", "reload", "devices.refresh", id="calendar.reload", show=False),
    ]

    def __init__(self, year: int | None = None, select: str | None = None) -> None:
        super().__init__()
        self.year = year or year_of(select) or date.today().year
        self.select = select
        self.upcoming = False
        self.calendar: m.TaxCalendar | None = None
        self.rows: list[m.CalendarDeadline] = []
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="cal-title", classes="form-title")
        yield DataTable(id="calendar", cursor_type="row", zebra_stripes=True)
        yield Static("", id="cal-empty", classes="hint")
        yield Static(t("cal.legend"), id="cal-legend", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("cal.col.date"), width=WIDTHS["date"], key="date")
        table.add_column(t("cal.col.what"), width=WIDTHS["what"], key="what")
        table.add_column(Text(t("cal.col.amount"), justify="right"), width=WIDTHS["amount"],
                         key="amount")
        table.focus()
        self.action_reload()

    def on_org_changed(self, message: Any) -> None:
        self.action_reload()

    def _title(self) -> str:
        org = self.buhta.org
        text = t("cal.title_year", year=self.year, name=org.short_name if org else "")
        if self.upcoming:
            text += f" · {t('cal.only_upcoming')}"
        return f"{text}   {t('cal.step')}"

    def action_reload(self) -> None:
        org = self.buhta.org
        self.query_one("#cal-title", Static).update(self._title())
        if org is None:
            return
        self.generation += 1
        year = self.year
        self.call_api(lambda api: api.calendar.year(org.id, year), done=CalendarLoaded,
                      guard=lambda: self.generation, exclusive=True)

    @on(CalendarLoaded)
    def _loaded(self, message: CalendarLoaded) -> None:
        self.calendar = message.result
        self.show()

    def show(self) -> None:
        table = self.query_one(DataTable)
        current = self.current
        wanted = self.select or (current.id if current else None)
        self.select = None
        items = self.calendar.items if self.calendar else []
        today = date.today()
        self.rows = [x for x in items if not self.upcoming or x.due_date >= today]
        table.clear()
        for item in self.rows:
            past = item.due_date < today and not item.prepared
            day = Text(f"{item.due_date:%d.%m.%Y}", style="dim" if past else "")
            what = clip(f"{FAMILY_MARK.get(item.family, ' ')} {item.title}", WIDTHS["what"])
            table.add_row(day, what, Text(amount_text(item), justify="right"))
        self.query_one("#cal-empty", Static).update("" if self.rows else t("cal.empty"))
        index = next((i for i, x in enumerate(self.rows) if x.id == wanted), None)
        if index is None:
            index = next((i for i, x in enumerate(self.rows) if x.due_date >= today), 0)
        if self.rows:
            table.move_cursor(row=index)
        self.query_one("#cal-title", Static).update(self._title())

    @property
    def current(self) -> m.CalendarDeadline | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_step(self, years: int) -> None:
        self.year += years
        self.action_reload()

    def action_toggle_upcoming(self) -> None:
        self.upcoming = not self.upcoming
        self.show()

    def action_make_task(self) -> None:
        deadline = self.current
        org = self.buhta.org
        if deadline is None or org is None:
            return

        def made(task: m.TaskOut | None) -> None:
            if task is not None:
                self.notify(t("cal.task_made", title=task.title))

        self.app.push_screen(DeadlineTaskDialog(org.id, deadline), made)

    def action_back(self) -> None:
        self.dismiss()
