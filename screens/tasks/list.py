"""Provides TasksScreen, the «Задачи» mode: «Мои задачи» across the user's organisations
or the organisation's list, filtered by status, assignee and due date.

``m`` switches between the two lists; ``f`` cycles the status filter, ``a`` picks the
assignee (the organisation's list), ``w`` cycles the due filter. ``n`` a new task, Enter
opens one; ``s`` status, ``r`` reassign, ``c`` comment, ``e`` edit the highlighted one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core import contract as m
from screens.tasks.common import (
    ChoiceDialog,
    TaskActions,
    TeamLoaded,
    due_text,
    member_choices,
    priority_name,
    status_name,
    who,
)
from screens.tasks.form import TaskFormScreen
from screens.tasks.view import TaskViewScreen
from tui.shell import ModeTabs, ShellScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.paged_table import PagedTable
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 50
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "open": ("new", "in_progress", "waiting"),
    "all": (),
    "new": ("new",),
    "in_progress": ("in_progress",),
    "waiting": ("waiting",),
    "done": ("done",),
    "cancelled": ("cancelled",),
}
DUE_FILTERS = ("any", "overdue", "week")
ALL = "*"
"""The «все» choice of the assignee filter."""
# 77 columns for the table (a 1-column scrollbar); each column pads 1 on each side.
WIDTHS = {
    "org": {"due": 9, "status": 8, "priority": 7, "title": 27, "assignee": 16},
    "mine": {"due": 9, "status": 8, "priority": 7, "title": 19, "assignee": 11, "org": 11},
}


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the day's week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(eq=False)
class AssigneeTeam(TeamLoaded):
    """The team, to pick the assignee filter from."""


class TasksScreen(TaskActions, ShellScreen):
    """Задачи: «Мои задачи» or the organisation's tasks, by due date."""

    MODE = "tasks"
    CSS_PATH = sheets("shell", "tasks")
    BINDINGS = [
        # This mode's own keys take the Footer; the shell's still work.
        Binding("o", "app.org_screen('card')", "shell.card", id="tasks.card", show=False),
        Binding("t", "app.org_screen('team')", "shell.team", id="tasks.team", show=False),
        Binding("j", "app.org_screen('audit')", "shell.audit", id="tasks.audit", show=False),
        Binding("x", "app.logout", "shell.logout", id="tasks.logout", show=False),
        Binding("n", "new", "tasks.key.new", id="tasks.new"),
        Binding("enter", "open", "tasks.key.open", id="tasks.open", key_display="↵",
                priority=True, show=False),
        Binding("s", "status", "tasks.key.status", id="tasks.status"),
        Binding("r", "reassign", "tasks.key.reassign", id="tasks.reassign"),
        Binding("c", "comment", "tasks.key.comment", id="tasks.comment"),
        Binding("e", "edit", "tasks.key.edit", id="tasks.edit"),
        # (The scope line names m; 80 columns of Footer hold the rest.)
        Binding("m", "scope", "tasks.key.scope", id="tasks.scope", show=False),
        Binding("f", "status_filter", "tasks.key.status_filter", id="tasks.status_filter",
                show=False),
        Binding("a", "assignee_filter", "tasks.key.assignee_filter",
                id="tasks.assignee_filter", show=False),
        Binding("w", "due_filter", "tasks.key.due_filter", id="tasks.due_filter",
                show=False),
        Binding("f5", "reload", "devices.refresh", id="tasks.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = "mine"
        self.status_filter = "open"
        self.due_filter = "any"
        self.assignee: tuple[str, str] | None = None
        """The assignee filter of the organisation's list: (user id, e-mail); None: all."""
        self.loaded = False

    @property
    def table(self) -> PagedTable:
        return self.query_one("#tasks", PagedTable)

    @property
    def rows(self) -> list[m.TaskOut]:
        """The tasks loaded, top first."""
        return self.table.items

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        yield Static("", id="tasks-scope")
        yield Static("", id="tasks-filters")
        yield PagedTable(page=self._page, render=lambda task: [self._cells(task)],
                         empty="#tasks-empty", empty_text=lambda: t("tasks.empty"),
                         id="tasks", cursor_type="row", zebra_stripes=True)
        yield Static("", id="tasks-empty", classes="hint")
        yield ErrorLine()
        yield Static("", id="signed-in")  # (kept hidden: 80x24 has no room for it)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._columns()
        self.table.focus()

    def _columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        for key, width in WIDTHS[self.scope].items():
            table.add_column(t(f"tasks.col.{key}"), width=width, key=key)

    def on_screen_resume(self) -> None:
        # (ShellScreen's handler runs after this one: the org in the title, who signed in.)
        if not self.loaded:
            self.action_reload()

    def on_org_changed(self, message: Any) -> None:
        message.prevent_default()
        self.show_org(message.org)
        self.assignee = None
        self.action_reload()

    def show_org(self, org: Any) -> None:
        mode = t(f"mode.{self.MODE}")
        self.sub_title = f"{org.short_name} · {mode}" if org else mode

    # --- the list ---------------------------------------------------------------------

    def _lines(self) -> None:
        org = self.buhta.org
        if self.scope == "mine":
            scope = t("tasks.scope.mine")
        else:
            scope = t("tasks.scope.org", name=org.short_name if org else "—")
        self.query_one("#tasks-scope", Static).update(scope)
        assignee = (t("tasks.filter.me") if self.scope == "mine"
                    else who(self.assignee[1]) if self.assignee else t("tasks.filter.all"))
        self.query_one("#tasks-filters", Static).update(t(
            "tasks.filters", status=t(f"tasks.filter.{self.status_filter}"),
            assignee=assignee, due=t(f"tasks.filter.due_{self.due_filter}")))

    def action_reload(self) -> None:
        self.loaded = True
        self._lines()
        self.table.reload()

    def _page(self, cursor: str | None
              ) -> Callable[[ApiClient], Awaitable[m.TaskPage]] | None:
        org = self.buhta.org
        statuses = STATUS_FILTERS[self.status_filter]
        filters: dict[str, Any] = {"statuses": statuses, "cursor": cursor, "limit": PAGE}
        if self.due_filter == "overdue":
            filters["overdue"] = True
        elif self.due_filter == "week":
            filters["due_after"], filters["due_before"] = week_of(date.today())
        if self.scope == "mine":
            return lambda api: api.tasks.mine(**filters)
        if org is None:
            return None
        assignee = self.assignee[0] if self.assignee else None
        return lambda api: api.tasks.list(org.id, assignee_id=assignee, **filters)

    def _cells(self, task: m.TaskOut) -> tuple[Any, ...]:
        w = WIDTHS[self.scope]
        cells: tuple[Any, ...] = (
            due_text(task),
            clip(status_name(task.status), w["status"]),
            clip(priority_name(task.priority), w["priority"]),
            clip(task.title, w["title"]),
            clip(who(task.assignee_email), w["assignee"]),
        )
        if self.scope == "mine":
            cells += (clip(task.org_short_name, w["org"]),)
        return cells

    @on(PagedTable.Shown)
    @on(DataTable.RowHighlighted)
    def _shown(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "status", "reassign", "comment", "edit"):
            return True if self.rows else None
        if action == "assignee_filter":
            return True if self.scope == "org" else None
        return True

    # --- filters ----------------------------------------------------------------------

    def action_scope(self) -> None:
        if self.scope == "mine" and self.buhta.require_org() is None:
            return
        self.scope = "org" if self.scope == "mine" else "mine"
        self._columns()
        self.action_reload()

    def action_status_filter(self) -> None:
        names = list(STATUS_FILTERS)
        self.status_filter = names[(names.index(self.status_filter) + 1) % len(names)]
        self.action_reload()

    def action_due_filter(self) -> None:
        self.due_filter = DUE_FILTERS[(DUE_FILTERS.index(self.due_filter) + 1)
                                      % len(DUE_FILTERS)]
        self.action_reload()

    def action_assignee_filter(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or self.scope != "org":
            return
        self.call_api(lambda api: api.orgs.team(org_id),
                      done=lambda team: AssigneeTeam(team, purpose="filter"),
                      group="assignee-team")

    @on(AssigneeTeam)
    def _assignee_team(self, message: AssigneeTeam) -> None:
        members = member_choices(message.result)
        emails = {p.user_id: p.email for p in message.result.members}
        choices = [(ALL, t("tasks.filter.all")), *members]

        def chosen(user_id: str | None) -> None:
            if user_id is None:
                return
            self.assignee = None if user_id == ALL else (user_id, emails[user_id])
            self.action_reload()

        current = self.assignee[0] if self.assignee else ALL
        self.app.push_screen(ChoiceDialog(t("tasks.assignee_title"), choices, current),
                             chosen)

    # --- one task ---------------------------------------------------------------------

    def selected_task(self) -> m.TaskOut | None:
        return self.table.current

    def task_changed(self, task: m.TaskOut) -> None:
        self.table.replace(task, lambda a, b: a.id == b.id)
        if task.next_id and all(t.id != task.next_id for t in self.rows):
            self.table.reload()  # a repeating task done: its next one is due a period later

    def action_open(self) -> None:
        task = self.selected_task()
        if task is not None:
            self.app.push_screen(TaskViewScreen(task), self._back_from_view)

    def _back_from_view(self, task: m.TaskOut | None) -> None:
        if task is not None:
            self.task_changed(task)

    def action_new(self) -> None:
        if self.buhta.require_org() is None:
            return
        self.app.push_screen(TaskFormScreen(), self._saved)

    def action_edit(self) -> None:
        task = self.selected_task()
        if task is not None:
            self.app.push_screen(TaskFormScreen(task), self._edited)

    def _saved(self, task: m.TaskOut | None) -> None:
        if task is not None:
            self.action_reload()

    def _edited(self, task: m.TaskOut | None) -> None:
        if task is not None:
            self.task_changed(task)
