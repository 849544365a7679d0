"""Provides what the tasks screens share: status and priority names, the choice and
comment dialogs, and TaskActions (status, reassign, comment) for the list and the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import t
from core import contract as m
from tui.screen import BuhtaModal, BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

STATUSES: tuple[m.TaskStatus, ...] = ("new", "in_progress", "waiting", "done", "cancelled")
PRIORITIES: tuple[m.TaskPriority, ...] = ("low", "normal", "high")
REPEATS: tuple[m.TaskRepeat, ...] = ("none", "monthly", "quarterly")
OVERDUE = "!"
"""Marks an overdue task (never colour alone)."""


def status_name(status: str) -> str:
    return t(f"tasks.status.{status}")


def priority_name(priority: str) -> str:
    return t(f"tasks.priority.{priority}")


def repeat_name(repeat: str) -> str:
    return t(f"tasks.repeat.{repeat}")


def who(email: str | None) -> str:
    """A member as the lists show them: the e-mail's name part («olga»)."""
    return (email or "—").partition("@")[0]


def due_text(task: m.TaskOut) -> str:
    """«!01.12.26» for an overdue task, « 01.12.26», or «—» without a due date."""
    mark = OVERDUE if task.overdue else " "
    return f"{mark}{task.due.strftime('%d.%m.%y')}" if task.due else f"{mark}—"


# --- dialogs ----------------------------------------------------------------------------


class ChoiceDialog(BuhtaModal):
    """One choice of a few: arrows and Enter (or the digit); dismisses with its id or None."""

    CSS_PATH = sheets("tasks")
    BINDINGS = [
        Binding("escape", "cancel", "app.back", id="taskchoice.cancel"),
        *(Binding(str(n), f"pick({n - 1})", "tasks.key.choose", id=f"taskchoice.{n}",
                  show=False) for n in range(1, 10)),
    ]

    def __init__(self, title: str, choices: list[tuple[str, str]],
                 current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="form-title")
            yield OptionList(*(Option(f"{n}  {label}", id=key) for n, (key, label)
                               in enumerate(self.choices, start=1)),
                             id="task-choices", compact=True)
            yield Static(t("tasks.choose_hint"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        options.highlighted = keys.index(self.current) if self.current in keys else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if index < len(self.choices):
            self.dismiss(self.choices[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentDialog(BuhtaModal):
    """A comment to a task: one line of text, Enter sends, Esc goes back."""

    CSS_PATH = sheets("tasks")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="taskcomment.cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="form-title")
            yield Input(id="comment", compact=True, max_length=4000,
                        placeholder=t("tasks.comment_placeholder"))
            yield ErrorLine()
            yield Static(t("tasks.comment_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _send(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.query_one(ErrorLine).show(t("validation.required"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the actions on one task (the list and the view) ----------------------------------------


class TaskChanged(Done[m.TaskOut]):
    """The server took a change of the task (status, assignee, fields)."""


class Commented(Done[m.TaskOut]):
    """The comment was added (the task as it is after it)."""


@dataclass(eq=False)
class TeamLoaded(Done[m.Team]):
    """The organisation's team, to pick a member from."""

    task_id: str | None = None
    purpose: str = "reassign"


def member_choices(team: m.Team) -> list[tuple[str, str]]:
    """The active members, as (user id, «e-mail · role»)."""
    return [(p.user_id, f"{p.email} · {t(f'role.{p.role}')}") for p in team.members
            if p.status == "active"]


class TaskActions(BuhtaScreen):
    """``s`` status, ``r`` reassign, ``c`` comment on the task ``selected_task()`` returns;
    the screen shows the changed task in ``task_changed``. (A screen base, so that its
    ``@on`` handlers are the screen's.)"""

    def selected_task(self) -> m.TaskOut | None:
        raise NotImplementedError

    def task_changed(self, task: m.TaskOut) -> None:
        raise NotImplementedError

    def action_status(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        choices = [(s, status_name(s)) for s in STATUSES]

        def chosen(status: str | None) -> None:
            if status is None or status == task.status:
                return
            self._call(lambda api: api.tasks.set_status(task.org_id, task.id, status),
                       TaskChanged)

        self._push(ChoiceDialog(t("tasks.status_title", title=task.title[:40]), choices,
                                task.status), chosen)

    def action_reassign(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        self._call(lambda api: api.orgs.team(task.org_id),
                   lambda team: TeamLoaded(team, task_id=task.id))

    @on(TeamLoaded)
    def _team_for_reassign(self, message: TeamLoaded) -> None:
        task = self.selected_task()
        if message.purpose != "reassign" or task is None or task.id != message.task_id:
            return

        def chosen(user_id: str | None) -> None:
            if user_id is None or user_id == task.assignee_id:
                return
            self._call(lambda api: api.tasks.reassign(task.org_id, task.id, user_id),
                       TaskChanged)

        self._push(ChoiceDialog(t("tasks.reassign_title", title=task.title[:40]),
                                member_choices(message.result), task.assignee_id), chosen)

    def action_comment(self) -> None:
        task = self.selected_task()
        if task is None:
            return

        def written(text: str | None) -> None:
            if not text:
                return

            async def call(api: ApiClient) -> m.TaskOut:
                await api.tasks.comment(task.org_id, task.id, text)
                return await api.tasks.get(task.org_id, task.id)

            self._call(call, Commented)

        self._push(CommentDialog(t("tasks.comment_title", title=task.title[:40])), written)

    @on(TaskChanged)
    @on(Commented)
    def _changed(self, message: TaskChanged | Commented) -> None:
        self.query_one(ErrorLine).clear()
        self.task_changed(message.result)

    def _call(self, call: Any, done: Any) -> None:
        self.call_api(call, done=done, group="task-change")

    def _push(self, dialog: BuhtaModal, then: Any) -> None:
        self.app.push_screen(dialog, then)
