"""Provides TaskViewScreen: one task with its links, comments and history.

``s`` status, ``r`` reassign, ``c`` comment, ``e`` edit; Esc goes back to the list
(which shows the task as it is now).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from client.i18n import t
from core import contract as m
from screens.tasks.common import OVERDUE, TaskActions, priority_name, repeat_name, status_name
from screens.tasks.form import TaskFormScreen
from tui.styles import sheets
from tui.widgets.dates import day_text
from tui.widgets.form import ErrorLine
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

NAMED = {"status": status_name, "priority": priority_name, "repeat": repeat_name}


class Loaded(Done[tuple[m.TaskOut, m.TaskHistory]]):
    """The task as it is now and its history."""


def when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d.%m.%y %H:%M")


def shown(kind: str, value: str | None) -> str:
    if value is None or value == "":
        return "—"
    if kind in NAMED:
        return NAMED[kind](value)
    if kind == "due":
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def change_line(change: m.TaskChange) -> str:
    """«02.12.26 10:30 ivan@…: статус: новая → в работе»."""
    head = f"{when(change.created_at)} {change.user_email or '—'}"
    if change.kind == "created":
        what = t("tasks.history.created")
    elif change.kind == "comment":
        what = f"{t('tasks.history.comment')}: {change.text or ''}"
    elif change.kind in ("title", "description", "links"):
        what = t(f"tasks.history.{change.kind}")
    else:
        what = (f"{t(f'tasks.history.{change.kind}')}: {shown(change.kind, change.old)}"
                f" → {shown(change.kind, change.new)}")
    return f"{head}: {what}"


def links_text(task: m.TaskOut) -> str:
    parts = []
    for name in ("document_id", "entry_id", "employee_id", "deadline_id", "period"):
        value = getattr(task, name)
        if value:
            shown_value = value[:8] + "…" if name.endswith("_id") and name != "deadline_id" \
                else value
            parts.append(f"{t(f'tasks.link.{name}')} {shown_value}")
    return ", ".join(parts) or "—"


class TaskViewScreen(TaskActions):
    """One task: its fields, links and history (comments among the changes)."""

    CSS_PATH = sheets("tasks")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="taskview.back"),
        Binding("s", "status", "tasks.key.status", id="taskview.status"),
        Binding("r", "reassign", "tasks.key.reassign", id="taskview.reassign"),
        Binding("c", "comment", "tasks.key.comment", id="taskview.comment"),
        Binding("e", "edit", "tasks.key.edit", id="taskview.edit"),
        Binding("f5", "reload", "devices.refresh", id="taskview.reload", show=False),
    ]

    def __init__(self, task: m.TaskOut) -> None:
        super().__init__()
        self.shown_task = task
        self.history: list[m.TaskChange] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="task-view"):
            yield Static("", id="task-head")
            yield Static("", id="task-description")
            yield Static(t("tasks.history_title"), classes="form-title")
            yield Static("", id="task-history")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"{self.shown_task.org_short_name} · {t('mode.tasks')}"
        self._show()
        self.query_one("#task-view").focus()
        self.action_reload()

    def action_reload(self) -> None:
        task = self.shown_task

        async def call(api: ApiClient) -> tuple[m.TaskOut, m.TaskHistory]:
            fresh = await api.tasks.get(task.org_id, task.id)
            return fresh, await api.tasks.history(task.org_id, task.id)

        self.call_api(call, done=Loaded, group="task-view", exclusive=True)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.shown_task, history = message.result
        self.history = history.items
        self._show()

    def _show(self) -> None:
        task = self.shown_task
        due = day_text(task.due) if task.due else "—"
        if task.overdue:
            due = f"{OVERDUE} {due} ({t('tasks.overdue')})"
        lines = [
            f"[b]{escape(task.title)}[/b]",
            t("tasks.view.status", status=status_name(task.status),
              priority=priority_name(task.priority), due=due),
            t("tasks.view.people", assignee=task.assignee_email, author=task.author_email),
            t("tasks.view.more", org=escape(task.org_short_name),
              repeat=repeat_name(task.repeat), links=escape(links_text(task))),
        ]
        self.query_one("#task-head", Static).update("\n".join(lines))
        self.query_one("#task-description", Static).update(
            escape(task.description or t("tasks.no_description")))
        self.query_one("#task-history", Static).update(
            "\n".join(escape(change_line(c)) for c in self.history) or "—")

    # --- TaskActions ------------------------------------------------------------------

    def selected_task(self) -> m.TaskOut | None:
        return self.shown_task

    def task_changed(self, task: m.TaskOut) -> None:
        self.shown_task = task
        self._show()
        self.action_reload()

    def action_edit(self) -> None:
        self.app.push_screen(TaskFormScreen(self.shown_task), self._edited)

    def _edited(self, task: m.TaskOut | None) -> None:
        if task is not None:
            self.task_changed(task)

    def action_back(self) -> None:
        self.dismiss(self.shown_task)
