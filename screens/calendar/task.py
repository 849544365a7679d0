"""Provides DeadlineTaskDialog: a deadline turned into a task (title, assignee, due date).

The assignee is a member of the organisation (``api.orgs.team``), me by default; the due
date is a few days before the deadline; the task carries the deadline's id
(``TaskIn.deadline_id``). Dismisses with the task made, or None.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from client.i18n import t
from core import contract as m
from core.validation import InvalidInput
from tui.errors import invalid_text
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow
from tui.workers import Done

LEAD_DAYS = 3
"""The task is due this many days before the deadline (never before today)."""


class TeamLoaded(Done[m.Team]):
    """The organisation's members, to choose the assignee."""


class TaskMade(Done[m.TaskOut]):
    """The task the server made."""


def task_due(deadline: date, today: date | None = None) -> date:
    today = today or date.today()
    return max(deadline - timedelta(days=LEAD_DAYS), min(today, deadline))


class DeadlineTaskDialog(BuhtaModal):
    CSS_PATH = sheets("dialogs", "dashboard")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="deadline_task.back"),
        Binding("f2", "save", "cal.make_task", id="deadline_task.save"),
    ]

    def __init__(self, org_id: str, deadline: m.CalendarDeadline) -> None:
        super().__init__()
        self.org_id = org_id
        self.deadline = deadline
        self.members: list[m.Member] = []

    def compose(self) -> ComposeResult:
        d = self.deadline
        with Vertical(id="dialog"):
            yield Static(t("cal.task_title"), classes="form-title")
            yield Static(t("cal.task_for", day=f"{d.due_date:%d.%m.%Y}"), classes="hint")
            yield FormRow(t("cal.task_name"),
                          Input(d.title, id="title", compact=True, max_length=200))
            yield FormRow(t("cal.assignee"),
                          Select([], id="assignee", allow_blank=True, compact=True,
                                 prompt=t("cal.me")))
            yield FormRow(t("cal.due"),
                          DateInput(task_due(d.due_date), id="due", compact=True))
            yield ErrorLine()
            with Horizontal(id="dialog-buttons"):
                yield Button(t("cal.make_task"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        org_id = self.org_id
        self.call_api(lambda api: api.orgs.team(org_id), done=TeamLoaded)

    @on(TeamLoaded)
    def _team(self, message: TeamLoaded) -> None:
        self.members = [x for x in message.result.members if x.status == "active"]
        select: Select[str] = self.query_one("#assignee", Select)
        select.set_options([(x.email, x.user_id) for x in self.members])
        me = next((x for x in self.members if x.you), None)
        if me is not None:
            select.value = me.user_id

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_save(self) -> None:
        if self.busy:
            return
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.query_one(ErrorLine).show(t("validation.required"))
            self.query_one("#title", Input).focus()
            return
        try:
            due = self.query_one("#due", DateInput).day
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            self.query_one("#due", Input).focus()
            return
        value = self.query_one("#assignee", Select).value
        assignee = value if isinstance(value, str) else None
        data = m.TaskIn(title=title, assignee_id=assignee, due=due,
                        deadline_id=self.deadline.id)
        org_id = self.org_id
        self.call_api(lambda api: api.tasks.create(org_id, data), done=TaskMade)

    @on(TaskMade)
    def _made(self, message: TaskMade) -> None:
        self.dismiss(message.result)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
